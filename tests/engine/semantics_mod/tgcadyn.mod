: Our own test calcium pool: cai from the ion's ica (all writers summed), decaying to cai0.
NEURON {
    SUFFIX tgcadyn
    USEION ca READ ica WRITE cai
    RANGE tau
    THREADSAFE
}
UNITS { (mA) = (milliamp) (mM) = (milli/liter) }
PARAMETER { tau = 20 (ms) k = 0.05 cai0 = 5e-5 (mM) }
ASSIGNED { ica (mA/cm2) }
STATE { cai (mM) }
INITIAL { cai = cai0 }
BREAKPOINT { SOLVE s METHOD cnexp }
DERIVATIVE s { cai' = -k*ica - (cai - cai0)/tau }
