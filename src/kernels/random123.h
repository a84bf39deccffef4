/* Random123 streams: the Philox4x32-10 counter-based generator and NEURON's nrnran123 streams.
 *
 * Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3",
 * SC11, 2011) maps a 128-bit counter and a 64-bit key to 128 random bits with ten rounds of
 * two 32x32->64-bit multiplications and xors; the key is bumped by the Weyl constants between
 * rounds. Same counter and key, same output, on any machine: a stream needs no stored state
 * beyond its counter.
 *
 * A stream is what NetStim's `RANDOM ranvar` is (NEURON 9's nrnran123, CoreNEURON's copy):
 *   counter = (sequence, id3, id1, id2), key = (global index, 0);
 *   a draw hands out the four words of philox(counter, key) one by one ("which" = 0..3), then
 *   adds 1 to the sequence word (32-bit, as CoreNEURON does) and computes the next block.
 * The global index is the dataset's Random123_globalindex (or --seed); it is kept in the stream,
 * so there is no process-wide state here. Nothing allocates.
 *
 * Derived draws, exactly as nrnran123 computes them:
 *   uniform = (u + 1.0) * (1.0/4294967297.0)     open interval (0, 1), u = next 32-bit word
 *   negexp  = -log(uniform)                       mean 1
 *   normal  = polar method on pairs of uniforms, one value per accepted pair
 */
#ifndef PCN_RANDOM123_H
#define PCN_RANDOM123_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Philox4x32 with 10 rounds: out = philox(ctr, key). out may alias ctr. */
void pcn_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

typedef struct {
    uint32_t c[4];  /* counter: c[0] sequence, c[1] id3, c[2] id1, c[3] id2 */
    uint32_t r[4];  /* philox(c, key): the block draws are taken from */
    uint32_t key0;  /* global index (key word 0; key word 1 is 0) */
    int32_t which;  /* next word of r to hand out, 0..3 */
} pcn_ran123_stream;

/* A new stream (nrnran123_newstream3): ids set, sequence 0, which 0. */
void pcn_ran123_init(pcn_ran123_stream *s, uint32_t id1, uint32_t id2, uint32_t id3,
                     uint32_t globalindex);

/* Change the ids (nrnran123_setids); like NEURON, the current block is not recomputed. */
void pcn_ran123_setids(pcn_ran123_stream *s, uint32_t id1, uint32_t id2, uint32_t id3);
void pcn_ran123_getids(const pcn_ran123_stream *s, uint32_t *id1, uint32_t *id2, uint32_t *id3);

/* Change the global index (key word 0); call setseq afterwards, as NEURON asks. */
void pcn_ran123_set_globalindex(pcn_ran123_stream *s, uint32_t globalindex);

/* Position the stream at word `which` of block `seq`; a which outside 0..3 means 0. */
void pcn_ran123_setseq(pcn_ran123_stream *s, uint32_t seq, int which);

/* random_setseq(ranvar, x) with a double x = 4*seq + which (34 bits). A negative x, or one above
 * 2^40 - 1, means 0; bits above the 34th are dropped. */
void pcn_ran123_setseq34(pcn_ran123_stream *s, double x);

void pcn_ran123_getseq(const pcn_ran123_stream *s, uint32_t *seq, int *which);

/* The next 32-bit word. */
uint32_t pcn_ran123_ipick(pcn_ran123_stream *s);

/* A 32-bit word mapped into the open interval (0, 1). */
double pcn_ran123_uint2dbl(uint32_t u);

double pcn_ran123_uniform(pcn_ran123_stream *s);                     /* (0, 1) */
double pcn_ran123_uniform_ab(pcn_ran123_stream *s, double a, double b); /* a + u*(b - a) */
double pcn_ran123_negexp(pcn_ran123_stream *s);                      /* -log(u), mean 1 */
double pcn_ran123_normal(pcn_ran123_stream *s);                      /* mean 0, sd 1 */

#ifdef __cplusplus
}
#endif

#endif /* PCN_RANDOM123_H */
