/* The cable's part of a step on the device layout (single source: pcn_device.h): steps D1,
 * D6, D4/D7 (axial terms, one thread per cell), G (v and the capacitive current).
 *
 * Each node receives its terms in the CPU engine's order: its mechanisms' currents (their own
 * kernels, before these), the capacitance's diagonal, then the axial terms, its own first and
 * its children's in row order (a cell's rows are its nodes in NEURON's order, so a child
 * always comes after its parent), as cable_axial adds them on the same layout.
 */
#ifndef PCN_DEVICE_CABLE_STEP_H
#define PCN_DEVICE_CABLE_STEP_H

#include "pcn_device.h"

/* D1: rhs and d of every node to 0. */
PCN_KERNEL void pcn_cable_clear_k(int n, double *PCN_RESTRICT rhs, double *PCN_RESTRICT d) {
    PCN_FOR_EACH_THREAD(i, n) {
        rhs[i] = 0.0;
        d[i] = 0.0;
    }
}

/* D6: the capacitance's diagonal, one thread per instance (one per node). */
PCN_KERNEL void pcn_cable_capacitance_d_k(int n, const int *PCN_RESTRICT node,
                                          const double *PCN_RESTRICT cm, double cfac,
                                          double *PCN_RESTRICT d) {
    PCN_FOR_EACH_THREAD(k, n) {
        d[node[k]] += cfac * cm[k]; /* cm [uF/cm2] */
    }
}

/* D4 and D7: the axial terms, one thread per cell, its nodes row by row. */
PCN_KERNEL void pcn_cable_axial_cells_k(int ncell, const int *PCN_RESTRICT cell_len,
                                        const int *PCN_RESTRICT row_start,
                                        const int *PCN_RESTRICT parent,
                                        const double *PCN_RESTRICT a,
                                        const double *PCN_RESTRICT b,
                                        const double *PCN_RESTRICT v,
                                        double *PCN_RESTRICT rhs, double *PCN_RESTRICT d) {
    PCN_FOR_EACH_THREAD(c, ncell) {
        for (int k = 1; k < cell_len[c]; ++k) {
            const int i = row_start[k] + c;
            const int p = parent[i];
            const double dv = v[p] - v[i]; /* [mV] */
            rhs[i] -= b[i] * dv;
            d[i] -= b[i];
            rhs[p] += a[i] * dv;
            d[p] -= a[i];
        }
    }
}

/* G: the new voltages. */
PCN_KERNEL void pcn_cable_update_v_k(int n, int secondorder, const double *PCN_RESTRICT rhs,
                                     double *PCN_RESTRICT v) {
    PCN_FOR_EACH_THREAD(i, n) {
        v[i] += secondorder ? 2. * rhs[i] : rhs[i];
    }
}

/* G: the capacitive current of each capacitance instance. */
PCN_KERNEL void pcn_cable_capacitance_current_k(int n, const int *PCN_RESTRICT node,
                                                const double *PCN_RESTRICT cm, double cfac,
                                                const double *PCN_RESTRICT rhs,
                                                double *PCN_RESTRICT i_cap) {
    PCN_FOR_EACH_THREAD(k, n) {
        i_cap[k] = cfac * cm[k] * rhs[node[k]];
    }
}

#endif
