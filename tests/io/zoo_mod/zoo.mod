: A density mechanism touching the dataset's rarer features: a POINTER, diam, an array RANGE,
: a concentration it WRITEs (so the ion gets a style dparam) and a GLOBAL array.
NEURON {
    SUFFIX zoo
    USEION ca READ ica WRITE cai
    RANGE arr, gz
    GLOBAL gtab
    POINTER pz
    THREADSAFE
}

PARAMETER {
    gz = 1
    gtab[3]
}

ASSIGNED {
    diam
    ica
    arr[4]
    pz
}

STATE { cai }

INITIAL {
    cai = 1e-4
    arr[0] = diam
    arr[3] = gz
}

BREAKPOINT { SOLVE states METHOD cnexp }

DERIVATIVE states {
    cai' = -ica * 1e-3 - (cai - 1e-4) / 100
}
