: Our own test synapse: FOR_NETCONS. Every 11 ms from 7 ms a self event multiplies the
: second argument f of every NetCon onto the synapse by 1.5 (each NetCon's own state, so the
: order of the NetCons does not matter); each spike adds w*f to the conductance, so the
: voltage follows what the loop did.
NEURON {
    POINT_PROCESS TgFnc
    RANGE tau, e, i
    NONSPECIFIC_CURRENT i
}
UNITS { (mV) = (millivolt) (nA) = (nanoamp) (uS) = (microsiemens) }
PARAMETER { tau = 2 (ms) e = 0 (mV) }
ASSIGNED { v (mV) i (nA) }
STATE { g (uS) }
INITIAL {
    g = 0
    net_send(7, 1)
}
BREAKPOINT {
    SOLVE state METHOD cnexp
    i = g*(v - e)
}
DERIVATIVE state { g' = -g/tau }
NET_RECEIVE (w (uS), f) {
    INITIAL { f = 1 }
    if (flag == 0) {
        g = g + w*f*2e-4
    } else {
        FOR_NETCONS (wk (uS), fk) {
            fk = fk*1.5
        }
        net_send(11, 1)
    }
}
