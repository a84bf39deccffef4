NEURON {
     SUFFIX example
}

FUNCTION f(x) {
     f = at_time(x)
}
