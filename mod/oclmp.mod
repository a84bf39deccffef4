TITLE OClamp: voltage clamp switched on between two times

COMMENT
An ideal voltage source vc behind a series resistance rs (MOhm),
    i = (vc - v)/rs   while switched_on and on <= t <= off,   else 0,
an electrode current (positive depolarises). The same circuit as SEClamp
with a single level and explicit on/off times, as used in NEURON's
parameter-fitting tools.

As in SEClamp, i is recomputed after the voltage update
(SOLVE ... METHOD after_cvode); onflag is set only in BREAKPOINT.

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it
(9 doubles): rs, on, off, vc, switched_on, i, onflag, v, _g;
dparam: area, pntproc.
ENDCOMMENT

NEURON {
    POINT_PROCESS OClamp
    ELECTRODE_CURRENT i
    RANGE on, off, rs, vc, i, switched_on
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    rs = 1 (megohm) <1e-9, 1e9>     : series resistance
    on = 0 (ms)                     : clamp on from
    off = 0 (ms)                    : clamp off after
    vc (mV)                         : command voltage
    switched_on = 0                 : master switch
}

ASSIGNED {
    v (mV)
    i (nA)
    onflag      : 1 while the clamp acts
}

INITIAL {
    onflag = 0
}

BREAKPOINT {
    SOLVE icur METHOD after_cvode
    vstim()
}

PROCEDURE icur() {
    if (onflag) {
        i = (vc - v)/rs
    } else {
        i = 0
    }
}

PROCEDURE vstim() {
    if (switched_on) {
        onflag = 1
        at_time(on)
        at_time(off)
        if (t < on) {
            onflag = 0
        } else if (t > off) {
            onflag = 0
        }
    } else {
        onflag = 0
    }
    icur()
}
