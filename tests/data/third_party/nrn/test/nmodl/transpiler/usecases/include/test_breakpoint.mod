NEURON {
    SUFFIX test_breakpoint
}

INCLUDE "test_breakpoint.inc"

BREAKPOINT {
}


