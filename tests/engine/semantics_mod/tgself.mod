: Our own test point process: an event at t sends a self event at t + 0, whose NET_RECEIVE
: resets v: NEURON delivers the self event in the same pass. (A THREADSAFE GLOBAL written in
: NET_RECEIVE crashes NEURON 9.0.2: its NET_RECEIVE has no thread data.)
NEURON {
    POINT_PROCESS TgSelf
    RANGE vreset, seen, total
    THREADSAFE
}
UNITS { (mV) = (millivolt) }
PARAMETER { vreset = -65 (mV) }
ASSIGNED { v (mV) total seen }
INITIAL { total = 0 seen = 0 }
NET_RECEIVE (w) {
    if (flag == 0) {
        net_send(0, 2)
        total = total + w
    } else if (flag == 2) {
        seen = total
        if (total > 0) { v = vreset + 80 }
    }
}
