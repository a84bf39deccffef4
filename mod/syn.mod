TITLE AlphaSynapse: alpha-function conductance starting at a fixed time

COMMENT
A synaptic conductance with the alpha-function time course of Rall (1967)
J Neurophysiol 30:1138-1168 ("Distinguishing theoretical synaptic
potentials computed for different soma-dendritic distributions of synaptic
input"), normalised to peak gmax at t = onset + tau:
    g(t) = gmax*x*exp(1 - x),   x = (t - onset)/tau,   0 <= x <= 10
    g(t) = 0 otherwise,         i = g*(v - e).

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it
(8 doubles): onset, tau, gmax, e, i, g, v, _g; dparam: area, pntproc.
ENDCOMMENT

NEURON {
    POINT_PROCESS AlphaSynapse
    RANGE onset, tau, gmax, e, i
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    onset = 0 (ms)              : start of the conductance change
    tau = .1 (ms) <1e-3,1e6>    : time to peak
    gmax = 0 (uS) <0,1e9>       : peak conductance
    e = 0 (mV)                  : reversal potential
}

ASSIGNED {
    v (mV)
    i (nA)
    g (uS)
}

BREAKPOINT {
    if (gmax) {
        at_time(onset)
    }
    g = gmax * alpha((t - onset)/tau)
    i = g*(v - e)
}

FUNCTION alpha(x) {
    : x*exp(1 - x) on [0, 10], cut to zero outside
    if (x < 0 || x > 10) {
        alpha = 0
    } else {
        alpha = x * exp(1 - x)
    }
}
