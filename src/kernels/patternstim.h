/* PatternStim (-p FILE): the spike list behind the one PatternStim instance of a run.
 *
 * CoreNEURON's nrn_mkPatternStim makes one PatternStim (mod/pattern.mod) in thread 0 of each
 * rank and hangs the sorted raster on its BBCOREPOINTER. The mechanism's INITIAL calls initps
 * and sends itself an event at t = 0; each of its flag-1 events calls sendgroup, which sends
 * the next group of raster entries (at least 102, then up to the first entry later than now)
 * as nrn_fake_fire does: through the InputPreSyn of the entry's gid, to its NetCons, each
 * event at time + delay. Gids that are spike sources on this rank have no InputPreSyn and
 * send nothing (fake_output, which would send them by their PreSyn, stays 0 under -p).
 *
 * Here the instance lives in the rank's first block (the host). Entries reach the host's
 * NetCons at once, as CoreNEURON's bin_event does in thread 0; the other blocks of the rank
 * get them after the window (pcn_patternstim_relay), before any can be due, as CoreNEURON
 * hands other threads their events through an inter-thread buffer.
 */
#ifndef PCN_PATTERNSTIM_H
#define PCN_PATTERNSTIM_H

#include <stdint.h>

#include "engine.h"
#include "mechanism_abi.h"

typedef struct {
    pcn_patternstim_calls calls; /* first: what pattern.mod's VERBATIM calls through */
    int64_t size;                /* raster entries */
    int64_t index;               /* the next entry to send */
    const double *t;             /* [ms] entry times, ascending (ties by gid) */
    const int32_t *gid;
    const uint8_t *is_input;     /* 1: the gid is not a spike source on this rank */
    pcn_block *host;
    int32_t relay;               /* 1: other blocks need the entries the host sent */
    int64_t *sent;               /* entries sent since the last relay, in order */
    int64_t nsent, sent_capacity;
} pcn_patternstim;

/* Point the record at its raster and host; 0 on success. */
int pcn_patternstim_setup(pcn_patternstim *ps, int64_t size, const double *t,
                          const int32_t *gid, const uint8_t *is_input, pcn_block *host,
                          int32_t relay);
void pcn_patternstim_release(pcn_patternstim *ps);

/* Between windows: the entries the host sent since the last call reach the NetCons of every
 * other block in blocks (the host itself is skipped), in the order they were sent. */
void pcn_patternstim_relay(pcn_patternstim *ps, pcn_block *const *blocks, int32_t nblock);

#endif
