TITLE difun2: derivimplicit with a PROCEDURE call and a FUNCTION of the states

COMMENT
rates(v) runs before the equations (NEURON runs the whole block at every Newton iteration,
nmodl once before the solve: the same values, as rates reads no state); rate() takes a state,
so the Jacobian needs its derivative (nmodl: a central difference).
ENDCOMMENT

NEURON {
    SUFFIX difun2
    RANGE k
    THREADSAFE
}

PARAMETER { k = 0.5 }

ASSIGNED { hinf htau }

STATE { m h }

INITIAL {
    m = 0.2
    h = 0.6
}

BREAKPOINT { SOLVE states METHOD derivimplicit }

DERIVATIVE states {
    rates(v)
    m' = -rate(m)*m + k*h
    h' = (hinf - h)/htau - 0.1*rate(h)*m
}

FUNCTION rate(x) { rate = 0.2 + 2*x*x }

PROCEDURE rates(u) {
    hinf = 1/(1 + exp((u + 60)/6))
    htau = 2 + exp(-u/30)
}
