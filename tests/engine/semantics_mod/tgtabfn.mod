: Our own test channel: TABLE lookups inside SIMD loops. A tabled FUNCTION (read in BREAKPOINT)
: and a tabled PROCEDURE (reached from DERIVATIVE through another PROCEDURE), over a range the
: voltage leaves (-80 to 0 mV), so spikes read the tables' clamped ends.
NEURON {
    SUFFIX tgtabfn
    USEION k READ ek WRITE ik
    RANGE gbar, ninf, ntau
    THREADSAFE
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER { gbar = 0.01 (mho/cm2) }
ASSIGNED { v (mV) ek (mV) ik (mA/cm2) ninf ntau (ms) celsius (degC) }
STATE { n }
BREAKPOINT {
    SOLVE states METHOD cnexp
    ik = gbar*n*n*gate(v)*(v - ek)
}
INITIAL { rates(v) n = ninf }
DERIVATIVE states { settle(v) n' = (ninf - n)/ntau }
PROCEDURE settle(v (mV)) { rates(v) }
PROCEDURE rates(v (mV)) {
    TABLE ninf, ntau DEPEND celsius FROM -80 TO 0 WITH 40
    ninf = 1/(1 + exp(-(v + 40)/8))
    ntau = 1 + 3*exp(-(v + 45)*(v + 45)/300)
}
FUNCTION gate(v (mV)) {
    TABLE DEPEND celsius FROM -80 TO 0 WITH 40
    gate = 1/(1 + exp(-(v + 30)/5))
}
