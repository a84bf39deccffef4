NEURON {
   SUFFIX src
   GLOBAL gbl
}

PARAMETER {
   param = 123.0
}

ASSIGNED {
   gbl
}
