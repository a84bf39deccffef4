TITLE tgverb
: Our own test channel: names nocmodl gives VERBATIM code (_ion_cai, NEURON's version
: macros, u_int32_t), a file-level LOCAL array and a second TITLE, as published files have.
NEURON {
    SUFFIX tgverb
    USEION ca READ cai
    NONSPECIFIC_CURRENT i
    RANGE g, w
    THREADSAFE
}
TITLE a second title mid-file
LOCAL k[2]
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER { g = 0.0003 (S/cm2) }
ASSIGNED { v (mV) i (mA/cm2) cai (mM) w }
INITIAL {
    k[0] = 2
    k[1] = 3
    w = 0
VERBATIM
#if NRN_VERSION_GTEQ(9, 0, 0) && defined(NRN_VERSION_GTEQ_8_2_0) && NRN_VERSION_LT(99, 0, 0)
    w = 1;
#endif
    { u_int32_t bits = 5; w += bits; }
ENDVERBATIM
}
BREAKPOINT {
VERBATIM
    w = w + _ion_cai * 1000.0;
ENDVERBATIM
    i = g*(k[0] + k[1]*w*1e-6)*(v + 70)
}
