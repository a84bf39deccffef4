#include "patternstim.h"

#include <stdlib.h>

/* INITIAL: rewind; 1 when there is a list (CoreNEURON: when the Info has a tvec). */
static double patternstim_initps(void *info) {
    pcn_patternstim *ps = info;
    ps->index = 0;
    ps->nsent = 0;
    return ps->t != NULL ? 1.0 : 0.0;
}

static void remember_sent(pcn_patternstim *ps, int64_t entry) {
    if (ps->nsent == ps->sent_capacity) {
        const int64_t capacity = ps->sent_capacity ? 2 * ps->sent_capacity : 256;
        int64_t *sent = realloc(ps->sent, (size_t)capacity * sizeof *sent);
        if (sent == NULL) {
            ps->host->error = PCN_ERR_MEMORY;
            return;
        }
        ps->sent = sent;
        ps->sent_capacity = capacity;
    }
    ps->sent[ps->nsent++] = entry;
}

/* NET_RECEIVE, flag 1, at time now: pattern.mod's sendgroup loop. Entry after entry goes out
 * until at least 102 have and the next one lies after now. Returns the next entry's time, or
 * now - 1 when none is left. fake_out is not used (see patternstim.h). */
static double patternstim_sendgroup(void *info, double now, double fake_out) {
    pcn_patternstim *ps = info;
    (void)fake_out;
    for (int64_t i = 0; ps->index < ps->size; ++i) {
        const int64_t k = ps->index;
        if (ps->is_input[k]) {
            pcn_block_receive(ps->host, 1, &ps->t[k], &ps->gid[k]);
            if (ps->relay) {
                remember_sent(ps, k);
            }
        }
        ++ps->index;
        if (i > 100 && ps->index < ps->size && now < ps->t[ps->index]) {
            break;
        }
    }
    return ps->index >= ps->size ? now - 1.0 : ps->t[ps->index];
}

int pcn_patternstim_setup(pcn_patternstim *ps, int64_t size, const double *t,
                          const int32_t *gid, const uint8_t *is_input, pcn_block *host,
                          int32_t relay) {
    if (host == NULL || size < 0) {
        return -1;
    }
    ps->calls.initps = patternstim_initps;
    ps->calls.sendgroup = patternstim_sendgroup;
    ps->size = size;
    ps->index = 0;
    ps->t = t;
    ps->gid = gid;
    ps->is_input = is_input;
    ps->host = host;
    ps->relay = relay;
    ps->sent = NULL;
    ps->nsent = ps->sent_capacity = 0;
    return 0;
}

void pcn_patternstim_release(pcn_patternstim *ps) {
    free(ps->sent);
    ps->sent = NULL;
    ps->nsent = ps->sent_capacity = 0;
}

void pcn_patternstim_relay(pcn_patternstim *ps, pcn_block *const *blocks, int32_t nblock) {
    for (int32_t b = 0; b < nblock; ++b) {
        if (blocks[b] == ps->host) {
            continue;
        }
        for (int64_t s = 0; s < ps->nsent; ++s) {
            const int64_t k = ps->sent[s];
            pcn_block_receive(blocks[b], 1, &ps->t[k], &ps->gid[k]);
        }
    }
    ps->nsent = 0;
}
