TITLE pas: passive (leak) membrane conductance

COMMENT
Linear leak current of the membrane equivalent circuit,
    i = g*(v - e)
as in Hodgkin & Huxley (1952) J Physiol 117:500-544, where the leak branch
is an ohmic conductance in series with its own battery.

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it into a
dataset (5 doubles, no dparam): g, e, i, v, _g.
ENDCOMMENT

NEURON {
    SUFFIX pas
    NONSPECIFIC_CURRENT i
    RANGE g, e
}

UNITS {
    (mV) = (millivolt)
    (mA) = (milliamp)
    (S) = (siemens)
}

PARAMETER {
    g = .001 (S/cm2) <0,1e9>  : leak conductance density
    e = -70 (mV)              : leak reversal potential
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
}

BREAKPOINT {
    i = g*(v - e)
}
