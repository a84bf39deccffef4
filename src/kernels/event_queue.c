#include "event_queue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Heap order: earlier time first; equal times in the order they entered the tree. */
static int earlier(const pcn_event_queue *q, int32_t x, int32_t y) {
    const double tx = q->events[x].t, ty = q->events[y].t;
    if (tx != ty) {
        return tx < ty;
    }
    return q->entered[x] < q->entered[y];
}

static void heap_place(pcn_event_queue *q, int32_t index, int32_t handle) {
    q->heap[index] = handle;
    q->position[handle] = index;
}

static void sift_up(pcn_event_queue *q, int32_t index) {
    const int32_t handle = q->heap[index];
    while (index > 0) {
        const int32_t parent = (index - 1) / 2;
        if (!earlier(q, handle, q->heap[parent])) {
            break;
        }
        heap_place(q, index, q->heap[parent]);
        index = parent;
    }
    heap_place(q, index, handle);
}

static void sift_down(pcn_event_queue *q, int32_t index) {
    const int32_t handle = q->heap[index];
    for (;;) {
        int32_t child = 2 * index + 1;
        if (child >= q->ntree) {
            break;
        }
        if (child + 1 < q->ntree && earlier(q, q->heap[child + 1], q->heap[child])) {
            child += 1;
        }
        if (!earlier(q, q->heap[child], handle)) {
            break;
        }
        heap_place(q, index, q->heap[child]);
        index = child;
    }
    heap_place(q, index, handle);
}

static void tree_insert(pcn_event_queue *q, int32_t handle) {
    q->entered[handle] = q->nentered++;
    heap_place(q, q->ntree, handle);
    q->ntree += 1;
    sift_up(q, q->ntree - 1);
}

static void tree_delete(pcn_event_queue *q, int32_t handle) {
    const int32_t index = q->position[handle];
    q->position[handle] = -1;
    q->ntree -= 1;
    if (index == q->ntree) {
        return;
    }
    const int32_t moved = q->heap[q->ntree];
    heap_place(q, index, moved);
    sift_down(q, index);
    sift_up(q, q->position[moved]);
}

static int32_t tree_pop_first(pcn_event_queue *q) {
    const int32_t first = q->heap[0];
    tree_delete(q, first);
    return first;
}

/* The pool's arrays resized for `capacity` handles; 0, or -1 out of memory. */
static int resize_pool(pcn_event_queue *q, int32_t capacity) {
    const size_t n = (size_t)capacity;
    pcn_event *events = realloc(q->events, n * sizeof *events);
    if (events) q->events = events;
    int64_t *entered = realloc(q->entered, n * sizeof *entered);
    if (entered) q->entered = entered;
    int32_t *heap = realloc(q->heap, n * sizeof *heap);
    if (heap) q->heap = heap;
    int32_t *position = realloc(q->position, n * sizeof *position);
    if (position) q->position = position;
    int32_t *free_list = realloc(q->free_list, n * sizeof *free_list);
    if (free_list) q->free_list = free_list;
    return events && entered && heap && position && free_list ? 0 : -1;
}

static int grow(pcn_event_queue *q) {
    const int32_t old = q->capacity;
    const int32_t capacity = old > 0 ? 2 * old : 64;
    if (resize_pool(q, capacity) != 0) {
        return -1;
    }
    /* New handles are handed out lowest first. */
    for (int32_t h = capacity - 1; h >= old; --h) {
        q->position[h] = -1;
        q->free_list[q->nfree++] = h;
    }
    q->capacity = capacity;
    return 0;
}

int pcn_queue_init(pcn_event_queue *q, int32_t capacity) {
    memset(q, 0, sizeof *q);
    q->least = -1;
    while (q->capacity < capacity) {
        if (grow(q) != 0) {
            pcn_queue_free(q);
            return -1;
        }
    }
    return 0;
}

void pcn_queue_free(pcn_event_queue *q) {
    free(q->events);
    free(q->entered);
    free(q->heap);
    free(q->position);
    free(q->free_list);
    memset(q, 0, sizeof *q);
    q->least = -1;
}

void pcn_queue_clear(pcn_event_queue *q) {
    q->nfree = 0;
    for (int32_t h = q->capacity - 1; h >= 0; --h) {
        q->position[h] = -1;
        q->free_list[q->nfree++] = h;
    }
    q->ntree = 0;
    q->least = -1;
    q->nentered = 0;
    q->high = 0;
}

int pcn_queue_copy(pcn_event_queue *dst, const pcn_event_queue *src) {
    /* Handles from `upto` on were never handed out by either queue when the capacities agree
     * (copies of one queue's states): their pool entries and their places at the bottom of
     * the free list (capacity - 1, ..., upto) are the same in both and stay. */
    int32_t upto = src->capacity;
    if (dst->capacity == src->capacity) {
        upto = src->high > dst->high ? src->high : dst->high;
    } else if (dst->capacity < src->capacity && resize_pool(dst, src->capacity) != 0) {
        return -1;
    }
    const int32_t from = src->capacity - upto;
    memcpy(dst->events, src->events, (size_t)upto * sizeof *dst->events);
    memcpy(dst->entered, src->entered, (size_t)upto * sizeof *dst->entered);
    memcpy(dst->position, src->position, (size_t)upto * sizeof *dst->position);
    memcpy(dst->heap, src->heap, (size_t)src->ntree * sizeof *dst->heap);
    memcpy(dst->free_list + from, src->free_list + from,
           (size_t)(src->nfree - from) * sizeof *dst->free_list);
    dst->capacity = src->capacity; /* handles beyond it are not dst's to hand out */
    dst->nfree = src->nfree;
    dst->ntree = src->ntree;
    dst->least = src->least;
    dst->nentered = src->nentered;
    dst->high = src->high;
    return 0;
}

int32_t pcn_queue_size(const pcn_event_queue *q) { return q->ntree + (q->least >= 0 ? 1 : 0); }

int32_t pcn_queue_insert(pcn_event_queue *q, const pcn_event *event) {
    if (q->nfree == 0 && grow(q) != 0) {
        return -1;
    }
    const int32_t handle = q->free_list[--q->nfree];
    if (handle >= q->high) {
        q->high = handle + 1;
    }
    q->events[handle] = *event;
    if (q->least < 0) {
        q->least = handle;
    } else if (event->t < q->events[q->least].t) {
        tree_insert(q, q->least);
        q->least = handle;
    } else {
        tree_insert(q, handle);
    }
    return handle;
}

double pcn_queue_least_time(const pcn_event_queue *q) {
    return q->least >= 0 ? q->events[q->least].t : INFINITY;
}

static void refill_least(pcn_event_queue *q) {
    q->least = q->ntree > 0 ? tree_pop_first(q) : -1;
}

int pcn_queue_pop(pcn_event_queue *q, double til, pcn_event *out) {
    if (q->least < 0 || !(q->events[q->least].t <= til)) {
        return 0;
    }
    const int32_t handle = q->least;
    *out = q->events[handle];
    q->free_list[q->nfree++] = handle;
    refill_least(q);
    return 1;
}

int pcn_queue_is_pending(const pcn_event_queue *q, int32_t handle) {
    if (handle < 0 || handle >= q->capacity) {
        return 0;
    }
    return handle == q->least || q->position[handle] >= 0;
}

void pcn_queue_remove(pcn_event_queue *q, int32_t handle) {
    if (handle == q->least) {
        refill_least(q);
    } else {
        tree_delete(q, handle);
    }
    q->free_list[q->nfree++] = handle;
}

void pcn_queue_move(pcn_event_queue *q, int32_t handle, double tnew) {
    if (handle == q->least) {
        /* The least keeps its slot unless the tree's first event is now strictly earlier. */
        q->events[handle].t = tnew;
        if (q->ntree > 0 && tnew > q->events[q->heap[0]].t) {
            q->least = tree_pop_first(q);
            tree_insert(q, handle);
        }
    } else if (tnew < q->events[q->least].t) {
        tree_delete(q, handle);
        q->events[handle].t = tnew;
        tree_insert(q, q->least);
        q->least = handle;
    } else {
        tree_delete(q, handle);
        q->events[handle].t = tnew;
        tree_insert(q, handle);
    }
}
