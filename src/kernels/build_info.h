/* What the compiled kernels were built with, for pycoreneuron.config(). */
#ifndef PCN_BUILD_INFO_H
#define PCN_BUILD_INFO_H

/* 1 when the kernels were compiled with OpenMP. */
int pcn_openmp_enabled(void);

/* The most threads an OpenMP parallel region would use now (1 without OpenMP). */
int pcn_openmp_max_threads(void);

/* 1 when compiled with -march=native. */
int pcn_native_tuning(void);

/* The pcn_exp variant the built-in mechanisms were compiled with (pcn_exp.h). */
int pcn_builtin_exp_variant(void);

#endif
