#include "block_state.h"

#include <stdlib.h>

/* qsort context-free: the entered counters travel with the handles. */
typedef struct {
    double t;
    int64_t entered;
    int32_t handle;
} pending;

static int compare_pending(const void *x, const void *y) {
    const pending *p = x, *q = y;
    if (p->t != q->t) {
        return p->t < q->t ? -1 : 1;
    }
    return (p->entered > q->entered) - (p->entered < q->entered);
}

int32_t pcn_block_pending_events(const pcn_block *blk, pcn_event *events, int32_t *handles,
                                 int32_t capacity) {
    const pcn_event_queue *q = &blk->queue;
    const int32_t total = pcn_queue_size(q);
    if (events == NULL || total > capacity) {
        return total;
    }
    int32_t n = 0;
    if (q->least >= 0) {
        events[n] = q->events[q->least];
        handles[n] = q->least;
        n += 1;
    }
    if (q->ntree > 0) {
        pending *tree = malloc(sizeof *tree * (size_t)q->ntree);
        if (tree == NULL) {
            return -1;
        }
        for (int32_t k = 0; k < q->ntree; ++k) {
            const int32_t h = q->heap[k];
            tree[k] = (pending){q->events[h].t, q->entered[h], h};
        }
        qsort(tree, (size_t)q->ntree, sizeof *tree, compare_pending);
        for (int32_t k = 0; k < q->ntree; ++k) {
            events[n] = q->events[tree[k].handle];
            handles[n] = tree[k].handle;
            n += 1;
        }
        free(tree);
    }
    return n;
}

void pcn_block_resume(pcn_block *blk, double t, int64_t steps_done) {
    blk->t = t;
    blk->steps_done = steps_done;
    blk->error = PCN_OK;
    blk->nsample = 0;
    pcn_queue_clear(&blk->queue);
    for (int32_t k = 0; k < blk->nmech; ++k) {
        pcn_mech_slot *m = &blk->mechs[k];
        m->args.dt = blk->dt;
        m->args.celsius = blk->celsius;
        m->args.secondorder = blk->secondorder;
        m->args.t = t;
        m->ncalls = m->nrequests = 0;
        for (int i = 0; m->selfevent != NULL && i < m->args.n; ++i) {
            m->selfevent[i] = -1;
        }
    }
}

int32_t pcn_block_insert_event(pcn_block *blk, const pcn_event *event) {
    const int32_t handle = pcn_queue_insert(&blk->queue, event);
    if (handle < 0) {
        blk->error = PCN_ERR_MEMORY;
    }
    return handle;
}

void pcn_block_retime(pcn_block *blk, double t, double dt, int64_t steps_done) {
    blk->t = t;
    blk->dt = dt;
    blk->steps_done = steps_done;
    for (int32_t k = 0; k < blk->nmech; ++k) {
        blk->mechs[k].args.dt = dt;
        blk->mechs[k].args.t = t;
    }
}

void pcn_block_forget(pcn_block *blk, int64_t nsample) {
    blk->nspike = 0;
    if (nsample < blk->nsample) {
        blk->nsample = nsample;
    }
}
