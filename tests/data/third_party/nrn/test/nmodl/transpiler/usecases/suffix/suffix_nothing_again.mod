NEURON {
    SUFFIX nothing
}

FUNCTION forty_three() {
    forty_three = 43.0
}
