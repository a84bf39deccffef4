: Our own test channel: a calcium current through eca, which NEURON computes from cai0_ca_ion
: and cao0_ca_ion (hoc globals a model may change; globals.dat holds them).
NEURON {
    SUFFIX tgca
    USEION ca READ eca WRITE ica
    RANGE gbar
    THREADSAFE
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER { gbar = 0.001 (mho/cm2) }
ASSIGNED { v (mV) eca (mV) ica (mA/cm2) }
BREAKPOINT { ica = gbar*(v - eca) }
