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


def depth_sorted(parent: np.ndarray, ncell: int) -> np.ndarray:
    """The node order by depth (roots first), ties in the original order: the partitioner's."""
    depth = np.zeros(len(parent), dtype=np.int64)
    for i in range(ncell, len(parent)):
        depth[i] = depth[parent[i]] + 1
    return np.argsort(depth, kind="stable")


def renumber(order: np.ndarray, parent: np.ndarray, ncell: int, *arrays):
    new = np.empty(len(order), dtype=np.int64)
    new[order] = np.arange(len(order))
    p = parent[order].astype(np.int64)
    p[ncell:] = new[p[ncell:]]
    return (p.astype(np.int32), *(x[order].copy() for x in arrays))


@pytest.mark.parametrize("ncell,nnode,seed", [(1, 1, 0), (1, 30, 1), (5, 200, 2), (40, 3000, 3)])
def test_level_solve_gives_the_same_bits_as_the_plain_solve(ncell, nnode, seed):
    rng = np.random.default_rng(seed)
    parent, a, b, d, rhs = random_forest(rng, ncell, nnode)
    order = depth_sorted(parent, ncell)
    parent, a, b, d, rhs = renumber(order, parent, ncell, a, b, d, rhs)
    levels = _core.hines_levels(ncell, parent)
    assert levels is not None and levels[0] == 0 and levels[1] == ncell and levels[-1] == nnode
    d1, rhs1 = d.copy(), rhs.copy()
    _core.hines_solve(ncell, parent, a, b, d1, rhs1)
    _core.hines_solve_levels(levels, parent, a, b, d, rhs)
    assert d.tobytes() == d1.tobytes() and rhs.tobytes() == rhs1.tobytes()


def test_levels_of_nodes_not_sorted_by_depth_are_refused():
    # node 3's parent (2) is as deep as node 1: depth order would put 3 after 2's level ends
    parent = np.array([-1, 0, 0, 1], dtype=np.int32)
    assert _core.hines_levels(1, parent) is not None  # 0 | 1 2 | 3
    parent = np.array([-1, 0, 1, 0], dtype=np.int32)  # 0 | 1 | 2 then 3 at depth 1 again
    assert _core.hines_levels(1, parent) is None
    with pytest.raises(ValueError, match="not sorted by depth"):
        _core.hines_solve_levels(np.array([0, 1, 2, 4], dtype=np.int32), parent,
                                 *[np.ones(4) for _ in range(4)])


def cell_of(parent: np.ndarray, ncell: int) -> np.ndarray:
    cell = np.arange(len(parent))
    for i in range(ncell, len(parent)):
        cell[i] = cell[parent[i]]
    return cell


def interleaved_order(parent: np.ndarray, ncell: int):
    """(order, row_start, cell_len) of a forest in the device layout, as one block."""
    from pycoreneuron.engine.partition import cell_interleaved_positions

    pos, (row_start,), (cell_len,) = cell_interleaved_positions(
        cell_of(parent, ncell), np.zeros(ncell, np.int64), 1)
    return np.argsort(pos), row_start, cell_len


@pytest.mark.parametrize("ncell,nnode,seed", [(1, 1, 0), (1, 30, 1), (5, 200, 2), (40, 3000, 3),
                                              (33, 33, 4)])
def test_interleaved_solve_gives_the_same_bits_as_the_plain_solve(ncell, nnode, seed):
    # The device layout (one thread per cell on the GPU), run here by its host build.
    rng = np.random.default_rng(seed)
    parent, a, b, d, rhs = random_forest(rng, ncell, nnode)
    order, row_start, cell_len = interleaved_order(parent, ncell)
    ip, ia, ib, id_, irhs = renumber(order, parent, ncell, a, b, d, rhs)
    assert (np.diff(cell_len) <= 0).all() and row_start[-1] == nnode
    _core.hines_solve(ncell, parent, a, b, d, rhs)
    _core.hines_interleaved(cell_len, row_start, ip, ia, ib, id_, irhs)
    assert id_.tobytes() == d[order].tobytes() and irhs.tobytes() == rhs[order].tobytes()


def test_an_interleaved_layout_that_would_leave_its_cell_is_refused():
    # two cells of two nodes: rows [0, 2, 4]; node 3 (cell 1) naming node 2 (cell 0)
    cell_len = np.array([2, 2], dtype=np.int32)
    row_start = np.array([0, 2, 4], dtype=np.int32)
    ones = np.ones(4)
    good = np.array([-1, -1, 0, 1], dtype=np.int32)
    _core.hines_interleaved(cell_len, row_start, good, ones, ones, ones.copy(), ones.copy())
    for parent in ([-1, -1, 0, 2], [-1, -1, 0, 0], [-1, -1, 0, 7]):
        with pytest.raises(ValueError, match="parent"):
            _core.hines_interleaved(cell_len, row_start, np.array(parent, dtype=np.int32),
                                    ones, ones, ones.copy(), ones.copy())
    with pytest.raises(ValueError, match="row_start"):
        _core.hines_interleaved(cell_len, np.array([0, 1, 4], dtype=np.int32), good, ones,
                                ones, ones.copy(), ones.copy())
    with pytest.raises(ValueError, match="largest first"):
        _core.hines_interleaved(np.array([1, 3], dtype=np.int32), row_start, good, ones, ones,
                                ones.copy(), ones.copy())
