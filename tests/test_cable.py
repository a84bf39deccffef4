"""The cable kernels assemble and solve the backward-Euler cable system of a passive tree."""

import numpy as np

from pycoreneuron import _core

from .test_hines import random_forest


def test_one_passive_step_equals_a_dense_backward_euler_solve():
    rng = np.random.default_rng(7)
    ncell, nnode = 3, 60
    parent, a, b, _, _ = random_forest(rng, ncell, nnode)
    v = rng.uniform(-70.0, -60.0, nnode)
    cap_node = np.arange(ncell, nnode, dtype=np.int32)  # roots carry no capacitance
    cm = rng.uniform(0.5, 2.0, cap_node.size)
    dt = 0.025
    cfac = 0.001 * (1.0 / dt)
    rhs, d = np.empty(nnode), np.empty(nnode)
    _core.cable_setup(ncell, parent, a, b, v, cap_node, cm, cfac, rhs, d)

    # The same system written densely: (C/dt + G) dv = -G v, with G the axial conductances.
    g = np.zeros((nnode, nnode))
    for i in range(ncell, nnode):
        p = parent[i]
        g[i, i] -= b[i]
        g[i, p] += b[i]
        g[p, p] -= a[i]
        g[p, i] += a[i]
    c = np.zeros(nnode)
    c[cap_node] = cfac * cm
    expected_dv = np.linalg.solve(np.diag(c) + g, -g @ v)

    np.testing.assert_allclose(d, np.diag(np.diag(c) + g), rtol=1e-15, atol=0)
    _core.hines_solve(ncell, parent, a, b, d, rhs)
    np.testing.assert_allclose(rhs, expected_dv, rtol=1e-10, atol=1e-12)
    v_new = v.copy()
    _core.update_v(0, rhs, v_new)
    np.testing.assert_array_equal(v_new, v + rhs)
    v_cn = v.copy()
    _core.update_v(1, rhs, v_cn)
    np.testing.assert_array_equal(v_cn, v + 2.0 * rhs)


def test_spike_detection_is_upward_strict_and_once_per_crossing():
    node = np.array([0, 1, 2], dtype=np.int32)
    threshold = np.array([10.0, 10.0, 0.0])
    above = np.zeros(3, dtype=np.uint8)
    trace = [
        ([-65.0, 10.0, -1.0], []),  # 10 is not above 10
        ([11.0, 10.5, -1.0], [0, 1]),
        ([12.0, 20.0, 5.0], [2]),  # still above: no new spike for 0 and 1
        ([9.0, 20.0, 5.0], []),
        ([10.1, 20.0, 5.0], [0]),  # fell below, crossed again
    ]
    for v, want in trace:
        assert list(_core.detect_spikes(node, threshold, np.array(v), above)) == want


def test_fused_axial_terms_give_the_same_bits_as_the_two_passes():
    rng = np.random.default_rng(7)
    ncell, n = 4, 500
    parent = np.full(n, -1, dtype=np.int32)
    parent[ncell:] = [rng.integers(0, i) for i in range(ncell, n)]
    a, b = -rng.uniform(0.1, 2.0, n), -rng.uniform(0.1, 2.0, n)
    v = rng.uniform(-80.0, 40.0, n)
    rhs, d = rng.uniform(-1, 1, n), rng.uniform(1, 5, n)  # mechanism terms already there
    before = rhs.copy()
    rhs2, d2 = rhs.copy(), d.copy()
    _core.axial_terms(ncell, parent, a, b, v, rhs, d, fused=True)
    _core.axial_terms(ncell, parent, a, b, v, rhs2, d2, fused=False)
    assert not np.array_equal(rhs, before)
    assert rhs.tobytes() == rhs2.tobytes() and d.tobytes() == d2.tobytes()
