#include "device_target.h"

#include <stdlib.h>
#include <string.h>

/* ---- Host buffers standing in for device memory ------------------------------------------ */

static int host_alloc(void **out, size_t bytes) {
    *out = malloc(bytes > 0 ? bytes : 1);
    return *out ? 0 : 2; /* cudaErrorMemoryAllocation's code */
}

static int host_release(void *p) {
    free(p);
    return 0;
}

static int host_copy(void *dst, const void *src, size_t bytes, int to_host) {
    (void)to_host;
    if (bytes > 0) {
        memcpy(dst, src, bytes);
    }
    return 0;
}

static int host_sync(void) { return 0; }

const pcn_device_memory pcn_host_memory = {host_alloc, host_release, host_copy, host_sync};

/* ---- Copies and pointer translation -------------------------------------------------------- */

static void fail(pcn_device_target *tg, int error) {
    if (tg->error == 0) {
        tg->error = error;
    }
}

/* A device copy of host[0 .. bytes), remembered for translation (the same host array once). */
static void *upload(pcn_device_target *tg, const void *host, size_t bytes) {
    if (host == NULL || tg->error) {
        return NULL;
    }
    for (int32_t k = 0; k < tg->nrange; ++k) {
        if (tg->ranges[k].host == host && tg->ranges[k].bytes >= bytes) {
            return tg->ranges[k].device;
        }
    }
    if (tg->nrange == tg->range_capacity) {
        const int32_t capacity = tg->range_capacity ? 2 * tg->range_capacity : 64;
        pcn_device_range *more = realloc(tg->ranges, (size_t)capacity * sizeof *more);
        if (!more) {
            fail(tg, 2);
            return NULL;
        }
        tg->ranges = more;
        tg->range_capacity = capacity;
    }
    void *device = NULL;
    int error = tg->mem->alloc(&device, bytes);
    if (error) {
        fail(tg, error);
        return NULL;
    }
    tg->ranges[tg->nrange++] = (pcn_device_range){host, bytes, device};
    error = tg->mem->copy(device, host, bytes, 0);
    if (error) {
        fail(tg, error);
    }
    return device;
}

/* The device address of host address p (NULL stays NULL); *bad set when p is in no copy. */
static void *translate(const pcn_device_target *tg, const void *p, int *bad) {
    if (p == NULL) {
        return NULL;
    }
    const uintptr_t at = (uintptr_t)p;
    for (int32_t k = 0; k < tg->nrange; ++k) {
        const uintptr_t start = (uintptr_t)tg->ranges[k].host;
        if (start != 0 && start <= at && at < start + tg->ranges[k].bytes) {
            return (char *)tg->ranges[k].device + (at - start);
        }
    }
    *bad = 1;
    return NULL;
}

/* A device array of n translated pointers (the copy is not itself translatable: it is added
 * after every array a pointer may point into). */
static void *upload_pointers(pcn_device_target *tg, const void *const *host, int64_t n,
                             int *bad) {
    if (host == NULL || n == 0) {
        return NULL;
    }
    void **moved = malloc(sizeof(void *) * (size_t)n);
    if (!moved) {
        fail(tg, 2);
        return NULL;
    }
    for (int64_t k = 0; k < n; ++k) {
        moved[k] = translate(tg, host[k], bad);
    }
    void *device = upload(tg, moved, sizeof(void *) * (size_t)n);
    if (device) { /* the host copy goes: its range must not be found again by address */
        tg->ranges[tg->nrange - 1].host = NULL;
    }
    free(moved);
    return device;
}

static int grow_buffer(pcn_device_target *tg, pcn_device_buffer *b, size_t bytes) {
    if (bytes <= b->bytes) {
        return 0;
    }
    size_t grown = b->bytes > 0 ? b->bytes : 256;
    while (grown < bytes) {
        grown *= 2;
    }
    if (b->device) {
        tg->mem->release(b->device);
        b->device = NULL;
        b->bytes = 0;
    }
    const int error = tg->mem->alloc(&b->device, grown);
    if (error) {
        fail(tg, error);
        return error;
    }
    b->bytes = grown;
    return 0;
}

static int put(pcn_device_target *tg, pcn_device_buffer *b, const void *host, size_t bytes) {
    if (grow_buffer(tg, b, bytes)) {
        return tg->error;
    }
    if (bytes > 0) {
        const int error = tg->mem->copy(b->device, host, bytes, 0);
        if (error) {
            fail(tg, error);
        }
    }
    return tg->error;
}

/* ---- What lives on the device -------------------------------------------------------------- */

/* 1: the slot's instances run on the device (everything but the artificial cells). */
static int on_device(const pcn_mech_slot *m) { return m->kind != PCN_ARTIFICIAL_CELL; }

/* 1: NetCon nc delivers to a mechanism on the device (its weights live there). */
static int device_netcon(const pcn_block *blk, int32_t nc) {
    return blk->netcon_mech[nc] >= 0 && on_device(&blk->mechs[blk->netcon_mech[nc]]);
}

static int netcon_nargs(const pcn_block *blk, int32_t nc) {
    const pcn_mech_slot *m = &blk->mechs[blk->netcon_mech[nc]];
    return m->desc ? m->desc->net_receive_nargs : 1;
}

/* The host's copies of what the device holds, to NaN (poison: every byte 0xff, so integers
 * become -1) or back from the device. The weights are the device mechanisms' NetCons' only:
 * the host's artificial cells keep theirs. */
static void host_side(pcn_block *blk, int download) {
    pcn_device_target *tg = blk->target;
    for (int32_t k = 0; k < tg->nrange; ++k) {
        const pcn_device_range *r = &tg->ranges[k];
        if (r->host == NULL || r->host == blk->weights) {
            continue;
        }
        if (download) {
            fail(tg, tg->mem->copy((void *)r->host, r->device, r->bytes, 1));
        } else {
            memset((void *)r->host, 0xff, r->bytes);
        }
    }
    for (int32_t nc = 0; nc < blk->nnetcon; ++nc) {
        if (!device_netcon(blk, nc)) {
            continue;
        }
        const int32_t w = blk->netcon_weight[nc];
        const int nargs = netcon_nargs(blk, nc);
        if (download) {
            fail(tg, tg->mem->copy(blk->weights + w, tg->mirror.weights + w,
                                   sizeof(double) * (size_t)nargs, 1));
        } else {
            memset(blk->weights + w, 0xff, sizeof(double) * (size_t)nargs);
        }
    }
}

/* 1 when two copies overlap on the host: one array would have two device copies. */
static int overlapping(const pcn_device_target *tg) {
    for (int32_t j = 0; j < tg->nrange; ++j) {
        const uintptr_t a = (uintptr_t)tg->ranges[j].host;
        for (int32_t k = j + 1; k < tg->nrange && a != 0; ++k) {
            const uintptr_t b = (uintptr_t)tg->ranges[k].host;
            if (b != 0 && a < b + tg->ranges[k].bytes && b < a + tg->ranges[j].bytes) {
                return 1;
            }
        }
    }
    return 0;
}

int pcn_device_attach(pcn_block *blk, const pcn_device_memory *mem, const pcn_device_ops *ops,
                      void *const *runs, void *const *receives,
                      int32_t poison, const char **what) {
    *what = "";
    pcn_device_target *tg = calloc(1, sizeof *tg);
    pcn_mech_slot *mechs = calloc((size_t)(blk->nmech > 0 ? blk->nmech : 1), sizeof *mechs);
    if (!tg || !mechs) {
        free(tg);
        free(mechs);
        return -1;
    }
    tg->mem = mem;
    tg->ops = ops;
    tg->mirror_mechs = mechs;
    tg->poison = poison;
    blk->target = tg;
    const size_t nd = sizeof(double) * (size_t)blk->nnode;
    const size_t ni = sizeof(int32_t) * (size_t)blk->nnode;
    pcn_block *mb = &tg->mirror; /* calloc: whatever is not set here is 0 or NULL */
    mb->nnode = blk->nnode;
    mb->parent = upload(tg, blk->parent, ni);
    mb->a = upload(tg, blk->a, nd);
    mb->b = upload(tg, blk->b, nd);
    mb->area = upload(tg, blk->area, nd);
    mb->v = upload(tg, blk->v, nd);
    mb->rhs = upload(tg, blk->rhs, nd);
    mb->d = upload(tg, blk->d, nd);
    mb->ninterleaved = blk->ninterleaved;
    mb->nrow = blk->nrow;
    mb->cell_len = upload(tg, blk->cell_len, sizeof(int32_t) * (size_t)blk->ninterleaved);
    mb->row_start = upload(tg, blk->row_start, sizeof(int32_t) * ((size_t)blk->nrow + 1));
    mb->nvoltage = blk->nvoltage;
    mb->source_node = upload(tg, blk->source_node, sizeof(int32_t) * (size_t)blk->nvoltage);
    mb->threshold = upload(tg, blk->threshold, sizeof(double) * (size_t)blk->nvoltage);
    mb->above = upload(tg, blk->above, (size_t)blk->nvoltage);
    mb->nweight = blk->nweight;
    mb->weights = upload(tg, blk->weights, sizeof(double) * (size_t)blk->nweight);
    mb->dt = blk->dt;
    mb->celsius = blk->celsius;
    mb->secondorder = blk->secondorder;
    mb->nmech = blk->nmech;
    mb->mechs = mechs;
    for (int32_t k = 0; k < blk->nmech; ++k) {
        const pcn_mech_slot *m = &blk->mechs[k];
        pcn_mech_slot *dm = &mechs[k];
        dm->desc = m->desc;
        dm->builtin = m->builtin;
        dm->kind = m->kind;
        dm->index = k;
        dm->block = mb;
        dm->ion_charge = m->ion_charge;
        dm->ion_conci0 = m->ion_conci0;
        dm->ion_conco0 = m->ion_conco0;
        dm->ndata = m->ndata;
        dm->npdata = m->npdata;
        dm->table_id = -2;
        dm->args.n = m->args.n;
        dm->args.stride = m->args.stride;
        dm->args.t = m->args.t;
        dm->args.dt = m->args.dt;
        dm->args.celsius = m->args.celsius;
        dm->args.secondorder = m->args.secondorder;
        dm->args.globalindex = m->args.globalindex;
        if (!on_device(m)) {
            continue; /* the host runs it: nothing of it on the device */
        }
        dm->args.v = mb->v;
        dm->args.rhs = mb->rhs;
        dm->args.d = mb->d;
        dm->args.area = mb->area;
        dm->args.weights = mb->weights;
        dm->args.data = upload(tg, m->args.data, sizeof(double) * (size_t)m->ndata);
        dm->args.pdata = upload(tg, m->args.pdata, sizeof(int) * (size_t)m->npdata);
        dm->args.ni = upload(tg, m->args.ni, sizeof(int) * (size_t)m->args.n);
        if (m->desc && m->args.tvars) {
            dm->args.tvars = upload(tg, m->args.tvars, sizeof(double) * (size_t)m->desc->ntvars);
        }
        if (m->args.sav_rhs || m->args.sav_d || m->args.fornetcon_offsets) {
            *what = m->desc ? m->desc->name : "a mechanism";
            return -2; /* fast i_membrane and FOR_NETCONS: not on the device */
        }
        /* the kernels' addresses, as the CUDA module's library lookup gives them */
        dm->dev_run = runs ? (pcn_dev_run_fn)runs[k] : m->dev_run;
        dm->dev_net_receive = receives ? (pcn_dev_net_receive_fn)receives[k]
                                       : m->dev_net_receive;
        if (!dm->dev_run != !m->dev_run || !dm->dev_net_receive != !m->dev_net_receive) {
            *what = m->desc ? m->desc->name : "a mechanism";
            return -2; /* the device's kernels must be the host build's, no more, no less */
        }
        dm->dev_nrun = m->dev_nrun;
        if (m->dev_run) {
            dm->dev_run_start = upload(tg, m->dev_run_start,
                                       sizeof(int32_t) * ((size_t)m->dev_nrun + 1));
            dm->dev_order = upload(tg, m->dev_order, sizeof(int32_t) * (size_t)m->args.n);
        }
    }
    if (overlapping(tg)) {
        *what = "the model's arrays";
        return -2;
    }
    /* pointers stored in arrays, now that every array they may point into is copied */
    int bad = 0;
    for (int32_t k = 0; k < blk->nmech; ++k) {
        const pcn_mech_slot *m = &blk->mechs[k];
        if (on_device(m) && m->desc && m->args.dp_base) {
            mechs[k].args.dp_base = upload_pointers(
                tg, (const void *const *)m->args.dp_base, m->desc->dparam_size, &bad);
            if (bad) {
                *what = m->desc->name;
                return -2;
            }
        }
    }
    mb->nrecord = blk->nrecord;
    mb->record_every = blk->record_every;
    if (blk->nrecord > 0) {
        mb->record_ptr = upload_pointers(tg, (const void *const *)blk->record_ptr,
                                         blk->nrecord, &bad);
        if (bad) {
            *what = "a recorded value";
            return -2;
        }
        tg->record_rows = blk->device_window / (blk->record_every > 0 ? blk->record_every : 1)
                          + 2;
        void *rows = NULL;
        if (!tg->error) {
            fail(tg, mem->alloc(&rows, sizeof(double) * (size_t)tg->record_rows *
                                           (size_t)blk->nrecord));
        }
        mb->record_v = rows;
    }
    mb->ngap = blk->ngap;
    if (blk->ngap > 0) { /* the block's own: device_windows.py refuses gaps between blocks */
        mb->gap_target = upload_pointers(tg, (const void *const *)blk->gap_target, blk->ngap,
                                         &bad);
        mb->gap_source = upload_pointers(tg, (const void *const *)blk->gap_source, blk->ngap,
                                         &bad);
        if (bad) {
            *what = "a gap junction";
            return -2;
        }
    }
    mb->nplay = blk->nplay;
    if (blk->nplay > 0) {
        const void **targets = malloc(sizeof(void *) * (size_t)blk->nplay);
        if (!targets) {
            return -1;
        }
        for (int32_t k = 0; k < blk->nplay; ++k) {
            targets[k] = blk->plays[k].target;
        }
        tg->play_target = upload_pointers(tg, targets, blk->nplay, &bad);
        free(targets);
        if (bad) {
            *what = "a Vector.play target";
            return -2;
        }
    }
    if (tg->error) {
        return -1;
    }
    if (poison) {
        host_side(blk, 0);
    }
    return 0;
}

int pcn_device_download(pcn_block *blk) {
    pcn_device_target *tg = blk->target;
    if (!tg) {
        return 0;
    }
    fail(tg, tg->mem->sync());
    host_side(blk, 1);
    return tg->error;
}

void pcn_device_detach(pcn_block *blk) {
    pcn_device_target *tg = blk->target;
    if (!tg) {
        return;
    }
    for (int32_t k = 0; k < tg->nrange; ++k) {
        tg->mem->release(tg->ranges[k].device);
    }
    pcn_device_buffer *buffers[] = {&tg->run_start, &tg->instance, &tg->weight,
                                    &tg->t, &tg->flag, &tg->play_rows,
                                    &tg->write_play, &tg->write_value, &tg->fired};
    for (size_t k = 0; k < sizeof buffers / sizeof *buffers; ++k) {
        if (buffers[k]->device) {
            tg->mem->release(buffers[k]->device);
        }
    }
    if (tg->mirror.record_v) {
        tg->mem->release(tg->mirror.record_v);
    }
    free(tg->ranges);
    free(tg->mirror_mechs);
    free(tg);
    blk->target = NULL;
}

int pcn_device_upload_window(pcn_block *blk, const pcn_window_plan *plan, int64_t nsteps,
                             pcn_window_arrays *out) {
    pcn_device_target *tg = blk->target;
    const size_t ncall = (size_t)plan->ncall;
    put(tg, &tg->run_start, plan->run_start, sizeof(int32_t) * ((size_t)plan->nrun + 1));
    put(tg, &tg->instance, plan->instance, sizeof(int32_t) * ncall);
    put(tg, &tg->weight, plan->weight, sizeof(int32_t) * ncall);
    put(tg, &tg->t, plan->t, sizeof(double) * ncall);
    put(tg, &tg->flag, plan->flag, sizeof(double) * ncall);
    put(tg, &tg->play_rows, plan->play_rows,
        sizeof(double) * 2 * (size_t)nsteps * (size_t)blk->nplay);
    put(tg, &tg->write_play, plan->write_play, sizeof(int32_t) * (size_t)plan->nwrite);
    put(tg, &tg->write_value, plan->write_value, sizeof(double) * (size_t)plan->nwrite);
    grow_buffer(tg, &tg->fired, (size_t)nsteps * (size_t)blk->nvoltage + 1);
    *out = (pcn_window_arrays){
        .run_start = tg->run_start.device, .instance = tg->instance.device,
        .weight = tg->weight.device, .t = tg->t.device, .flag = tg->flag.device,
        .play_target = tg->play_target, .play_rows = tg->play_rows.device,
        .write_play = tg->write_play.device, .write_value = tg->write_value.device,
        .fired = tg->fired.device};
    tg->mirror.t = blk->t;
    tg->mirror.steps_done = blk->steps_done;
    tg->mirror.nsample = 0;
    const int64_t room = blk->record_capacity - blk->nsample;
    tg->mirror.record_capacity = room < tg->record_rows ? (room > 0 ? room : 0)
                                                        : tg->record_rows;
    return tg->error;
}

int pcn_device_fetch_window(pcn_block *blk, pcn_window_plan *plan, int64_t nsteps) {
    pcn_device_target *tg = blk->target;
    fail(tg, tg->mem->sync());
    if (!tg->error && nsteps * blk->nvoltage > 0) {
        fail(tg, tg->mem->copy(plan->fired, tg->fired.device,
                               (size_t)nsteps * (size_t)blk->nvoltage, 1));
    }
    if (!tg->error && tg->mirror.nsample > 0) {
        fail(tg, tg->mem->copy(blk->record_v + blk->nsample * blk->nrecord,
                               tg->mirror.record_v,
                               sizeof(double) * (size_t)(tg->mirror.nsample * blk->nrecord), 1));
        blk->nsample += tg->mirror.nsample;
    }
    blk->t = tg->mirror.t;
    blk->steps_done = tg->mirror.steps_done;
    return tg->error;
}
