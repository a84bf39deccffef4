/* exp with libm's bits, written so that loops calling it vectorise.
 *
 * glibc's exp (2.28 and later) is a table of 2^(k/128) and a degree-5 polynomial: for
 * x = k*ln2/128 + r, exp(x) = 2^(k/128) * exp(r). The same operations on the same doubles give
 * the same result whether done one at a time or eight to a vector, so this is that algorithm,
 * written without branches: the rare arguments (|x| < 2^-54, |x| >= 512, inf, NaN) take the
 * same operations as glibc's special cases, computed beside the common path and selected, so
 * that GCC can if-convert and vectorise a loop that calls it.
 *
 * On x86-64, glibc runs one of two builds of that C: with FMA (CPUs with FMA and AVX2: the
 * compiler fused five multiply-adds and the final scale) or without (SSE2, left to right). The
 * operation order of each was read off libm.so.6's machine code (glibc 2.36); the variants:
 *
 *   PCN_EXP_VARIANT 1   glibc's FMA build (needs -mfma to be fast: else fma() is a call)
 *   PCN_EXP_VARIANT 2   glibc's plain build
 *   PCN_EXP_VARIANT 0   libm's exp itself (the loops that call it stay scalar)
 *   PCN_EXP_VARIANT 3   libm's exp, each call checked against both variants (a tool)
 *
 * Which one equals this process's libm is found at run time (exp_check.c: pcn_exp_variant),
 * and the generated mechanisms are compiled with that one; where neither matches, with 0.
 */
#ifndef PCN_EXP_H
#define PCN_EXP_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "exp_table.h"

#ifndef PCN_EXP_VARIANT
#define PCN_EXP_VARIANT 0
#endif

/* In CUDA code (nvcc, --fmad=false) the same functions are device functions: the GPU gets the
 * CPU's bits (fma() is IEEE's fused multiply-add on both). */
#if defined(__CUDACC__)
#define PCN_EXP_FN static __device__ __forceinline__
#else
#define PCN_EXP_FN static inline
#endif

PCN_EXP_FN double pcn_exp_asdouble(uint64_t u) {
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

PCN_EXP_FN uint64_t pcn_exp_asuint64(double d) {
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* glibc's constants (e_exp_data.c), as bits: N/ln2, -ln2/N in two parts, the rounding shift
 * 1.5*2^52, the polynomial's coefficients of r^2..r^5. */
#define PCN_EXP_INVLN2N 0x40671547652b82feULL
#define PCN_EXP_NEGLN2HIN 0xbf762e42fefa0000ULL
#define PCN_EXP_NEGLN2LON 0xbd0cf79abc9e3b3aULL
#define PCN_EXP_SHIFT 0x4338000000000000ULL
#define PCN_EXP_C2 0x3fdffffffffffdbdULL
#define PCN_EXP_C3 0x3fc555555555543cULL
#define PCN_EXP_C4 0x3fa55555cf172b91ULL
#define PCN_EXP_C5 0x3f81111167a4d017ULL

/* One body, two operation orders: FMA(a, b, c) is a*b + c rounded once (glibc's FMA build)
 * or twice (its plain build). */
#define PCN_EXP_BODY(NAME, FMA)                                                              \
    PCN_EXP_FN double NAME(double x) {                                                       \
        const double invln2n = pcn_exp_asdouble(PCN_EXP_INVLN2N);                            \
        const double shift = pcn_exp_asdouble(PCN_EXP_SHIFT);                                \
        const uint64_t ix = pcn_exp_asuint64(x);                                             \
        const uint64_t abstop = (ix >> 52) & 0x7ff;                                          \
        /* x = k*ln2/N + r, k = round(x*N/ln2) (the shift rounds it into the low bits) */    \
        double kd = FMA(x, invln2n, shift);                                                  \
        const uint64_t ki = pcn_exp_asuint64(kd);                                            \
        kd = kd - shift;                                                                     \
        double r = FMA(kd, pcn_exp_asdouble(PCN_EXP_NEGLN2HIN), x);                          \
        r = FMA(kd, pcn_exp_asdouble(PCN_EXP_NEGLN2LON), r);                                 \
        /* 2^(k/N) = scale * (1 + tail) */                                                   \
        const uint64_t idx = 2 * (ki & 127);                                                 \
        const double tail = pcn_exp_asdouble(pcn_exp_table[idx]);                            \
        const uint64_t sbits = pcn_exp_table[idx + 1] + (ki << 45);                          \
        const double r2 = r * r;                                                             \
        const double p23 = FMA(r, pcn_exp_asdouble(PCN_EXP_C3), pcn_exp_asdouble(PCN_EXP_C2)); \
        const double p45 = FMA(r, pcn_exp_asdouble(PCN_EXP_C5), pcn_exp_asdouble(PCN_EXP_C4)); \
        const double tmp = FMA(r2 * r2, p45, FMA(p23, r2, r + tail));                        \
        const double scale = pcn_exp_asdouble(sbits);                                        \
        const double y = FMA(scale, tmp, scale);                                             \
        /* glibc's specialcase for 512 <= |x| < 1024: the exponent of scale may overflow; */ \
        /* k > 0: scale down by 2^1009 and back; k < 0: round in the normal range first */   \
        /* (other lanes get scales of 1 and 2 here: no subnormal results, which cost */      \
        /* microcode assists on x86, in lanes whose value is not used) */                    \
        const int big = abstop == 0x408;                                                     \
        const double up = pcn_exp_asdouble(big ? sbits - (1009ULL << 52) : 0x3ff0000000000000ULL); \
        const double y_up = FMA(up, tmp, up) * 0x1p1009;                                     \
        const double dn = pcn_exp_asdouble(big ? sbits + (1022ULL << 52) : 0x4000000000000000ULL); \
        const double dn_tmp = dn * tmp;                                                      \
        const double y_dn = dn + dn_tmp;                                                     \
        const double lo = (dn - y_dn) + dn_tmp;                                              \
        const double hi = 1.0 + y_dn;                                                        \
        const double lo2 = ((1.0 - hi) + y_dn) + lo;                                         \
        double y_sub = (lo2 + hi) - 1.0;                                                     \
        y_sub = y_sub == 0.0 ? 0.0 : y_sub;                                                  \
        const double y_small = (y_dn < 1.0 ? y_sub : y_dn) * 0x1p-1022;                      \
        const double y_big = (ki & 0x80000000) ? y_small : y_up;                             \
        /* |x| >= 1024, inf, NaN: 0 below (-inf too), inf above, 1 + x for NaN and +inf */   \
        double y_huge = (ix >> 63) ? 0.0 : (double)INFINITY;                                 \
        y_huge = (abstop == 0x7ff && ix != 0xfff0000000000000ULL) ? 1.0 + x : y_huge;        \
        /* (|x| < 2^-54, where glibc returns 1 + x, needs no case: r = x, tmp = x and */     \
        /* scale = 1 there, so y is 1 + x already) */                                         \
        return abstop < 0x408 ? y : abstop < 0x409 ? y_big : y_huge;                         \
    }

#if defined(__CUDACC__)
#define PCN_EXP_FUSED(a, b, c) fma((a), (b), (c))
#else
#define PCN_EXP_FUSED(a, b, c) __builtin_fma((a), (b), (c))
#endif
#define PCN_EXP_UNFUSED(a, b, c) ((a) * (b) + (c))
PCN_EXP_BODY(pcn_exp_fma, PCN_EXP_FUSED)
PCN_EXP_BODY(pcn_exp_plain, PCN_EXP_UNFUSED)

#if PCN_EXP_VARIANT == 1
#define pcn_exp pcn_exp_fma
#elif PCN_EXP_VARIANT == 2
#define pcn_exp pcn_exp_plain
#elif PCN_EXP_VARIANT == 3
/* The check of the arguments a model produces (benchmarks/exp_bits.py, PYCORENEURON_EXP=check):
 * every call computes libm's exp and both variants, counts the calls where a variant differs,
 * and returns libm's; the counts go to stderr when the library is unloaded. */
#include <stdio.h>
static long long pcn_exp_calls, pcn_exp_differ[3];
static inline double pcn_exp(double x) {
    const double want = exp(x);
    __atomic_fetch_add(&pcn_exp_calls, 1, __ATOMIC_RELAXED);
    if (memcmp(&want, &(double){pcn_exp_fma(x)}, sizeof want) != 0) {
        __atomic_fetch_add(&pcn_exp_differ[1], 1, __ATOMIC_RELAXED);
    }
    if (memcmp(&want, &(double){pcn_exp_plain(x)}, sizeof want) != 0) {
        __atomic_fetch_add(&pcn_exp_differ[2], 1, __ATOMIC_RELAXED);
    }
    return want;
}
__attribute__((destructor)) static void pcn_exp_report(void) {
    if (pcn_exp_calls > 0) {
        fprintf(stderr, "pcn_exp check (%s): %lld calls, %lld differ from libm with the FMA "
                "variant, %lld with the plain one\n", __BASE_FILE__, pcn_exp_calls,
                pcn_exp_differ[1], pcn_exp_differ[2]);
    }
}
#else
#define pcn_exp exp
#endif

#endif
