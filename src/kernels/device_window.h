/* The device engine's window on one block (docs/dev/device-engine.md): the cable and the
 * mechanisms advance a whole window of steps with no host work inside it, while the host
 * keeps the event queue and the artificial cells, exactly as the CPU engine orders them.
 *
 * Per window of at most the smallest delay of the NetCons the block's own spikes drive:
 *
 *  1. plan: the host runs the window's delivery passes on its queue before the device does.
 *     Artificial cells (NetStim, IntFire*, PatternStim) receive their events as on the CPU;
 *     the device mechanisms' events are kept, each pass's calls sorted as the CPU engine runs
 *     them (by instance, then arrival), as the window's schedule. Every queue operation is
 *     logged. The block's own spikes of the window cannot be due inside it, and inserting
 *     events later than every event popped in a window does not change the order those pop in
 *     (event_queue.h), so the passes pop what the CPU engine pops.
 *  2. steps: the device runs the window's steps (the kernels only), the schedule's NET_RECEIVE
 *     calls in their passes, threshold crossings into one row of flags per step.
 *  3. finish: the host puts back the queue of the window's start and replays the log with the
 *     device's spikes inserted where the CPU engine inserts them (A1 of their step, sources in
 *     order): the queue, its handles and the recorded spikes end as the CPU engine's. Each
 *     replayed pop is checked against the planned one.
 *
 * Here the steps run the host build of the kernels (pcn_device_host_ops): the CPU test suite
 * checks the whole window, bit for bit against the CPU engine.
 */
#ifndef PCN_DEVICE_WINDOW_H
#define PCN_DEVICE_WINDOW_H

#include <stdint.h>

#include "engine.h"
#include "event_queue.h"

/* One mechanism's NET_RECEIVE calls in one delivery pass (2 s: A of step s, 2 s + 1: L):
 * runs run0 .. run0 + nrun - 1 of the plan's run_start, one run per instance. */
typedef struct {
    int32_t pass;
    int32_t mech;
    int32_t run0;
    int32_t nrun;
} pcn_window_segment;

enum pcn_window_op_kind {
    PCN_OP_STEP = 0,   /* a step begins at event.t: the device's spikes of the step go here */
    PCN_OP_INSERT = 1, /* event inserted, handle it got */
    PCN_OP_POP = 2,    /* event popped */
    PCN_OP_MOVE = 3,   /* net_move of handle to event.t */
    PCN_OP_SPIKE = 4,  /* a spike of gid `handle` at event.t recorded */
    PCN_OP_SELF = 5,   /* mechanism event.target's instance event.instance keeps `handle` */
};

typedef struct {
    int32_t what;
    int32_t handle;
    pcn_event event;
} pcn_window_op;

struct pcn_window_plan {
    int32_t pass; /* the pass being planned */
    /* the schedule: segments in pass order; calls run_start[r] .. run_start[r + 1] - 1 */
    pcn_window_segment *seg;
    int32_t nseg;
    int64_t seg_capacity;
    int32_t *run_start;
    int32_t nrun;
    int64_t run_capacity;
    int32_t *instance, *weight;
    double *t, *flag;
    int32_t ncall;
    int64_t call_capacity;
    /* the queue's operations in the window, and the queue as the window began */
    pcn_window_op *ops;
    int64_t nop, op_capacity;
    pcn_event_queue saved;
    int32_t *handle_map; /* planned handle -> replayed handle */
    int64_t map_capacity;
    /* threshold crossings: row s (nvoltage flags) for step s of the window */
    unsigned char *fired;
    int64_t fired_capacity;
    /* Vector.play: the targets; the values of steps C and I (rows 2 s and 2 s + 1, nplay
     * each); and each pass's play events, the last value per play and pass (nothing on the
     * device reads a target between two events of one pass) */
    double **play_target;
    double *play_rows;
    int64_t play_rows_capacity;
    int32_t *write_pass, *write_play;
    double *write_value;
    int32_t nwrite;
    int64_t write_capacity;
    int32_t *last_write; /* per play: its write in the current pass, or -1 */
};

/* The kernels a window launches, in the signatures of the single-source kernels. */
typedef struct {
    void (*detect)(int n, const int *node, const double *threshold, const double *v,
                   unsigned char *above, unsigned char *fired);
    void (*clear)(int n, double *rhs, double *d);
    void (*capacitance_d)(int n, const int *node, const double *cm, double cfac, double *d);
    void (*axial)(int ncell, const int *cell_len, const int *row_start, const int *parent,
                  const double *a, const double *b, const double *v, double *rhs, double *d);
    void (*hines)(int ncell, const int *cell_len, const int *row_start, const int *parent,
                  const double *a, const double *b, double *d, double *rhs);
    void (*update_v)(int n, int secondorder, const double *rhs, double *v);
    void (*capacitance_current)(int n, const int *node, const double *cm, double cfac,
                                const double *rhs, double *i_cap);
    void (*ion_current)(int n, int stride, double *data, const int *style, double charge,
                        double celsius);
    void (*ion_second_order)(int n, int stride, double *data, const int *node,
                             const double *rhs);
    void (*record)(int n, const double *const *where, double *row);
    void (*play_set)(int n, double *const *target, const double *values);
    void (*play_write)(int n, double *const *target, const int *which, const double *values);
    void (*gap_transfer)(int n, double *const *target, const double *const *source);
} pcn_device_ops;

/* The host build of the kernels. */
extern const pcn_device_ops pcn_device_host_ops;

void pcn_window_plan_free(pcn_window_plan *plan);

/* From engine.c while a plan is active: a queue operation, and a pass's buffered calls of a
 * device mechanism (sorted). */
void pcn_window_log(pcn_block *blk, int32_t what, int32_t handle, const pcn_event *event);
void pcn_window_play_write(pcn_block *blk, int32_t play, double value);
void pcn_window_add_calls(pcn_block *blk, int32_t mech, const pcn_buffered_call *calls,
                          int32_t n);

/* Advance nsteps steps in windows of at most blk->device_window steps. Returns blk->error. */
int pcn_block_advance_device(pcn_block *blk, int64_t nsteps);

#endif
