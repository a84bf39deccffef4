: Tests for exploring setdata
NEURON {
    THREADSAFE
    SUFFIX sdatats
}

INCLUDE "sdata.inc"
