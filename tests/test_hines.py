"""The Hines solve of a forest of trees against a dense linear solve."""

import numpy as np
import pytest

from pycoreneuron import _core


def random_forest(rng: np.random.Generator, ncell: int, nnode: int):
    """Roots first, then nodes whose parent is any earlier node (a root or a non-root)."""
    parent = np.full(nnode, -1, dtype=np.int32)
    for i in range(ncell, nnode):
        parent[i] = rng.integers(0, i)
    a = -rng.uniform(0.1, 2.0, nnode)
    b = -rng.uniform(0.1, 2.0, nnode)
    d = rng.uniform(5.0, 10.0, nnode)
    rhs = rng.uniform(-1.0, 1.0, nnode)
    return parent, a, b, d, rhs


def dense_matrix(parent, a, b, d, ncell):
    n = len(parent)
    m = np.diag(d.copy())
    for i in range(ncell, n):
        m[i, parent[i]] = b[i]  # row i: coefficient of the parent's voltage
        m[parent[i], i] = a[i]  # parent's row: coefficient of v[i]
    return m


@pytest.mark.parametrize("ncell,nnode,seed", [(1, 1, 0), (1, 7, 1), (3, 40, 2), (10, 300, 3)])
def test_hines_solve_matches_dense_solve(ncell, nnode, seed):
    rng = np.random.default_rng(seed)
    parent, a, b, d, rhs = random_forest(rng, ncell, nnode)
    expected = np.linalg.solve(dense_matrix(parent, a, b, d, ncell), rhs)
    _core.hines_solve(ncell, parent, a, b, d, rhs)
    np.testing.assert_allclose(rhs, expected, rtol=1e-12, atol=1e-14)


def test_hines_solve_refuses_a_parent_that_is_not_earlier():
    parent = np.array([-1, 0, 2], dtype=np.int32)
    ones = np.ones(3)
    with pytest.raises(ValueError, match="parent"):
        _core.hines_solve(1, parent, ones, ones, ones.copy(), ones.copy())
