/* Which pcn_exp variant (pcn_exp.h) gives this process's libm exp bits. */
#ifndef PCN_EXP_CHECK_H
#define PCN_EXP_CHECK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1 (glibc's FMA build), 2 (its plain build) or 0 (neither: use libm), from a few thousand
 * arguments over every range and the edge cases; about a millisecond. */
int pcn_exp_variant(void);

/* Arguments of n drawn from a seeded stream (uniform in [lo, hi), or any bit pattern when
 * lo == hi) whose pcn_exp of `variant` differs from libm's exp in any bit; the first such
 * argument in *first_bad (when not NULL). */
int64_t pcn_exp_mismatches(int variant, uint64_t seed, int64_t n, double lo, double hi,
                           double *first_bad);

#ifdef __cplusplus
}
#endif

#endif
