/* A block's event queue, ordered exactly as CoreNEURON's default queue orders events.
 *
 * CoreNEURON keeps one "least" slot beside a splay tree. insert(t): when the queue is empty or
 * t is strictly earlier than the least, the old least goes into the tree and the new event takes
 * the slot; otherwise the new event goes into the tree, behind every tree event of equal time.
 * pop(til) returns the least when its time is <= til and refills the slot from the tree.
 * So equal-time events come out in insertion order, except that a least displaced by an
 * earlier event re-enters the tree behind equal-time events inserted after it. A binary heap
 * keyed by (time, moment of entering the tree) reproduces the tree's order.
 *
 * Events live in a pool with stable handles, so a pending self event can be found again
 * (net_move) from the handle a mechanism keeps. Storage grows only when an insert finds the
 * pool full; a queue sized once at set-up never allocates while stepping.
 */
#ifndef PCN_EVENT_QUEUE_H
#define PCN_EVENT_QUEUE_H

#include <stdint.h>

/* What an event does when delivered. */
enum pcn_event_kind {
    PCN_EVENT_NETCON = 0, /* a spike arriving through NetCon `target` */
    PCN_EVENT_SELF = 1,   /* net_send from mechanism `target`, instance `instance` */
    PCN_EVENT_PLAY = 2,   /* a VecPlay discontinuity */
    PCN_EVENT_WATCH = 3,  /* a WATCH condition became true */
};

typedef struct {
    double t;         /* delivery time [ms] */
    double flag;      /* NET_RECEIVE flag (0 for NetCon events) */
    int32_t kind;     /* enum pcn_event_kind */
    int32_t target;   /* NetCon index, or the mechanism's slot in the block */
    int32_t instance; /* mechanism instance (self events) */
    int32_t weight;   /* index of the first weight of the NetCon that sent it */
} pcn_event;

typedef struct {
    pcn_event *events;  /* pool, indexed by handle */
    int64_t *entered;   /* per handle: when it entered the tree (tie order) */
    int32_t *heap;      /* handles of tree events, a binary min-heap on (t, entered) */
    int32_t *position;  /* per handle: its index in heap, -1 when not in the tree */
    int32_t *free_list; /* unused handles */
    int32_t capacity;
    int32_t nfree;
    int32_t ntree;
    int32_t least;      /* handle in the least slot, -1 when empty */
    int64_t nentered;   /* tree entries so far */
    int32_t high;       /* handles below it have been handed out; free_list[0 ..
                           capacity - high) is capacity-1, ..., high (never used) */
} pcn_event_queue;

/* Set up an empty queue with room for `capacity` events; 0 on success, -1 out of memory. */
int pcn_queue_init(pcn_event_queue *q, int32_t capacity);
void pcn_queue_free(pcn_event_queue *q);
void pcn_queue_clear(pcn_event_queue *q);

/* Make dst (initialised, or zeroed) an exact copy of src, handles included; 0 on success, -1
 * out of memory (dst then unchanged). Between copies of one queue's states at one capacity
 * only the handles handed out so far are copied (a device window's cost: the events pending,
 * not the pool). */
int pcn_queue_copy(pcn_event_queue *dst, const pcn_event_queue *src);

/* Number of pending events. */
int32_t pcn_queue_size(const pcn_event_queue *q);

/* Insert an event; returns its handle, or -1 when memory ran out. */
int32_t pcn_queue_insert(pcn_event_queue *q, const pcn_event *event);

/* Time of the least event, or +infinity when empty. */
double pcn_queue_least_time(const pcn_event_queue *q);

/* When the least event's time is <= til, remove it into *out and return 1; else return 0. */
int pcn_queue_pop(pcn_event_queue *q, double til, pcn_event *out);

/* 1 when handle names an event still in the queue. */
int pcn_queue_is_pending(const pcn_event_queue *q, int32_t handle);

/* Remove a pending event by handle (it must be pending). */
void pcn_queue_remove(pcn_event_queue *q, int32_t handle);

/* Give a pending event a new time, as CoreNEURON's TQueue::move does (net_move). */
void pcn_queue_move(pcn_event_queue *q, int32_t handle, double tnew);

#endif
