/* Threshold detection (step A1) for the device, one thread per spike source (single source:
 * pcn_device.h). The CPU engine's cable_detect_spikes lists the sources that fired in
 * source order; threads cannot append in order, so each source here sets its own flag and
 * the list is made from the flags afterwards (on the host between windows, or by a scan),
 * giving the same list. */
#ifndef PCN_DEVICE_THRESHOLD_H
#define PCN_DEVICE_THRESHOLD_H

#include "pcn_device.h"

PCN_KERNEL void pcn_detect_crossings(int n, const int *PCN_RESTRICT node,
                                     const double *PCN_RESTRICT threshold,
                                     const double *PCN_RESTRICT v,
                                     unsigned char *PCN_RESTRICT above,
                                     unsigned char *PCN_RESTRICT fired) {
    PCN_FOR_EACH_THREAD(k, n) {
        const unsigned char now = v[node[k]] > threshold[k];
        fired[k] = now && !above[k];
        above[k] = now;
    }
}

#endif
