: Tests for exploring setdata
NEURON {
    SUFFIX sdata
}

INCLUDE "sdata.inc"
