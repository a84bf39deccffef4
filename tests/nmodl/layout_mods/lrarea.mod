: Layout rule: a POINT_PROCESS that declares area gets a second area slot after
: area/pntproc; here the current also uses it (a conductance per unit membrane area).
NEURON {
    POINT_PROCESS LrArea
    THREADSAFE
    NONSPECIFIC_CURRENT i
    RANGE gdens, e
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (um) = (micron)
}

PARAMETER {
    gdens = 2e-4 (S/cm2)
    e = -80 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    area (um2)
}

BREAKPOINT {
    : S/cm2 * um2 * mV = 1e-8 * 1e6 nA
    i = gdens*area*(v - e)*1e-2
}
