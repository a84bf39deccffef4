#include "device_window.h"

#include <stdlib.h>
#include <string.h>

#include "device_host.h"
#include "device_target.h"

/* engine.c's: spike times from threshold detection are t_n plus this (CoreNEURON's teps) */
static const double SPIKE_TIME_OFFSET = 1e-10; /* [ms] */

const pcn_device_ops pcn_device_host_ops = {
    .detect = pcn_detect_crossings,
    .clear = pcn_cable_clear_k,
    .capacitance_d = pcn_cable_capacitance_d_k,
    .axial = pcn_cable_axial_cells_k,
    .hines = pcn_hines_interleaved,
    .update_v = pcn_cable_update_v_k,
    .capacitance_current = pcn_cable_capacitance_current_k,
    .ion_current = pcn_ion_current_k,
    .ion_second_order = pcn_ion_second_order_k,
    .record = pcn_record_gather_k,
    .play_set = pcn_play_set_k,
    .play_write = pcn_play_write_k,
    .gap_transfer = pcn_gap_transfer_k,
};

/* Room for `need` rows in ncolumn parallel arrays (column k's items of sizes[k] bytes) that
 * share one capacity; 0, or -1 out of memory. */
static int reserve_columns(int64_t *capacity, int64_t need, int ncolumn, void **const columns[],
                           const size_t sizes[]) {
    if (need <= *capacity) {
        return 0;
    }
    int64_t grown = *capacity > 0 ? *capacity : 64;
    while (grown < need) {
        grown *= 2;
    }
    for (int k = 0; k < ncolumn; ++k) { /* a column grown before a failure just stays so */
        void *more = realloc(*columns[k], (size_t)grown * sizes[k]);
        if (!more) {
            return -1;
        }
        *columns[k] = more;
    }
    *capacity = grown;
    return 0;
}

/* reserve_columns for one array. */
static int reserve(void **items, int64_t *capacity, int64_t need, size_t size) {
    return reserve_columns(capacity, need, 1, (void **const[]){items}, (size_t[]){size});
}

void pcn_window_plan_free(pcn_window_plan *plan) {
    if (!plan) {
        return;
    }
    free(plan->seg);
    free(plan->run_start);
    free(plan->instance);
    free(plan->weight);
    free(plan->t);
    free(plan->flag);
    free(plan->ops);
    free(plan->handle_map);
    free(plan->fired);
    free(plan->play_target);
    free(plan->play_rows);
    free(plan->write_pass);
    free(plan->write_play);
    free(plan->write_value);
    free(plan->last_write);
    pcn_queue_free(&plan->saved);
    free(plan);
}

void pcn_window_log(pcn_block *blk, int32_t what, int32_t handle, const pcn_event *event) {
    pcn_window_plan *plan = blk->plan;
    if (reserve((void **)&plan->ops, &plan->op_capacity, plan->nop + 1, sizeof *plan->ops)) {
        blk->error = PCN_ERR_MEMORY;
        return;
    }
    plan->ops[plan->nop++] = (pcn_window_op){what, handle, *event};
}

void pcn_window_play_write(pcn_block *blk, int32_t play, double value) {
    pcn_window_plan *plan = blk->plan;
    const int32_t last = plan->last_write[play];
    if (last >= 0 && plan->write_pass[last] == plan->pass) {
        plan->write_value[last] = value;
        return;
    }
    void **const columns[] = {(void **)&plan->write_pass, (void **)&plan->write_play,
                              (void **)&plan->write_value};
    const size_t sizes[] = {sizeof(int32_t), sizeof(int32_t), sizeof(double)};
    if (reserve_columns(&plan->write_capacity, (int64_t)plan->nwrite + 1, 3, columns, sizes)) {
        blk->error = PCN_ERR_MEMORY;
        return;
    }
    plan->write_pass[plan->nwrite] = plan->pass;
    plan->write_play[plan->nwrite] = play;
    plan->write_value[plan->nwrite] = value;
    plan->last_write[play] = plan->nwrite++;
}

void pcn_window_add_calls(pcn_block *blk, int32_t mech, const pcn_buffered_call *calls,
                          int32_t n) {
    pcn_window_plan *plan = blk->plan;
    if (!blk->mechs[mech].dev_net_receive) { /* refused before the run (device_windows.py) */
        blk->error = PCN_ERR_REPLAY;
        return;
    }
    const int64_t ncall = (int64_t)plan->ncall + n;
    void **const columns[] = {(void **)&plan->instance, (void **)&plan->weight,
                              (void **)&plan->t, (void **)&plan->flag};
    const size_t sizes[] = {sizeof(int32_t), sizeof(int32_t), sizeof(double), sizeof(double)};
    if (ncall > INT32_MAX || reserve_columns(&plan->call_capacity, ncall, 4, columns, sizes) ||
        /* run_start keeps one more entry: the end of the last run */
        reserve((void **)&plan->run_start, &plan->run_capacity, (int64_t)plan->nrun + n + 1,
                sizeof(int32_t)) ||
        reserve((void **)&plan->seg, &plan->seg_capacity, (int64_t)plan->nseg + 1,
                sizeof *plan->seg)) {
        blk->error = PCN_ERR_MEMORY;
        return;
    }
    pcn_window_segment *seg = &plan->seg[plan->nseg++];
    *seg = (pcn_window_segment){plan->pass, mech, plan->nrun, 0};
    for (int32_t c = 0; c < n; ++c) {
        const int32_t at = plan->ncall + c;
        if (c == 0 || calls[c].instance != calls[c - 1].instance) {
            plan->run_start[plan->nrun++] = at;
            seg->nrun += 1;
        }
        plan->instance[at] = calls[c].instance;
        plan->weight[at] = calls[c].weight;
        plan->t[at] = calls[c].t;
        plan->flag[at] = calls[c].flag;
    }
    plan->ncall = (int32_t)ncall;
    plan->run_start[plan->nrun] = plan->ncall;
}

/* 1: the window's start is kept, the log and schedule empty. */
static int plan_begin(pcn_block *blk, int64_t nsteps) {
    if (!blk->plan) {
        blk->plan = calloc(1, sizeof *blk->plan);
        if (!blk->plan) {
            return 0;
        }
        blk->plan->saved.least = -1;
        if (blk->nplay > 0) {
            blk->plan->play_target = malloc(sizeof(double *) * (size_t)blk->nplay);
            blk->plan->last_write = malloc(sizeof(int32_t) * (size_t)blk->nplay);
            if (!blk->plan->play_target || !blk->plan->last_write) {
                return 0;
            }
            for (int32_t k = 0; k < blk->nplay; ++k) {
                blk->plan->play_target[k] = blk->plays[k].target;
            }
        }
    }
    pcn_window_plan *plan = blk->plan;
    plan->nseg = plan->nrun = plan->ncall = 0;
    plan->nop = 0;
    plan->nwrite = 0;
    for (int32_t k = 0; k < blk->nplay; ++k) {
        plan->last_write[k] = -1;
    }
    if (reserve((void **)&plan->run_start, &plan->run_capacity, 1, sizeof(int32_t)) ||
        reserve((void **)&plan->play_rows, &plan->play_rows_capacity,
                2 * nsteps * (int64_t)blk->nplay + 1, sizeof(double)) ||
        reserve((void **)&plan->fired, &plan->fired_capacity,
                nsteps * (int64_t)blk->nvoltage + 1, 1)) {
        return 0;
    }
    plan->run_start[0] = 0;
    return pcn_queue_copy(&plan->saved, &blk->queue) == 0;
}

/* The artificial cells' nrn_cur (hook 1) or nrn_state (2), where the CPU engine runs them:
 * they stay on the host and touch only their own data. */
static void artificial_hooks(pcn_block *blk, int hook) {
    for (int32_t k = 0; k < blk->nmech; ++k) {
        pcn_mech_slot *m = &blk->mechs[k];
        if (m->kind != PCN_ARTIFICIAL_CELL || !m->desc || m->args.n == 0) {
            continue;
        }
        void (*fn)(const pcn_mech_args *) = hook == 1 ? m->desc->cur : m->desc->state;
        if (fn) {
            m->args.t = blk->t;
            fn(&m->args);
        }
    }
}

/* Step 1: the window's delivery passes on the host, in the CPU engine's order and times. */
static void plan_window(pcn_block *blk, int64_t nsteps) {
    pcn_window_plan *plan = blk->plan;
    const double t0 = blk->t;
    const double half_dt = 0.5 * blk->dt;
    blk->planning = 1;
    for (int64_t s = 0; s < nsteps && blk->error == PCN_OK; ++s) {
        const pcn_event at = {.t = blk->t};
        pcn_window_log(blk, PCN_OP_STEP, (int32_t)s, &at);
        plan->pass = (int32_t)(2 * s);
        pcn_block_deliver_events(blk, blk->t + half_dt); /* A2, A3 */
        blk->t += half_dt;                               /* B */
        pcn_block_play_values(blk, plan->play_rows + 2 * s * blk->nplay);       /* C */
        artificial_hooks(blk, 1);                        /* D */
        blk->t += half_dt;                               /* H */
        pcn_block_play_values(blk, plan->play_rows + (2 * s + 1) * blk->nplay); /* I */
        artificial_hooks(blk, 2);                        /* J */
        plan->pass = (int32_t)(2 * s + 1);
        pcn_block_deliver_events(blk, blk->t);           /* L */
    }
    blk->planning = 0;
    blk->t = t0; /* the steps accumulate t again, as the CPU engine does */
}

/* A mechanism kernel's launch: > 0 is the device's error (-1, a hook the mechanism does not
 * have, is none). */
static void launched(pcn_block *blk, int result) {
    if (result > 0 && blk->error == PCN_OK) {
        blk->error = PCN_ERR_DEVICE;
    }
}

/* Pass `pass` on the device: its play events' values, then the schedule's NET_RECEIVE
 * calls, from segment *next and play write *wnext on (both moved past the pass). */
static void run_pass(pcn_block *blk, const pcn_device_ops *ops, const pcn_window_plan *plan,
                     const pcn_window_arrays *x, int32_t pass, int32_t *wnext,
                     int32_t *snext) {
    int32_t w = *wnext;
    while (w < plan->nwrite && plan->write_pass[w] == pass) {
        ++w;
    }
    if (w > *wnext) {
        ops->play_write(w - *wnext, x->play_target, x->write_play + *wnext,
                        x->write_value + *wnext);
        *wnext = w;
    }
    int32_t next = *snext;
    for (; next < plan->nseg && plan->seg[next].pass == pass; ++next) {
        const pcn_window_segment *seg = &plan->seg[next];
        pcn_mech_slot *m = &blk->mechs[seg->mech];
        launched(blk, m->dev_net_receive(&m->args, seg->nrun, x->run_start + seg->run0,
                                         x->instance, x->weight, x->t, x->flag, 0));
    }
    *snext = next;
}

/* Step 2: the window's steps, by the kernels alone (numerics §4, the letters of engine.c's
 * pcn_block_step_first_half and _second_half on the device layout). */
static void device_steps(pcn_block *blk, const pcn_device_ops *ops,
                         const pcn_window_plan *plan, const pcn_window_arrays *x,
                         int64_t nsteps) {
    const double half_dt = 0.5 * blk->dt;
    const double cfac = pcn_capacitance_factor(blk);
    int32_t next = 0, wnext = 0;
    for (int64_t s = 0; s < nsteps; ++s) {
        ops->detect(blk->nvoltage, blk->source_node, blk->threshold, blk->v, blk->above,
                    x->fired + s * blk->nvoltage);                 /* A1 */
        run_pass(blk, ops, plan, x, (int32_t)(2 * s), &wnext, &next);   /* A2, A3 */
        blk->t += half_dt;                                           /* B */
        if (blk->nplay > 0) {                                        /* C */
            ops->play_set(blk->nplay, x->play_target, x->play_rows + 2 * s * blk->nplay);
        }
        ops->clear(blk->nnode, blk->rhs, blk->d);                    /* D */
        for (int32_t k = 0; k < blk->nmech; ++k) {
            pcn_mech_slot *m = &blk->mechs[k];
            m->args.t = blk->t;
            if (m->builtin == PCN_BUILTIN_ION) {
                ops->ion_current(m->args.n, m->args.stride, m->args.data, m->args.pdata,
                                 m->ion_charge, blk->celsius);
            } else if (m->dev_run && m->args.n > 0) {
                launched(blk, m->dev_run(1, &m->args, m->dev_nrun, m->dev_run_start,
                                         m->dev_order, 0));
            }
        }
        for (int32_t k = 0; k < blk->nmech; ++k) {
            const pcn_mech_slot *m = &blk->mechs[k];
            if (m->builtin == PCN_BUILTIN_CAPACITANCE && m->args.n > 0) {
                ops->capacitance_d(m->args.n, m->args.ni, m->args.data, cfac, blk->d);
            }
        }
        ops->axial(blk->ninterleaved, blk->cell_len, blk->row_start, blk->parent, blk->a,
                   blk->b, blk->v, blk->rhs, blk->d);
        ops->hines(blk->ninterleaved, blk->cell_len, blk->row_start, blk->parent, blk->a,
                   blk->b, blk->d, blk->rhs);                        /* E */
        if (blk->secondorder == 2) {                                 /* F */
            for (int32_t k = 0; k < blk->nmech; ++k) {
                const pcn_mech_slot *m = &blk->mechs[k];
                if (m->builtin == PCN_BUILTIN_ION) {
                    ops->ion_second_order(m->args.n, m->args.stride, m->args.data, m->args.ni,
                                          blk->rhs);
                }
            }
        }
        ops->update_v(blk->nnode, blk->secondorder, blk->rhs, blk->v); /* G */
        for (int32_t k = 0; k < blk->nmech; ++k) {
            const pcn_mech_slot *m = &blk->mechs[k];
            if (m->builtin == PCN_BUILTIN_CAPACITANCE && m->args.n > 0) {
                ops->capacitance_current(m->args.n, m->args.ni, m->args.data, cfac, blk->rhs,
                                         m->args.data + m->args.stride);
            }
        }
        blk->t += half_dt;                                           /* H */
        if (blk->nplay > 0) {                                        /* I */
            ops->play_set(blk->nplay, x->play_target, x->play_rows + (2 * s + 1) * blk->nplay);
        }
        if (blk->ngap > 0) {                                         /* J: gaps, states */
            ops->gap_transfer(blk->ngap, blk->gap_target, blk->gap_source);
        }
        for (int32_t k = 0; k < blk->nmech; ++k) {
            pcn_mech_slot *m = &blk->mechs[k];
            if (m->dev_run && m->args.n > 0) {
                m->args.t = blk->t;
                launched(blk, m->dev_run(2, &m->args, m->dev_nrun, m->dev_run_start,
                                         m->dev_order, 0));
            }
        }
        blk->steps_done += 1;
        if (blk->nrecord > 0 && blk->steps_done % blk->record_every == 0 &&
            blk->nsample < blk->record_capacity) {                   /* K */
            ops->record(blk->nrecord, blk->record_ptr,
                        blk->record_v + blk->nsample * blk->nrecord);
            blk->nsample += 1;
        }
        run_pass(blk, ops, plan, x, (int32_t)(2 * s + 1), &wnext, &next); /* L */
    }
}

static int same_event(const pcn_event *x, const pcn_event *y) {
    return x->t == y->t && x->flag == y->flag && x->kind == y->kind &&
           x->target == y->target && x->instance == y->instance && x->weight == y->weight;
}

/* Step 3: the window's queue operations again from the window's start, with the device's
 * spikes inserted at A1 of their steps; the mechanisms' self-event handles follow. */
static void finish_window(pcn_block *blk) {
    pcn_window_plan *plan = blk->plan;
    pcn_event_queue planned = blk->queue; /* the plan's end: scratch for the next window */
    blk->queue = plan->saved;
    plan->saved = planned;
    /* handles from high on were never handed out: no event has one */
    if (reserve((void **)&plan->handle_map, &plan->map_capacity, planned.high + 1,
                  sizeof(int32_t))) {
        blk->error = PCN_ERR_MEMORY;
        return;
    }
    for (int32_t h = 0; h < planned.high; ++h) {
        plan->handle_map[h] = h; /* events pending since before the window keep theirs */
    }
    for (int64_t k = 0; k < plan->nop && blk->error == PCN_OK; ++k) {
        const pcn_window_op *op = &plan->ops[k];
        pcn_event popped;
        switch (op->what) {
        case PCN_OP_STEP: {
            const unsigned char *fired = plan->fired + (int64_t)op->handle * blk->nvoltage;
            for (int32_t p = 0; p < blk->nvoltage; ++p) {
                if (fired[p]) {
                    pcn_block_presyn_send(blk, p, op->event.t + SPIKE_TIME_OFFSET);
                }
            }
            break;
        }
        case PCN_OP_INSERT: {
            const int32_t handle = pcn_queue_insert(&blk->queue, &op->event);
            if (handle < 0) {
                blk->error = PCN_ERR_MEMORY;
            } else {
                plan->handle_map[op->handle] = handle;
            }
            break;
        }
        case PCN_OP_POP:
            if (!pcn_queue_pop(&blk->queue, op->event.t, &popped) ||
                !same_event(&popped, &op->event)) {
                blk->error = PCN_ERR_REPLAY;
            }
            break;
        case PCN_OP_MOVE:
            pcn_queue_move(&blk->queue, plan->handle_map[op->handle], op->event.t);
            break;
        case PCN_OP_SPIKE:
            pcn_block_record_spike(blk, op->event.t, op->handle);
            break;
        case PCN_OP_SELF:
            break; /* below, once the replay has handed out every handle */
        default:
            blk->error = PCN_ERR_REPLAY;
        }
    }
    /* what the CPU engine's last pass L delivered is gone here too: a spike the plan did
     * not know due inside the window (a delay shorter than it) would still be pending */
    if (blk->error == PCN_OK && pcn_queue_least_time(&blk->queue) <= blk->t) {
        blk->error = PCN_ERR_REPLAY;
    }
    /* The self-event handles the plan set (others are of events pending since before the
     * window, which kept theirs): each mapped once, if it is still the instance's and its
     * event still pending (engine.c's deliver_due resets a delivered one to -1). */
    for (int64_t k = 0; k < plan->nop; ++k) {
        const pcn_window_op *op = &plan->ops[k];
        if (op->what != PCN_OP_SELF) {
            continue;
        }
        int32_t *kept = &blk->mechs[op->event.target].selfevent[op->event.instance];
        if (*kept == op->handle && pcn_queue_is_pending(&planned, op->handle)) {
            *kept = plan->handle_map[op->handle];
        }
    }
}

int pcn_block_advance_device(pcn_block *blk, int64_t nsteps) {
    for (int64_t done = 0; done < nsteps && blk->error == PCN_OK;) {
        const int64_t n = nsteps - done < blk->device_window ? nsteps - done
                                                              : blk->device_window;
        if (!plan_begin(blk, n)) {
            blk->error = PCN_ERR_MEMORY;
            break;
        }
        plan_window(blk, n);
        if (blk->error != PCN_OK) {
            break;
        }
        if (blk->target) { /* the copies, by the target's kernels */
            pcn_window_arrays x;
            if (pcn_device_upload_window(blk, blk->plan, n, &x) == 0) {
                device_steps(&blk->target->mirror, blk->target->ops, blk->plan, &x, n);
            }
            if (pcn_device_fetch_window(blk, blk->plan, n) != 0 ||
                blk->target->mirror.error != PCN_OK) {
                blk->error = PCN_ERR_DEVICE;
                break;
            }
        } else { /* the block's own arrays, by the host build */
            const pcn_window_plan *plan = blk->plan;
            const pcn_window_arrays x = {
                .run_start = plan->run_start, .instance = plan->instance,
                .weight = plan->weight, .t = plan->t, .flag = plan->flag,
                .play_target = plan->play_target, .play_rows = plan->play_rows,
                .write_play = plan->write_play, .write_value = plan->write_value,
                .fired = plan->fired};
            device_steps(blk, &pcn_device_host_ops, plan, &x, n);
        }
        finish_window(blk);
        done += n;
    }
    return blk->error;
}
