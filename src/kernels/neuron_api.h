/* The part of CoreNEURON's API that published VERBATIM code calls, for MOD files compiled by
 * pycoreneuron: Random123 streams (nrnran123_*), the Vector a BBCOREPOINTER holds (VecStim's
 * IvocVect), and the macros CoreNEURON's build defines. Included by generated C that has
 * VERBATIM blocks.
 *
 * NRNBBCORE is 1, as in CoreNEURON: VERBATIM code then takes its CoreNEURON branches (the
 * ones written for a model read from a dataset), not those that call NEURON's interpreter.
 *
 * Streams made here (by a mechanism's bbcore_read, from the dataset's BBCOREPOINTER data) and
 * Vectors live as long as the process, as CoreNEURON's do for a run.
 */
#ifndef PCN_NEURON_API_H
#define PCN_NEURON_API_H

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h> /* u_int32_t & co., which published VERBATIM code uses */

#include "random123.h"

#ifndef NRNBBCORE
#define NRNBBCORE 1
#endif
#ifndef CORENEURON_BUILD
#define CORENEURON_BUILD 1
#endif

/* ---- NEURON's version macros (nrnversionmacros.h): the version whose numerics we follow -- */
#define NRN_VERSION_MAJOR 9
#define NRN_VERSION_MINOR 0
#define NRN_VERSION_PATCH 2
#define NRN_VERSION_INT(maj, min, pat) ((maj) * 10000 + (min) * 100 + (pat))
#define NRN_VERSION NRN_VERSION_INT(NRN_VERSION_MAJOR, NRN_VERSION_MINOR, NRN_VERSION_PATCH)
#define NRN_VERSION_EQ(maj, min, pat) (NRN_VERSION == NRN_VERSION_INT(maj, min, pat))
#define NRN_VERSION_NE(maj, min, pat) (NRN_VERSION != NRN_VERSION_INT(maj, min, pat))
#define NRN_VERSION_GT(maj, min, pat) (NRN_VERSION > NRN_VERSION_INT(maj, min, pat))
#define NRN_VERSION_LT(maj, min, pat) (NRN_VERSION < NRN_VERSION_INT(maj, min, pat))
#define NRN_VERSION_GTEQ(maj, min, pat) (NRN_VERSION >= NRN_VERSION_INT(maj, min, pat))
#define NRN_VERSION_LTEQ(maj, min, pat) (NRN_VERSION <= NRN_VERSION_INT(maj, min, pat))
#define NRN_VERSION_GTEQ_8_2_0 /* every version since 8.2.0 defines these macros */

/* ---- Random123 streams (CoreNEURON's nrnran123.h) ----------------------------------------- */
typedef pcn_ran123_stream nrnran123_State;

static inline nrnran123_State *pcn_api_newstream3(uint32_t id1, uint32_t id2, uint32_t id3,
                                                  uint32_t globalindex) {
    nrnran123_State *s = (nrnran123_State *)calloc(1, sizeof *s);
    if (s) {
        pcn_ran123_init(s, id1, id2, id3, globalindex);
    }
    return s;
}

/* `a` is the hook's pcn_mech_args (VERBATIM code runs inside hooks and functions that have
 * it): the dataset's Random123 global index. */
#define nrnran123_newstream3(id1, id2, id3) \
    pcn_api_newstream3((uint32_t)(id1), (uint32_t)(id2), (uint32_t)(id3), a->globalindex)
#define nrnran123_newstream(id1, id2) nrnran123_newstream3((id1), (id2), 0)

static inline void nrnran123_deletestream(nrnran123_State *s) { free(s); }

static inline void nrnran123_setseq(nrnran123_State *s, uint32_t seq, char which) {
    pcn_ran123_setseq(s, seq, (int)which);
}

static inline void nrnran123_getseq(nrnran123_State *s, uint32_t *seq, char *which) {
    int w = 0;
    pcn_ran123_getseq(s, seq, &w);
    *which = (char)w;
}

static inline void nrnran123_getids3(nrnran123_State *s, uint32_t *id1, uint32_t *id2,
                                     uint32_t *id3) {
    pcn_ran123_getids(s, id1, id2, id3);
}

static inline void nrnran123_getids(nrnran123_State *s, uint32_t *id1, uint32_t *id2) {
    uint32_t id3 = 0;
    pcn_ran123_getids(s, id1, id2, &id3);
}

static inline void nrnran123_setids(nrnran123_State *s, uint32_t id1, uint32_t id2,
                                    uint32_t id3) {
    pcn_ran123_setids(s, id1, id2, id3);
}

static inline uint32_t nrnran123_ipick(nrnran123_State *s) { return pcn_ran123_ipick(s); }
static inline double nrnran123_dblpick(nrnran123_State *s) { return pcn_ran123_uniform(s); }
static inline double nrnran123_uniform(nrnran123_State *s) { return pcn_ran123_uniform(s); }
static inline double nrnran123_negexp(nrnran123_State *s) { return pcn_ran123_negexp(s); }
static inline double nrnran123_normal(nrnran123_State *s) { return pcn_ran123_normal(s); }
static inline double nrnran123_uint2dbl(uint32_t u) { return pcn_ran123_uint2dbl(u); }

/* ---- Vectors (CoreNEURON's ivocvect.hpp) -------------------------------------------------- */
typedef struct IvocVect {
    int n;
    double *v;
} IvocVect;

static inline IvocVect *vector_new1(int n) {
    IvocVect *x = (IvocVect *)calloc(1, sizeof *x);
    if (x) {
        x->n = n;
        x->v = (double *)calloc(n > 0 ? (size_t)n : 1, sizeof(double));
    }
    return x;
}
static inline int vector_capacity(IvocVect *x) { return x ? x->n : 0; }
static inline double *vector_vec(IvocVect *x) { return x ? x->v : 0; }

#endif /* PCN_NEURON_API_H */
