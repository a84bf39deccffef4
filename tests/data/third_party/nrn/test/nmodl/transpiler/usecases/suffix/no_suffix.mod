: The name of this mod file should be `no_suffix`.
NEURON {
    RANGE x
}

ASSIGNED {
    x
}

INITIAL {
    x = 42
}
