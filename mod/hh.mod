TITLE hh: squid axon sodium, potassium and leak currents

COMMENT
Hodgkin, A.L. & Huxley, A.F. (1952) A quantitative description of membrane
current and its application to conduction and excitation in nerve.
J Physiol 117:500-544.

    ina = gnabar*m^3*h*(v - ena)
    ik  = gkbar*n^4*(v - ek)
    il  = gl*(v - el)
    dx/dt = (xinf - x)/xtau,   xinf = a/(a + b),   xtau = 1/(q10*(a + b))

for each gate x in (m, h, n) with its opening and closing rates a, b (1/ms).
The voltage axis is the modern one (depolarisation positive, rest near
-65 mV), so the 1952 rate expressions appear shifted and sign-reversed.
The rates are scaled by q10 = 3^((celsius - 6.3)/10).

The six voltage-dependent quantities are tabulated once per temperature
(201 points from -100 to 100 mV, linear interpolation), as NEURON does;
switch the table off with usetable_hh = 0.

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 (CoreNEURON-
compatible build, where minf ... ntau are RANGE) writes it: 25 doubles
  gnabar gkbar gl el | gna gk il minf hinf ninf mtau htau ntau | m h n |
  Dm Dh Dn ena ek ina ik | v _g
and 6 dparams: ena ina dina_dv (na_ion), ek ik dik_dv (k_ion).
ENDCOMMENT

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

NEURON {
    SUFFIX hh
    USEION na READ ena WRITE ina
    USEION k READ ek WRITE ik
    NONSPECIFIC_CURRENT il
    RANGE gnabar, gkbar, gl, el, gna, gk
    RANGE minf, hinf, ninf, mtau, htau, ntau
    THREADSAFE
}

PARAMETER {
    gnabar = .12 (S/cm2) <0,1e9>   : peak sodium conductance
    gkbar = .036 (S/cm2) <0,1e9>   : peak potassium conductance
    gl = .0003 (S/cm2) <0,1e9>     : leak conductance
    el = -54.3 (mV)                : leak reversal potential
}

STATE {
    m h n
}

ASSIGNED {
    v (mV)
    celsius (degC)
    ena (mV)
    ek (mV)
    gna (S/cm2)
    gk (S/cm2)
    ina (mA/cm2)
    ik (mA/cm2)
    il (mA/cm2)
    minf hinf ninf
    mtau (ms) htau (ms) ntau (ms)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    gna = gnabar*m*m*m*h
    ina = gna*(v - ena)
    gk = gkbar*n*n*n*n
    ik = gk*(v - ek)
    il = gl*(v - el)
}

INITIAL {
    rates(v)
    m = minf
    h = hinf
    n = ninf
}

DERIVATIVE states {
    rates(v)
    m' = (minf - m)/mtau
    h' = (hinf - h)/htau
    n' = (ninf - n)/ntau
}

UNITSOFF

PROCEDURE rates(v (mV)) {
    : Steady states and time constants of the three gates at voltage v.
    LOCAL alpha, beta, sum, q10
    TABLE minf, mtau, hinf, htau, ninf, ntau DEPEND celsius FROM -100 TO 100 WITH 200

    q10 = 3^((celsius - 6.3)/10)

    : m, sodium activation
    alpha = .1 * vtrap(-(v + 40), 10)
    beta = 4 * exp(-(v + 65)/18)
    sum = alpha + beta
    mtau = 1/(q10*sum)
    minf = alpha/sum

    : h, sodium inactivation
    alpha = .07 * exp(-(v + 65)/20)
    beta = 1 / (exp(-(v + 35)/10) + 1)
    sum = alpha + beta
    htau = 1/(q10*sum)
    hinf = alpha/sum

    : n, potassium activation
    alpha = .01*vtrap(-(v + 55), 10)
    beta = .125*exp(-(v + 65)/80)
    sum = alpha + beta
    ntau = 1/(q10*sum)
    ninf = alpha/sum
}

FUNCTION vtrap(x, y) {
    : x/(exp(x/y) - 1), with its limit y*(1 - x/y/2) where the quotient
    : is 0/0 in floating point.
    if (fabs(x/y) < 1e-6) {
        vtrap = y*(1 - x/y/2)
    } else {
        vtrap = x/(exp(x/y) - 1)
    }
}

UNITSON
