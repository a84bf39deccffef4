"""The linear step of derivimplicit's Newton iteration, as nmodl 9.0.2's C++ takes it.

nmodl's newton_solver (src/nmodl/solver/newton/newton.hpp) updates X -= J^-1 F. For N <= 4
unknowns it inverts J in closed form with Eigen's computeInverseWithCheck (threshold 1e-12 on
|det|; not invertible ends the iteration), for N > 4 it factorises J with its own Crout
(scaled partial pivoting, pivot below 1e-20 ends the iteration) and solves. These C helpers
do the same operations in the same order, written from Eigen's InverseImpl.h/Determinant.h
(scalar path) and nmodl's crout.hpp, not copied. J is column-major: J[i + n*j] = dF_i/dX_j.
Each returns 1 after updating X, or 0 when the matrix is singular (X unchanged).

1x1 and 2x2 are printed inline by the code generator (codegen.CPrinter._implicit).
"""

from __future__ import annotations

INVERSE3 = """\
/* derivimplicit, 3 states: Eigen's 3x3 inverse (cofactors; det from column 0,
 * summed left to right; inverse(i,j) = cofactor(j,i)/det), then X -= inverse*F. */
static int _pcn_newton_update3(const double *J, const double *F, double *X) {
    double c[3][3], inv[3][3], d[3];
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            const int i1 = (i + 1) % 3, i2 = (i + 2) % 3, j1 = (j + 1) % 3, j2 = (j + 2) % 3;
            c[i][j] = J[i1 + 3*j1]*J[i2 + 3*j2] - J[i1 + 3*j2]*J[i2 + 3*j1];
        }
    }
    const double det = (c[0][0]*J[0] + c[1][0]*J[1]) + c[2][0]*J[2];
    if (!(fabs(det) > 1e-12)) {
        return 0;
    }
    const double invdet = 1.0/det;
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            inv[i][j] = c[j][i]*invdet;
        }
    }
    for (int i = 0; i < 3; i++) {
        d[i] = (inv[i][0]*F[0] + inv[i][1]*F[1]) + inv[i][2]*F[2];
    }
    for (int i = 0; i < 3; i++) {
        X[i] = X[i] - d[i];
    }
    return 1;
}
"""

INVERSE4 = """\
/* derivimplicit, 4 states: Eigen's 4x4 determinant (Determinant.h: 2x2 minors of columns
 * 0-1, then 3x3 ones along column 2, then column 3) and its scalar 4x4 inverse (InverseImpl.h:
 * signed cofactors, divided by column 0 times row 0), then X -= inverse*F. */
static double _pcn_det2(const double *J, int i0, int i1) {
    return J[i0]*J[i1 + 4] - J[i1]*J[i0 + 4];
}

static double _pcn_det3(const double *J, int i0, double d0, int i1, double d1, int i2,
                        double d2) {
    return J[i0 + 8]*d0 + ((-J[i1 + 8])*d1 + J[i2 + 8]*d2);
}

static double _pcn_minor3(const double *J, int a, int b, int c, int x, int y, int z) {
    return J[a + 4*x]*(J[b + 4*y]*J[c + 4*z] - J[b + 4*z]*J[c + 4*y]);
}

static int _pcn_newton_update4(const double *J, const double *F, double *X) {
    const double d01 = _pcn_det2(J, 0, 1), d02 = _pcn_det2(J, 0, 2), d03 = _pcn_det2(J, 0, 3);
    const double d12 = _pcn_det2(J, 1, 2), d13 = _pcn_det2(J, 1, 3), d23 = _pcn_det2(J, 2, 3);
    const double e0 = _pcn_det3(J, 1, d23, 2, d13, 3, d12);
    const double e1 = _pcn_det3(J, 0, d23, 2, d03, 3, d02);
    const double e2 = _pcn_det3(J, 0, d13, 1, d03, 3, d01);
    const double e3 = _pcn_det3(J, 0, d12, 1, d02, 2, d01);
    const double det = ((-J[12])*e0 + J[13]*e1) + ((-J[14])*e2 + J[15]*e3);
    if (!(fabs(det) > 1e-12)) {
        return 0;
    }
    double inv[4][4], d[4];
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            const int i1 = (i + 1) % 4, i2 = (i + 2) % 4, i3 = (i + 3) % 4;
            const int j1 = (j + 1) % 4, j2 = (j + 2) % 4, j3 = (j + 3) % 4;
            const double cof = _pcn_minor3(J, i1, i2, i3, j1, j2, j3)
                               + _pcn_minor3(J, i2, i3, i1, j1, j2, j3)
                               + _pcn_minor3(J, i3, i1, i2, j1, j2, j3);
            inv[j][i] = ((i + j) % 2) ? -cof : cof;
        }
    }
    const double scale = ((J[0]*inv[0][0] + J[1]*inv[0][1]) + J[2]*inv[0][2]) + J[3]*inv[0][3];
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            inv[i][j] /= scale;
        }
    }
    for (int i = 0; i < 4; i++) {
        d[i] = ((inv[i][0]*F[0] + inv[i][1]*F[1]) + inv[i][2]*F[2]) + inv[i][3]*F[3];
    }
    for (int i = 0; i < 4; i++) {
        X[i] = X[i] - d[i];
    }
    return 1;
}
"""

CROUT = """\
/* derivimplicit, 5 or more states: nmodl's Crout factorisation of J (row-major copy in a,
 * rows scaled by their largest entry for the pivot choice, rows permuted through perm),
 * its forward and back substitution, then X -= solution. a, perm, rowmax, p: n-sized
 * scratch of the caller (a: n*n). */
static int _pcn_newton_crout(int n, const double *J, const double *F, double *X, double *a,
                             int *perm, double *rowmax, double *p) {
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
            a[i*n + j] = J[i + n*j];
        }
    }
    for (int i = 0; i < n; i++) {
        perm[i] = i;
        int k = 0;
        for (int j = 1; j < n; j++) {
            if (fabs(a[i*n + j]) > fabs(a[i*n + k])) {
                k = j;
            }
        }
        rowmax[i] = a[i*n + k];
    }
    int save_i = 0;
    for (int r = 0; r < n; r++) {
        /* column r of L */
        for (int i = r; i < n; i++) {
            double sum = 0.0;
            const int irow = perm[i];
            for (int k = 0; k < r; k++) {
                sum += a[irow*n + k]*a[perm[k]*n + r];
            }
            a[irow*n + r] -= sum;
        }
        /* pivot: the largest |entry|/rowmax of column r, the first one on ties */
        int pivot = perm[r];
        double equil_1 = fabs(a[pivot*n + r]/rowmax[pivot]);
        for (int i = r + 1; i < n; i++) {
            const int irow = perm[i];
            const double equil_2 = fabs(a[irow*n + r]/rowmax[irow]);
            if (equil_2 > equil_1) {
                pivot = irow;
                save_i = i;
                equil_1 = equil_2;
            }
        }
        if (pivot != perm[r]) {
            perm[save_i] = perm[r];
            perm[r] = pivot;
        }
        if (fabs(a[pivot*n + r]) < 1.e-20) {
            return 0;
        }
        /* row r of U */
        for (int j = r + 1; j < n; j++) {
            double sum = 0.0;
            for (int k = 0; k < r; k++) {
                sum += a[pivot*n + k]*a[perm[k]*n + j];
            }
            a[pivot*n + j] = (a[pivot*n + j] - sum)/a[pivot*n + r];
        }
    }
    for (int i = 0; i < n; i++) {
        const int pivot = perm[i];
        double sum = 0.0;
        for (int j = 0; j < i; j++) {
            sum += a[pivot*n + j]*p[j];
        }
        p[i] = (F[pivot] - sum)/a[pivot*n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
        const int pivot = perm[i];
        double sum = 0.0;
        for (int j = i + 1; j < n; j++) {
            sum += a[pivot*n + j]*p[j];
        }
        p[i] -= sum;
    }
    for (int i = 0; i < n; i++) {
        X[i] -= p[i];
    }
    return 1;
}
"""


def helper(n: int) -> str:
    """The C helper a derivimplicit system of n >= 3 states needs."""
    if n == 3:
        return INVERSE3
    if n == 4:
        return INVERSE4
    return CROUT


def update_call(n: int, x: str) -> str:
    """C expression: one Newton update of X (names _J, _F and x), 0 when J is singular."""
    if n == 3:
        return f"_pcn_newton_update3(_J, _F, {x})"
    if n == 4:
        return f"_pcn_newton_update4(_J, _F, {x})"
    return f"_pcn_newton_crout({n}, _J, _F, {x}, _a, _perm, _rowmax, _p)"
