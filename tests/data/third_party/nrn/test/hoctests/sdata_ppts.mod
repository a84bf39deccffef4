: Tests for exploring setdata
NEURON {
    THREADSAFE
    POINT_PROCESS SDataTS
}

INCLUDE "sdata.inc"
