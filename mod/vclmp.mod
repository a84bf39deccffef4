TITLE VClamp: two-electrode voltage clamp with a finite-gain amplifier

COMMENT
A three-level voltage clamp whose control amplifier has gain `gain` and
time constant tau2, with a measuring stage of time constant tau1 and an
output resistance rstim (MOhm) to the cell; the levels amp[j] last dur[j]
ms and the clamp is off after dur[0] + dur[1] + dur[2]. The feedback
circuit of the squid-axon voltage clamp (Hodgkin, Huxley & Katz (1952)
J Physiol 116:424-448), reduced to three states:
    e  input of the gain amplifier,
    vo its output,
    vi the output of the measuring amplifier,
advanced by one backward-Euler step per time step, a linear system in
(vi, vo, e):
    vi = v + fac*vo - fac*v
    (tau2/dt)*(vo - vo0) + vo = -gain*e
    -stim - e + vi - e + (tau1/dt)*(vi - e - (vi0 - e0)) = 0
    i = (vo - v)/rstim    (nA, electrode current: positive depolarises)
The system is stiff; use it with secondorder = 0 and the fixed step.

Differences from NEURON's file: the level loop is written out (no C
`break`), and the check that refuses CVODE is left out (pycoreneuron has
no variable-step integrator). Not run by CoreNEURON; NEURON does not
vectorize it, hence no `v` slot.

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it
(24 doubles): dur[3], amp[3], gain, rstim, tau1, tau2, e0, vo0, vi0, fac,
i, e, vo, vi, stim, tc, De, Dvo, Dvi, _g; dparam: area, pntproc.
ENDCOMMENT

NEURON {
    POINT_PROCESS VClamp
    ELECTRODE_CURRENT i
    RANGE e0, vo0, vi0, dur, amp, gain, rstim, tau1, tau2, fac, i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    dur[3] (ms) <0, 1e9>        : level durations
    amp[3] (mV)                 : level voltages
    gain = 1e5 <0,1e9>          : amplifier gain
    rstim = 1 (megohm) <1e-9,1e9> : output resistance
    tau1 = .001 (ms) <0,1e9>    : measuring amplifier time constant
    tau2 = 0 (ms) <0,1e9>       : gain amplifier time constant
    e0 (mV) vo0 (mV) vi0 (mV)   : states at the start of the step
    fac = 0 <1,10>              : feedback of vo into the measured voltage
}

ASSIGNED {
    v (mV)
    dt (ms)
    i (nA)
    stim (mV)   : current command level
    tc (ms)     : end of the current level (+100 while on)
}

STATE {
    e (mV)
    vo (mV)
    vi (mV)
}

INITIAL {
    e0 = 0
    vo = v
    vo0 = v
    vi = v
    vi0 = v
    e = 0
}

BREAKPOINT {
    SOLVE update METHOD after_cvode
    vstim()
    i = icur()
}

PROCEDURE vstim() {
    : the level in force at t; tc ends up 100 ms past its end while on
    tc = 0 (ms)
    stim = amp[0]
    tc = tc + dur[0]
    if (t < tc) {
        tc = tc + 100
    } else {
        stim = amp[1]
        tc = tc + dur[1]
        if (t < tc) {
            tc = tc + 100
        } else {
            stim = amp[2]
            tc = tc + dur[2]
            if (t < tc) {
                tc = tc + 100
            }
        }
    }
}

FUNCTION icur() (nA) {
    if (t > tc) {
        e0 = 0
        vo0 = 0
        icur = 0
    } else {
        SOLVE clamp
        icur = (vo - v)/rstim
    }
}

LINEAR clamp {
    LOCAL t1, t2
    t1 = tau1/dt
    t2 = tau2/dt
    ~ vi = v + fac*vo - fac*v
    ~ t2*vo - t2*vo0 + vo = -gain * e
    ~ -stim - e + vi - e + t1*vi - t1*e - t1*(vi0 - e0) = 0
}

PROCEDURE update() {
    i = icur()
    e0 = e
    vo0 = vo
    vi0 = vi
}
