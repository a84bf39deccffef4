: Our own test channel: CONDUCTANCE hints. NEURON then takes nrn_cur's g from the hinted
: variables (gna, gl), not from a finite difference of the currents; gna depends on v
: directly, so the two differ and the hint shows in the voltages.
NEURON {
    SUFFIX tgcond
    USEION na READ ena WRITE ina
    NONSPECIFIC_CURRENT il
    RANGE gnabar, gna, gl, el
    THREADSAFE
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) }
PARAMETER { gnabar = 0.004 (S/cm2) gl = 2e-4 (S/cm2) el = -60 (mV) }
ASSIGNED { v (mV) ena (mV) ina (mA/cm2) il (mA/cm2) gna (S/cm2) }
BREAKPOINT {
    gna = gnabar/(1 + exp(-(v + 45)/4))
    ina = gna*(v - ena)
    il = gl*(v - el)
    CONDUCTANCE gna USEION na
    CONDUCTANCE gl
}
