NEURON {
    SUFFIX axial
}

INCLUDE "axial.inc"
