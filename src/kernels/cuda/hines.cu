// GPU mirror of src/kernels/hines.c: one thread solves one cell, same order of operations.
#include <cuda_runtime.h>

// Solve each cell c on its own thread. Cell c owns root node c and the nodes
// cell_node_start[c] .. cell_node_start[c + 1] - 1 (its non-root nodes, contiguous).
__global__ void hines_solve_cells(int ncell, const int *__restrict__ cell_node_start,
                                  const int *__restrict__ parent, const double *__restrict__ a,
                                  const double *__restrict__ b, double *__restrict__ d,
                                  double *__restrict__ rhs) {
    const int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= ncell) {
        return;
    }
    const int first = cell_node_start[c];
    const int last = cell_node_start[c + 1];
    for (int i = last - 1; i >= first; --i) {
        const int p = parent[i];
        const double factor = a[i] / d[i];
        d[p] -= factor * b[i];
        rhs[p] -= factor * rhs[i];
    }
    rhs[c] /= d[c];
    for (int i = first; i < last; ++i) {
        rhs[i] -= b[i] * rhs[parent[i]];
        rhs[i] /= d[i];
    }
}
