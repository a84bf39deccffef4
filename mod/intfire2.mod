TITLE IntFire2: integrate-and-fire cell driven by a decaying synaptic current

COMMENT
Two coupled linear equations, solved analytically between events:
    taus*di/dt + i = ib      (synaptic current; an input of weight w adds w to i)
    taum*dm/dt + m = i       (membrane state; fires when m reaches 1, then m = 0)
with taus > taum (taus is raised to taum + 0.1 if not). The firing time is
the first root of
    1 = a + b*exp(-t/taus) + (c - a - b)*exp(-t/taum)
found by Newton iteration on x = exp(-t/taum) (or exp(-t/taus)), as in the
event-driven integrate-and-fire cells of Hines & Carnevale (2002), The NEURON
Book ch. 10. No root gives 1e9 ms.

An ARTIFICIAL_CELL: no voltage, only events.

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it
(8 doubles): taus, taum, ib, i, m, t0, v, _tsav;
dparam: area, pntproc, tqitem.
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL IntFire2
    RANGE taus, taum, ib, i, m
}

PARAMETER {
    taus = 20 (ms)  : synaptic current time constant
    taum = 10 (ms)  : membrane time constant
    ib = 0          : bias current
}

ASSIGNED {
    i m         : current and membrane state at t0
    t0 (ms)     : time of the last update
}

FUNCTION M() {
    : membrane state at the current time, for plotting
    LOCAL x, f
    f = taus/(taus - taum)
    x = (i - ib)*exp(-(t - t0)/taus)
    M = ib + f*x + (m - (ib + (i - ib)*f))*exp(-(t - t0)/taum)
}

FUNCTION I() {
    : synaptic current at the current time, for plotting
    LOCAL x, f
    f = taus/(taus - taum)
    x = (i - ib)*exp(-(t - t0)/taus)
    I = x + ib
}

INITIAL {
    i = ib
    m = 0
    if (taus <= taum) {
        taus = taum + .1
    }
    t0 = t
    net_send(firetime(ib, 0, 0), 1)
}

NET_RECEIVE (w) {
    LOCAL x, inew, f, ibf
    f = taus/(taus - taum)
    x = (i - ib)*exp(-(t - t0)/taus)
    inew = ib + x
    if (flag == 1) {
        : the predicted firing time has come
        net_event(t)
        m = 0
        ibf = (inew - ib)*f
        net_send(firetime(ib, ibf, 0), 1)
    } else {
        : an input: advance m to now, add w to the current, predict again
        m = ib + f*x + (m - (ib + (i - ib)*f))*exp(-(t - t0)/taum)
        inew = inew + w
        if (m >= 1) {
            net_move(t)
        } else {
            ibf = (inew - ib)*f
            net_move(firetime(ib, ibf, m) + t)
        }
    }
    t0 = t
    i = inew
}

FUNCTION firetime(a, b, c) (ms) {
    : first t > 0 with 1 = a + b*exp(-t/taus) + (c - a - b)*exp(-t/taum),
    : for c < 1 and taum < taus; 1e9 if there is none
    LOCAL r, cab, x, m, f
    r = taum/taus
    if (a <= 1 && a + b <= 1) {
        firetime = 1e9
    } else if (a > 1 && b <= 0) {
        : a root exists; choose the variable in which Newton converges
        cab = c - a - b
        m = r*b + cab
        if (m >= 0) {
            firetime = -taus * log(newton1(a, cab, b, 1/r, 0))
        } else {
            x = (1 - c + m)/m
            if (x <= 0) {
                firetime = -taus*log(newton1(a, cab, b, 1/r, 0))
            } else {
                firetime = -taum*log(newton1(a, b, cab, r, x))
            }
        }
    } else {
        : a root exists only if the maximum exceeds 1 (and lies at x < 1)
        cab = c - a - b
        x = (-cab/(r*b))^(1/(r - 1))
        f = a + b*x^r + cab*x
        if (x >= 1 || f <= 1) {
            firetime = 1e9
        } else {
            m = r*b + cab
            x = (1 - c + m)/m
            firetime = -taum*log(newton1(a, b, cab, r, x))
        }
    }
}

FUNCTION newton1(a, b, c, r, x) {
    : solve 1 = a + b*x^r + c*x for 0 < x <= 1, starting at x;
    : at most 11 steps (NEURON prints a warning when it stops there)
    LOCAL dx, f, df, iter
    dx = 1
    f = 0
    iter = 0
    while (fabs(dx) > 1e-6 || fabs(f - 1) > 1e-6) {
        f = a + b*x^r + c*x
        df = r*b*x^(r - 1) + c
        dx = (1 - f)/df
        x = x + dx
        if (x <= 0) {
            x = 1e-4
        } else if (x > 1) {
            x = 1
        }
        iter = iter + 1
        if (iter > 10) {
            f = 1
            dx = 0
        }
    }
    newton1 = x
}
