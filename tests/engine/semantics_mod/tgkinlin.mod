: Our own linear test scheme (hh's n gate as a two-state KINETIC), started by STEADYSTATE
: sparse: the linear branch of _ss_sparse_thread (iterated with dt = 1e9).
NEURON {
    SUFFIX tgkinlin
    USEION k READ ek WRITE ik
    RANGE gkbar
    THREADSAFE
}
UNITS { (mA) = (milliamp) (mV) = (millivolt) (S) = (siemens) }
PARAMETER { gkbar = 0.004 (S/cm2) }
ASSIGNED { v (mV) ek (mV) ik (mA/cm2) an bn }
STATE { nc n }
INITIAL {
    nc = 1
    SOLVE kn STEADYSTATE sparse
}
BREAKPOINT {
    SOLVE kn METHOD sparse
    ik = gkbar*n*n*n*n*(v - ek)
}
KINETIC kn {
    an = .01*(-(v + 55))/(exp(-(v + 55)/10) - 1)
    bn = .125*exp(-(v + 65)/80)
    ~ nc <-> n (an, bn)
}
