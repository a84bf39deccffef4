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

#endif
