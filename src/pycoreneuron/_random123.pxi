# Included by _core.pyx: Philox4x32-10 and nrnran123 streams (src/kernels/random123.c), for
# tests and set-up code.

from libc.stdint cimport int32_t, uint32_t


cdef extern from "random123.h":
    ctypedef struct pcn_ran123_stream:
        uint32_t c[4]
        uint32_t r[4]
        uint32_t key0
        int32_t which

    void pcn_philox4x32_10(const uint32_t *ctr, const uint32_t *key, uint32_t *out) nogil
    void pcn_ran123_init(pcn_ran123_stream *s, uint32_t id1, uint32_t id2, uint32_t id3,
                         uint32_t globalindex) nogil
    void pcn_ran123_setids(pcn_ran123_stream *s, uint32_t id1, uint32_t id2, uint32_t id3) nogil
    void pcn_ran123_getids(const pcn_ran123_stream *s, uint32_t *id1, uint32_t *id2,
                           uint32_t *id3) nogil
    void pcn_ran123_set_globalindex(pcn_ran123_stream *s, uint32_t globalindex) nogil
    void pcn_ran123_setseq(pcn_ran123_stream *s, uint32_t seq, int which) nogil
    void pcn_ran123_setseq34(pcn_ran123_stream *s, double x) nogil
    void pcn_ran123_getseq(const pcn_ran123_stream *s, uint32_t *seq, int *which) nogil
    uint32_t pcn_ran123_ipick(pcn_ran123_stream *s) nogil
    double pcn_ran123_uint2dbl(uint32_t u) nogil
    double pcn_ran123_uniform(pcn_ran123_stream *s) nogil
    double pcn_ran123_uniform_ab(pcn_ran123_stream *s, double a, double b) nogil
    double pcn_ran123_negexp(pcn_ran123_stream *s) nogil
    double pcn_ran123_normal(pcn_ran123_stream *s) nogil


def philox4x32_10(ctr, key):
    """Philox4x32-10 of a 4-word counter and a 2-word key; returns the 4 output words."""
    cdef uint32_t c[4]
    cdef uint32_t k[2]
    cdef uint32_t out[4]
    if len(ctr) != 4 or len(key) != 2:
        raise ValueError("ctr needs 4 words and key 2")
    cdef int i
    for i in range(4):
        c[i] = ctr[i]
    for i in range(2):
        k[i] = key[i]
    pcn_philox4x32_10(c, k, out)
    return (out[0], out[1], out[2], out[3])


cdef class Random123Stream:
    """One nrnran123 stream: ids (id1, id2, id3), global index, sequence and position."""

    cdef pcn_ran123_stream s

    def __cinit__(self, uint32_t id1=0, uint32_t id2=0, uint32_t id3=0,
                  uint32_t globalindex=0):
        pcn_ran123_init(&self.s, id1, id2, id3, globalindex)

    def set_ids(self, uint32_t id1, uint32_t id2, uint32_t id3=0):
        pcn_ran123_setids(&self.s, id1, id2, id3)

    def get_ids(self):
        cdef uint32_t a, b, c
        pcn_ran123_getids(&self.s, &a, &b, &c)
        return (a, b, c)

    def set_globalindex(self, uint32_t globalindex):
        pcn_ran123_set_globalindex(&self.s, globalindex)

    def set_seq(self, uint32_t seq, int which=0):
        pcn_ran123_setseq(&self.s, seq, which)

    def set_seq34(self, double x):
        """As random_setseq(ranvar, x): x = 4*sequence + which."""
        pcn_ran123_setseq34(&self.s, x)

    def get_seq(self):
        cdef uint32_t seq
        cdef int which
        pcn_ran123_getseq(&self.s, &seq, &which)
        return (seq, which)

    def ipick(self):
        return pcn_ran123_ipick(&self.s)

    def uniform(self, a=None, b=None):
        """A draw in (0, 1), or a + u*(b - a) when both bounds are given."""
        if a is None and b is None:
            return pcn_ran123_uniform(&self.s)
        if a is None or b is None:
            raise TypeError("give both bounds or none")
        return pcn_ran123_uniform_ab(&self.s, a, b)

    def negexp(self):
        return pcn_ran123_negexp(&self.s)

    def normal(self):
        return pcn_ran123_normal(&self.s)

    def draws(self, str kind, Py_ssize_t n):
        """n draws of one kind ('uniform', 'negexp', 'normal', 'ipick') as a NumPy array."""
        cdef cnp.ndarray out
        cdef Py_ssize_t i
        cdef double[::1] d
        cdef cnp.uint32_t[::1] u
        if kind == "ipick":
            out = np.empty(n, dtype=np.uint32)
            u = out
            for i in range(n):
                u[i] = pcn_ran123_ipick(&self.s)
            return out
        out = np.empty(n, dtype=np.float64)
        d = out
        if kind == "uniform":
            for i in range(n):
                d[i] = pcn_ran123_uniform(&self.s)
        elif kind == "negexp":
            for i in range(n):
                d[i] = pcn_ran123_negexp(&self.s)
        elif kind == "normal":
            for i in range(n):
                d[i] = pcn_ran123_normal(&self.s)
        else:
            raise ValueError(f"unknown kind {kind!r}")
        return out


def ran123_uint2dbl(uint32_t u):
    """The double nrnran123 makes of a 32-bit word: (u + 1)/(2^32 + 1), by multiplication."""
    return pcn_ran123_uint2dbl(u)
