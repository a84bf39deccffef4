# Included by _core.pyx: the spike list of a -p run's PatternStim (src/kernels/patternstim.c),
# owned by a thin class. pycoreneuron.engine.patternstim decides what goes in.

cdef extern from "patternstim.h":
    ctypedef struct pcn_patternstim:
        int64_t size
        int64_t index
        int64_t nsent

    int pcn_patternstim_setup(pcn_patternstim *ps, int64_t size, const double *t,
                              const int32_t *gid, const uint8_t *is_input, pcn_block *host,
                              int32_t relay) nogil
    void pcn_patternstim_release(pcn_patternstim *ps) nogil
    void pcn_patternstim_relay(pcn_patternstim *ps, pcn_block **blocks, int32_t nblock) nogil


cdef class PatternStimList:
    """The raster behind the PatternStim instance in block `host`; `address` goes into the
    instance's BBCOREPOINTER (vdata) entry."""

    cdef pcn_patternstim ps
    cdef list keep
    cdef bint ready

    def __cinit__(self):
        self.ready = False

    def __init__(self, Block host, const double[::1] times, const int32_t[::1] gids,
                 const uint8_t[::1] is_input, bint relay):
        if not times.shape[0] == gids.shape[0] == is_input.shape[0]:
            raise ValueError("one gid and one input flag per spike time")
        self.keep = [host, times, gids, is_input]
        cdef Py_ssize_t n = times.shape[0]
        if pcn_patternstim_setup(&self.ps, n, &times[0] if n else NULL,
                                 &gids[0] if n else NULL, &is_input[0] if n else NULL,
                                 &host.blk, relay) != 0:
            raise ValueError("PatternStim needs a host block")
        self.ready = True

    def __dealloc__(self):
        if self.ready:
            pcn_patternstim_release(&self.ps)

    @property
    def address(self):
        return <uintptr_t>&self.ps

    @property
    def sent(self):
        """Raster entries sent so far (the next to send)."""
        return self.ps.index

    def relay(self, BlockSet blocks):
        """The entries the host sent since the last relay, to every other block."""
        with nogil:
            pcn_patternstim_relay(&self.ps, blocks.pointers, blocks.n)
