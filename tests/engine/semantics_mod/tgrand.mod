: Our own test channel: NEURON 9's RANDOM variables with the distribution arguments
: (random_negexp(r, mean), random_normal(r, mu, sigma), random_uniform(r, a, b)), drawn in
: INITIAL and every BEFORE STEP; the streams come with the dataset.
NEURON {
    SUFFIX tgrand
    NONSPECIFIC_CURRENT i
    RANGE x, g
    RANDOM r
    THREADSAFE
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER { g = 0.0002 (S/cm2) }
ASSIGNED { v (mV) i (mA/cm2) x }
INITIAL {
    random_setseq(r, 0)
    x = random_negexp(r, 0.5)
}
BEFORE STEP {
    x = random_normal(r, 1, 0.25) + random_negexp(r, 0.1) + random_uniform(r, -0.1, 0.1)
}
BREAKPOINT { i = g*x*(v + 70) }
