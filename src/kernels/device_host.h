/* Host builds of the single-source device kernels (device_host.c); hines.h declares
 * pcn_hines_interleaved, which the engine calls. */
#ifndef PCN_DEVICE_HOST_H
#define PCN_DEVICE_HOST_H

#include "hines.h"

/* Step A1 per source: above[k] = v[node[k]] > threshold[k]; fired[k] = 1 where it just rose. */
void pcn_detect_crossings(int n, const int *restrict node, const double *restrict threshold,
                          const double *restrict v, unsigned char *restrict above,
                          unsigned char *restrict fired);

/* Ions (device/ions.h): finitialize, step D3, step F, one call per ion instance; Nernst. */
void pcn_ion_initialize_k(int n, int stride, double *restrict data, const int *restrict style,
                          double charge, double conci0, double conco0, double celsius);
void pcn_ion_current_k(int n, int stride, double *restrict data, const int *restrict style,
                       double charge, double celsius);
void pcn_ion_second_order_k(int n, int stride, double *restrict data, const int *restrict node,
                            const double *restrict rhs);
double pcn_ion_nernst_host(double ci, double co, double z, double celsius);

/* The cable's part of a step on the device layout (device/cable_step.h). */
void pcn_cable_clear_k(int n, double *restrict rhs, double *restrict d);
void pcn_cable_capacitance_d_k(int n, const int *restrict node, const double *restrict cm,
                               double cfac, double *restrict d);
void pcn_cable_axial_cells_k(int ncell, const int *restrict cell_len,
                             const int *restrict row_start, const int *restrict parent,
                             const double *restrict a, const double *restrict b,
                             const double *restrict v, double *restrict rhs,
                             double *restrict d);
void pcn_cable_update_v_k(int n, int secondorder, const double *restrict rhs,
                          double *restrict v);
void pcn_cable_capacitance_current_k(int n, const int *restrict node, const double *restrict cm,
                                     double cfac, const double *restrict rhs,
                                     double *restrict i_cap);

/* Step K: the recorded values into one sample row (device/record.h). */
void pcn_record_gather_k(int n, const double *const *restrict where, double *restrict row);

/* Steps C and I, and a pass's play events (device/record.h). */
void pcn_play_set_k(int n, double *const *restrict target, const double *restrict values);
void pcn_play_write_k(int n, double *const *restrict target, const int *restrict which,
                      const double *restrict values);

/* Step J: gap junctions inside a block (device/record.h). */
void pcn_gap_transfer_k(int n, double *const *restrict target,
                        const double *const *restrict source);

#endif
