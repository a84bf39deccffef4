#include "engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "block_state.h"
#include "cable.h"
#include "device_host.h"
#include "device_target.h"
#include "device_window.h"
#include "hines.h"

/* Spike times from threshold detection are t_n plus this (CoreNEURON's teps). */
static const double SPIKE_TIME_OFFSET = 1e-10; /* [ms] */

/* ---- Ions (numerics §9) ------------------------------------------------------------------ */

/* The ions' arithmetic is the device kernels' (device/ions.h, host build): one text. */
double pcn_nernst(double ci, double co, double z, double celsius) {
    return pcn_ion_nernst_host(ci, co, z, celsius);
}

static void ion_initialize(const pcn_mech_slot *m, double celsius) {
    const pcn_mech_args *a = &m->args;
    pcn_ion_initialize_k(a->n, a->stride, a->data, a->pdata, m->ion_charge, m->ion_conci0,
                         m->ion_conco0, celsius);
}

/* Step D3 for an ion: clear the current its users add to, update erev if asked. */
static void ion_current(const pcn_mech_slot *m, double celsius) {
    const pcn_mech_args *a = &m->args;
    pcn_ion_current_k(a->n, a->stride, a->data, a->pdata, m->ion_charge, celsius);
}

/* Step F (secondorder 2): ion currents corrected by the voltage change. */
static void ion_second_order(const pcn_mech_slot *m, const double *rhs) {
    const pcn_mech_args *a = &m->args;
    pcn_ion_second_order_k(a->n, a->stride, a->data, a->ni, rhs);
}

/* ---- Spikes and events ------------------------------------------------------------------- */

static void record_spike(pcn_block *blk, double t, int32_t gid) {
    if (blk->planning) { /* recorded when the device window's events are replayed */
        const pcn_event at = {.t = t};
        pcn_window_log(blk, PCN_OP_SPIKE, gid, &at);
        return;
    }
    if (blk->nspike == blk->spike_capacity) {
        const int64_t capacity = blk->spike_capacity ? 2 * blk->spike_capacity : 1024;
        double *times = realloc(blk->spike_t, (size_t)capacity * sizeof *times);
        if (times) blk->spike_t = times;
        int32_t *gids = realloc(blk->spike_gid, (size_t)capacity * sizeof *gids);
        if (gids) blk->spike_gid = gids;
        if (!times || !gids) {
            blk->error = PCN_ERR_MEMORY;
            return;
        }
        blk->spike_capacity = capacity;
    }
    blk->spike_t[blk->nspike] = t;
    blk->spike_gid[blk->nspike] = gid;
    blk->nspike += 1;
}

static void queue_insert(pcn_block *blk, const pcn_event *event, int32_t *handle_out) {
    const int32_t handle = pcn_queue_insert(&blk->queue, event);
    if (handle < 0) {
        blk->error = PCN_ERR_MEMORY;
    } else if (blk->planning) {
        pcn_window_log(blk, PCN_OP_INSERT, handle, event);
    }
    if (handle_out) {
        *handle_out = handle;
    }
}

/* ---- Vector.play and recording ----------------------------------------------------------- */

static double play_value(pcn_vecplay *p, double tt) {
    if (tt >= p->t[p->ubound]) {
        p->last = p->ubound;
        if (p->last == 0) {
            return p->y[0];
        }
    } else if (tt <= p->t[0]) {
        p->last = 0;
        return p->y[0];
    } else {
        while (tt < p->t[p->last]) {
            --p->last;
        }
        while (tt >= p->t[p->last]) {
            ++p->last;
        }
    }
    const double x0 = p->y[p->last - 1], x1 = p->y[p->last];
    const double t0 = p->t[p->last - 1], t1 = p->t[p->last];
    if (t0 == t1) {
        return (x0 + x1) / 2.;
    }
    /* Past the last point this extrapolates, as CoreNEURON does. */
    return x0 + (x1 - x0) * ((tt - t0) / (t1 - t0));
}

static void play_send(pcn_block *blk, int32_t k) {
    pcn_event event = {.t = blk->plays[k].t[blk->plays[k].ubound], .flag = 0.0,
                       .kind = PCN_EVENT_PLAY, .target = k, .instance = 0, .weight = 0};
    queue_insert(blk, &event, NULL);
}

/* A play event at t[ubound]: the next interval starts; the value is set at the event time. */
static void play_deliver(pcn_block *blk, int32_t k, double tt) {
    pcn_vecplay *p = &blk->plays[k];
    p->last = p->ubound;
    if (p->ubound < p->n - 1) {
        p->ubound += 1;
        play_send(blk, k);
    }
    if (blk->planning) { /* the device writes it, before the pass's NET_RECEIVE calls */
        pcn_window_play_write(blk, k, play_value(p, tt));
    } else {
        *p->target = play_value(p, tt);
    }
}

/* C and I: every played variable at the thread's time. */
static void play_continuous(pcn_block *blk) {
    for (int32_t k = 0; k < blk->nplay; ++k) {
        *blk->plays[k].target = play_value(&blk->plays[k], blk->t);
    }
}

void pcn_block_play_values(pcn_block *blk, double *values) {
    for (int32_t k = 0; k < blk->nplay; ++k) {
        values[k] = play_value(&blk->plays[k], blk->t);
    }
}

static void record_sample(pcn_block *blk) {
    if (blk->nrecord == 0 || blk->nsample >= blk->record_capacity) {
        return;
    }
    double *row = blk->record_v + blk->nsample * blk->nrecord;
    for (int32_t k = 0; k < blk->nrecord; ++k) {
        row[k] = *blk->record_ptr[k];
    }
    blk->nsample += 1;
}

/* PreSyn.send(ts): record it, then one event per NetCon, last NetCon first (numerics §7.1). */
static void presyn_send(pcn_block *blk, int32_t p, double ts) {
    if (blk->presyn_gid[p] >= 0) {
        record_spike(blk, ts, blk->presyn_gid[p]);
    }
    /* NetCons in file order (NEURON's creation order), first to last, as NEURON's
     * PreSyn::send and PreSyn::deliver walk dil_ (CoreNEURON walks them last to first; the
     * order of equal-time deliveries to instances that share state shows it) */
    for (int32_t k = blk->netcon_start[p]; k < blk->netcon_start[p + 1]; ++k) {
        const int32_t nc = blk->netcon_list[k];
        if (blk->netcon_mech[nc] < 0) {
            continue; /* a NetCon without target sends nothing */
        }
        pcn_event event = {.t = ts + blk->netcon_delay[nc], .flag = 0.0,
                           .kind = PCN_EVENT_NETCON, .target = nc, .instance = 0, .weight = 0};
        queue_insert(blk, &event, NULL);
    }
}

static void do_net_send(pcn_mech_slot *m, int id, int weight, double tdeliver, double flag) {
    pcn_event event = {.t = tdeliver, .flag = flag, .kind = PCN_EVENT_SELF, .target = m->index,
                       .instance = id, .weight = weight};
    int32_t handle = -1;
    queue_insert(m->block, &event, &handle);
    if (flag == 1.0) {
        m->selfevent[id] = handle; /* the netsend slot, for net_move */
        if (m->block->planning) {  /* the replay gives the event another handle */
            const pcn_event which = {.target = m->index, .instance = id};
            pcn_window_log(m->block, PCN_OP_SELF, handle, &which);
        }
    }
}

static void do_net_event(pcn_mech_slot *m, int id, double t) {
    if (m->presyn[id] >= 0) {
        presyn_send(m->block, m->presyn[id], t);
    }
}

static void do_net_move(pcn_mech_slot *m, int id, double tnew) {
    pcn_block *blk = m->block;
    const int32_t handle = m->selfevent[id];
    if (handle < 0 || !pcn_queue_is_pending(&blk->queue, handle) || tnew < m->args.t) {
        blk->error = PCN_ERR_NET_MOVE;
        return;
    }
    pcn_queue_move(&blk->queue, handle, tnew);
    if (blk->planning) {
        const pcn_event to = {.t = tnew};
        pcn_window_log(blk, PCN_OP_MOVE, handle, &to);
    }
}

static void defer_request(pcn_mech_slot *m, int32_t what, int id, int weight, double t,
                          double flag) {
    if (m->nrequests == m->requests_capacity) {
        const int32_t capacity = m->requests_capacity ? 2 * m->requests_capacity : 16;
        pcn_deferred_request *requests =
            realloc(m->requests, (size_t)capacity * sizeof *requests);
        if (!requests) {
            m->block->error = PCN_ERR_MEMORY;
            return;
        }
        m->requests = requests;
        m->requests_capacity = capacity;
    }
    m->requests[m->nrequests++] = (pcn_deferred_request){what, id, weight, t, flag};
}

/* The event services handed to generated code through pcn_mech_args. */
static void service_net_send(const pcn_mech_args *a, int id, int weight_index, double tdeliver,
                             double flag) {
    pcn_mech_slot *m = a->ctx;
    if (tdeliver < a->t) {
        m->block->error = PCN_ERR_NET_SEND_PAST;
        return;
    }
    if (m->deferring) {
        defer_request(m, 0, id, weight_index, tdeliver, flag);
    } else {
        do_net_send(m, id, weight_index, tdeliver, flag);
    }
}

static void service_net_event(const pcn_mech_args *a, int id, double t) {
    pcn_mech_slot *m = a->ctx;
    if (m->deferring) {
        defer_request(m, 1, id, 0, t, 0.0);
    } else {
        do_net_event(m, id, t);
    }
}

static void service_net_move(const pcn_mech_args *a, int id, double tnew) {
    pcn_mech_slot *m = a->ctx;
    if (m->deferring) {
        defer_request(m, 2, id, 0, tnew, 0.0);
    } else {
        do_net_move(m, id, tnew);
    }
}

static void call_net_receive(pcn_mech_slot *m, int32_t instance, int32_t weight, double t,
                             double flag) {
    m->args.t = t;
    m->desc->net_receive(&m->args, instance, weight, flag);
}

static void buffer_call(pcn_mech_slot *m, int32_t instance, int32_t weight, double t,
                        double flag) {
    if (m->ncalls == m->calls_capacity) {
        const int32_t capacity = m->calls_capacity ? 2 * m->calls_capacity : 64;
        pcn_buffered_call *calls = realloc(m->calls, (size_t)capacity * sizeof *calls);
        if (!calls) {
            m->block->error = PCN_ERR_MEMORY;
            return;
        }
        m->calls = calls;
        m->calls_capacity = capacity;
    }
    m->calls[m->ncalls++] =
        (pcn_buffered_call){t, flag, instance, weight, m->block->call_order++};
}

/* The buffered calls (sorted by instance, then arrival) through the mechanism's NET_RECEIVE
 * kernel: one run per instance (device_kernels.py's whole-run check of the kernels). */
static void run_device_net_receive(pcn_mech_slot *m) {
    const int32_t n = m->ncalls;
    int *run_start = malloc(sizeof(int) * ((size_t)n + 1));
    int *instance = malloc(sizeof(int) * (size_t)n);
    int *weight = malloc(sizeof(int) * (size_t)n);
    double *t = malloc(sizeof(double) * (size_t)n);
    double *flag = malloc(sizeof(double) * (size_t)n);
    if (!run_start || !instance || !weight || !t || !flag) {
        m->block->error = PCN_ERR_MEMORY;
    } else {
        int nrun = 0;
        for (int32_t c = 0; c < n; ++c) {
            if (c == 0 || m->calls[c].instance != m->calls[c - 1].instance) {
                run_start[nrun++] = c;
            }
            instance[c] = m->calls[c].instance;
            weight[c] = m->calls[c].weight;
            t[c] = m->calls[c].t;
            flag[c] = m->calls[c].flag;
        }
        run_start[nrun] = n;
        m->dev_net_receive(&m->args, nrun, run_start, instance, weight, t, flag, 0);
        if (n > 0) {
            m->args.t = m->calls[n - 1].t;
        }
    }
    free(run_start);
    free(instance);
    free(weight);
    free(t);
    free(flag);
}

static int compare_calls(const void *x, const void *y) {
    const pcn_buffered_call *p = x, *q = y;
    if (p->instance != q->instance) {
        return p->instance < q->instance ? -1 : 1;
    }
    return (p->order > q->order) - (p->order < q->order);
}

/* After a delivery pass: each mechanism's buffered NET_RECEIVE calls, by instance and then
 * arrival, then the event requests they made, in the order made (numerics §6.4). */
static int deliver_due(pcn_block *blk, double til);

static void run_buffered_calls(pcn_block *blk) {
    for (int32_t k = 0; k < blk->nmech; ++k) {
        pcn_mech_slot *m = &blk->mechs[k];
        if (m->ncalls == 0) {
            continue;
        }
        qsort(m->calls, (size_t)m->ncalls, sizeof *m->calls, compare_calls);
        if (blk->planning) { /* the device runs them, in the window's schedule */
            pcn_window_add_calls(blk, k, m->calls, m->ncalls);
            m->ncalls = 0;
            continue;
        }
        m->deferring = 1;
        if (m->dev_net_receive) {
            run_device_net_receive(m);
        } else {
            for (int32_t c = 0; c < m->ncalls; ++c) {
                call_net_receive(m, m->calls[c].instance, m->calls[c].weight, m->calls[c].t,
                                 m->calls[c].flag);
            }
        }
        m->deferring = 0;
        m->ncalls = 0;
        for (int32_t r = 0; r < m->nrequests; ++r) {
            const pcn_deferred_request *q = &m->requests[r];
            if (q->what == 0) {
                do_net_send(m, q->instance, q->weight, q->t, q->flag);
            } else if (q->what == 1) {
                do_net_event(m, q->instance, q->t);
            } else {
                m->args.t = q->t;
                do_net_move(m, q->instance, q->t);
            }
        }
        m->nrequests = 0;
    }
}

/* Deliver every event due at or before til, then the buffered calls (numerics §6.2); events
 * those calls send that are due by til too (net_send(0, ...)) are delivered in the same pass,
 * as NEURON delivers them (CoreNEURON leaves them to the next pass). */
static void deliver_events(pcn_block *blk, double til) {
    int delivered = 1;
    while (delivered && blk->error == PCN_OK) {
        delivered = deliver_due(blk, til);
        run_buffered_calls(blk);
    }
}

/* One pass over the events due by til; 1 if there was any. */
static int deliver_due(pcn_block *blk, double til) {
    pcn_event event;
    int any = 0;
    while (blk->error == PCN_OK && pcn_queue_pop(&blk->queue, til, &event)) {
        any = 1;
        if (blk->planning) {
            pcn_window_log(blk, PCN_OP_POP, -1, &event);
        }
        pcn_mech_slot *m;
        int32_t instance, weight;
        if (event.kind == PCN_EVENT_NETCON) {
            m = &blk->mechs[blk->netcon_mech[event.target]];
            instance = blk->netcon_instance[event.target];
            weight = blk->netcon_weight[event.target];
        } else if (event.kind == PCN_EVENT_SELF) {
            m = &blk->mechs[event.target];
            instance = event.instance;
            weight = event.weight;
            if (event.flag == 1.0 && m->selfevent[instance] >= 0 &&
                !pcn_queue_is_pending(&blk->queue, m->selfevent[instance])) {
                m->selfevent[instance] = -1; /* delivered: net_move can no longer find it */
            }
        } else if (event.kind == PCN_EVENT_PLAY) {
            play_deliver(blk, event.target, event.t);
            continue;
        } else {
            continue;
        }
        if (m->kind == PCN_ARTIFICIAL_CELL) {
            call_net_receive(m, instance, weight, event.t, event.flag);
        } else {
            buffer_call(m, instance, weight, event.t, event.flag);
        }
    }
    return any;
}

/* A1: sources whose v crossed threshold since the last step send at t_n + 1e-10. */
static void detect_threshold_crossings(pcn_block *blk) {
    const int nfired = cable_detect_spikes(blk->nvoltage, blk->source_node, blk->threshold,
                                           blk->v, blk->above, blk->fired);
    for (int k = 0; k < nfired; ++k) {
        presyn_send(blk, blk->fired[k], blk->t + SPIKE_TIME_OFFSET);
    }
    /* Then the armed WATCH conditions, at t_n. */
    for (int32_t k = 0; k < blk->nmech; ++k) {
        pcn_mech_slot *m = &blk->mechs[k];
        if (m->desc && m->desc->watch_check && m->args.n > 0) {
            m->args.t = blk->t;
            m->desc->watch_check(&m->args);
        }
    }
}

/* ---- Matrix set-up and update -------------------------------------------------------------- */

static double capacitance_factor(const pcn_block *blk) {
    const double cj = blk->secondorder ? 2.0 / blk->dt : 1.0 / blk->dt;
    return 0.001 * cj;
}

double pcn_capacitance_factor(const pcn_block *blk) { return capacitance_factor(blk); }

void pcn_block_deliver_events(pcn_block *blk, double til) { deliver_events(blk, til); }

void pcn_block_presyn_send(pcn_block *blk, int32_t p, double ts) { presyn_send(blk, p, ts); }

void pcn_block_record_spike(pcn_block *blk, double t, int32_t gid) {
    record_spike(blk, t, gid);
}

/* BEFORE/AFTER blocks of one kind, mechanisms in list order (NEURON's nrn_ba). */
static void before_after(pcn_block *blk, int when) {
    for (int32_t k = 0; k < blk->nmech; ++k) {
        pcn_mech_slot *m = &blk->mechs[k];
        if (m->desc && m->desc->ba[when] && m->args.n > 0) {
            m->args.t = blk->t;
            m->desc->ba[when](&m->args);
        }
    }
}

/* D1-D7: currents of every mechanism in list order, axial currents, capacitance, diagonal. */
static void setup_tree_matrix(pcn_block *blk) {
    cable_clear(0, blk->nnode, blk->rhs, blk->d);
    before_after(blk, PCN_BEFORE_BREAKPOINT);
    for (int32_t k = 0; k < blk->nmech; ++k) {
        pcn_mech_slot *m = &blk->mechs[k];
        m->args.t = blk->t;
        if (m->builtin == PCN_BUILTIN_ION) {
            ion_current(m, blk->celsius);
        } else if (m->dev_run && m->args.n > 0) {
            m->dev_run(1, &m->args, m->dev_nrun, m->dev_run_start, m->dev_order, 0);
        } else if (m->desc && m->desc->cur && m->args.n > 0) {
            m->desc->cur(&m->args);
        }
    }
    /* D4 (axial rhs) only touches rhs and D6 (capacitance) only d, so D6 can go first and
     * D4 run with D7 in one pass: every element gets the same terms in the same order. */
    const double cfac = capacitance_factor(blk);
    for (int32_t k = 0; k < blk->nmech; ++k) {
        const pcn_mech_slot *m = &blk->mechs[k];
        if (m->builtin == PCN_BUILTIN_CAPACITANCE && m->args.n > 0) {
            cable_capacitance_d(m->args.n, m->args.ni, m->args.data, cfac, blk->d);
        }
    }
    cable_axial(blk->node_begin, blk->node_end, blk->parent, blk->a, blk->b, blk->v, blk->rhs,
                blk->d);
}

/* G: voltage update; capacitive currents for output. */
static void update_voltages(pcn_block *blk) {
    cable_update_v(0, blk->nnode, blk->secondorder, blk->rhs, blk->v);
    const double cfac = capacitance_factor(blk);
    for (int32_t k = 0; k < blk->nmech; ++k) {
        const pcn_mech_slot *m = &blk->mechs[k];
        if (m->builtin == PCN_BUILTIN_CAPACITANCE && m->args.n > 0) {
            cable_capacitance_current(m->args.n, m->args.ni, m->args.data, cfac, blk->rhs,
                                      m->args.data + m->args.stride);
        }
    }
}

/* J: the state update of every mechanism in list order, at t_{n+1} with the new v. */
static void update_states(pcn_block *blk) {
    for (int32_t k = 0; k < blk->nmech; ++k) {
        pcn_mech_slot *m = &blk->mechs[k];
        if (m->dev_run && m->args.n > 0) {
            m->args.t = blk->t;
            m->dev_run(2, &m->args, m->dev_nrun, m->dev_run_start, m->dev_order, 0);
        } else if (m->desc && m->desc->state && m->args.n > 0) {
            m->args.t = blk->t;
            m->desc->state(&m->args);
        }
    }
}

/* ---- Set-up, initialisation, stepping ---------------------------------------------------- */

/* The level structure of a block whose nodes are sorted by depth (see hines_levels). */
static int setup_levels(pcn_block *blk) {
    blk->nlevel = 0;
    blk->level_start = NULL;
    blk->level_scratch = NULL;
    if (blk->ninterleaved > 0) {
        return 0; /* the device layout has its own solve */
    }
    if (blk->root_begin != 0 || blk->node_begin != blk->root_end || blk->node_end != blk->nnode
        || blk->nnode == 0) {
        return 0;
    }
    int32_t *start = malloc(sizeof(int32_t) * ((size_t)blk->nnode + 2));
    if (start == NULL) {
        return -1;
    }
    const int nlevel = hines_levels(blk->root_end, blk->nnode, blk->parent, start);
    int widest = 0;
    for (int k = 0; k < nlevel; ++k) {
        widest = start[k + 1] - start[k] > widest ? start[k + 1] - start[k] : widest;
    }
    /* Worth it only when levels are wide: a single cable of one cell has width 1. */
    if (nlevel < 2 || blk->nnode < 4 * nlevel) {
        free(start);
        return 0;
    }
    double *scratch = malloc(sizeof(double) * (size_t)widest);
    int32_t *shrunk = realloc(start, sizeof(int32_t) * ((size_t)nlevel + 1));
    if (scratch == NULL || shrunk == NULL) {
        free(scratch);
        free(shrunk != NULL ? shrunk : start);
        return -1;
    }
    blk->nlevel = nlevel;
    blk->level_start = shrunk;
    blk->level_scratch = scratch;
    return 0;
}

int pcn_block_setup(pcn_block *blk, int32_t queue_capacity) {
    if (pcn_queue_init(&blk->queue, queue_capacity) != 0) {
        return -1;
    }
    for (int32_t k = 0; k < blk->nmech; ++k) {
        pcn_mech_slot *m = &blk->mechs[k];
        m->block = blk;
        m->index = k;
        m->args.ctx = m;
        m->args.net_send = service_net_send;
        m->args.net_event = service_net_event;
        m->args.net_move = service_net_move;
        m->args.v = blk->v;
        m->args.rhs = blk->rhs;
        m->args.d = blk->d;
        m->args.area = blk->area;
        m->args.weights = blk->weights;
    }
    return setup_levels(blk);
}

void pcn_block_release(pcn_block *blk) {
    pcn_queue_free(&blk->queue);
    for (int32_t k = 0; k < blk->nmech; ++k) {
        pcn_mech_slot *m = &blk->mechs[k];
        free(m->calls);
        free(m->requests);
        m->calls = NULL;
        m->requests = NULL;
        m->ncalls = m->calls_capacity = m->nrequests = m->requests_capacity = 0;
    }
    pcn_window_plan_free(blk->plan);
    blk->plan = NULL;
    pcn_device_detach(blk);
    free(blk->level_start);
    free(blk->level_scratch);
    blk->level_start = NULL;
    blk->level_scratch = NULL;
    blk->nlevel = 0;
    free(blk->spike_t);
    free(blk->spike_gid);
    blk->spike_t = NULL;
    blk->spike_gid = NULL;
    blk->nspike = blk->spike_capacity = 0;
}

void pcn_block_tables(pcn_block *blk) {
    for (int32_t k = 0; k < blk->nmech; ++k) {
        pcn_mech_slot *m = &blk->mechs[k];
        if (m->desc && m->desc->table && m->table_id >= -1) {
            m->args.dt = blk->dt;
            m->args.celsius = blk->celsius;
            m->args.secondorder = blk->secondorder;
            m->args.t = blk->t;
            m->desc->table(&m->args, m->table_id);
        }
    }
}

void pcn_block_initialize(pcn_block *blk, double voltage, int keep_v) {
    /* t = 0, no step, empty queue, the hooks' dt and celsius, no pending self event */
    pcn_block_resume(blk, 0.0, 0);
    for (int32_t k = 0; k < blk->nplay; ++k) { /* Vector.play: first event at t[0] */
        blk->plays[k].last = 0;
        blk->plays[k].ubound = 0;
        play_send(blk, k);
    }
    if (!keep_v) {
        for (int i = 0; i < blk->nnode; ++i) {
            blk->v[i] = voltage;
        }
    }
    pcn_block_gap_transfer(blk); /* step 6: gap targets see the initial voltages */
    before_after(blk, PCN_BEFORE_INITIAL);
    /* INITIAL blocks in list order (ions precede their users). */
    for (int32_t k = 0; k < blk->nmech; ++k) {
        pcn_mech_slot *m = &blk->mechs[k];
        if (m->builtin == PCN_BUILTIN_CAPACITANCE) {
            double *i_cap = m->args.data + m->args.stride;
            for (int i = 0; i < m->args.n; ++i) {
                i_cap[i] = 0.0;
            }
        } else if (m->builtin == PCN_BUILTIN_ION) {
            ion_initialize(m, blk->celsius);
        } else if (m->dev_run && m->args.n > 0) {
            m->dev_run(0, &m->args, m->dev_nrun, m->dev_run_start, m->dev_order, 0);
        } else if (m->desc && m->desc->init && m->args.n > 0) {
            m->desc->init(&m->args);
        }
    }
    /* Each NetCon onto a mechanism with an INITIAL inside NET_RECEIVE runs it; otherwise
     * the NetCon's weights beyond the first start at 0 (init_net_events). */
    for (int32_t nc = 0; nc < blk->nnetcon; ++nc) {
        if (blk->netcon_mech[nc] < 0) {
            continue;
        }
        pcn_mech_slot *m = &blk->mechs[blk->netcon_mech[nc]];
        if (m->desc && m->desc->net_init) {
            m->args.t = 0.0;
            m->desc->net_init(&m->args, blk->netcon_instance[nc], blk->netcon_weight[nc]);
            continue;
        }
        const int nargs = m->desc ? m->desc->net_receive_nargs : 1;
        for (int j = 1; j < nargs; ++j) {
            blk->weights[blk->netcon_weight[nc] + j] = 0.0;
        }
    }
    before_after(blk, PCN_AFTER_INITIAL);
    memset(blk->above, 0, (size_t)blk->nvoltage);
    deliver_events(blk, 0.0);
    setup_tree_matrix(blk); /* assigned values at t = 0; no state changes */
    before_after(blk, PCN_BEFORE_STEP);
    deliver_events(blk, 0.0);
    record_sample(blk);
}

void pcn_block_gap_transfer(pcn_block *blk) {
    for (int32_t k = 0; k < blk->ngap; ++k) {
        *blk->gap_target[k] = *blk->gap_source[k];
    }
}

void pcn_block_step_first_half(pcn_block *blk) {
    const double half_dt = 0.5 * blk->dt;
    if (blk->error != PCN_OK) {
        return;
    }
    detect_threshold_crossings(blk);                     /* A1 */
    deliver_events(blk, blk->t + half_dt);               /* A2, A3 */
    blk->t += half_dt;                                   /* B */
    play_continuous(blk);                                /* C */
    setup_tree_matrix(blk);                              /* D */
    if (blk->ninterleaved > 0) {                         /* E */
        pcn_hines_interleaved(blk->ninterleaved, blk->cell_len, blk->row_start, blk->parent,
                              blk->a, blk->b, blk->d, blk->rhs);
    } else if (blk->nlevel > 0) {
        hines_solve_levels(blk->nlevel, blk->level_start, blk->parent, blk->a, blk->b, blk->d,
                           blk->rhs, blk->level_scratch);
    } else {
        hines_solve(blk->root_begin, blk->root_end, blk->node_begin, blk->node_end,
                    blk->parent, blk->a, blk->b, blk->d, blk->rhs);
    }
    if (blk->secondorder == 2) {                         /* F */
        for (int32_t k = 0; k < blk->nmech; ++k) {
            if (blk->mechs[k].builtin == PCN_BUILTIN_ION) {
                ion_second_order(&blk->mechs[k], blk->rhs);
            }
        }
    }
    update_voltages(blk);                                /* G */
}

int pcn_block_step_second_half(pcn_block *blk) {
    if (blk->error != PCN_OK) {
        return blk->error;
    }
    blk->t += 0.5 * blk->dt;                             /* H */
    play_continuous(blk);                                /* I */
    pcn_block_gap_transfer(blk);                         /* J: gap targets, then states */
    update_states(blk);
    before_after(blk, PCN_AFTER_SOLVE);
    before_after(blk, PCN_BEFORE_STEP);
    blk->steps_done += 1;
    /* K before L, as NEURON's nrn_fixed_step_lastpart: a NET_RECEIVE at t that assigns v
     * (applied by NEURON) shows in the next sample, not this one */
    if (blk->nrecord > 0 && blk->steps_done % blk->record_every == 0) {
        record_sample(blk);                              /* K: trajectories */
    }
    deliver_events(blk, blk->t);                         /* L */
    return blk->error;
}

int pcn_block_advance(pcn_block *blk, int64_t nsteps) {
    if (blk->device_window > 0) {
        return pcn_block_advance_device(blk, nsteps);
    }
    for (int64_t s = 0; s < nsteps && blk->error == PCN_OK; ++s) {
        pcn_block_step_first_half(blk);
        pcn_block_step_second_half(blk);
    }
    return blk->error;
}

/* The first error any of the blocks met, PCN_OK when none did. */
static int first_error(pcn_block *const *blocks, int32_t nblock) {
    for (int32_t k = 0; k < nblock; ++k) {
        if (blocks[k]->error != PCN_OK) {
            return blocks[k]->error;
        }
    }
    return PCN_OK;
}

int pcn_blocks_advance(pcn_block *const *blocks, int32_t nblock, int64_t nsteps,
                       int32_t nthreads) {
    /* Dynamic schedule: blocks are balanced by cost, but not perfectly. */
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads) if (nthreads > 1)
    for (int32_t k = 0; k < nblock; ++k) {
        pcn_block_advance(blocks[k], nsteps);
    }
    return first_error(blocks, nblock);
}

int pcn_blocks_step_halves(pcn_block *const *blocks, int32_t nblock, int32_t nthreads) {
#pragma omp parallel num_threads(nthreads) if (nthreads > 1)
    {
#pragma omp for schedule(dynamic, 1)
        for (int32_t k = 0; k < nblock; ++k) {
            pcn_block_step_first_half(blocks[k]);
        }
        /* the implicit barrier: every source voltage is updated before any transfer */
#pragma omp for schedule(dynamic, 1)
        for (int32_t k = 0; k < nblock; ++k) {
            pcn_block_step_second_half(blocks[k]);
        }
    }
    return first_error(blocks, nblock);
}

void pcn_blocks_first_half(pcn_block *const *blocks, int32_t nblock, int32_t nthreads) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads) if (nthreads > 1)
    for (int32_t k = 0; k < nblock; ++k) {
        pcn_block_step_first_half(blocks[k]);
    }
}

int pcn_blocks_second_half(pcn_block *const *blocks, int32_t nblock, int32_t nthreads) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads) if (nthreads > 1)
    for (int32_t k = 0; k < nblock; ++k) {
        pcn_block_step_second_half(blocks[k]);
    }
    return first_error(blocks, nblock);
}

void pcn_block_receive(pcn_block *blk, int64_t n, const double *times, const int32_t *gids) {
    for (int64_t s = 0; s < n; ++s) {
        /* Binary search of the gid among this block's inputs. */
        int32_t lo = 0, hi = blk->ninput;
        while (lo < hi) {
            const int32_t mid = lo + (hi - lo) / 2;
            if (blk->input_gid[mid] < gids[s]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo == blk->ninput || blk->input_gid[lo] != gids[s]) {
            continue; /* nothing here listens to that gid */
        }
        for (int32_t k = blk->input_netcon_start[lo]; k < blk->input_netcon_start[lo + 1];
             ++k) {
            const int32_t nc = blk->input_netcon_list[k];
            if (blk->netcon_mech[nc] < 0) {
                continue;
            }
            pcn_event event = {.t = times[s] + blk->netcon_delay[nc], .flag = 0.0,
                               .kind = PCN_EVENT_NETCON, .target = nc, .instance = 0,
                               .weight = 0};
            queue_insert(blk, &event, NULL);
        }
    }
}
