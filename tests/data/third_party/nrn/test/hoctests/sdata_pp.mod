: Tests for exploring setdata
NEURON {
    POINT_PROCESS SData
}

INCLUDE "sdata.inc"
