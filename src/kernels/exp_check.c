/* Which pcn_exp variant gives this process's libm exp bits (pcn_exp.h). */
#include "exp_check.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "pcn_exp.h"

/* splitmix64: a seeded stream of 64-bit words, the same on every machine */
static uint64_t next_word(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int same_bits(double a, double b) {
    uint64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    return x == y;
}

static double variant_exp(int variant, double x) {
    return variant == 1 ? pcn_exp_fma(x) : variant == 2 ? pcn_exp_plain(x) : exp(x);
}

int64_t pcn_exp_mismatches(int variant, uint64_t seed, int64_t n, double lo, double hi,
                           double *first_bad) {
    uint64_t state = seed;
    int64_t bad = 0;
    const double width = hi - lo;
    for (int64_t i = 0; i < n; ++i) {
        double x;
        if (width > 0) { /* uniform in [lo, hi) */
            x = lo + width * ((double)(next_word(&state) >> 11) * 0x1p-53);
        } else { /* any bit pattern: every exponent, NaNs and infinities */
            const uint64_t w = next_word(&state);
            memcpy(&x, &w, sizeof x);
        }
        if (!same_bits(variant_exp(variant, x), exp(x))) {
            if (bad == 0 && first_bad != NULL) {
                *first_bad = x;
            }
            ++bad;
        }
    }
    return bad;
}

static const double EDGES[] = {
    0.0, -0.0, 1.0, -1.0, 0x1p-54, -0x1p-54, 0x1p-55, 0x1.fffffffffffffp-55, 0x1p-1074,
    511.9, 512.0, -512.0, 700.0, 709.78, 709.79, 710.0, -700.0, -708.4, -708.5, -740.0, -745.1,
    -745.2, -746.0, 1023.9, -1023.9, 1024.0, -1024.0, 1e300, -1e300, INFINITY, -INFINITY, NAN,
};

int pcn_exp_variant(void) {
    static const struct { double lo, hi; } ranges[] = {
        {-30.0, 30.0}, {-1e-3, 1e-3}, {-800.0, 800.0}, {-1100.0, 1100.0}, {0.0, 0.0}};
    for (int variant = 1; variant <= 2; ++variant) {
        int ok = 1;
        for (size_t k = 0; ok && k < sizeof EDGES / sizeof EDGES[0]; ++k) {
            ok = same_bits(variant_exp(variant, EDGES[k]), exp(EDGES[k]));
        }
        for (size_t k = 0; ok && k < sizeof ranges / sizeof ranges[0]; ++k) {
            ok = pcn_exp_mismatches(variant, 12345 + k, 4096, ranges[k].lo, ranges[k].hi,
                                    NULL) == 0;
        }
        if (ok) {
            return variant;
        }
    }
    return 0;
}

#ifdef PCN_EXP_CHECK_MAIN
#include <stdio.h>
/* CMake's configure-time check: prints the variant for the built-in mechanisms. */
int main(void) {
    printf("%d", pcn_exp_variant());
    return 0;
}
#endif
