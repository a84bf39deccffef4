# Included by _core.pyx: thin wrappers of the cable kernels (src/kernels/cable.c) for tests.


cdef extern from "cable.h":
    void cable_clear(int begin, int end, double *rhs, double *d) nogil
    void cable_axial_rhs(int node_begin, int node_end, const int *parent, const double *a,
                         const double *b, const double *v, double *rhs) nogil
    void cable_capacitance_d(int n, const int *node, const double *cm, double cfac,
                             double *d) nogil
    void cable_axial_d(int node_begin, int node_end, const int *parent, const double *a,
                       const double *b, double *d) nogil
    void cable_axial(int node_begin, int node_end, const int *parent, const double *a,
                     const double *b, const double *v, double *rhs, double *d) nogil
    void cable_update_v(int begin, int end, int secondorder, const double *rhs,
                        double *v) nogil
    int cable_detect_spikes(int n, const int *node, const double *threshold, const double *v,
                            unsigned char *above, int *fired) nogil


def _check_forest(int ncell, const int[::1] parent, Py_ssize_t n):
    if parent.shape[0] != n or ncell < 1 or ncell > n:
        raise ValueError("arrays must have one entry per node and ncell in 1..nnode")
    cdef Py_ssize_t i
    for i in range(ncell, n):
        if parent[i] < 0 or parent[i] >= i:
            raise ValueError(f"parent[{i}] = {parent[i]} is not an earlier node")


def cable_setup(int ncell, const int[::1] parent, const double[::1] a, const double[::1] b,
                const double[::1] v, const int[::1] cap_node, const double[::1] cm,
                double cfac, double[::1] rhs, double[::1] d):
    """Steps D1, D4, D6, D7 (no mechanism currents): the cable matrix of one step."""
    cdef Py_ssize_t n = v.shape[0]
    _check_forest(ncell, parent, n)
    if a.shape[0] != n or b.shape[0] != n or rhs.shape[0] != n or d.shape[0] != n:
        raise ValueError("arrays must have one entry per node")
    if cap_node.shape[0] != cm.shape[0]:
        raise ValueError("one cm per capacitance node")
    cdef Py_ssize_t k
    for k in range(cap_node.shape[0]):
        if cap_node[k] < 0 or cap_node[k] >= n:
            raise ValueError(f"capacitance node {cap_node[k]} out of range")
    with nogil:
        cable_clear(0, <int>n, &rhs[0], &d[0])
        cable_axial_rhs(ncell, <int>n, &parent[0], &a[0], &b[0], &v[0], &rhs[0])
        if cap_node.shape[0] > 0:
            cable_capacitance_d(<int>cap_node.shape[0], &cap_node[0], &cm[0], cfac, &d[0])
        cable_axial_d(ncell, <int>n, &parent[0], &a[0], &b[0], &d[0])


def axial_terms(int ncell, const int[::1] parent, const double[::1] a, const double[::1] b,
                const double[::1] v, double[::1] rhs, double[::1] d, bint fused=True):
    """Steps D4 and D7 on rhs and d as they are: fused (cable_axial, as the engine runs them)
    or one after the other (cable_axial_rhs, cable_axial_d)."""
    cdef Py_ssize_t n = v.shape[0]
    _check_forest(ncell, parent, n)
    if a.shape[0] != n or b.shape[0] != n or rhs.shape[0] != n or d.shape[0] != n:
        raise ValueError("arrays must have one entry per node")
    with nogil:
        if fused:
            cable_axial(ncell, <int>n, &parent[0], &a[0], &b[0], &v[0], &rhs[0], &d[0])
        else:
            cable_axial_rhs(ncell, <int>n, &parent[0], &a[0], &b[0], &v[0], &rhs[0])
            cable_axial_d(ncell, <int>n, &parent[0], &a[0], &b[0], &d[0])


def update_v(int secondorder, const double[::1] rhs, double[::1] v):
    """Step G: v += rhs (twice rhs with secondorder)."""
    if rhs.shape[0] != v.shape[0]:
        raise ValueError("rhs and v must have the same length")
    if v.shape[0] > 0:
        cable_update_v(0, <int>v.shape[0], secondorder, &rhs[0], &v[0])


def detect_spikes(const int[::1] node, const double[::1] threshold, const double[::1] v,
                  unsigned char[::1] above):
    """Step A1: indices of the sources whose v crossed threshold upward since the last call."""
    cdef Py_ssize_t n = node.shape[0], k
    if threshold.shape[0] != n or above.shape[0] != n:
        raise ValueError("one threshold and one flag per source")
    for k in range(n):
        if node[k] < 0 or node[k] >= v.shape[0]:
            raise ValueError(f"source node {node[k]} out of range")
    fired = np.zeros(n, dtype=np.int32)
    cdef int[::1] out = fired
    cdef int count = 0
    if n > 0:
        count = cable_detect_spikes(<int>n, &node[0], &threshold[0], &v[0], &above[0], &out[0])
    return fired[:count]


cdef extern from "device_host.h":
    void c_axial_cells "pcn_cable_axial_cells_k"(int ncell, const int *cell_len,
                                                  const int *row_start, const int *parent,
                                                  const double *a, const double *b,
                                                  const double *v, double *rhs,
                                                  double *d) nogil


def axial_cells(const int[::1] cell_len, const int[::1] row_start, const int[::1] parent,
                const double[::1] a, const double[::1] b, const double[::1] v,
                double[::1] rhs, double[::1] d):
    """Steps D4 and D7 on the device layout by the host build of the device kernel (one
    thread per cell, its rows in order), on rhs and d as they are."""
    cdef Py_ssize_t n = parent.shape[0]
    if not (a.shape[0] == n and b.shape[0] == n and v.shape[0] == n and rhs.shape[0] == n
            and d.shape[0] == n):
        raise ValueError("arrays must have one entry per node")
    cdef int ncell = <int>cell_len.shape[0]
    check_interleaved(np.asarray(cell_len), np.asarray(row_start), np.asarray(parent), ncell,
                      <int>n)
    if n == 0:
        return
    with nogil:
        c_axial_cells(ncell, &cell_len[0], &row_start[0], &parent[0], &a[0], &b[0], &v[0],
                      &rhs[0], &d[0])
