/* The Hines solve of a forest of cable trees, in NEURON's order of operations.
 *
 * Nodes are numbered so that every cell's root comes first (nodes 0 .. ncell-1 are the roots) and
 * every other node has parent[i] < i. Row i of the matrix holds d[i] on the diagonal, b[i] as the
 * coefficient of v[parent[i]], and row parent[i] holds a[i] as the coefficient of v[i].
 */
#ifndef PCN_HINES_H
#define PCN_HINES_H

/* Solve the tree matrix in place: on return rhs holds the voltage change of every node and d
 * the triangularised diagonal. The cells solved are those rooted at nodes root_begin ..
 * root_end-1 whose other nodes are node_begin .. node_end-1, so a block of whole cells can be
 * solved on its own (the whole forest is root_begin = 0, root_end = node_begin = ncell). */
void hines_solve(int root_begin, int root_end, int node_begin, int node_end,
                 const int *restrict parent,
                 const double *restrict a, const double *restrict b, double *restrict d,
                 double *restrict rhs);

/* Levels: when every node's parent lies in the level before its own (nodes sorted by depth,
 * roots first), level k is nodes level_start[k] .. level_start[k+1]-1, level 0 the roots.
 * Fills level_start (nnode + 1 entries at most) and returns the number of levels, or 0 when
 * the nodes are not sorted by depth. */
int hines_levels(int nroot, int nnode, const int *restrict parent, int *restrict level_start);

/* The same solve as hines_solve, level by level (nodes sorted by depth, see hines_levels), with
 * the same operations in the same order on every element, so the same bits. The divisions of
 * a level are independent and run as vector instructions; factor is scratch of the widest
 * level's size. */
void hines_solve_levels(int nlevel, const int *restrict level_start, const int *restrict parent,
                        const double *restrict a, const double *restrict b,
                        double *restrict d, double *restrict rhs, double *restrict factor);

/* The same solve on the device layout, one cell after another (device/hines_interleaved.h,
 * the single source the CUDA module compiles too): node k of cell c at row_start[k] + c,
 * cells of cell_len[c] nodes, roots 0 .. ncell-1. Same operations per cell, same bits. */
void pcn_hines_interleaved(int ncell, const int *restrict cell_len,
                           const int *restrict row_start, const int *restrict parent,
                           const double *restrict a, const double *restrict b,
                           double *restrict d, double *restrict rhs);

#endif
