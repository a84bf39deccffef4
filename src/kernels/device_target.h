/* A block's copy in device memory, for the device engine's windows (device_window.h).
 *
 * pcn_device_attach copies every array the window's kernels touch into memory obtained from a
 * pcn_device_memory (CUDA's, from the CUDA module; or pcn_host_memory, separate host buffers,
 * with which the CPU test suite checks the copies), translating the pointers stored inside
 * arrays (a mechanism's dparam bases, the recorded values, the Vector.play targets) into
 * pointers into the copies. The mirror is the block with the copies' pointers and the
 * device's mechanism kernels; the window loop runs the steps on it, the host keeps the
 * events. pcn_device_download brings the device's state back into the block's arrays (before
 * a checkpoint, -g, or the end of a run).
 *
 * With `poison`, the host's copies of what lives on the device are set to NaN while the device
 * holds it, so a kernel reading the host's memory by a pointer left untranslated changes the
 * results (the CPU check of the translation).
 */
#ifndef PCN_DEVICE_TARGET_H
#define PCN_DEVICE_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "device_window.h"
#include "engine.h"

/* Device memory: each call returns 0 or its own error code (a cudaError_t). */
typedef struct {
    int (*alloc)(void **out, size_t bytes);
    int (*release)(void *p);
    int (*copy)(void *dst, const void *src, size_t bytes, int to_host);
    int (*sync)(void); /* wait for the kernels launched so far; their first error */
} pcn_device_memory;

/* Host buffers standing in for device memory. */
extern const pcn_device_memory pcn_host_memory;

/* A window's arrays as the kernels see them (the plan's, or their device copies). */
typedef struct {
    const int32_t *run_start, *instance, *weight;
    const double *t, *flag;
    double *const *play_target;
    const double *play_rows;
    const int32_t *write_play;
    const double *write_value;
    unsigned char *fired;
} pcn_window_arrays;

typedef struct {
    const void *host;
    size_t bytes;
    void *device;
} pcn_device_range;

/* A device buffer of one window's array, grown as needed. */
typedef struct {
    void *device;
    size_t bytes;
} pcn_device_buffer;

struct pcn_device_target {
    const pcn_device_memory *mem;
    const pcn_device_ops *ops;
    pcn_block mirror;
    pcn_mech_slot *mirror_mechs;
    pcn_device_range *ranges; /* every copy, for pointer translation and the download */
    int32_t nrange, range_capacity;
    int32_t poison;
    int32_t error;            /* the first device error code met, 0 when none */
    pcn_device_buffer run_start, instance, weight, t, flag, play_rows, write_play,
        write_value, fired;
    int32_t record_rows;      /* samples the device's record buffer holds */
    double **play_target;     /* the Vector.play targets, device addresses (device array) */
};

/* Copy the block to the device; runs and receives: per mechanism slot, the address of its
 * pcn_dev_run_fn and pcn_dev_net_receive_fn on the device, 0 exactly where the block's own
 * (the host build) is NULL; NULL tables: the block's own. 0 on success; -1 out of memory or
 * a device error; -2 something of *what the device cannot take: a pointer outside the
 * block's arrays, fast i_membrane, FOR_NETCONS, or device kernels other than the host's. */
int pcn_device_attach(pcn_block *blk, const pcn_device_memory *mem, const pcn_device_ops *ops,
                      void *const *runs, void *const *receives,
                      int32_t poison, const char **what);

/* The device's state (voltages, mechanism data, threshold flags, the device mechanisms'
 * NetCon weights) into the block's arrays. 0, or the device error. */
int pcn_device_download(pcn_block *blk);

/* Free the copies (after pcn_device_download, if the state is wanted). */
void pcn_device_detach(pcn_block *blk);

/* A window's arrays to the device, and the mirror's time set to the block's; 0 or an error. */
int pcn_device_upload_window(pcn_block *blk, const pcn_window_plan *plan, int64_t nsteps,
                             pcn_window_arrays *out);

/* After the window's steps: its spike flags and samples to the host, the time back. */
int pcn_device_fetch_window(pcn_block *blk, pcn_window_plan *plan, int64_t nsteps);

#endif
