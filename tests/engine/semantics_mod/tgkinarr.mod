: Our own test channel: a KINETIC scheme on array states (4 calcium shells and a buffer in
: each), diffusion written in a FROM loop over a DEFINE'd size, COMPARTMENT indexed by the
: shell, a flux into the outer shell, an assigned GLOBAL read by the rates; the calcium
: current follows the outer shell.
NEURON {
    SUFFIX tgkinarr
    USEION ca READ ica WRITE cai
    NONSPECIFIC_CURRENT i
    RANGE g
    THREADSAFE
}
DEFINE NS 4
UNITS { (mV) = (millivolt) (mA) = (milliamp) (mM) = (milli/liter) }
PARAMETER { g = 0.0004 (S/cm2) D = 0.6 kon = 80 koff = 0.3 btot = 0.02 }
ASSIGNED { v (mV) ica (mA/cm2) i (mA/cm2) cai (mM) vol[NS] }
STATE { ca[NS] (mM) b[NS] cab[NS] }
INITIAL {
    FROM k = 0 TO NS - 1 {
        vol[k] = 1/(k + 1)
        ca[k] = 5e-5
        b[k] = btot
        cab[k] = 0
    }
    SOLVE shells STEADYSTATE sparse
    cai = ca[0]
}
BREAKPOINT {
    SOLVE shells METHOD sparse
    i = g*(1 + 200*ca[0])*(v + 30)
}
KINETIC shells {
    COMPARTMENT k, vol[k] {ca b cab}
    ~ ca[0] << (-ica*0.02)
    FROM k = 0 TO NS - 2 {
        ~ ca[k] <-> ca[k + 1] (D*(k + 1), D*(k + 1))
    }
    FROM k = 0 TO NS - 1 {
        ~ ca[k] + b[k] <-> cab[k] (kon, koff)
    }
    ~ ca[NS - 1] -> (0.05)
    cai = ca[0]
}
