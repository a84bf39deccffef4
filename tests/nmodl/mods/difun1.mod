TITLE difun1: derivimplicit with FUNCTION calls of v in the equation

NEURON {
    SUFFIX difun1
    RANGE a
    THREADSAFE
}

PARAMETER { a = 0.1 }

STATE { m }

INITIAL { m = 0.5 }

BREAKPOINT { SOLVE states METHOD derivimplicit }

DERIVATIVE states {
    m' = (minf(v) - m)/tau(v)
}

FUNCTION minf(u) { minf = 1/(1 + exp(-(u + 40)/5)) }

FUNCTION tau(u) { tau = 1 + a*exp(-u/20) }
