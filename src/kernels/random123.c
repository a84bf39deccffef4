/* Philox4x32-10 and NEURON's nrnran123 streams; see random123.h. */
#include "random123.h"

#include <math.h>

/* Multipliers of the two 32x32 products and the Weyl increments of the key (Salmon et al. 2011,
 * Table 2 / section 4). */
#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

/* One Philox S-box round on the counter x with round key (k0, k1). */
static inline void philox_round(uint32_t x[4], uint32_t k0, uint32_t k1)
{
    uint64_t p0 = (uint64_t)PHILOX_M0 * x[0];
    uint64_t p1 = (uint64_t)PHILOX_M1 * x[2];
    uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
    uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
    uint32_t y0 = hi1 ^ x[1] ^ k0;
    uint32_t y2 = hi0 ^ x[3] ^ k1;
    x[0] = y0;
    x[1] = lo1;
    x[2] = y2;
    x[3] = lo0;
}

void pcn_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t x[4] = {ctr[0], ctr[1], ctr[2], ctr[3]};
    uint32_t k0 = key[0], k1 = key[1];
    philox_round(x, k0, k1);
    for (int round = 1; round < 10; ++round) {
        k0 += PHILOX_W0; /* wraps mod 2^32 */
        k1 += PHILOX_W1;
        philox_round(x, k0, k1);
    }
    out[0] = x[0];
    out[1] = x[1];
    out[2] = x[2];
    out[3] = x[3];
}

/* r = philox(c, (key0, 0)) */
static inline void refill(pcn_ran123_stream *s)
{
    const uint32_t key[2] = {s->key0, 0u};
    pcn_philox4x32_10(s->c, key, s->r);
}

void pcn_ran123_init(pcn_ran123_stream *s, uint32_t id1, uint32_t id2, uint32_t id3,
                     uint32_t globalindex)
{
    s->key0 = globalindex;
    s->c[0] = 0u;
    pcn_ran123_setids(s, id1, id2, id3);
    pcn_ran123_setseq(s, 0u, 0);
}

void pcn_ran123_setids(pcn_ran123_stream *s, uint32_t id1, uint32_t id2, uint32_t id3)
{
    s->c[1] = id3;
    s->c[2] = id1;
    s->c[3] = id2;
}

void pcn_ran123_getids(const pcn_ran123_stream *s, uint32_t *id1, uint32_t *id2, uint32_t *id3)
{
    *id1 = s->c[2];
    *id2 = s->c[3];
    *id3 = s->c[1];
}

void pcn_ran123_set_globalindex(pcn_ran123_stream *s, uint32_t globalindex)
{
    s->key0 = globalindex;
}

void pcn_ran123_setseq(pcn_ran123_stream *s, uint32_t seq, int which)
{
    s->which = (which < 0 || which > 3) ? 0 : which;
    s->c[0] = seq;
    refill(s);
}

void pcn_ran123_setseq34(pcn_ran123_stream *s, double x)
{
    if (x < 0.0) {
        x = 0.0;
    }
    if (x > (double)0xffffffffffULL) { /* 2^40 - 1 */
        x = 0.0;
    }
    unsigned long long u = ((unsigned long long)x) & 0x3ffffffffULL; /* 34 bits */
    pcn_ran123_setseq(s, (uint32_t)(u >> 2), (int)(u & 3u));
}

void pcn_ran123_getseq(const pcn_ran123_stream *s, uint32_t *seq, int *which)
{
    *seq = s->c[0];
    *which = s->which;
}

uint32_t pcn_ran123_ipick(pcn_ran123_stream *s)
{
    uint32_t value = s->r[s->which];
    s->which += 1;
    if (s->which > 3) {
        s->which = 0;
        s->c[0] += 1u; /* only the sequence word, wrapping, as CoreNEURON */
        refill(s);
    }
    return value;
}

double pcn_ran123_uint2dbl(uint32_t u)
{
    /* 0 .. 2^32-1 onto (0, 1): multiply by the double nearest 1/(2^32 + 1) */
    const double shift32 = 1.0 / 4294967297.0;
    return ((double)u + 1.0) * shift32;
}

double pcn_ran123_uniform(pcn_ran123_stream *s)
{
    return pcn_ran123_uint2dbl(pcn_ran123_ipick(s));
}

double pcn_ran123_uniform_ab(pcn_ran123_stream *s, double a, double b)
{
    return a + pcn_ran123_uniform(s) * (b - a);
}

double pcn_ran123_negexp(pcn_ran123_stream *s)
{
    return -log(pcn_ran123_uniform(s));
}

double pcn_ran123_normal(pcn_ran123_stream *s)
{
    /* Marsaglia's polar method; the second value of the pair is discarded, so that the stream
     * position alone says where the next draw comes from. */
    double u1, u2, w;
    do {
        u1 = pcn_ran123_uniform(s);
        u2 = pcn_ran123_uniform(s);
        u1 = 2. * u1 - 1.;
        u2 = 2. * u2 - 1.;
        w = (u1 * u1) + (u2 * u2);
    } while (w > 1);
    double y = sqrt((-2. * log(w)) / w);
    return u1 * y;
}
