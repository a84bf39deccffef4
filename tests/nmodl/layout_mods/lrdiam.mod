: Layout rule: diam and area declared in ASSIGNED but never used still get dparam slots
: (nocmodl gives them one whenever the name occurs in the file).
NEURON {
    SUFFIX lrdiam
    THREADSAFE
    NONSPECIFIC_CURRENT i
    RANGE g, e
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (um) = (micron)
}

PARAMETER {
    g = 1e-4 (S/cm2)
    e = -60 (mV)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    diam (um)
    area (um2)
}

BREAKPOINT {
    i = g*(v - e)
}
