/* The Hines solve on the device layout, one thread per cell (single source: pcn_device.h).
 *
 * Layout (engine/partition.py, cell_interleaved_positions): a block's cells sorted by size,
 * largest first; node k of cell c at row_start[k] + c, so the roots are nodes 0..ncell-1 and
 * consecutive cells' nodes of one row are adjacent. cell_len[c] is the cell's node count.
 *
 * A cell's rows are its nodes in NEURON's order, so walking them last to first is what
 * hines_solve (hines.c) does to that cell: every diagonal receives its children's terms in
 * NEURON's order, and the bits are the same.
 */
#ifndef PCN_HINES_INTERLEAVED_H
#define PCN_HINES_INTERLEAVED_H

#include "pcn_device.h"

PCN_KERNEL void pcn_hines_interleaved(int ncell, const int *PCN_RESTRICT cell_len,
                                      const int *PCN_RESTRICT row_start,
                                      const int *PCN_RESTRICT parent,
                                      const double *PCN_RESTRICT a,
                                      const double *PCN_RESTRICT b, double *PCN_RESTRICT d,
                                      double *PCN_RESTRICT rhs) {
    PCN_FOR_EACH_THREAD(c, ncell) {
        const int len = cell_len[c];
        /* Triangularise, the cell's last node first. */
        for (int k = len - 1; k >= 1; --k) {
            const int i = row_start[k] + c;
            const int p = parent[i];
            const double factor = a[i] / d[i];
            d[p] -= factor * b[i];
            rhs[p] -= factor * rhs[i];
        }
        /* Back-substitute from the root. */
        rhs[c] /= d[c];
        for (int k = 1; k < len; ++k) {
            const int i = row_start[k] + c;
            rhs[i] -= b[i] * rhs[parent[i]];
            rhs[i] /= d[i];
        }
    }
}

#endif
