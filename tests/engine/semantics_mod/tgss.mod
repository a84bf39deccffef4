: Our own test channel: STEADYSTATE derivimplicit in INITIAL (scopmath's _ss_derivimplicit,
: a derivimplicit step with dt = 1e-9) before METHOD derivimplicit steps; two coupled gates.
NEURON {
    SUFFIX tgss
    USEION k READ ek WRITE ik
    RANGE gbar
    THREADSAFE
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER { gbar = 0.01 (mho/cm2) }
ASSIGNED { v (mV) ek (mV) ik (mA/cm2) ninf ntau (ms) }
STATE { n q }
INITIAL {
    n = 0.3
    q = 0.2
    SOLVE states STEADYSTATE derivimplicit
}
BREAKPOINT {
    SOLVE states METHOD derivimplicit
    ik = gbar*n*n*n*n*(1 - 0.5*q)*(v - ek)
}
DERIVATIVE states {
    ninf = 1/(1 + exp(-(v + 50)/8))
    ntau = 1 + 4*exp(-(v + 50)*(v + 50)/400)
    n' = (ninf - n)/ntau
    q' = 0.05*n - 0.1*q*q
}
