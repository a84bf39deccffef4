NEURON {
    SUFFIX function_table
}

INCLUDE "function_table.inc"

