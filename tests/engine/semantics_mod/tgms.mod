: Our own test channel in the style of Mainen and Sejnowski's 1996 sodium channel: rate
: parameters and the table range are GLOBALs, the TABLE's PROCEDURE writes GLOBAL tadj and the
: step factors, a PROCEDURE (not a DERIVATIVE) is SOLVEd and ends in VERBATIM `return 0;`.
NEURON {
    SUFFIX tgms
    USEION na READ ena WRITE ina
    RANGE gbar, gna
    GLOBAL Ra, Rb, tha, qa, vmin, vmax, vshift, minf, mexp, tadj, q10, temp
    THREADSAFE
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (pS) = (picosiemens) (um) = (micron) }
PARAMETER {
    gbar = 1000 (pS/um2)  vshift = -5 (mV)  tha = -35 (mV)  qa = 9 (mV)
    Ra = 0.182 (/ms)  Rb = 0.124 (/ms)  temp = 23 (degC)  q10 = 2.3
    vmin = -120 (mV)  vmax = 100 (mV)
}
ASSIGNED { v (mV) celsius (degC) ina (mA/cm2) gna (pS/um2) ena (mV) minf mexp tadj }
STATE { m }
INITIAL { trates(v + vshift) m = minf }
BREAKPOINT {
    SOLVE states
    gna = tadj*gbar*m*m*m
    ina = (1e-4)*gna*(v - ena)
}
PROCEDURE states() {
    trates(v + vshift)
    m = m + mexp*(minf - m)
    VERBATIM
    return 0;
    ENDVERBATIM
}
PROCEDURE trates(vm (mV)) { LOCAL a, b, tinc, mtau
    TABLE minf, mexp DEPEND dt, celsius, temp, Ra, Rb, tha, qa FROM vmin TO vmax WITH 199
    tadj = q10^((celsius - temp)/10)
    a = trap0(vm, tha, Ra, qa)
    b = trap0(-vm, -tha, Rb, qa)
    mtau = 1/tadj/(a + b)
    minf = a*mtau*tadj
    tinc = -dt*tadj
    mexp = 1 - exp(tinc/mtau)
}
FUNCTION trap0(v, th, a, q) {
    if (fabs(v - th) > 1e-6) { trap0 = a*(v - th)/(1 - exp(-(v - th)/q)) } else { trap0 = a*q }
}
