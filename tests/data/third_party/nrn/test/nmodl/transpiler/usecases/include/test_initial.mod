NEURON {
    SUFFIX test_initial
}

INITIAL {
}

INCLUDE "test_initial.inc"
