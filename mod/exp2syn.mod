TITLE Exp2Syn: synaptic conductance, difference of two exponentials

COMMENT
Dual-exponential synapse: each event of weight w (uS) adds w*factor to two
states A and B that decay with tau1 (rise) and tau2 (decay),
    dA/dt = -A/tau1,   dB/dt = -B/tau2,   g = B - A,   i = g*(v - e),
where factor makes the peak of g equal to w. For one event at time 0,
    g(t) = w*factor*(exp(-t/tau2) - exp(-t/tau1)),
peaking at tp = tau1*tau2/(tau2 - tau1)*log(tau2/tau1). tau1 is kept
strictly below tau2 (ratio at most 0.9999, at least 1e-9). The
two-exponential form of the synaptic conductance is that of the event-driven
synapses of Hines & Carnevale (2004) Neurocomputing 58-60:1117-1122.

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it
(13 doubles): tau1, tau2, e, i, g, A, B, factor, DA, DB, v, _g, _tsav;
dparam: area, pntproc.
ENDCOMMENT

NEURON {
    POINT_PROCESS Exp2Syn
    RANGE tau1, tau2, e, i
    NONSPECIFIC_CURRENT i
    RANGE g
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau1 = 0.1 (ms) <1e-9,1e9>  : rise time constant
    tau2 = 10 (ms) <1e-9,1e9>   : decay time constant
    e = 0 (mV)                  : reversal potential
}

ASSIGNED {
    v (mV)
    i (nA)
    g (uS)
    factor      : peak normalisation
}

STATE {
    A (uS)
    B (uS)
}

INITIAL {
    LOCAL tp
    if (tau1/tau2 > 0.9999) {
        tau1 = 0.9999*tau2
    }
    if (tau1/tau2 < 1e-9) {
        tau1 = tau2*1e-9
    }
    A = 0
    B = 0
    tp = (tau1*tau2)/(tau2 - tau1) * log(tau2/tau1)
    factor = -exp(-tp/tau1) + exp(-tp/tau2)
    factor = 1/factor
}

BREAKPOINT {
    SOLVE state METHOD cnexp
    g = B - A
    i = g*(v - e)
}

DERIVATIVE state {
    A' = -A/tau1
    B' = -B/tau2
}

NET_RECEIVE(weight (uS)) {
    A = A + weight*factor
    B = B + weight*factor
}
