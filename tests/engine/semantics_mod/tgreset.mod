: Our own test point process: NET_RECEIVE assigns v (a reset, as Izhikevich's point neurons
: do); NEURON applies it to the node, CoreNEURON drops it. In INITIAL it does not.
NEURON {
    POINT_PROCESS TgReset
    RANGE vreset, count
    THREADSAFE
}
UNITS { (mV) = (millivolt) }
PARAMETER { vreset = -65 (mV) }
ASSIGNED { v (mV) count }
INITIAL { count = 0 v = vreset - 30 }  : NEURON keeps this v local to INITIAL
NET_RECEIVE (w) {
    count = count + 1
    v = vreset + w
}
