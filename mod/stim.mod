TITLE IClamp: rectangular current pulse

COMMENT
Injects amp (nA) into the cell from t = del to t = del + dur, zero otherwise.
An electrode current: positive i depolarises. The current source of the
classical current-clamp experiment (Hodgkin, Huxley & Katz (1952)
J Physiol 116:424-448 describe the clamp circuits; here an ideal source).

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it
(6 doubles): del, dur, amp, i, v, _g; dparam: area, pntproc.
ENDCOMMENT

NEURON {
    POINT_PROCESS IClamp
    RANGE del, dur, amp, i
    ELECTRODE_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
}

PARAMETER {
    del (ms)            : pulse onset
    dur (ms) <0,1e9>    : pulse duration
    amp (nA)            : pulse amplitude
}

ASSIGNED {
    i (nA)
}

INITIAL {
    i = 0
}

BREAKPOINT {
    : the two discontinuities, for variable-step integrators
    at_time(del)
    at_time(del + dur)

    if (t < del + dur && t >= del) {
        i = amp
    } else {
        i = 0
    }
}
