: Our own test of BEFORE/AFTER blocks: each kind changes what the current reads, so that
: NEURON's order of calls (nrn_ba: before and after INITIAL, before every BREAKPOINT, after
: the SOLVE, before each step) shows in the voltage.
NEURON {
    SUFFIX tgba
    NONSPECIFIC_CURRENT i
    RANGE g, nbb, nas, nbs, vbb, vas
    THREADSAFE
}
UNITS { (mA) = (milliamp) (mV) = (millivolt) (S) = (siemens) }
PARAMETER { gmax = 0.002 (S/cm2) }
ASSIGNED { v (mV) i (mA/cm2) g (S/cm2) nbb nas nbs vbb (mV) vas (mV) sinit }
STATE { s }
BEFORE INITIAL { nbb = 0 sinit = 0.5 }
INITIAL { s = sinit nas = 0 nbs = 0 }
AFTER INITIAL { s = s*1.2 vas = v }
BEFORE BREAKPOINT { nbb = nbb + 1 vbb = v g = gmax*(1 + 0.001*nbb)*s }
BREAKPOINT {
    SOLVE states METHOD cnexp
    i = g*(v + 70) + 1e-5*(vbb - vas)
}
DERIVATIVE states { s' = (1/(1 + exp(-(v + 50)/5)) - s)/3 }
AFTER SOLVE { nas = nas + 1 s = s*(1 - 1e-4*nas/(nas + 100)) }
BEFORE STEP { nbs = nbs + 1 vas = v + 0.01*nbs/(nbs + 10) }
