TITLE cabuf3: a calcium-like ion, a buffer and the bound buffer (3 coupled states)

COMMENT
Test mechanism for derivimplicit with three states: c binds to b (rate kf) and leaves cb
(rate kb); c also relaxes to c0 with time constant tau and flows in at a rate that grows as
v rises. Binding makes the system nonlinear and, with kf large, stiff.
ENDCOMMENT

NEURON {
    SUFFIX cabuf3
    RANGE kf, kb, tau, c0, btot, influx
    THREADSAFE
}

PARAMETER {
    kf = 100 (/mM-ms)
    kb = 0.1 (/ms)
    tau = 5 (ms)
    c0 = 1e-4 (mM)
    btot = 0.05 (mM)
    influx = 2e-5 (mM/ms)
}

STATE { c (mM) b (mM) cb (mM) }

INITIAL {
    c = 1e-3
    b = btot
    cb = 0
}

BREAKPOINT { SOLVE states METHOD derivimplicit }

DERIVATIVE states {
    c' = -kf*c*b + kb*cb - (c - c0)/tau + influx*exp(v/20)
    b' = -kf*c*b + kb*cb
    cb' = kf*c*b - kb*cb
}
