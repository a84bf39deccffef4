: Our own test channel: EXTERNAL, a GLOBAL PARAMETER of another mechanism (q10 of tgtadj,
: which has no instances in the model; hoc sets it, so its value comes from globals.dat).
NEURON {
    SUFFIX tgext
    NONSPECIFIC_CURRENT i
    RANGE g
    EXTERNAL q10_tgtadj
    THREADSAFE
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER { g = 0.0002 (S/cm2) }
ASSIGNED { v (mV) i (mA/cm2) q10_tgtadj }
BREAKPOINT { i = g*q10_tgtadj*(v + 60) }
