/* Set-up helpers: the dataset's records into the engine's field-major layout. */
#ifndef PCN_LAYOUT_H
#define PCN_LAYOUT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The file's instance-major records (n rows of ncol doubles) into field-major storage: column
 * c of row i goes to out[c*stride + col0 + i]. Returns the flat position (i*ncol + c) of the
 * first NaN met, or -1. */
int64_t pcn_fields_from_rows(const double *rows, int64_t n, int64_t ncol, double *out,
                             int64_t stride, int64_t col0);

/* A gather of every field: out[f*out_stride + i] = in[f*in_stride + sel[i]] for f < nfield,
 * i < n (a block's instances of a mechanism, from the group's). */
void pcn_gather_fields(const double *in, int64_t in_stride, const int32_t *sel, int64_t n,
                       int64_t nfield, double *out, int64_t out_stride);

#ifdef __cplusplus
}
#endif

#endif
