/* Step K on the device: the recorded values (a node's v, a mechanism's RANGE variable) into
 * one row of the window's sample buffer, one thread per recorded value (single source:
 * pcn_device.h). */
#ifndef PCN_DEVICE_RECORD_H
#define PCN_DEVICE_RECORD_H

#include "pcn_device.h"

PCN_KERNEL void pcn_record_gather_k(int n, const double *const *PCN_RESTRICT where,
                                    double *PCN_RESTRICT row) {
    PCN_FOR_EACH_THREAD(k, n) {
        row[k] = *where[k];
    }
}

#endif
