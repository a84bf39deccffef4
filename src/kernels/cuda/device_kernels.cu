// The CUDA builds of the single-source device kernels (src/kernels/device/), and host entry
// points that run one of them on arrays copied to the device and back: the GPU tests (marked
// gpu) compare their bits with the host builds'. Compiled with --fmad=false.
#include <cuda_runtime.h>
#include <stdint.h>

#include "device/cable_step.h"
#include "device/hines_interleaved.h"
#include "device/ions.h"
#include "device/threshold.h"
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
    const int *dlen = s.copy_in(cell_len, ncell);
    const int *drow = s.copy_in(row_start, nrow + 1);
    const int *dparent = s.copy_in(parent, nnode);
    const double *da = s.copy_in(a, nnode);
    const double *db = s.copy_in(b, nnode);
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
            pcn_hines_interleaved<<<blocks_for(ncell, 128), 128>>>(ncell, dlen, drow, dparent,
                                                                    da, db, r ? keep_d : dd,
                                                                    r ? keep_rhs : drhs);
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
    const int *dlen = s.copy_in(cell_len, ncell);
    const int *drow = s.copy_in(row_start, nrow + 1);
    const int *dparent = s.copy_in(parent, nnode);
    const double *da = s.copy_in(a, nnode);
    const double *db = s.copy_in(b, nnode);
    const double *dv = s.copy_in(v, nnode);
    double *drhs = s.copy_in(rhs, nnode);
    double *dd = s.copy_in(d, nnode);
    if (s.error == cudaSuccess && ncell > 0) {
        pcn_cable_axial_cells_k<<<blocks_for(ncell, 128), 128>>>(ncell, dlen, drow, dparent,
                                                                 da, db, dv, drhs, dd);
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

const char *pcn_cuda_error_string(int error) {
    return cudaGetErrorString(static_cast<cudaError_t>(error));
}

}
