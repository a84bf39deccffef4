NEURON {
    SUFFIX constant_mod
}

CONSTANT {
    a = 2.3
}

FUNCTION foo() {
    foo = a
}
