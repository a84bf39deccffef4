/* Single-source kernels: one text compiled as host C (the CPU engine and the CPU test suite
 * run it) and as CUDA (src/kernels/cuda/*.cu), so the tests check the logic the GPU runs.
 *
 * A kernel is written for one thread per item:
 *
 *   PCN_KERNEL void name(int n, ...) { PCN_FOR_EACH_THREAD(i, n) { ...item i... } }
 *
 * As C that is a plain function looping over the items in order; as CUDA a __global__
 * function whose threads take the items in a grid-stride loop, any launch shape covering them.
 * Helpers called from kernels are PCN_DEVICE_FN (static inline on the host, __device__ on the
 * GPU). Kernels must not depend on the order items run in, and each item's operations must be
 * those of the C engine in its order (--fmad=false on the device, -ffp-contract=off here).
 */
#ifndef PCN_DEVICE_H
#define PCN_DEVICE_H

#if defined(__CUDACC__)
#define PCN_KERNEL __global__
#define PCN_DEVICE_FN static __device__ __forceinline__
#define PCN_RESTRICT __restrict__
#define PCN_FOR_EACH_THREAD(i, n)                                                     \
    for (int i = (int)(blockIdx.x * blockDim.x + threadIdx.x); i < (n);                \
         i += (int)(blockDim.x * gridDim.x))
#else
#define PCN_KERNEL
#define PCN_DEVICE_FN static inline
#define PCN_RESTRICT restrict
#define PCN_FOR_EACH_THREAD(i, n) for (int i = 0; i < (n); ++i)
#endif

#endif
