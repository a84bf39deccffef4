"""derivimplicit's linear step for 3 or more states (newton.py), compiled and called directly,
against Eigen's formulas replayed in Python and against NumPy's solve."""

from __future__ import annotations

import ctypes
import subprocess
from pathlib import Path

import numpy as np
import pytest

from pycoreneuron.nmodl import newton
from pycoreneuron.nmodl.codegen import generate
from pycoreneuron.nmodl.pipeline import analyse_text

_D = ctypes.POINTER(ctypes.c_double)


@pytest.fixture(scope="module")
def helpers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("newton")
    src = folder / "newton.c"
    src.write_text("#include <math.h>\n" + newton.INVERSE3 + newton.INVERSE4 + newton.CROUT
                   + "int update3(const double *J, const double *F, double *X) "
                     "{ return _pcn_newton_update3(J, F, X); }\n"
                     "int update4(const double *J, const double *F, double *X) "
                     "{ return _pcn_newton_update4(J, F, X); }\n"
                     "int crout(int n, const double *J, const double *F, double *X, double *a, "
                     "int *perm, double *rowmax, double *p) "
                     "{ return _pcn_newton_crout(n, J, F, X, a, perm, rowmax, p); }\n")
    lib = folder / "libnewton.so"
    subprocess.run(["cc", "-O2", "-std=c11", "-ffp-contract=off", "-fPIC", "-shared", "-Wall",
                    "-Werror", "-o", str(lib), str(src), "-lm"], check=True)
    return ctypes.CDLL(str(lib))


def _update(helpers, n: int, J: np.ndarray, F: np.ndarray, X: np.ndarray) -> tuple[int, np.ndarray]:
    """One update of X with the C helper for n states; J given as a matrix."""
    Jc = np.ascontiguousarray(J.T.reshape(-1))  # column-major, as the kernels keep it
    Fc, Xc = np.ascontiguousarray(F), X.copy()
    args = [Jc.ctypes.data_as(_D), Fc.ctypes.data_as(_D), Xc.ctypes.data_as(_D)]
    if n == 3:
        ok = helpers.update3(*args)
    elif n == 4:
        ok = helpers.update4(*args)
    else:
        scratch = [np.zeros(n * n), np.zeros(n, dtype=np.int32), np.zeros(n), np.zeros(n)]
        ok = helpers.crout(n, *args, *[s.ctypes.data_as(ctypes.c_void_p) for s in scratch])
    return ok, Xc


def _eigen3(J: np.ndarray, F: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Eigen's 3x3 computeInverseWithCheck and X - inverse*F, operation by operation."""
    m = [[float(J[i, j]) for j in range(3)] for i in range(3)]

    def cof(i: int, j: int) -> float:
        i1, i2, j1, j2 = (i + 1) % 3, (i + 2) % 3, (j + 1) % 3, (j + 2) % 3
        return m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1]

    det = (cof(0, 0) * m[0][0] + cof(1, 0) * m[1][0]) + cof(2, 0) * m[2][0]
    invdet = 1.0 / det
    inv = [[cof(j, i) * invdet for j in range(3)] for i in range(3)]
    f = [float(v) for v in F]
    return np.array([X[i] - ((inv[i][0] * f[0] + inv[i][1] * f[1]) + inv[i][2] * f[2])
                     for i in range(3)])


def test_three_states_are_eigens_closed_form_bit_for_bit(helpers) -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        J, F, X = rng.normal(size=(3, 3)), rng.normal(size=3), rng.normal(size=3)
        ok, got = _update(helpers, 3, J, F, X)
        assert ok == 1
        assert got.tolist() == _eigen3(J, F, X).tolist()


@pytest.mark.parametrize("n", [3, 4, 5, 8])
def test_update_solves_the_newton_step(helpers, n: int) -> None:
    rng = np.random.default_rng(n)
    for _ in range(50):
        J = rng.normal(size=(n, n)) + n * np.eye(n) * rng.choice([-1, 1])
        F, X = rng.normal(size=n), rng.normal(size=n)
        ok, got = _update(helpers, n, J, F, X)
        assert ok == 1
        np.testing.assert_allclose(got, X - np.linalg.solve(J, F), rtol=1e-12, atol=1e-12)


def test_crout_pivots_on_scaled_rows(helpers) -> None:
    # a zero leading entry needs a row interchange; row scaling picks the second row
    J = np.array([[0.0, 1.0, 2.0, 0.0, 1.0], [1e-3, 1e-3, 0.0, 0.0, 0.0],
                  [1.0, 5.0, 1.0, 2.0, 0.0], [0.0, 0.0, 3.0, 1.0, 0.0],
                  [2.0, 0.0, 0.0, 1.0, 4.0]])
    F, X = np.arange(1.0, 6.0), np.zeros(5)
    ok, got = _update(helpers, 5, J, F, X)
    assert ok == 1
    np.testing.assert_allclose(got, -np.linalg.solve(J, F), rtol=1e-12)


@pytest.mark.parametrize("n", [3, 4, 6])
def test_a_singular_jacobian_leaves_x_alone(helpers, n: int) -> None:
    J = np.ones((n, n))
    X = np.arange(float(n))
    ok, got = _update(helpers, n, J, np.ones(n), X)
    assert ok == 0 and got.tolist() == X.tolist()


def _states_mod(n: int) -> str:
    names = [f"s{k}" for k in range(n)]
    eqs = "\n".join(f"    {x}' = -{x}*(1 + {names[(k + 1) % n]}^2) + 0.1*{names[k - 1]}"
                    for k, x in enumerate(names))
    return (f"NEURON {{ SUFFIX di{n} }}\nSTATE {{ {' '.join(names)} }}\n"
            "BREAKPOINT { SOLVE s METHOD derivimplicit }\n"
            f"DERIVATIVE s {{\n{eqs}\n}}\n")


@pytest.mark.parametrize("n,call", [(3, "_pcn_newton_update3(_J, _F, _l_X)"),
                                    (4, "_pcn_newton_update4(_J, _F, _l_X)"),
                                    (6, "_pcn_newton_crout(6, _J, _F, _l_X, _a, _perm, "
                                        "_rowmax, _p)")])
def test_generated_state_hook_calls_the_helper(n: int, call: str) -> None:
    prog, info = analyse_text(_states_mod(n), f"di{n}.mod")
    c = generate(prog, info)
    assert f"if (!{call}) break;" in c
    helper = newton.helper(n).split("\n")
    assert c.count(helper[2]) == 1  # printed once, before the hooks
    assert c.index(helper[2]) < c.index("static void _hook_state")
    assert f"double _l_X[{n}], _F[{n}], _J[{n * n}];" in c


def test_derivimplicit_six_states_compile_warning_free(tmp_path: Path) -> None:
    from pycoreneuron.nmodl.build import kernels_dir

    prog, info = analyse_text(_states_mod(6), "di6.mod")
    src = tmp_path / "di6.c"
    src.write_text(generate(prog, info))
    r = subprocess.run(["cc", "-std=c11", "-Wall", "-Wextra", "-Wno-unused-parameter",
                        "-Wno-unused-function", "-fsyntax-only", f"-I{kernels_dir()}", str(src)],
                       capture_output=True, text=True)
    assert r.returncode == 0 and not r.stderr, r.stderr
