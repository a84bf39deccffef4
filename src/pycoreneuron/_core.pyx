# cython: language_level=3, boundscheck=False, wraparound=False
"""The bridge to the C kernels: hands NumPy buffers over and releases the GIL. No logic here."""

import numpy as np

cimport numpy as cnp

cnp.import_array()


cdef extern from "build_info.h":
    int pcn_openmp_enabled() nogil
    int pcn_openmp_max_threads() nogil
    int pcn_native_tuning() nogil
    int pcn_builtin_exp_variant() nogil


cdef extern from "exp_check.h":
    int pcn_exp_variant() nogil
    long long pcn_exp_mismatches(int variant, unsigned long long seed, long long n, double lo,
                                 double hi, double *first_bad) nogil


cdef extern from "device_host.h":
    void c_detect_crossings "pcn_detect_crossings"(int n, const int *node,
                                                   const double *threshold, const double *v,
                                                   unsigned char *above,
                                                   unsigned char *fired) nogil


cdef extern from "hines.h":
    void c_hines_solve "hines_solve"(int root_begin, int root_end, int node_begin, int node_end,
                                     const int *parent, const double *a, const double *b,
                                     double *d, double *rhs) nogil
    int c_hines_levels "hines_levels"(int nroot, int nnode, const int *parent,
                                      int *level_start) nogil
    void c_hines_solve_levels "hines_solve_levels"(int nlevel, const int *level_start,
                                                   const int *parent, const double *a,
                                                   const double *b, double *d, double *rhs,
                                                   double *factor) nogil
    void c_hines_interleaved "pcn_hines_interleaved"(int ncell, const int *cell_len,
                                                     const int *row_start, const int *parent,
                                                     const double *a, const double *b,
                                                     double *d, double *rhs) nogil


def openmp_enabled():
    return bool(pcn_openmp_enabled())


def openmp_max_threads():
    return int(pcn_openmp_max_threads())


def native_tuning():
    return bool(pcn_native_tuning())


def builtin_exp_variant():
    """The pcn_exp variant compiled into the built-in mechanisms (0: libm's exp)."""
    return int(pcn_builtin_exp_variant())


_exp_variant = None


def exp_variant():
    """The pcn_exp variant whose bits equal this process's libm exp: 1 (glibc's FMA build),
    2 (its plain build) or 0 (neither); checked once per process."""
    global _exp_variant
    if _exp_variant is None:
        _exp_variant = int(pcn_exp_variant())
    return _exp_variant


cdef extern from "<math.h>":
    double c_exp "exp"(double x) nogil


def libm_exp(const double[::1] x):
    """exp of every element by this process's libm (the reference of the device exp)."""
    out = np.empty(x.shape[0], dtype=np.float64)
    cdef double[::1] y = out
    cdef Py_ssize_t i
    with nogil:
        for i in range(x.shape[0]):
            y[i] = c_exp(x[i])
    return out


def exp_mismatches(int variant, unsigned long long seed, long long n, double lo, double hi):
    """(count, first argument) of n arguments (uniform in [lo, hi), or any bit pattern when
    lo == hi) where pcn_exp's variant differs from libm's exp in any bit."""
    cdef double first = 0.0
    cdef long long bad
    with nogil:
        bad = pcn_exp_mismatches(variant, seed, n, lo, hi, &first)
    return int(bad), (first if bad else None)


def hines_solve(int ncell, const int[::1] parent, const double[::1] a, const double[::1] b,
                double[::1] d, double[::1] rhs, bint check=True):
    """Solve the tree matrix of a forest whose first ncell nodes are the roots, in place.
    check=False skips the O(n) check of the parents (micro-benchmarks)."""
    cdef Py_ssize_t n = parent.shape[0]
    if not (a.shape[0] == n and b.shape[0] == n and d.shape[0] == n and rhs.shape[0] == n):
        raise ValueError("parent, a, b, d and rhs must have the same length")
    if ncell < 0 or ncell > n:
        raise ValueError("ncell must be between 0 and the number of nodes")
    cdef Py_ssize_t i
    for i in range(ncell, n if check else ncell):
        if parent[i] < 0 or parent[i] >= i:
            raise ValueError(f"parent[{i}] = {parent[i]} is not an earlier node")
    if n == 0:
        return
    with nogil:
        c_hines_solve(0, ncell, ncell, <int>n, &parent[0], &a[0], &b[0], &d[0], &rhs[0])


def hines_levels(int ncell, const int[::1] parent):
    """Where each depth level starts (roots, level 0, first; the last entry is the number of
    nodes), or None when the nodes are not sorted by depth."""
    cdef Py_ssize_t n = parent.shape[0]
    if ncell < 1 or ncell > n:
        raise ValueError("ncell must be between 1 and the number of nodes")
    start = np.zeros(n + 2, dtype=np.int32)
    cdef int[::1] s = start
    cdef int nlevel
    with nogil:
        nlevel = c_hines_levels(ncell, <int>n, &parent[0], &s[0])
    return start[: nlevel + 1] if nlevel > 0 else None


def hines_solve_levels(const int[::1] level_start, const int[::1] parent, const double[::1] a,
                       const double[::1] b, double[::1] d, double[::1] rhs, bint check=True):
    """hines_solve for nodes sorted by depth, level by level (level_start from hines_levels).
    check=False skips the O(n) check that they are (micro-benchmarks)."""
    cdef Py_ssize_t n = parent.shape[0]
    if not (a.shape[0] == n and b.shape[0] == n and d.shape[0] == n and rhs.shape[0] == n):
        raise ValueError("parent, a, b, d and rhs must have the same length")
    cdef Py_ssize_t nlevel = level_start.shape[0] - 1
    if nlevel < 1 or level_start[0] != 0 or level_start[nlevel] != n:
        raise ValueError("level_start must run from 0 to the number of nodes")
    if check:
        levels = hines_levels(level_start[1], parent)
        if levels is None or not np.array_equal(levels, np.asarray(level_start)):
            raise ValueError("the nodes are not sorted by depth as level_start says")
    factor = np.empty(max(1, n), dtype=np.float64)
    cdef double[::1] f = factor
    with nogil:
        c_hines_solve_levels(<int>nlevel, &level_start[0], &parent[0], &a[0], &b[0], &d[0],
                             &rhs[0], &f[0])


def hines_interleaved(const int[::1] cell_len, const int[::1] row_start,
                      const int[::1] parent, const double[::1] a, const double[::1] b,
                      double[::1] d, double[::1] rhs):
    """hines_solve on the device layout (partition.cell_interleaved_positions), one cell
    after another: the host build of the kernel the CUDA module runs."""
    cdef Py_ssize_t n = parent.shape[0]
    if not (a.shape[0] == n and b.shape[0] == n and d.shape[0] == n and rhs.shape[0] == n):
        raise ValueError("parent, a, b, d and rhs must have the same length")
    cdef int ncell = <int>cell_len.shape[0]
    check_interleaved(np.asarray(cell_len), np.asarray(row_start), np.asarray(parent), ncell,
                       <int>n)
    if n == 0:
        return
    with nogil:
        c_hines_interleaved(ncell, &cell_len[0], &row_start[0], &parent[0], &a[0], &b[0],
                            &d[0], &rhs[0])


def detect_crossings(const int[::1] node, const double[::1] threshold, const double[::1] v,
                     unsigned char[::1] above):
    """Threshold detection by the host build of the device kernel: updates above, returns
    the fired flags (one per source)."""
    cdef Py_ssize_t n = node.shape[0]
    if threshold.shape[0] != n or above.shape[0] != n:
        raise ValueError("node, threshold and above must have one entry per source")
    cdef Py_ssize_t k
    for k in range(n):
        if node[k] < 0 or node[k] >= v.shape[0]:
            raise ValueError(f"source {k}: node {node[k]} out of range")
    fired = np.zeros(n, dtype=np.uint8)
    cdef unsigned char[::1] f = fired
    if n > 0:
        with nogil:
            c_detect_crossings(<int>n, &node[0], &threshold[0], &v[0], &above[0], &f[0])
    return fired


include "_event_queue.pxi"
include "_cable.pxi"
include "_random123.pxi"
include "_engine.pxi"
include "_patternstim.pxi"
include "_layout.pxi"
include "_block_state.pxi"
