NEURON {
    ARTIFICIAL_CELL art_function_table
}

INCLUDE "function_table.inc"

