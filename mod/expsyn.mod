TITLE ExpSyn: synaptic conductance with a single exponential decay

COMMENT
Each incoming event of weight w (uS) steps the conductance up, g -> g + w;
between events g decays with time constant tau,
    dg/dt = -g/tau,    i = g*(v - e).
The exponential synapse of the event-driven network scheme of
Hines & Carnevale (2004) Neurocomputing 58-60:1117-1122 ("Discrete event
simulation in the NEURON environment").

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it
(8 doubles): tau, e, i, g, Dg, v, _g, _tsav; dparam: area, pntproc.
ENDCOMMENT

NEURON {
    POINT_PROCESS ExpSyn
    RANGE tau, e, i
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau = 0.1 (ms) <1e-9,1e9>  : decay time constant
    e = 0 (mV)                 : reversal potential
}

ASSIGNED {
    v (mV)
    i (nA)
}

STATE {
    g (uS)
}

INITIAL {
    g = 0
}

BREAKPOINT {
    SOLVE state METHOD cnexp
    i = g*(v - e)
}

DERIVATIVE state {
    g' = -g/tau
}

NET_RECEIVE(weight (uS)) {
    g = g + weight
}
