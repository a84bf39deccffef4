/* Host builds of the single-source device kernels (device_host.c); hines.h declares
 * pcn_hines_interleaved, which the engine calls. */
#ifndef PCN_DEVICE_HOST_H
#define PCN_DEVICE_HOST_H

#include "hines.h"

/* Step A1 per source: above[k] = v[node[k]] > threshold[k]; fired[k] = 1 where it just rose. */
void pcn_detect_crossings(int n, const int *restrict node, const double *restrict threshold,
                          const double *restrict v, unsigned char *restrict above,
                          unsigned char *restrict fired);

#endif
