#include "build_info.h"

#ifdef _OPENMP
#include <omp.h>
#endif

int pcn_openmp_enabled(void) {
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}

int pcn_openmp_max_threads(void) {
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

int pcn_native_tuning(void) { return PCN_NATIVE; }

int pcn_builtin_exp_variant(void) { return PCN_BUILTIN_EXP_VARIANT; }
