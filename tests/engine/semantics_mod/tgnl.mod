: Our own test channel: a NONLINEAR block (two coupled algebraic equations, one extended by
: ~+) solved in INITIAL and every step in BREAKPOINT by NEURON's Newton; its states set the
: current.
NEURON {
    SUFFIX tgnl
    NONSPECIFIC_CURRENT i
    RANGE g
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER { g = 0.0003 (S/cm2) k = 0.5 }
STATE { bb a }
ASSIGNED { v (mV) i (mA/cm2) }
INITIAL {
    a = 0.5
    bb = 0.5
    SOLVE eqs
}
BREAKPOINT {
    SOLVE eqs
    i = g*(a + bb*bb)*(v + 70)
}
NONLINEAR eqs { LOCAL s
    s = 1/(1 + exp(-(v + 40)/8))
    ~ a*a + bb = s + k
    ~ a - bb*bb*bb = 0.1
    ~+ 0.01*a = 0
}
