NEURON {SUFFIX nothing}

FUNCTION foo() {
    foo = 3
}

