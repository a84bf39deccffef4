: Our own test scheme for KINETIC under METHOD sparse: a nonlinear gating scheme (a
: stoichiometric 2, CONSERVE), calcium buffering in a COMPARTMENT with a CONSERVE of the
: buffer, a flux in (<<) from the ion's ica and a flux out (->), f_flux read back, and the
: STEADYSTATE sparse start (the nonlinear branch of _ss_sparse_thread).
NEURON {
    SUFFIX tgkin
    USEION ca READ ica WRITE cai
    NONSPECIFIC_CURRENT i
    RANGE gbar, ff
    THREADSAFE
}
UNITS { (mA) = (milliamp) (mV) = (millivolt) (mM) = (milli/liter) (S) = (siemens) }
PARAMETER { gbar = 0.004 (S/cm2) kf = 50 kb = 0.1 Btot = 0.05 (mM) vol = 1.5 }
ASSIGNED { v (mV) ica (mA/cm2) i (mA/cm2) a1 b1 ff }
STATE { C1 C2 O cai (mM) B (mM) CaB (mM) }
INITIAL {
    cai = 5e-5
    B = Btot
    C1 = 1
    SOLVE kin STEADYSTATE sparse
}
BREAKPOINT {
    SOLVE kin METHOD sparse
    i = gbar*O*(v - 10)*(1 + cai*100)
}
KINETIC kin {
    rates(v)
    COMPARTMENT vol { cai B CaB }
    ~ C1 <-> C2 (a1, b1)
    ~ 2 C2 <-> O (a1*0.3, b1*2)
    CONSERVE C1 + C2 + O = 1
    ~ cai + B <-> CaB (kf, kb)
    CONSERVE B + CaB = Btot
    ~ cai << (-ica*0.05)
    ~ cai -> (0.02)
    ff = f_flux
}
PROCEDURE rates(v (mV)) {
    a1 = 0.2*exp(v/20)
    b1 = 0.1*exp(-v/25)
}
