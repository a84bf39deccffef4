/* The cable equation's share of one fixed step, in NEURON's order of operations.
 *
 * Node arrays are per block: v [mV], rhs, d, a and b (NEURON's axial coefficients, negative),
 * parent (parent[i] < i for non-root nodes). Roots are nodes root_begin..root_end-1, the other
 * nodes node_begin..node_end-1. Each function is one lettered step of neuron-numerics.md §4.
 */
#ifndef PCN_CABLE_H
#define PCN_CABLE_H

/* D1: clear the right-hand side and the diagonal. */
void cable_clear(int begin, int end, double *restrict rhs, double *restrict d);

/* D4: axial currents into rhs, children in increasing order. */
void cable_axial_rhs(int node_begin, int node_end, const int *restrict parent,
                     const double *restrict a, const double *restrict b,
                     const double *restrict v, double *restrict rhs);

/* D6: capacitance on the diagonal, d[node] += cfac*cm with cfac = 0.001*cj. */
void cable_capacitance_d(int n, const int *restrict node, const double *restrict cm,
                         double cfac, double *restrict d);

/* D7: axial terms of the diagonal. */
void cable_axial_d(int node_begin, int node_end, const int *restrict parent,
                   const double *restrict a, const double *restrict b, double *restrict d);

/* D4 and D7 together (call after D6): the same terms added in the same order as
 * cable_axial_rhs followed by cable_axial_d. Every node's own terms come first, as one
 * vectorisable pass, then each child's terms on its parent, children in increasing order. */
void cable_axial(int node_begin, int node_end, const int *restrict parent,
                 const double *restrict a, const double *restrict b, const double *restrict v,
                 double *restrict rhs, double *restrict d);

/* G: v += dv (v += 2 dv for secondorder != 0), dv being rhs after the solve. */
void cable_update_v(int begin, int end, int secondorder, const double *restrict rhs,
                    double *restrict v);

/* G, output only: capacitive current i_cap = cfac*cm*dv [mA/cm2]. */
void cable_capacitance_current(int n, const int *restrict node, const double *restrict cm,
                               double cfac, const double *restrict rhs,
                               double *restrict i_cap);

/* A1: threshold detection on v at the step's start. For each source k: above is
 * v[node[k]] > threshold[k] (strictly); a source that was below and is now above is written to
 * fired (in source order). Returns how many fired. */
int cable_detect_spikes(int n, const int *restrict node, const double *restrict threshold,
                        const double *restrict v, unsigned char *restrict above,
                        int *restrict fired);

#endif
