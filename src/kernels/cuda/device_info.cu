// The CUDA module's entry points, called through ctypes from pycoreneuron.config().
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

// CUDA runtime version this module was built against, as CUDART_VERSION (e.g. 13000).
int pcn_cuda_runtime_version(void) { return CUDART_VERSION; }

}
