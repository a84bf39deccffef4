# cython: language_level=3, boundscheck=False, wraparound=False
"""The bridge to the C kernels: hands NumPy buffers over and releases the GIL. No logic here."""

import numpy as np

cimport numpy as cnp

cnp.import_array()


cdef extern from "build_info.h":
    int pcn_openmp_enabled() nogil
    int pcn_openmp_max_threads() nogil
    int pcn_native_tuning() nogil


cdef extern from "hines.h":
    void c_hines_solve "hines_solve"(int root_begin, int root_end, int node_begin, int node_end,
                                     const int *parent, const double *a, const double *b,
                                     double *d, double *rhs) nogil


def openmp_enabled():
    return bool(pcn_openmp_enabled())


def openmp_max_threads():
    return int(pcn_openmp_max_threads())


def native_tuning():
    return bool(pcn_native_tuning())


def hines_solve(int ncell, const int[::1] parent, const double[::1] a, const double[::1] b,
                double[::1] d, double[::1] rhs):
    """Solve the tree matrix of a forest whose first ncell nodes are the roots, in place."""
    cdef Py_ssize_t n = parent.shape[0]
    if not (a.shape[0] == n and b.shape[0] == n and d.shape[0] == n and rhs.shape[0] == n):
        raise ValueError("parent, a, b, d and rhs must have the same length")
    if ncell < 0 or ncell > n:
        raise ValueError("ncell must be between 0 and the number of nodes")
    cdef Py_ssize_t i
    for i in range(ncell, n):
        if parent[i] < 0 or parent[i] >= i:
            raise ValueError(f"parent[{i}] = {parent[i]} is not an earlier node")
    if n == 0:
        return
    with nogil:
        c_hines_solve(0, ncell, ncell, <int>n, &parent[0], &a[0], &b[0], &d[0], &rhs[0])


include "_event_queue.pxi"
include "_cable.pxi"
include "_random123.pxi"
include "_engine.pxi"
