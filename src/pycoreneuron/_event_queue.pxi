# Included by _core.pyx: the C event queue, owned by a thin class so tests can drive it.

from libc.stdint cimport int32_t, int64_t


cdef extern from "event_queue.h":
    ctypedef struct pcn_event:
        double t
        double flag
        int32_t kind
        int32_t target
        int32_t instance
        int32_t weight

    ctypedef struct pcn_event_queue:
        pass

    int pcn_queue_init(pcn_event_queue *q, int32_t capacity) nogil
    void pcn_queue_free(pcn_event_queue *q) nogil
    int32_t pcn_queue_size(const pcn_event_queue *q) nogil
    int32_t pcn_queue_insert(pcn_event_queue *q, const pcn_event *event) nogil
    double pcn_queue_least_time(const pcn_event_queue *q) nogil
    int pcn_queue_pop(pcn_event_queue *q, double til, pcn_event *out) nogil
    int pcn_queue_is_pending(const pcn_event_queue *q, int32_t handle) nogil
    void pcn_queue_remove(pcn_event_queue *q, int32_t handle) nogil
    void pcn_queue_move(pcn_event_queue *q, int32_t handle, double tnew) nogil
    int pcn_queue_copy(pcn_event_queue *dst, const pcn_event_queue *src) nogil


cdef class EventQueue:
    """A block's event queue (src/kernels/event_queue.c), for tests and set-up code."""

    cdef pcn_event_queue queue

    def __cinit__(self, int capacity=64):
        if pcn_queue_init(&self.queue, capacity) != 0:
            raise MemoryError("event queue")

    def __dealloc__(self):
        pcn_queue_free(&self.queue)

    def __len__(self):
        return pcn_queue_size(&self.queue)

    def insert(self, double t, int target=0, double flag=0.0, int kind=0, int instance=0,
               int weight=0):
        """Insert an event; returns its handle."""
        cdef pcn_event event
        event.t = t
        event.flag = flag
        event.kind = kind
        event.target = target
        event.instance = instance
        event.weight = weight
        cdef int32_t handle = pcn_queue_insert(&self.queue, &event)
        if handle < 0:
            raise MemoryError("event queue")
        return handle

    def least_time(self):
        return pcn_queue_least_time(&self.queue)

    def pop(self, double til):
        """(t, target, flag) of the least event if its time is <= til, else None."""
        cdef pcn_event event
        if not pcn_queue_pop(&self.queue, til, &event):
            return None
        return (event.t, event.target, event.flag)

    def _check_pending(self, int handle):
        if not pcn_queue_is_pending(&self.queue, handle):
            raise ValueError(f"no pending event with handle {handle}")

    def remove(self, int handle):
        self._check_pending(handle)
        pcn_queue_remove(&self.queue, handle)

    def move(self, int handle, double tnew):
        self._check_pending(handle)
        pcn_queue_move(&self.queue, handle, tnew)

    def copy_from(self, EventQueue other):
        """Become an exact copy of other, handles included (pcn_queue_copy)."""
        if pcn_queue_copy(&self.queue, &other.queue) != 0:
            raise MemoryError("event queue copy")
