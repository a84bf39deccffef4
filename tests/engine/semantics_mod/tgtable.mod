: Our own test channel: a TABLE whose values depend on a RANGE parameter (vhalf) that the
: tabled PROCEDURE reads but DEPEND does not name, and a GLOBAL (tadj) written while the table
: is built and read in BREAKPOINT. NEURON builds the table from one instance's vhalf.
NEURON {
    SUFFIX tgtable
    USEION k READ ek WRITE ik
    RANGE gbar, vhalf
    GLOBAL minf, mtau, tadj
    THREADSAFE
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER { gbar = 0.0005 (mho/cm2) vhalf = -40 (mV) }
ASSIGNED { v (mV) ek (mV) ik (mA/cm2) minf mtau (ms) tadj celsius (degC) }
STATE { m }
BREAKPOINT {
    SOLVE states METHOD cnexp
    ik = tadj*gbar*m*(v - ek)
}
INITIAL { rates(v) m = minf }
DERIVATIVE states { rates(v) m' = (minf - m)/mtau }
PROCEDURE rates(v (mV)) {
    TABLE minf, mtau DEPEND celsius FROM -100 TO 60 WITH 320
    tadj = 3^((celsius - 30)/10)
    minf = 1/(1 + exp(-(v - vhalf)/6))
    mtau = 1 + 4/(1 + exp((v - vhalf)/10))
}
