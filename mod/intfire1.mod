TITLE IntFire1: leaky integrate-and-fire cell, event driven

COMMENT
Lapicque's leaky integrator (Lapicque (1907) J Physiol Pathol Gen 9:620-635)
with the analytic solution used between events, as in the event-driven
integrate-and-fire cells of Hines & Carnevale (2002) Neural Comput
"Discrete event simulation in the NEURON environment" / NEURON Book ch. 10:
    m(t) = m(t0)*exp(-(t - t0)/tau);  an input of weight w adds w to m.
When m exceeds 1 the cell fires, stays refractory for refrac ms (m shown as
2, then -1 by M()), then restarts at m = 0. Inputs during the refractory
period are ignored.

An ARTIFICIAL_CELL: no voltage, only events.

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it
(7 doubles): tau, refrac, m, t0, refractory, v, _tsav;
dparam: area, pntproc, tqitem.
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL IntFire1
    RANGE tau, refrac, m
}

PARAMETER {
    tau = 10 (ms)       : membrane time constant
    refrac = 5 (ms)     : refractory period
}

ASSIGNED {
    m               : state at t0 ("membrane potential", threshold 1)
    t0 (ms)         : time of the last update of m
    refractory      : 0 integrating, 1 refractory
}

INITIAL {
    m = 0
    t0 = t
    refractory = 0
}

FUNCTION M() {
    : m at the current time, for plotting
    if (refractory == 0) {
        M = m*exp(-(t - t0)/tau)
    } else if (refractory == 1) {
        if (t - t0 < .5) {
            M = 2
        } else {
            M = -1
        }
    }
}

NET_RECEIVE (w) {
    if (refractory == 0) {
        m = m*exp(-(t - t0)/tau)
        t0 = t
        m = m + w
        if (m > 1) {
            refractory = 1
            m = 2
            net_send(refrac, refractory)
            net_event(t)
        }
    } else if (flag == 1) {
        : end of the refractory period
        t0 = t
        refractory = 0
        m = 0
    }
}
