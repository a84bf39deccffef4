NEURON {
    SUFFIX ptr_mod
    POINTER ptr
}

ASSIGNED {
    ptr
}
