/* A block's run-time state that lives in C rather than in the arrays Python owns: the
 * pending events (in the order they would be delivered) and the Vector.play positions, read
 * for a checkpoint and written back to resume from one (pycoreneuron.engine.checkpoint).
 */
#ifndef PCN_BLOCK_STATE_H
#define PCN_BLOCK_STATE_H

#include <stdint.h>

#include "engine.h"
#include "event_queue.h"

/* The pending events in delivery order, with their handles; returns how many (at most
 * capacity are written). Re-inserting them in this order into an empty queue rebuilds a
 * queue that delivers, and takes new events, exactly as this one does: the least slot holds
 * the first, the tree the rest in order (event_queue.h). */
int32_t pcn_block_pending_events(const pcn_block *blk, pcn_event *events, int32_t *handles,
                                 int32_t capacity);

/* Ready a block to continue from saved state instead of finitialize (and the first part of
 * finitialize itself, at t = 0): time, steps done, the hooks' dt/celsius, an empty queue, no
 * pending self events or buffered calls, no samples. */
void pcn_block_resume(pcn_block *blk, double t, int64_t steps_done);

/* Set the block's time, step and steps done, for -k/--forwardskip (CoreNEURON's
 * handle_forward_skip: ten steps of a tenth of the skip from t = -1e9, then back). */
void pcn_block_retime(pcn_block *blk, double t, double dt, int64_t steps_done);

/* Forget the spikes recorded so far (those of a forward skip) and the samples after the
 * first nsample. */
void pcn_block_forget(pcn_block *blk, int64_t nsample);

/* Insert a saved event; returns its handle, -1 when memory ran out. */
int32_t pcn_block_insert_event(pcn_block *blk, const pcn_event *event);

#endif
