: Our own test point process: events from one NetStim reach every instance at the same time,
: and a GLOBAL shared by the instances decides which of them resets its cell's v: only
: NEURON's delivery order (NetCons in creation order) gives NEURON's spikes. Not THREADSAFE
: (NEURON 9.0.2 crashes writing a thread GLOBAL in NET_RECEIVE).
NEURON {
    POINT_PROCESS TgShared
    GLOBAL acc
}
UNITS { (mV) = (millivolt) }
ASSIGNED { v (mV) acc }
INITIAL { acc = 0 }
NET_RECEIVE (w) {
    acc = acc + w
    if (acc > 1.5) {
        acc = 0
        v = 20
    }
}
