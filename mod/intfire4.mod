TITLE IntFire4: integrate-and-fire cell with exponential excitation and alpha-like inhibition

COMMENT
Event-driven integrate-and-fire cell with four linear states, solved exactly
between events (Carnevale & Hines, The NEURON Book (2006) ch. 10; the
relaxed preconditions of van Elburg & van Ooyen (2009) Neural Comput
21:1913-1930, "Generalization of the event-based Carnevale-Hines
integration scheme for integrate-and-fire models"):
    de/dt  = -ke*e                        excitatory current (excitatory input w > 0: e += w)
    di1/dt = -ki1*i1                      inhibitory input (w <= 0: i1 += w)
    di2/dt = -ki2*i2 + ai1*i1             inhibitory current
    dm/dt  = -km*m + ae*e + ai2*i2        membrane state, fires when m > 1 - eps, then m = 0
with k = 1/tau. ae, ai1, ai2 normalise a unit input to a peak of 1 in m
(and i2); the peak time of the inhibitory response is found by bisection.
The time constants are first adjusted so that taue < taui2, taui1 < taui2
and all differ by at least taueps. The next firing time is bounded from
below by a Newton step, (1 - m)/(dm/dt); the cell re-examines itself then.

An ARTIFICIAL_CELL: no voltage, only events. The assigned variable `flag`
(search failure) is NEURON's name; inside NET_RECEIVE `flag` is the event
flag, as in NEURON. NEURON's warning printouts are left out.

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it
(32 doubles): taue, taui1, taui2, taum, e, i1, i2, m, nself, nexcite,
ninhibit, ae, ai1, ai2, enew, i1new, i2new, mnew, t0, ke, ki1, ki2, km,
be, bi1, bi2, a, b, tau_swap, flag, v, _tsav; dparam: area, pntproc,
tqitem. GLOBALs ib, eps, taueps.
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL IntFire4
    RANGE taue, taui1, taui2, taum, e, i1, i2, m, ae, ai2, ai1
    RANGE nself, nexcite, ninhibit
    GLOBAL eps, taueps
}

PARAMETER {
    taue = 5 (ms) <0,1e9>       : excitatory current decay
    taui1 = 10 (ms) <0,1e9>     : inhibitory rise
    taui2 = 20 (ms) <0,1e9>     : inhibitory decay
    taum = 50 (ms) <0,1e9>      : membrane time constant
    ib = 0                      : (unused) bias
    eps = 1e-6 <1e-9,0.01>      : firing tolerance below 1
    taueps = 0.01 <1e-9,1e9>    : least separation of time constants
}

ASSIGNED {
    e i1 i2 m                   : states at t0
    enew i1new i2new mnew       : states advanced by newstates()
    t0 (ms)                     : time of the last update
    nself nexcite ninhibit      : event counters

    ke (1/ms) ki1 (1/ms) ki2 (1/ms) km (1/ms)
    ae (1/ms) ai1 (1/ms) ai2 (1/ms)
    be bi1 bi2
    a b
    tau_swap (ms)
    flag (1)                    : 1 if search() failed
}

PROCEDURE newstates(d (ms)) {
    : exact solution after d ms, from the states at t0
    LOCAL ee, ei1, ei2, em
    ee = exp(-ke*d)
    ei1 = exp(-ki1*d)
    ei2 = exp(-ki2*d)
    em = exp(-km*d)
    enew = e*ee
    i1new = i1*ei1
    i2new = i2*ei2 + bi1*i1*(ei2 - ei1)
    mnew = m*em
        + be*e*(em - ee)
        + (bi2*i2 + a*i1)*(em - ei2)
        - b*i1*(em - ei1)
}

FUNCTION M() {
    newstates(t - t0)
    M = mnew
}

FUNCTION E() {
    newstates(t - t0)
    E = ae*enew
}

FUNCTION I() {
    newstates(t - t0)
    I = ai2*i2new
}

PROCEDURE update() {
    e = enew
    i1 = i1new
    i2 = i2new
    m = mnew
    t0 = t
}

PROCEDURE fixprecondition() {
    : keep the time constants apart from 0 and from each other
    if (taui2 < 4*taueps) {
        taui2 = 4*taueps
    }
    if (taui1 < 3*taueps) {
        taui1 = 3*taueps
    }
    if (taue < 2*taueps) {
        taue = 2*taueps
    }

    : taue < taui2
    if (taue > taui2) {
        tau_swap = taue
        taue = taui2 - taueps
    } else if (taui2 - taue < taueps) {
        taue = taui2 - taueps
    }

    : taui1 < taui2 (taui2 is final after this)
    if (taui1 > taui2) {
        tau_swap = taui2
        taui2 = taui1
        taui1 = tau_swap
    }
    if (taui2 - taui1 < taueps) {
        taui1 = taui2 - taueps
    }

    : taum at least taueps away from the others
    if (taum <= taui2) {
        if (taui2 - taum < taueps) {
            taum = taui2 - taueps
        }
        if (fabs(taui1 - taum) < taueps) {
            taum = taui1 - taueps
        }
        if (fabs(taui1 - taum) < taueps) {
            if (taui1 - taum < 0) {
                taum = taui1 - taueps
            } else {
                taui1 = taum - taueps
            }
        }
        if (fabs(taue - taum) < taueps) {
            if (taue - taum < 0) {
                taum = taue - taueps
            } else {
                taue = taum - taueps
            }
        }
        if (fabs(taui1 - taum) < taueps) {
            taum = taui1 - taueps
        }
    } else if (taum - taui2 < taueps) {
        taum = taui2 + taueps
    }
}

PROCEDURE factors() {
    LOCAL tp
    ke = 1/taue  ki1 = 1/taui1  ki2 = 1/taui2  km = 1/taum

    : unit e gives a peak of 1 in m
    tp = log(km/ke)/(km - ke)
    be = 1/(exp(-km*tp) - exp(-ke*tp))
    ae = be*(ke - km)

    : unit i1 gives a peak of 1 in i2
    tp = log(ki2/ki1)/(ki2 - ki1)
    bi1 = 1/(exp(-ki2*tp) - exp(-ki1*tp))
    ai1 = bi1*(ki1 - ki2)

    : unit i1 gives a peak of 1 in m: provisional constants, find the
    : peak time, then scale
    e = 0
    i1 = 1
    i2 = 0
    m = 0
    bi2 = 1
    ai2 = bi2*(ki2 - km)
    a = bi2*bi1
    b = a*(ki2 - km)/(ki1 - km)
    tp = search()
    newstates(tp)
    bi2 = 1/mnew
    ai2 = bi2*(ki2 - km)
    a = bi2*bi1
    b = a*(ki2 - km)/(ki1 - km)
    newstates(tp)
    i1 = 0
}

FUNCTION deriv(d (ms)) (/ms2) {
    : has the sign of dm/dt at d after a unit i1 (for ki1 > ki2)
    deriv = (-km*exp(-d*km) + ki2*exp(-d*ki2))/(ki2 - km) - ((-km*exp(-d*km) + ki1*exp(-d*ki1)))/(ki1 - km)
}

FUNCTION search() (ms) {
    : time of the extremum of m after a unit i1: bracket it by factors of
    : 10 from t = 1, then bisect to 1e-6 ms
    LOCAL x, t1, t2
    t1 = 1
    flag = 0
    if (deriv(t1) < 0) {
        while (deriv(t1) < 0 && t1 > 1e-9) {
            t2 = t1
            t1 = t1/10
        }
        if (deriv(t1) < 0) {
            flag = 1
            search = 1e-9
        }
    } else {
        t2 = t1
        while (deriv(t2) > 0 && t2 < 1e9) {
            t1 = t2
            t2 = t2*10
        }
        if (deriv(t2) > 0) {
            flag = 1
            search = 1e9
        }
    }
    while (t2 - t1 > 1e-6 && flag == 0) {
        search = (t1 + t2)/2
        x = deriv(search)
        if (x > 0) {
            t1 = search
        } else {
            t2 = search
        }
    }
}

INITIAL {
    fixprecondition()
    factors()
    e = 0
    i1 = 0
    i2 = 0
    m = 0
    t0 = t
    net_send(firetimebound(), 1)
    nself = 0
    nexcite = 0
    ninhibit = 0
}

NET_RECEIVE (w) {
    newstates(t - t0)
    update()
    if (m > 1 - eps) {
        net_event(t)
        m = 0
    }
    if (flag == 1) {
        : self event: look again at the new lower bound
        nself = nself + 1
        net_send(firetimebound(), 1)
    } else {
        if (w > 0) {
            nexcite = nexcite + 1
            e = e + w
        } else {
            ninhibit = ninhibit + 1
            i1 = i1 + w
        }
        net_move(firetimebound() + t)
    }
}

FUNCTION firetimebound() (ms) {
    : lower bound of the time to threshold: one Newton step from now
    LOCAL slope
    slope = -km*m + ae*e + ai2*i2
    if (slope <= 1e-9) {
        firetimebound = 1e9
    } else {
        firetimebound = (1 - m)/slope
    }
}
