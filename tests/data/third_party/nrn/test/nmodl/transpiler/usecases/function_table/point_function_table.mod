NEURON {
    POINT_PROCESS point_function_table
}

INCLUDE "function_table.inc"

