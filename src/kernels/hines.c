#include "hines.h"

void hines_solve(int root_begin, int root_end, int node_begin, int node_end,
                 const int *restrict parent,
                 const double *restrict a, const double *restrict b, double *restrict d,
                 double *restrict rhs) {
    /* Triangularise: eliminate each node's off-diagonal from its parent's row, leaves first. */
    for (int i = node_end - 1; i >= node_begin; --i) {
        const int p = parent[i];
        const double factor = a[i] / d[i];
        d[p] -= factor * b[i];
        rhs[p] -= factor * rhs[i];
    }
    /* Back-substitute: roots first, then every node from its already solved parent. */
    for (int i = root_begin; i < root_end; ++i) {
        rhs[i] /= d[i];
    }
    for (int i = node_begin; i < node_end; ++i) {
        rhs[i] -= b[i] * rhs[parent[i]];
        rhs[i] /= d[i];
    }
}
