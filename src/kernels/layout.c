#include "layout.h"

/* Rows are read in tiles of TILE instances: a tile's records (TILE*ncol doubles) stay in L1
 * while each field's TILE outputs are written contiguously. */
enum { TILE = 64 };

int64_t pcn_fields_from_rows(const double *restrict rows, int64_t n, int64_t ncol,
                             double *restrict out, int64_t stride, int64_t col0) {
    int64_t first_nan = -1;
    for (int64_t i0 = 0; i0 < n; i0 += TILE) {
        const int64_t i1 = i0 + TILE < n ? i0 + TILE : n;
        for (int64_t c = 0; c < ncol; ++c) {
            double *restrict dst = out + c * stride + col0;
            for (int64_t i = i0; i < i1; ++i) {
                const double x = rows[i * ncol + c];
                dst[i] = x;
                if (x != x && (first_nan < 0 || i * ncol + c < first_nan)) {
                    first_nan = i * ncol + c;
                }
            }
        }
    }
    return first_nan;
}

void pcn_gather_fields(const double *restrict in, int64_t in_stride,
                       const int32_t *restrict sel, int64_t n, int64_t nfield,
                       double *restrict out, int64_t out_stride) {
    for (int64_t i0 = 0; i0 < n; i0 += TILE) {
        const int64_t i1 = i0 + TILE < n ? i0 + TILE : n;
        for (int64_t f = 0; f < nfield; ++f) {
            const double *restrict src = in + f * in_stride;
            double *restrict dst = out + f * out_stride;
            for (int64_t i = i0; i < i1; ++i) {
                dst[i] = src[sel[i]];
            }
        }
    }
}
