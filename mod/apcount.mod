TITLE APCount: counts threshold crossings of the membrane potential

COMMENT
n counts upward crossings of thresh by v; time is the time of the last one.
After a crossing the counter is re-armed when v falls below thresh again
(at a later time). The test runs after each voltage update
(SOLVE ... METHOD after_cvode), with the new v and t.

Left out (NEURON-only): the record(Vector) procedure and the Vector
resizing in INITIAL and check(). The `space` slot that holds the Vector
handle in NEURON stays in the layout, unused.

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it
(7 doubles): n, thresh, time, firing, space, v, _g; dparam: area, pntproc.
ENDCOMMENT

NEURON {
    POINT_PROCESS APCount
    RANGE n, thresh, time, firing
    THREADSAFE
}

UNITS {
    (mV) = (millivolt)
}

PARAMETER {
    n                       : number of crossings
    thresh = -20 (mV)       : threshold
    time (ms)               : time of the last crossing
}

ASSIGNED {
    v (mV)
    firing      : 1 between a crossing and the fall below threshold
    space       : NEURON's record Vector handle (unused here)
}

INITIAL {
    n = 0
    firing = 0
    check()
}

BREAKPOINT {
    SOLVE check METHOD after_cvode
}

PROCEDURE check() {
    if (v >= thresh && !firing) {
        firing = 1
        time = t
        n = n + 1
    }
    if (firing && v < thresh && t > time) {
        firing = 0
    }
}
