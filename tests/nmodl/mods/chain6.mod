TITLE chain6: 6 states in a ring, each decaying at a rate set by the next one

COMMENT
Test mechanism for derivimplicit with 6 coupled nonlinear states
(Crout factorisation in nmodl's Newton step).
ENDCOMMENT

NEURON {
    SUFFIX chain6
    THREADSAFE
}

STATE { y0 y1 y2 y3 y4 y5 }

INITIAL {
    y0 = 0.3
    y1 = 0.6
    y2 = 0.9
    y3 = 1.2
    y4 = 1.5
    y5 = 1.8
}

BREAKPOINT { SOLVE states METHOD derivimplicit }

DERIVATIVE states {
    y0' = -y0*(1 + y1*y1) + 0.5*y5 - 0.001*v
    y1' = -y1*(1 + y2*y2) + 0.5*y0 - 0.001*v
    y2' = -y2*(1 + y3*y3) + 0.5*y1 - 0.001*v
    y3' = -y3*(1 + y4*y4) + 0.5*y2 - 0.001*v
    y4' = -y4*(1 + y5*y5) + 0.5*y3 - 0.001*v
    y5' = -y5*(1 + y0*y0) + 0.5*y4 - 0.001*v
}
