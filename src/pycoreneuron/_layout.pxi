# Included by _core.pyx: the set-up's layout helpers (src/kernels/layout.c).


cdef extern from "layout.h":
    long long pcn_fields_from_rows(const double *rows, long long n, long long ncol,
                                   double *out, long long stride, long long col0) nogil
    void pcn_gather_fields(const double *inp, long long in_stride, const int *sel,
                           long long n, long long nfield, double *out,
                           long long out_stride) nogil


def fields_from_rows(const double[:, ::1] rows, double[::1] out, long long stride,
                     long long col0):
    """Instance-major records (n x ncol) into field-major out (column c of row i at
    out[c*stride + col0 + i]); the flat position of the first NaN, or -1."""
    cdef long long n = rows.shape[0], ncol = rows.shape[1]
    if n == 0 or ncol == 0:
        return -1
    if col0 < 0 or col0 + n > stride or (ncol - 1) * stride + col0 + n > out.shape[0]:
        raise ValueError("the records do not fit the field-major array")
    cdef long long bad
    with nogil:
        bad = pcn_fields_from_rows(&rows[0, 0], n, ncol, &out[0], stride, col0)
    return bad


def gather_fields(const double[::1] inp, long long in_stride, const int[::1] sel,
                  long long nfield, double[::1] out, long long out_stride):
    """out[f*out_stride + i] = inp[f*in_stride + sel[i]] for every field f and i."""
    cdef long long n = sel.shape[0]
    if n == 0 or nfield == 0:
        return
    if n > out_stride or (nfield - 1) * out_stride + n > out.shape[0]:
        raise ValueError("the gathered fields do not fit the output array")
    cdef long long i, top = (nfield - 1) * in_stride
    for i in range(n):
        if sel[i] < 0 or sel[i] >= in_stride or top + sel[i] >= inp.shape[0]:
            raise ValueError(f"instance {sel[i]} is outside the input's fields")
    with nogil:
        pcn_gather_fields(&inp[0], in_stride, &sel[0], n, nfield, &out[0], out_stride)
