#include "cable.h"

void cable_clear(int begin, int end, double *restrict rhs, double *restrict d) {
    for (int i = begin; i < end; ++i) {
        rhs[i] = 0.0;
        d[i] = 0.0;
    }
}

void cable_axial_rhs(int node_begin, int node_end, const int *restrict parent,
                     const double *restrict a, const double *restrict b,
                     const double *restrict v, double *restrict rhs) {
    for (int i = node_begin; i < node_end; ++i) {
        const int p = parent[i];
        const double dv = v[p] - v[i]; /* [mV] */
        rhs[i] -= b[i] * dv;
        rhs[p] += a[i] * dv;
    }
}

void cable_capacitance_d(int n, const int *restrict node, const double *restrict cm,
                         double cfac, double *restrict d) {
    for (int k = 0; k < n; ++k) {
        d[node[k]] += cfac * cm[k]; /* cm [uF/cm2] */
    }
}

void cable_axial_d(int node_begin, int node_end, const int *restrict parent,
                   const double *restrict a, const double *restrict b, double *restrict d) {
    for (int i = node_begin; i < node_end; ++i) {
        d[i] -= b[i];
        d[parent[i]] -= a[i];
    }
}

void cable_update_v(int begin, int end, int secondorder, const double *restrict rhs,
                    double *restrict v) {
    if (secondorder) {
        for (int i = begin; i < end; ++i) {
            v[i] += 2. * rhs[i];
        }
    } else {
        for (int i = begin; i < end; ++i) {
            v[i] += rhs[i];
        }
    }
}

void cable_capacitance_current(int n, const int *restrict node, const double *restrict cm,
                               double cfac, const double *restrict rhs,
                               double *restrict i_cap) {
    for (int k = 0; k < n; ++k) {
        i_cap[k] = cfac * cm[k] * rhs[node[k]];
    }
}

int cable_detect_spikes(int n, const int *restrict node, const double *restrict threshold,
                        const double *restrict v, unsigned char *restrict above,
                        int *restrict fired) {
    int nfired = 0;
    for (int k = 0; k < n; ++k) {
        if (v[node[k]] > threshold[k]) {
            if (!above[k]) {
                above[k] = 1;
                fired[nfired++] = k;
            }
        } else {
            above[k] = 0;
        }
    }
    return nfired;
}

void cable_axial(int node_begin, int node_end, const int *restrict parent,
                 const double *restrict a, const double *restrict b, const double *restrict v,
                 double *restrict rhs, double *restrict d) {
    /* A node's own terms need only v, so they vectorise; they precede its children's terms
     * in cable_axial_rhs/_d too, since children come later. */
#pragma omp simd
    for (int i = node_begin; i < node_end; ++i) {
        const double dv = v[parent[i]] - v[i]; /* [mV] */
        rhs[i] -= b[i] * dv;
        d[i] -= b[i];
    }
    for (int i = node_begin; i < node_end; ++i) {
        const int p = parent[i];
        const double dv = v[p] - v[i];
        rhs[p] += a[i] * dv;
        d[p] -= a[i];
    }
}
