/* The engine's C core: one block of cells, advanced through whole windows of fixed steps.
 *
 * A block owns its nodes, its mechanism instances, its spike sources, the NetCons that target
 * it and its event queue. Within a window a block reads and writes nothing of another block,
 * so blocks run on any thread (and, later, on a GPU). Python builds a block from NumPy arrays
 * (the pointers below point into them), then calls pcn_block_initialize once and
 * pcn_block_advance once per window; spikes come back in the block's spike buffer.
 *
 * Every step follows neuron-numerics.md §4 letter by letter; the functions below name the
 * letters they carry out.
 */
#ifndef PCN_ENGINE_H
#define PCN_ENGINE_H

#include <stdint.h>

#include "event_queue.h"
#include "mechanism_abi.h"

/* Mechanisms the engine implements itself rather than through generated code. */
enum pcn_builtin { PCN_BUILTIN_NONE = 0, PCN_BUILTIN_CAPACITANCE = 1, PCN_BUILTIN_ION = 2 };

/* A NET_RECEIVE call kept for after a delivery pass (point processes, numerics §6.4). */
typedef struct {
    double t;
    double flag;
    int32_t instance;
    int32_t weight;
    int64_t order;
} pcn_buffered_call;

/* A net_send / net_event / net_move asked for by a buffered NET_RECEIVE, issued afterwards. */
typedef struct {
    int32_t what; /* 0 net_send, 1 net_event, 2 net_move */
    int32_t instance;
    int32_t weight;
    double t;
    double flag;
} pcn_deferred_request;

typedef struct pcn_block pcn_block;
typedef struct pcn_window_plan pcn_window_plan;     /* device_window.h */
typedef struct pcn_device_target pcn_device_target; /* device_window.h */

/* Vector.play(var, tvec, 1): y(t) interpolated into *target (numerics §7.5, CoreNEURON's
 * VecPlayContinuous). Play events at t[ubound] move the interpolation interval along. */
typedef struct {
    double *target;
    const double *t, *y;
    int32_t n;
    int32_t ubound, last;
} pcn_vecplay;

/* A mechanism's device kernels (printers/cuda.py's pcn_dev_<mech>_run): hook 0 INITIAL, 1
 * nrn_cur, 2 nrn_state, point processes by node runs. */
typedef int (*pcn_dev_run_fn)(int hook, const pcn_mech_args *a, int nrun, const int *run_start,
                              const int *order, int threads_per_block);
/* ... and its NET_RECEIVE kernel (pcn_dev_<mech>_net_receive): run r is one instance's events. */
typedef int (*pcn_dev_net_receive_fn)(const pcn_mech_args *a, int nrun, const int *run_start,
                                      const int *instance, const int *weight, const double *t,
                                      const double *flag, int threads_per_block);

typedef struct {
    const pcn_mech_desc *desc; /* NULL for engine built-ins */
    int32_t builtin;           /* enum pcn_builtin */
    int32_t kind;              /* enum pcn_mech_kind */
    pcn_mech_args args;        /* the hooks' parameter pack; args.ctx points back here */
    pcn_block *block;
    int32_t index;             /* position in the block's mechanism list */
    double ion_charge;         /* ions: valence */
    double ion_conci0;         /* ions: CoreNEURON's compiled initial concentrations [mM] */
    double ion_conco0;
    int32_t *selfevent;        /* per instance: handle of its pending flag-1 self event, or -1 */
    int32_t *presyn;           /* per instance: the spike source of net_event, or -1 */
    int32_t table_id;          /* the instance this block builds the type's TABLEs from, -1 a
                                  zero scratch instance, -2 none (built by another block) */
    /* Buffered NET_RECEIVE (non-artificial point processes). */
    pcn_buffered_call *calls;
    int32_t ncalls, calls_capacity;
    pcn_deferred_request *requests;
    int32_t nrequests, requests_capacity;
    int32_t deferring;         /* 1 while buffered calls run: event services are deferred */
    /* Device kernels in place of desc's init, cur and state (NULL: desc's): the CUDA
     * printer's file built as C, a check of the kernels in whole runs (device_kernels.py);
     * dev_run_start/dev_order group the instances by node (point processes). */
    pcn_dev_run_fn dev_run;
    pcn_dev_net_receive_fn dev_net_receive; /* NULL: desc's net_receive */
    int32_t dev_nrun;
    const int32_t *dev_run_start;
    const int32_t *dev_order;
    /* sizes of args.data and args.pdata (entries), for the device's copies */
    int64_t ndata, npdata;
} pcn_mech_slot;

struct pcn_block {
    /* Nodes: roots root_begin..root_end-1, other nodes node_begin..node_end-1 of nnode. */
    int32_t nnode, root_begin, root_end, node_begin, node_end;
    const int32_t *parent;
    const double *a, *b;  /* axial coefficients (negative) */
    const double *area;   /* [um2] */
    double *v, *rhs, *d;  /* [mV], matrix */
    /* Mechanisms in the dataset's order. */
    int32_t nmech;
    pcn_mech_slot *mechs;
    /* Spike sources: the first nvoltage watch v[source_node] against threshold. */
    int32_t npresyn, nvoltage;
    const int32_t *source_node;
    const double *threshold; /* [mV] */
    uint8_t *above;
    const int32_t *presyn_gid; /* gid >= 0 is recorded in out.dat */
    int32_t *fired;            /* scratch, npresyn */
    /* NetCons, grouped by source: presyn p drives netcons netcon_start[p]..[p+1]-1 (file
     * order; sending walks them first to last, as NEURON). The per-NetCon arrays have nnetcon
     * entries, including NetCons whose source is elsewhere. */
    int32_t nnetcon;
    const int32_t *netcon_start;
    const int32_t *netcon_list;
    const int32_t *netcon_mech;   /* target mechanism slot, -1 none */
    const int32_t *netcon_instance;
    const int32_t *netcon_weight; /* first weight of the NetCon */
    const double *netcon_delay;   /* [ms] */
    double *weights;
    /* Spikes from other blocks: input_gid (ascending) drives the local NetCons
     * input_netcon_list[input_netcon_start[k] .. input_netcon_start[k+1]-1] (file order). */
    int32_t ninput;
    const int32_t *input_gid;
    const int32_t *input_netcon_start;
    const int32_t *input_netcon_list;
    /* Gap junctions: each step (and at initialisation) *gap_target[k] = *gap_source[k]; a
     * source may lie in another block, so blocks with gaps step in two halves. */
    int32_t ngap;
    double *const *gap_target;
    const double *const *gap_source;
    /* Vector.play. */
    int32_t nplay;
    pcn_vecplay *plays;
    /* Recording: every record_every steps (and right after initialisation), the doubles at
     * record_ptr (a node's v, a mechanism instance's RANGE variable) into
     * record_v[sample*nrecord + k], up to record_capacity samples (Python drains the buffer
     * between windows by resetting nsample). */
    int32_t nrecord, record_every;
    const double *const *record_ptr;
    double *record_v;
    int64_t record_capacity, nsample;
    /* Time and run parameters. */
    double t, dt, celsius;
    int32_t secondorder;
    int64_t steps_done;
    pcn_event_queue queue;
    int64_t call_order;
    /* Spikes recorded: times and gids. */
    double *spike_t;
    int32_t *spike_gid;
    int64_t nspike, spike_capacity;
    int32_t error; /* first error met, PCN_ERR_*, 0 when fine */
    /* Nodes sorted by depth (the partitioner's order): the Hines solve runs level by level
     * (hines_solve_levels); nlevel 0 when they are not, and hines_solve runs. */
    int32_t nlevel;
    int32_t *level_start;  /* nlevel + 1 */
    double *level_scratch; /* the widest level's size */
    /* Nodes in the device layout (--cell-permute 1, partition.cell_interleaved_positions):
     * node k of cell c at row_start[k] + c; the Hines solve runs pcn_hines_interleaved, the
     * kernel the CUDA module runs. ninterleaved 0 otherwise. */
    int32_t ninterleaved;
    const int32_t *cell_len; /* ninterleaved */
    const int32_t *row_start;
    int32_t nrow;    /* rows of the device layout (row_start has nrow + 1 entries) */
    int64_t nweight; /* entries of weights */
    /* > 0: the device engine's windows (device_window.h) of at most this many steps, on the
     * device layout with device kernels for every mechanism but the artificial cells; plan
     * is its working memory, planning 1 while the host plans a window's events. */
    int32_t device_window;
    pcn_window_plan *plan;
    int32_t planning;
    /* NULL: the windows' kernels run on the block's own arrays (the host build); else on
     * the target's copies of them (device memory), by its kernels */
    pcn_device_target *target;
};

enum pcn_error {
    PCN_OK = 0,
    PCN_ERR_MEMORY = 1,
    PCN_ERR_NET_MOVE = 2,      /* net_move without a pending flag-1 self event, or tnew < t */
    PCN_ERR_NET_SEND_PAST = 3, /* net_send into the past */
    PCN_ERR_REPLAY = 4,        /* a device window's replayed events left the planned order */
    PCN_ERR_DEVICE = 5,        /* a device call (a copy, a launch) failed */
};

/* Set up the queue and buffers after Python filled the arrays; 0 on success. */
int pcn_block_setup(pcn_block *blk, int32_t queue_capacity);
void pcn_block_release(pcn_block *blk);

/* finitialize, first part: the TABLEs whose slots have a table_id (NEURON's
 * nrn_thread_table_check). Every block's tables are built before any block initialises. */
void pcn_block_tables(pcn_block *blk);

/* finitialize (numerics §3): t = 0, v = voltage unless keep_v, INITIAL blocks, NetCon
 * weights, events at t = 0, one current evaluation. */
void pcn_block_initialize(pcn_block *blk, double voltage, int keep_v);

/* Advance nsteps fixed steps (numerics §4). Returns blk->error. */
int pcn_block_advance(pcn_block *blk, int64_t nsteps);

/* One step in two halves, for gap junctions between blocks: steps A-G, then (after every
 * block has done its first half) the gap transfer and steps H-L. */
void pcn_block_step_first_half(pcn_block *blk);
int pcn_block_step_second_half(pcn_block *blk);

/* Gap junction values from their sources (initialisation, and between the halves). */
void pcn_block_gap_transfer(pcn_block *blk);

/* Spikes of other blocks, (times, gids) in the order they were sent: each gid that drives
 * NetCons here sends their events, last NetCon first. */
void pcn_block_receive(pcn_block *blk, int64_t n, const double *times, const int32_t *gids);

/* Advance several blocks nsteps steps each, on up to nthreads OpenMP threads (blocks are
 * independent within a window). Returns the first block error met, 0 when none. */
int pcn_blocks_advance(pcn_block *const *blocks, int32_t nblock, int64_t nsteps,
                       int32_t nthreads);

/* One step of blocks joined by gap junctions: every block's first half (in parallel), then
 * every block's second half (in parallel). */
int pcn_blocks_step_halves(pcn_block *const *blocks, int32_t nblock, int32_t nthreads);

/* The two halves of pcn_blocks_step_halves on their own, for a transfer in between that
 * needs other ranks' values. */
void pcn_blocks_first_half(pcn_block *const *blocks, int32_t nblock, int32_t nthreads);
int pcn_blocks_second_half(pcn_block *const *blocks, int32_t nblock, int32_t nthreads);

/* For the device engine's window (device_window.c): a delivery pass up to til, PreSyn.send
 * of source p at ts, a spike recorded, the capacitance's factor of the diagonal. */
void pcn_block_deliver_events(pcn_block *blk, double til);
void pcn_block_presyn_send(pcn_block *blk, int32_t p, double ts);
void pcn_block_record_spike(pcn_block *blk, double t, int32_t gid);
double pcn_capacitance_factor(const pcn_block *blk);
/* Step C or I's Vector.play values at the block's t, into values[k] for play k. */
void pcn_block_play_values(pcn_block *blk, double *values);

/* Ions (numerics §9): Nernst potential [mV] at celsius [degC]. */
double pcn_nernst(double ci, double co, double z, double celsius);

#endif
