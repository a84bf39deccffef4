: Layout rule: a top-level VERBATIM before THREADSAFE makes nocmodl treat the file as not
: thread safe (no `v` double), THREADSAFE notwithstanding.
VERBATIM
#include <math.h>
ENDVERBATIM

NEURON {
    SUFFIX lrverb
    THREADSAFE
    NONSPECIFIC_CURRENT i
    RANGE g, e, gv
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
}

PARAMETER {
    g = 5e-5 (S/cm2)
    e = -70 (mV)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    gv (S/cm2)
}

BREAKPOINT {
    gv = g*(1 + 0.5*tanh((v + 40)/10))
    i = gv*(v - e)
}
