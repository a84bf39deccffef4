: Our own test channel: an instantaneous activation kept in a GLOBAL (minf), written per
: instance in the DERIVATIVE block and read in BREAKPOINT: NEURON's BREAKPOINT sees the value
: the last instance left, so the result depends on the order instances run in.
NEURON {
    SUFFIX tgminf
    USEION k READ ek WRITE ik
    RANGE gbar
    GLOBAL minf, ninf, ntau
    THREADSAFE
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER { gbar = 0.02 (mho/cm2) }
ASSIGNED { v (mV) ek (mV) ik (mA/cm2) minf ninf ntau (ms) }
STATE { n }
BREAKPOINT {
    SOLVE states METHOD cnexp
    ik = gbar*minf*n*(v - ek)
}
INITIAL { rates(v) n = ninf }
DERIVATIVE states { rates(v) n' = (ninf - n)/ntau }
PROCEDURE rates(v (mV)) {
    minf = 1/(1 + exp(-(v + 50)/4))
    ninf = 1/(1 + exp(-(v + 45)/8))
    ntau = 2 + 5*exp(-(v + 50)*(v + 50)/400)
}
