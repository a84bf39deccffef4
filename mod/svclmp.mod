TITLE SEClamp: single-electrode voltage clamp with three levels

COMMENT
An ideal voltage source vc behind a series resistance rs (MOhm),
    i = (vc - v)/rs   (nA, electrode current: positive depolarises),
stepping through amp1 for dur1 ms, amp2 until dur1 + dur2, amp3 until
dur1 + dur2 + dur3, then switched off (i = 0). The command voltage follows
the step protocol of the voltage-clamp experiments of Hodgkin, Huxley &
Katz (1952) J Physiol 116:424-448.

The current is computed twice a step: in BREAKPOINT with the old voltage
(this gives the clamp conductance to the matrix), and again after the
voltage update (SOLVE ... METHOD after_cvode) so that i reported for the
step uses the new voltage. vc and on are only set in BREAKPOINT.

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it
(14 doubles): rs, dur1, amp1, dur2, amp2, dur3, amp3, i, vc, tc2, tc3, on,
v, _g; dparam: area, pntproc.
ENDCOMMENT

NEURON {
    POINT_PROCESS SEClamp
    ELECTRODE_CURRENT i
    RANGE dur1, amp1, dur2, amp2, dur3, amp3, rs, vc, i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    rs = 1 (megohm) <1e-9, 1e9>     : series resistance
    dur1 (ms)           amp1 (mV)   : first level
    dur2 (ms) <0,1e9>   amp2 (mV)   : second level
    dur3 (ms) <0,1e9>   amp3 (mV)   : third level
}

ASSIGNED {
    v (mV)
    i (nA)
    vc (mV)     : command voltage
    tc2 (ms)    : end of level 2
    tc3 (ms)    : end of level 3
    on          : 1 while the clamp is on
}

INITIAL {
    tc2 = dur1 + dur2
    tc3 = tc2 + dur3
    on = 0
}

BREAKPOINT {
    SOLVE icur METHOD after_cvode
    vstim()
}

PROCEDURE icur() {
    if (on) {
        i = (vc - v)/rs
    } else {
        i = 0
    }
}

PROCEDURE vstim() {
    on = 1
    if (dur1) { at_time(dur1) }
    if (dur2) { at_time(tc2) }
    if (dur3) { at_time(tc3) }
    if (t < dur1) {
        vc = amp1
    } else if (t < tc2) {
        vc = amp2
    } else if (t < tc3) {
        vc = amp3
    } else {
        vc = 0
        on = 0
    }
    icur()
}
