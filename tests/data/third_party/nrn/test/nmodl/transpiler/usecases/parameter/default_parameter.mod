NEURON {
   SUFFIX default_parameter
   RANGE x, y, z
   GLOBAL a
}

PARAMETER {
    a
    b = 0.1

    x
    y = 2.1
    z
}
