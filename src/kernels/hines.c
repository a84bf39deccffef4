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

int hines_levels(int nroot, int nnode, const int *restrict parent, int *restrict level_start) {
    if (nroot <= 0) {
        return 0;
    }
    /* level_start[0..nlevel]: levels 0 .. nlevel-1, the last one still growing. */
    int nlevel = 1;
    level_start[0] = 0;
    level_start[1] = nroot;
    for (int i = nroot; i < nnode; ++i) {
        const int p = parent[i];
        if (p >= level_start[nlevel]) { /* parent in the growing level: i opens the next */
            nlevel += 1;
            level_start[nlevel] = i;
        }
        if (p < level_start[nlevel - 1]) {
            return 0; /* the parent is two or more levels up: not sorted by depth */
        }
    }
    if (nnode > nroot) {
        nlevel += 1;
    }
    level_start[nlevel] = nnode;
    return nlevel;
}

void hines_solve_levels(int nlevel, const int *restrict level_start, const int *restrict parent,
                        const double *restrict a, const double *restrict b,
                        double *restrict d, double *restrict rhs, double *restrict factor) {
    /* Triangularise, deepest level first. A level's diagonals are final once the deeper
     * levels are done, so its divisions are independent; the updates of the parents then run
     * last node to first, as hines_solve runs them. */
    for (int k = nlevel - 1; k >= 1; --k) {
        const int s = level_start[k], e = level_start[k + 1];
#pragma omp simd
        for (int i = s; i < e; ++i) {
            factor[i - s] = a[i] / d[i];
        }
        for (int i = e - 1; i >= s; --i) {
            const int p = parent[i];
            d[p] -= factor[i - s] * b[i];
            rhs[p] -= factor[i - s] * rhs[i];
        }
    }
    /* Back-substitute, roots first; a level reads only its parents' finished values. */
    for (int i = level_start[0]; i < level_start[1]; ++i) {
        rhs[i] /= d[i];
    }
    for (int k = 1; k < nlevel; ++k) {
        const int s = level_start[k], e = level_start[k + 1];
#pragma omp simd
        for (int i = s; i < e; ++i) {
            rhs[i] = (rhs[i] - b[i] * rhs[parent[i]]) / d[i];
        }
    }
}
