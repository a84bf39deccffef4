// The CUDA module's device queries, called through ctypes (pycoreneuron.engine.device).
#include <cuda_runtime.h>

extern "C" {

// Number of CUDA devices visible to this process; 0 when there is no driver or no device.
int pcn_cuda_device_count(void) {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess) {
        return 0;
    }
    return count;
}

// Device k's name (into name, size bytes), total memory [bytes] and compute capability
// (major*10 + minor); a cudaError_t.
int pcn_cuda_device_properties(int k, char *name, int size, unsigned long long *memory,
                               int *capability) {
    cudaDeviceProp prop;
    const cudaError_t error = cudaGetDeviceProperties(&prop, k);
    if (error != cudaSuccess) {
        return error;
    }
    int n = 0;
    for (; n + 1 < size && prop.name[n] != '\0'; ++n) {
        name[n] = prop.name[n];
    }
    if (size > 0) {
        name[n] = '\0';
    }
    *memory = prop.totalGlobalMem;
    *capability = prop.major * 10 + prop.minor;
    return cudaSuccess;
}

// CUDA runtime version this module was built against, as CUDART_VERSION (e.g. 13000).
int pcn_cuda_runtime_version(void) { return CUDART_VERSION; }

}
