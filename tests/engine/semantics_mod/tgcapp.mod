: Our own test point process: a calcium current (nA) into the ion. NEURON adds it to the ion's
: ica as ica*1.e2/area (mA/cm2), which tgcadyn turns into cai, eca and tgca's current.
NEURON {
    POINT_PROCESS TgCaPP
    USEION ca READ eca WRITE ica
    RANGE gmax
}
UNITS { (mV) = (millivolt) (nA) = (nanoamp) (uS) = (microsiemens) }
PARAMETER { gmax = 0.002 (uS) }
ASSIGNED { v (mV) eca (mV) ica (nA) }
BREAKPOINT { ica = gmax*(v - eca) }
