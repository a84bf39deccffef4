: Our own test channel: GLOBAL PARAMETERs that code assigns. NEURON allows it: nocmodl gives
: such a GLOBAL one copy per thread, as a GLOBAL ASSIGNED, the first thread's being hoc's.
: scale is set in INITIAL from celsius; gain grows by each instance's call of grow, every
: step, so its value depends on the order the instances run in.
NEURON {
    SUFFIX tgpar
    NONSPECIFIC_CURRENT i
    RANGE g
    GLOBAL scale, gain
    THREADSAFE
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER { g = 0.0002 (S/cm2) scale = 1 gain = 1 e = -50 (mV) }
ASSIGNED { v (mV) i (mA/cm2) celsius (degC) }
INITIAL { scale = 1 + celsius/100 gain = 1 }
BREAKPOINT {
    SOLVE grow
    i = g*scale*gain*(v - e)
}
PROCEDURE grow() { gain = gain*1.000001 }
