: Our own test channel: a GLOBAL tadj assigned in a THREADSAFE PROCEDURE (as in Mainen and
: Sejnowski 1996's channels) and read in BREAKPOINT, which never calls the PROCEDURE itself.
NEURON {
    SUFFIX tgtadj
    USEION na READ ena WRITE ina
    USEION k READ ek WRITE ik
    RANGE gnabar, gkbar
    GLOBAL tadj, q10, temp
    THREADSAFE
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER { gnabar = 0.12 (mho/cm2) gkbar = 0.036 (mho/cm2) q10 = 2.3 temp = 23 (degC) }
ASSIGNED { v (mV) ena (mV) ek (mV) ina (mA/cm2) ik (mA/cm2) celsius (degC) tadj
           minf hinf ninf mtau (ms) htau (ms) ntau (ms) }
STATE { m h n }
BREAKPOINT {
    SOLVE states METHOD cnexp
    ina = tadj*gnabar*m*m*m*h*(v - ena)
    ik = tadj*gkbar*n*n*n*n*(v - ek)
}
INITIAL { rates(v) m = minf h = hinf n = ninf }
DERIVATIVE states {
    rates(v)
    m' = (minf - m)/mtau
    h' = (hinf - h)/htau
    n' = (ninf - n)/ntau
}
PROCEDURE rates(v (mV)) { LOCAL a, b
    tadj = q10^((celsius - temp)/10)
    a = 0.1*vtrap(-(v + 40), 10)  b = 4*exp(-(v + 65)/18)
    mtau = 1/(tadj*(a + b))  minf = a/(a + b)
    a = 0.07*exp(-(v + 65)/20)  b = 1/(exp(-(v + 35)/10) + 1)
    htau = 1/(tadj*(a + b))  hinf = a/(a + b)
    a = 0.01*vtrap(-(v + 55), 10)  b = 0.125*exp(-(v + 65)/80)
    ntau = 1/(tadj*(a + b))  ninf = a/(a + b)
}
FUNCTION vtrap(x, y) {
    if (fabs(x/y) < 1e-6) { vtrap = y*(1 - x/y/2) } else { vtrap = x/(exp(x/y) - 1) }
}
