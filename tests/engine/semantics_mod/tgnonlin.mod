: Our own test channel: INCLUDE (the rates from tgrates.inc, next to this file) and a cnexp
: SOLVE of an equation that is not linear in its state (a product m*m): nocmodl still writes
: its cnexp update, m + (1 - exp(dt*df/dm))*(-m), without the rest of the equation.
NEURON {
    SUFFIX tgnonlin
    USEION k READ ek WRITE ik
    RANGE gbar
    THREADSAFE
}
UNITS { (mA) = (milliamp) (mV) = (millivolt) (S) = (siemens) }
INCLUDE "tgrates.inc"
PARAMETER { gbar = 0.01 (S/cm2) }
ASSIGNED { v (mV) ek (mV) ik (mA/cm2) minf mtau (ms) }
STATE { m }
INITIAL { rates(v) m = minf }
BREAKPOINT {
    SOLVE states METHOD cnexp
    ik = gbar*m*(v - ek)
}
DERIVATIVE states {
    rates(v)
    m' = (minf - m)/mtau - 0.05*m*m
}
