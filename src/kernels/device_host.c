/* The host build of the single-source device kernels (src/kernels/device/): the CPU engine's
 * --cell-permute 1 and the CPU tests run exactly the text the CUDA module compiles. */
#include "device_host.h"

#include "device/cable_step.h"
#include "device/hines_interleaved.h"
#include "device/ions.h"
#include "device/record.h"
#include "device/threshold.h"

double pcn_ion_nernst_host(double ci, double co, double z, double celsius) {
    return pcn_ion_nernst(ci, co, z, celsius);
}
