// The CUDA builds of the single-source device kernels (src/kernels/device/): the device
// engine's tables (pcn_cuda_memory, pcn_cuda_ops: device_target.h, device_window.h), and host
// entry points that run one kernel on arrays copied to the device and back (the GPU tests,
// marked gpu, compare their bits with the host builds'). Compiled with --fmad=false.
#include <cuda_runtime.h>
#include <stdint.h>

#include "device/cable_step.h"
#include "device/hines_interleaved.h"
#include "device/ions.h"
#include "device/record.h"
#include "device/threshold.h"
#include "device_target.h"
#include "pcn_exp.h"

// pcn_exp's two glibc variants (1: the FMA build, 2: the plain one) on the device.
__global__ void pcn_exp_kernel(int variant, int64_t n, const double *__restrict__ x,
                               double *__restrict__ y) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n;
         i += (int64_t)blockDim.x * gridDim.x) {
        y[i] = variant == 1 ? pcn_exp_fma(x[i]) : pcn_exp_plain(x[i]);
    }
}

namespace {

// Device copies of host arrays, freed on scope exit; the first CUDA error is kept.
struct Session {
    cudaError_t error = cudaSuccess;
    void *owned[16] = {};
    int nowned = 0;

    template <typename T>
    T *copy_in(const T *host, size_t n) {
        void *dev = nullptr;
        if (error == cudaSuccess) {
            error = cudaMalloc(&dev, n * sizeof(T) > 0 ? n * sizeof(T) : 1);
        }
        if (error == cudaSuccess) {
            owned[nowned++] = dev;
            if (n > 0) {
                error = cudaMemcpy(dev, host, n * sizeof(T), cudaMemcpyHostToDevice);
            }
        }
        return static_cast<T *>(dev);
    }

    template <typename T>
    void copy_out(T *host, const T *dev, size_t n) {
        if (error == cudaSuccess && n > 0) {
            error = cudaMemcpy(host, dev, n * sizeof(T), cudaMemcpyDeviceToHost);
        }
    }

    void launched() {
        if (error == cudaSuccess) {
            error = cudaGetLastError();
        }
        if (error == cudaSuccess) {
            error = cudaDeviceSynchronize();
        }
    }

    ~Session() {
        for (int k = 0; k < nowned; ++k) {
            cudaFree(owned[k]);
        }
    }
};

// Device copies of the device layout's arrays (cell sizes, rows, parents, a, b).
struct Layout {
    const int *len, *row, *parent;
    const double *a, *b;
};

Layout layout_in(Session &s, int ncell, int nnode, int nrow, const int *cell_len,
                 const int *row_start, const int *parent, const double *a, const double *b) {
    return Layout{s.copy_in(cell_len, ncell), s.copy_in(row_start, nrow + 1),
                  s.copy_in(parent, nnode), s.copy_in(a, nnode), s.copy_in(b, nnode)};
}

int blocks_for(int64_t n, int threads) {
    const int64_t blocks = (n + threads - 1) / threads;
    return blocks < 1 ? 1 : blocks > 65535 ? 65535 : static_cast<int>(blocks);
}

}  // namespace

extern "C" {

// The Hines solve of the device layout on the device; d and rhs in place. A cudaError_t.
// repeats > 1 (timing): the kernel runs that many times on the same copies (only the first
// result is a solve of the input) and *ms gets the mean time of one run, by CUDA events.
int pcn_cuda_hines_interleaved(int ncell, int nnode, int nrow, const int *cell_len,
                               const int *row_start, const int *parent, const double *a,
                               const double *b, double *d, double *rhs, int repeats,
                               float *ms) {
    Session s;
    const Layout L = layout_in(s, ncell, nnode, nrow, cell_len, row_start, parent, a, b);
    double *dd = s.copy_in(d, nnode);
    double *drhs = s.copy_in(rhs, nnode);
    double *keep_d = s.copy_in(d, nnode);
    double *keep_rhs = s.copy_in(rhs, nnode);
    cudaEvent_t start = nullptr, stop = nullptr;
    if (s.error == cudaSuccess && ncell > 0) {
        if (repeats > 1 && ms != nullptr) {
            cudaEventCreate(&start);
            cudaEventCreate(&stop);
            cudaEventRecord(start);
        }
        for (int r = 0; r < (repeats > 1 ? repeats : 1); ++r) {
            pcn_hines_interleaved<<<blocks_for(ncell, 128), 128>>>(
                ncell, L.len, L.row, L.parent, L.a, L.b, r ? keep_d : dd, r ? keep_rhs : drhs);
        }
        if (start != nullptr) {
            cudaEventRecord(stop);
            cudaEventSynchronize(stop);
            cudaEventElapsedTime(ms, start, stop);
            *ms /= static_cast<float>(repeats);
            cudaEventDestroy(start);
            cudaEventDestroy(stop);
        }
        s.launched();
    }
    s.copy_out(d, dd, nnode);
    s.copy_out(rhs, drhs, nnode);
    return s.error;
}

// The axial terms (steps D4, D7) of the device layout on the device, one thread per cell;
// rhs and d in place. A cudaError_t.
int pcn_cuda_cable_axial_cells(int ncell, int nnode, int nrow, const int *cell_len,
                               const int *row_start, const int *parent, const double *a,
                               const double *b, const double *v, double *rhs, double *d) {
    Session s;
    const Layout L = layout_in(s, ncell, nnode, nrow, cell_len, row_start, parent, a, b);
    const double *dv = s.copy_in(v, nnode);
    double *drhs = s.copy_in(rhs, nnode);
    double *dd = s.copy_in(d, nnode);
    if (s.error == cudaSuccess && ncell > 0) {
        pcn_cable_axial_cells_k<<<blocks_for(ncell, 128), 128>>>(ncell, L.len, L.row, L.parent,
                                                                 L.a, L.b, dv, drhs, dd);
        s.launched();
    }
    s.copy_out(rhs, drhs, nnode);
    s.copy_out(d, dd, nnode);
    return s.error;
}

// Threshold detection on the device; above and fired per source, in place. A cudaError_t.
int pcn_cuda_detect_crossings(int n, int nnode, const int *node, const double *threshold,
                              const double *v, unsigned char *above, unsigned char *fired) {
    Session s;
    const int *dnode = s.copy_in(node, n);
    const double *dthr = s.copy_in(threshold, n);
    const double *dv = s.copy_in(v, nnode);
    unsigned char *dabove = s.copy_in(above, n);
    unsigned char *dfired = s.copy_in(fired, n);
    if (s.error == cudaSuccess && n > 0) {
        pcn_detect_crossings<<<blocks_for(n, 128), 128>>>(n, dnode, dthr, dv, dabove, dfired);
        s.launched();
    }
    s.copy_out(above, dabove, n);
    s.copy_out(fired, dfired, n);
    return s.error;
}

// y = pcn_exp(x) on the device with glibc variant 1 or 2. A cudaError_t.
int pcn_cuda_exp(int variant, int64_t n, const double *x, double *y) {
    Session s;
    const double *dx = s.copy_in(x, n);
    double *dy = s.copy_in(y, n);
    if (s.error == cudaSuccess && n > 0) {
        pcn_exp_kernel<<<blocks_for(n, 256), 256>>>(variant, n, dx, dy);
        s.launched();
    }
    s.copy_out(y, dy, n);
    return s.error;
}

// ---- The device engine's tables: each launcher covers its n items with 128-thread blocks
// (grid-stride loops beyond 65535 blocks); launch errors surface at the window's sync.

static void op_detect(int n, const int *node, const double *threshold, const double *v,
                      unsigned char *above, unsigned char *fired) {
    if (n > 0) {
        pcn_detect_crossings<<<blocks_for(n, 128), 128>>>(n, node, threshold, v, above, fired);
    }
}

static void op_clear(int n, double *rhs, double *d) {
    if (n > 0) {
        pcn_cable_clear_k<<<blocks_for(n, 128), 128>>>(n, rhs, d);
    }
}

static void op_capacitance_d(int n, const int *node, const double *cm, double cfac, double *d) {
    if (n > 0) {
        pcn_cable_capacitance_d_k<<<blocks_for(n, 128), 128>>>(n, node, cm, cfac, d);
    }
}

static void op_axial(int ncell, const int *cell_len, const int *row_start, const int *parent,
                     const double *a, const double *b, const double *v, double *rhs, double *d) {
    if (ncell > 0) {
        pcn_cable_axial_cells_k<<<blocks_for(ncell, 128), 128>>>(ncell, cell_len, row_start,
                                                                 parent, a, b, v, rhs, d);
    }
}

static void op_hines(int ncell, const int *cell_len, const int *row_start, const int *parent,
                     const double *a, const double *b, double *d, double *rhs) {
    if (ncell > 0) {
        pcn_hines_interleaved<<<blocks_for(ncell, 128), 128>>>(ncell, cell_len, row_start,
                                                                parent, a, b, d, rhs);
    }
}

static void op_update_v(int n, int secondorder, const double *rhs, double *v) {
    if (n > 0) {
        pcn_cable_update_v_k<<<blocks_for(n, 128), 128>>>(n, secondorder, rhs, v);
    }
}

static void op_capacitance_current(int n, const int *node, const double *cm, double cfac,
                                   const double *rhs, double *i_cap) {
    if (n > 0) {
        pcn_cable_capacitance_current_k<<<blocks_for(n, 128), 128>>>(n, node, cm, cfac, rhs,
                                                                     i_cap);
    }
}

static void op_ion_current(int n, int stride, double *data, const int *style, double charge,
                           double celsius) {
    if (n > 0) {
        pcn_ion_current_k<<<blocks_for(n, 128), 128>>>(n, stride, data, style, charge, celsius);
    }
}

static void op_ion_second_order(int n, int stride, double *data, const int *node,
                                const double *rhs) {
    if (n > 0) {
        pcn_ion_second_order_k<<<blocks_for(n, 128), 128>>>(n, stride, data, node, rhs);
    }
}

static void op_record(int n, const double *const *where, double *row) {
    if (n > 0) {
        pcn_record_gather_k<<<blocks_for(n, 128), 128>>>(n, where, row);
    }
}

static void op_play_set(int n, double *const *target, const double *values) {
    if (n > 0) {
        pcn_play_set_k<<<blocks_for(n, 128), 128>>>(n, target, values);
    }
}

static void op_play_write(int n, double *const *target, const int *which, const double *values) {
    if (n > 0) {
        pcn_play_write_k<<<blocks_for(n, 128), 128>>>(n, target, which, values);
    }
}

static void op_gap_transfer(int n, double *const *target, const double *const *source) {
    if (n > 0) {
        pcn_gap_transfer_k<<<blocks_for(n, 128), 128>>>(n, target, source);
    }
}

static int mem_alloc(void **out, size_t bytes) {
    return static_cast<int>(cudaMalloc(out, bytes > 0 ? bytes : 1));
}

static int mem_release(void *p) { return static_cast<int>(cudaFree(p)); }

static int mem_copy(void *dst, const void *src, size_t bytes, int to_host) {
    if (bytes == 0) {
        return 0;
    }
    return static_cast<int>(cudaMemcpy(dst, src, bytes,
                                       to_host ? cudaMemcpyDeviceToHost
                                               : cudaMemcpyHostToDevice));
}

static int mem_sync(void) {
    const cudaError_t launched = cudaGetLastError();
    if (launched != cudaSuccess) {
        return static_cast<int>(launched);
    }
    return static_cast<int>(cudaDeviceSynchronize());
}

// The tables the device engine takes (addresses found by ctypes: engine/device.py).
extern const pcn_device_memory pcn_cuda_memory = {mem_alloc, mem_release, mem_copy, mem_sync};

extern const pcn_device_ops pcn_cuda_ops = {
    op_detect,     op_clear,           op_capacitance_d,    op_axial,
    op_hines,      op_update_v,        op_capacitance_current,
    op_ion_current, op_ion_second_order, op_record, op_play_set, op_play_write,
    op_gap_transfer};

// This process's device for the device engine (-n/--num-gpus: rank r takes r % n).
int pcn_cuda_set_device(int k) { return static_cast<int>(cudaSetDevice(k)); }

const char *pcn_cuda_error_string(int error) {
    return cudaGetErrorString(static_cast<cudaError_t>(error));
}

}
