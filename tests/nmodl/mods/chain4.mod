TITLE chain4: 4 states in a ring, each decaying at a rate set by the next one

COMMENT
Test mechanism for derivimplicit with 4 coupled nonlinear states
(Eigen closed-form 4x4 inverse in nmodl's Newton step).
ENDCOMMENT

NEURON {
    SUFFIX chain4
    THREADSAFE
}

STATE { y0 y1 y2 y3 }

INITIAL {
    y0 = 0.3
    y1 = 0.6
    y2 = 0.9
    y3 = 1.2
}

BREAKPOINT { SOLVE states METHOD derivimplicit }

DERIVATIVE states {
    y0' = -y0*(1 + y1*y1) + 0.5*y3 - 0.001*v
    y1' = -y1*(1 + y2*y2) + 0.5*y0 - 0.001*v
    y2' = -y2*(1 + y3*y3) + 0.5*y1 - 0.001*v
    y3' = -y3*(1 + y0*y0) + 0.5*y2 - 0.001*v
}
