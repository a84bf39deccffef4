# Included by _core.pyx: a block's C-side run-time state (src/kernels/block_state.c) for
# checkpoints. pycoreneuron.engine.checkpoint decides what the state means.

cdef extern from "block_state.h":
    int32_t pcn_block_pending_events(const pcn_block *blk, pcn_event *events, int32_t *handles,
                                     int32_t capacity) nogil
    void pcn_block_resume(pcn_block *blk, double t, int64_t steps_done) nogil
    int32_t pcn_block_insert_event(pcn_block *blk, const pcn_event *event) nogil
    void pcn_block_retime(pcn_block *blk, double t, double dt, int64_t steps_done) nogil
    void pcn_block_forget(pcn_block *blk, int64_t nsample) nogil


EVENT_DTYPE = np.dtype([("t", np.float64), ("flag", np.float64), ("kind", np.int32),
                        ("target", np.int32), ("instance", np.int32), ("weight", np.int32)])


def block_pending_events(Block block):
    """(events, handles): the block's pending events in delivery order (EVENT_DTYPE)."""
    cdef int32_t n = pcn_block_pending_events(&block.blk, NULL, NULL, 0)
    events = np.zeros(n, dtype=EVENT_DTYPE)
    handles = np.zeros(n, dtype=np.int32)
    cdef pcn_event[::1] ev
    cdef int32_t[::1] hv = handles
    if n == 0:
        return events, handles
    ev = events
    if pcn_block_pending_events(&block.blk, &ev[0], &hv[0], n) != n:
        raise MemoryError("pending events")
    return events, handles


def block_resume(Block block, double t, int64_t steps_done):
    """Ready the block to continue at t after steps_done steps, its queue empty."""
    pcn_block_resume(&block.blk, t, steps_done)


def block_insert_events(Block block, events):
    """Insert events (EVENT_DTYPE, in delivery order); returns their handles."""
    cdef pcn_event[::1] ev = np.ascontiguousarray(events, dtype=EVENT_DTYPE)
    cdef Py_ssize_t n = ev.shape[0]
    handles = np.zeros(n, dtype=np.int32)
    cdef int32_t[::1] hv = handles
    cdef Py_ssize_t k
    for k in range(n):
        if ev[k].kind == 0 and not 0 <= ev[k].target < block.blk.nnetcon:
            raise ValueError(f"event {k}: NetCon {ev[k].target} is not in the block")
        if ev[k].kind in (1, 3) and not 0 <= ev[k].target < block.blk.nmech:
            raise ValueError(f"event {k}: mechanism {ev[k].target} is not in the block")
        if ev[k].kind == 2 and not 0 <= ev[k].target < block.blk.nplay:
            raise ValueError(f"event {k}: Vector.play {ev[k].target} is not in the block")
        hv[k] = pcn_block_insert_event(&block.blk, &ev[k])
        if hv[k] < 0:
            raise MemoryError("events")
    return handles


def block_play_state(Block block):
    """(ubound, last) of every Vector.play of the block."""
    cdef int32_t n = block.blk.nplay
    ubound = np.zeros(n, dtype=np.int32)
    last = np.zeros(n, dtype=np.int32)
    cdef int32_t k
    for k in range(n):
        ubound[k] = block.blk.plays[k].ubound
        last[k] = block.blk.plays[k].last
    return ubound, last


def block_set_play_state(Block block, const int32_t[::1] ubound, const int32_t[::1] last):
    cdef int32_t k
    if ubound.shape[0] != block.blk.nplay or last.shape[0] != block.blk.nplay:
        raise ValueError("one position per Vector.play")
    for k in range(block.blk.nplay):
        if not (0 <= ubound[k] < block.blk.plays[k].n and 0 <= last[k] < block.blk.plays[k].n):
            raise ValueError(f"Vector.play {k}: position outside its vector")
        block.blk.plays[k].ubound = ubound[k]
        block.blk.plays[k].last = last[k]


def patternstim_position(PatternStimList raster):
    """The next raster entry the PatternStim sends."""
    return raster.ps.index


def set_patternstim_position(PatternStimList raster, int64_t index):
    if not 0 <= index <= raster.ps.size:
        raise ValueError("PatternStim position outside its raster")
    raster.ps.index = index
    raster.ps.nsent = 0


def block_retime(Block block, double t, double dt, int64_t steps_done):
    """Set the block's time, step and step count (-k/--forwardskip)."""
    if not dt > 0:
        raise ValueError("dt must be > 0")
    pcn_block_retime(&block.blk, t, dt, steps_done)


def block_forget(Block block, int64_t nsample):
    """Drop the spikes recorded so far, and the samples after the first nsample."""
    pcn_block_forget(&block.blk, nsample)
