/* Step K on the device: the recorded values (a node's v, a mechanism's RANGE variable) into
 * one row of the window's sample buffer, one thread per recorded value; and Vector.play's
 * values, computed by the host for the window (single source: pcn_device.h). */
#ifndef PCN_DEVICE_RECORD_H
#define PCN_DEVICE_RECORD_H

#include "pcn_device.h"

PCN_KERNEL void pcn_record_gather_k(int n, const double *const *PCN_RESTRICT where,
                                    double *PCN_RESTRICT row) {
    PCN_FOR_EACH_THREAD(k, n) {
        row[k] = *where[k];
    }
}

/* Steps C and I (Vector.play): each target its value of the step, one thread per play. */
PCN_KERNEL void pcn_play_set_k(int n, double *const *PCN_RESTRICT target,
                               const double *PCN_RESTRICT values) {
    PCN_FOR_EACH_THREAD(k, n) {
        *target[k] = values[k];
    }
}

/* A pass's play events: target which[j] its value (one write per play and pass). */
PCN_KERNEL void pcn_play_write_k(int n, double *const *PCN_RESTRICT target,
                                 const int *PCN_RESTRICT which,
                                 const double *PCN_RESTRICT values) {
    PCN_FOR_EACH_THREAD(j, n) {
        *target[which[j]] = values[j];
    }
}

/* Step J's gap junctions inside a block: each target its source's value, one thread per
 * junction (targets are distinct). */
PCN_KERNEL void pcn_gap_transfer_k(int n, double *const *PCN_RESTRICT target,
                                   const double *const *PCN_RESTRICT source) {
    PCN_FOR_EACH_THREAD(k, n) {
        *target[k] = *source[k];
    }
}

#endif
