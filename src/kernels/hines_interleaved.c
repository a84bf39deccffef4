/* The host build of the single-source interleaved Hines kernel (the CPU engine's
 * --cell-permute 1 and the CPU tests run exactly what the CUDA module compiles). */
#include "hines.h"

#include "device/hines_interleaved.h"
