"""Generated kernels against the equations, computed independently in Python.

Python floats are IEEE doubles and math.exp/pow are glibc's, so evaluating each formula in
the order neuron-numerics.md gives (sections 4.1, 10, 12.5, 12.6) must give the same bits.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

import pycoreneuron
from pycoreneuron.nmodl.build import translate
from pycoreneuron.nmodl.catalogue import builtin_mod_dir
from pycoreneuron.nmodl.errors import NmodlNotSupportedError

from .harness import Block, load_folder

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def mechs(tmp_path_factory):
    """The built-in MOD files (those the translator supports) and HalfGap, compiled."""
    folder = tmp_path_factory.mktemp("mods")
    for f in builtin_mod_dir().glob("*.mod"):
        shutil.copy(f, folder)
    shutil.copy(REPO / "examples" / "ringtest" / "mod" / "halfgap.mod", folder)
    for f in sorted(folder.glob("*.mod")):
        try:
            translate(f)
        except NmodlNotSupportedError:
            f.unlink()  # a later issue's construct (KINETIC, say)
    lib, descs = load_folder(folder, tmp_path_factory.mktemp("cache"))
    py = {d["name"]: d for d in pycoreneuron.mechanisms(mod=folder)}
    return lib, descs, py


def block(mechs, name: str, n: int = 1, **kw) -> Block:
    lib, descs, py = mechs
    b = Block(descs[name], n, **kw)
    b.wire([nm for nm, _ in py[name]["dparam"]], lib)
    return b


def test_pas_current_is_finite_difference(mechs) -> None:
    b = block(mechs, "pas")
    g, e, v = 0.001, -70.0, -64.123
    b.set("g", g)
    b.set("e", e)
    b.v[:] = v
    b.cur(0.0125)
    r = g * (v - e)
    gfd = (g * ((v + 0.001) - e) - r) / 0.001
    assert b.rhs[0] == -r
    assert b.d[0] == gfd
    assert b.get("i")[0] == r


def _vtrap(x: float, y: float) -> float:
    if math.fabs(x / y) < 1e-6:
        return y * (1.0 - x / y / 2.0)
    return x / (math.exp(x / y) - 1.0)


def _hh_rates(v: float, celsius: float) -> tuple[float, ...]:
    q10 = math.pow(3.0, ((celsius - 6.3) / 10.0))
    alpha = .1 * _vtrap(-(v + 40.0), 10.0)
    beta = 4.0 * math.exp(-(v + 65.0) / 18.0)
    s = alpha + beta
    mtau, minf = 1.0 / (q10 * s), alpha / s
    alpha = .07 * math.exp(-(v + 65.0) / 20.0)
    beta = 1.0 / (math.exp(-(v + 35.0) / 10.0) + 1.0)
    s = alpha + beta
    htau, hinf = 1.0 / (q10 * s), alpha / s
    alpha = .01 * _vtrap(-(v + 55.0), 10.0)
    beta = .125 * math.exp(-(v + 65.0) / 80.0)
    s = alpha + beta
    ntau, ninf = 1.0 / (q10 * s), alpha / s
    return minf, hinf, ninf, mtau, htau, ntau


def _hh_table_rates(v: float, celsius: float) -> tuple[float, ...]:
    """TABLE ... FROM -100 TO 100 WITH 200: accumulated x, clamped ends, linear (doc 10.15)."""
    tmin, tmax = -100.0, 100.0
    dx = (tmax - tmin) / 200.
    mfac = 1. / dx
    table = []
    x = tmin
    for _ in range(201):
        table.append(_hh_rates(x, celsius))
        x += dx
    xi = mfac * (v - tmin)
    if xi <= 0.:
        return table[0]
    if xi >= 200.:
        return table[200]
    i = int(xi)
    theta = xi - float(i)
    return tuple(lo + theta * (hi - lo) for lo, hi in zip(table[i], table[i + 1], strict=True))


@pytest.mark.parametrize("celsius", [6.3, 18.5])
def test_hh_init_cur_state(mechs, celsius: float) -> None:
    b = block(mechs, "hh", n=3, celsius=celsius)
    vs = [-65.0, -20.37, 33.3]
    b.v[:] = vs
    for k, val in (("gnabar", .12), ("gkbar", .036), ("gl", .0003), ("el", -54.3)):
        b.set(k, val)
    b.ion("na")[0] = 50.0
    b.ion("k")[0] = -77.0
    b.init()
    for i, v in enumerate(vs):
        minf, hinf, ninf, mtau, htau, ntau = _hh_table_rates(v, celsius)
        assert (b.get("m")[i], b.get("h")[i], b.get("n")[i]) == (minf, hinf, ninf)
        assert b.get("ena")[i] == 50.0 and b.get("ek")[i] == -77.0

    m0, h0, n0 = b.get("m").copy(), b.get("h").copy(), b.get("n").copy()
    b.cur(0.0125)
    for i, v in enumerate(vs):
        def current(vv, i=i):
            gna = .12 * m0[i] * m0[i] * m0[i] * h0[i]
            ina = gna * (vv - 50.0)
            gk = .036 * n0[i] * n0[i] * n0[i] * n0[i]
            ik = gk * (vv - -77.0)
            il = .0003 * (vv - -54.3)
            c = 0.0
            c += ina  # nocmodl's order: the NEURON block's statement order
            c += ik
            c += il
            return c, ina, ik
        g1, dina, dik = current(v + 0.001)
        r, ina, ik = current(v)
        g = (g1 - r) / 0.001
        assert b.rhs[i] == -r
        assert b.d[i] == g
        assert b.ion("na")[3][i] == ina and b.ion("k")[3][i] == ik
        assert b.ion("na")[4][i] == (dina - ina) / 0.001
        assert b.ion("k")[4][i] == (dik - ik) / 0.001

    vnew = [-64.9, -19.0, 30.1]
    b.v[:] = vnew
    b.state(0.025)
    for i, v in enumerate(vnew):
        minf, hinf, ninf, mtau, htau, ntau = _hh_table_rates(v, celsius)
        for x0, xinf, xtau, name in ((m0[i], minf, mtau, "m"), (h0[i], hinf, htau, "h"),
                                     (n0[i], ninf, ntau, "n")):
            want = x0 + (1.0 - math.exp(0.025 * ((-1.0) / xtau))) * (
                -(xinf / xtau) / ((-1.0) / xtau) - x0)
            assert b.get(name)[i] == want, name


def test_hh_without_table(mechs) -> None:
    lib, descs, _ = mechs
    from pycoreneuron.nmodl import library

    library.set_global(descs["hh"], "usetable_hh", 0.0)
    try:
        b = block(mechs, "hh")
        b.v[:] = -61.7
        b.init()
        assert b.get("m")[0] == _hh_rates(-61.7, 6.3)[0]
    finally:
        library.set_global(descs["hh"], "usetable_hh", 1.0)


def test_expsyn_event_state_current(mechs) -> None:
    b = block(mechs, "ExpSyn")
    b.set("tau", 2.0)
    b.set("e", 0.0)
    b.area[:] = 314.159
    b.init()
    assert b.get("g")[0] == 0.0 and b.get("tsave")[0] == -1e20
    b.weights[3] = 0.0125
    b.net_receive(0, 1.5, 3, 0.0)
    assert b.get("g")[0] == 0.0125 and b.get("tsave")[0] == 1.5
    b.state(1.525)
    g0 = 0.0125
    g = g0 + (1.0 - math.exp(0.025 * ((-1.0) / 2.0))) * (-(0.0) / ((-1.0) / 2.0) - g0)
    assert b.get("g")[0] == g
    v = -64.0
    b.v[:] = v
    b.cur(1.5375)
    r = g * (v - 0.0)
    gfd = (g * ((v + 0.001) - 0.0) - r) / 0.001
    mf = 1.e2 / 314.159
    assert b.rhs[0] == -(r * mf)
    assert b.d[0] == gfd * mf


def test_halfgap_is_an_electrode_current(mechs) -> None:
    b = block(mechs, "HalfGap")
    b.set("g", 0.01)
    b.set("vgap", -40.0)
    b.v[:] = -65.0
    b.area[:] = 50.0
    b.cur(0.0125)
    i = 0.01 * (-40.0 - -65.0)
    gfd = (0.01 * (-40.0 - (-65.0 + 0.001)) - i) / 0.001
    mf = 1.e2 / 50.0
    assert b.rhs[0] == i * mf
    assert b.d[0] == -(gfd * mf)


@pytest.mark.parametrize("t,on", [(0.9875, False), (1.0125, True), (3.0125, False)])
def test_iclamp_pulse(mechs, t: float, on: bool) -> None:
    b = block(mechs, "IClamp")
    b.set("del", 1.0)
    b.set("dur", 2.0)
    b.set("amp", 0.3)
    b.init()
    b.cur(t)
    assert b.get("i")[0] == (0.3 if on else 0.0)
    assert b.rhs[0] == (0.3 * (1.e2 / 100.0) if on else 0.0)


def test_netstim_without_noise(mechs) -> None:
    b = block(mechs, "NetStim")
    b.set("interval", 10.0)
    b.set("number", 3.0)
    b.set("start", 5.3)
    b.set("noise", 0.0)
    b.init()
    first = 5.3 + 10.0 - 10.0 * (1. - 0.0)
    assert b.sent == [(0, 0, 0.0 + first, 3.0)]
    b.net_receive(0, first, 0, 3.0)
    assert b.sent[-1] == (0, 0, first + 0.0, 1.0)
    b.net_receive(0, first, 0, 1.0)
    assert b.events == [(0, first)]
    assert b.get("ispike")[0] == 1.0
    assert b.sent[-1] == (0, 0, first + 10.0, 1.0)


def test_netstim_noise_draws_from_its_stream(mechs) -> None:
    lib, _, _ = mechs
    b = block(mechs, "NetStim")
    b.set("interval", 10.0)
    b.set("number", 5.0)
    b.set("start", 0.0)
    b.set("noise", 1.0)
    b.init()
    # The same stream, drawn directly: event = start + invl - interval*(1 - noise)
    import ctypes

    ref = ctypes.create_string_buffer(64)
    lib.pcn_ran123_init(ref, 1, 0, 1, 0)
    lib.pcn_ran123_negexp.restype = ctypes.c_double
    e = lib.pcn_ran123_negexp(ref)
    invl = (1. - 1.0) * 10.0 + 1.0 * 10.0 * e
    assert b.sent == [(0, 0, 0.0 + (0.0 + invl - 10.0 * (1. - 1.0)), 3.0)]


WATCHER = """NEURON { POINT_PROCESS Watcher RANGE thr, n }
PARAMETER { thr = -20 }
ASSIGNED { v n }
INITIAL { n = 0 }
NET_RECEIVE(w, k) {
    INITIAL { k = w*2 }
    IF (flag == 1) { WATCH (v > thr) 2 }
    IF (flag == 2) { n = n + 1  WATCH (v < thr) 3 }
}
"""


@pytest.fixture(scope="module")
def watcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("watcher")
    (folder / "watcher.mod").write_text(WATCHER)
    lib, descs = load_folder(folder, tmp_path_factory.mktemp("cache"))
    py = {d["name"]: d for d in pycoreneuron.mechanisms(mod=folder)}
    return lib, descs, py


def _slot(b: Block, k: int) -> int:
    s0 = b.sems.index("watch")
    return int(b.pdata[(s0 + k) * b.n])


def test_watch_arms_and_fires_once(watcher) -> None:
    b = block(watcher, "Watcher")
    assert b.sems.count("watch") == 3  # 2 WATCH statements + NEURON's spare slot
    b.set("thr", -20.0)
    b.init()
    b.v[:] = -65.0
    b.net_receive(0, 1.0, 0, 1.0)  # arms WATCH (v > thr) 2, false now
    assert (_slot(b, 1), _slot(b, 2)) == (2, 0)
    b.desc.watch_check(b._pack(1.025))
    assert b.sent == []
    b.v[:] = 0.0
    b.desc.watch_check(b._pack(1.05))
    assert b.sent == [(0, -1, 1.05 + 0.0, 2.0)] and _slot(b, 1) == 3
    b.desc.watch_check(b._pack(1.075))  # still true: no second event
    assert len(b.sent) == 1
    b.net_receive(0, 1.05, -1, 2.0)  # the first WATCH executed disarms all, then arms its own
    assert (_slot(b, 1), _slot(b, 2)) == (0, 2) and b.get("n")[0] == 1.0


def test_net_receive_initial_runs_per_netcon(watcher) -> None:
    b = block(watcher, "Watcher")
    b.weights[4] = 0.25
    b.desc.net_init(b._pack(0.0), 0, 4)
    assert b.weights[5] == 0.25 * 2.0


ZOO = """NEURON { SUFFIX zoo USEION ca READ ica WRITE cai RANGE arr, gz, s POINTER pz
    THREADSAFE }
PARAMETER { gz = 1  taur = 100 }
ASSIGNED { diam ica arr[4] pz s }
STATE { cai }
INITIAL {
    arr[0] = diam
    FROM j = 1 TO 3 { arr[j] = arr[j - 1] + j }
    s = 0
    pz = gz*2
}
BREAKPOINT { SOLVE states METHOD cnexp }
DERIVATIVE states { cai' = -ica*1e-3 - (cai - 1e-4)/taur }
"""


def test_ion_writer_arrays_pointer_diam(tmp_path_factory) -> None:
    import ctypes

    import numpy as np

    folder = tmp_path_factory.mktemp("zoo")
    (folder / "zoo.mod").write_text(ZOO)
    lib, descs = load_folder(folder, tmp_path_factory.mktemp("cache"))
    py = {d["name"]: d for d in pycoreneuron.mechanisms(mod=folder)}["zoo"]
    b = Block(descs["zoo"], 2)
    b.wire([n for n, _ in py["dparam"]], lib)
    sems = [s for _, s in py["dparam"]]
    assert sems == ["ca_ion", "ca_ion", "ca_ion", "ca_ion", "#ca_ion", "pointer", "diam"]
    # POINTER and diam slots: point them at arrays of our own
    target = np.zeros(2)
    diam = np.array([3.0, 4.5])
    for s, arr in ((5, target), (6, diam)):
        b.pdata[s * 2:(s + 1) * 2] = [0, 1]
        b._bases[s] = arr.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
    b.set("gz", [1.5, 2.5])
    ca = b.ion("ca")
    ca[1] = [5e-5, 6e-5]  # cai in the ion
    ca[3] = [0.01, -0.02]  # ica
    b.init()
    # CoreNEURON's SoA (phase2's mech_data_layout_transform): the array's 4*stride doubles
    # hold instance 0's four elements, then instance 1's
    arr = b.data[b.offsets["arr"] * 2:(b.offsets["arr"] + 4) * 2].reshape(2, 4)
    assert arr[0].tolist() == [3.0, 4.0, 6.0, 9.0]
    assert arr[1].tolist() == [4.5, 5.5, 7.5, 10.5]
    assert target.tolist() == [3.0, 5.0]
    # cai is not reset by INITIAL here: it starts from the ion's value and is written back
    assert ca[1].tolist() == [5e-5, 6e-5]
    b.state(0.025)
    for i in range(2):
        cai0, ica = [5e-5, 6e-5][i], [0.01, -0.02][i]
        # nmodl's form of cai' = -ica*1e-3 - (cai - 1e-4)/taur  (taur a GLOBAL, 100)
        a = (-1.0) / 100.0
        want = cai0 + (1.0 - math.exp(0.025 * a)) * (
            -((-ica) * 1e-3 - (-1e-4) / 100.0) / a - cai0)
        assert b.get("cai")[i] == want
        assert ca[1][i] == want


def test_compiled_descriptors_equal_python_descriptors(mechs) -> None:
    from pycoreneuron.nmodl import library

    _, descs, py = mechs
    for name, desc in descs.items():
        c = library.describe(desc)
        p = py[name]
        assert (c["kind"], c["data_size"], c["dparam_size"]) == (
            p["kind"], p["data_size"], p["dparam_size"]), name
        assert c["variables"] == [tuple(v) for v in p["variables"]], name
        assert c["dparam_semantics"] == [s for _, s in p["dparam"]], name
        assert c["net_receive_args"] == p["net_receive_args"], name
        assert c["is_electrode_current"] == p["is_electrode_current"], name
    assert descs["hh"] and library.globals_of(descs["hh"])["usetable_hh"] == 1.0


GHK = """NEURON { SUFFIX ghkcur USEION ca READ cai, cao WRITE ica RANGE p }
PARAMETER { p = 1e-4 }
ASSIGNED { v cai cao ica }
BREAKPOINT { ica = p*nrn_ghk(v, cai, cao, 2) }
"""


def test_nrn_ghk_equals_coreneurons_formula(tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("ghk")
    (folder / "ghk.mod").write_text(GHK)
    lib, descs = load_folder(folder, tmp_path_factory.mktemp("cache"))
    py = {d["name"]: d for d in pycoreneuron.mechanisms(mod=folder)}["ghkcur"]
    b = Block(descs["ghkcur"], 2, celsius=22.0)
    b.wire([n for n, _ in py["dparam"]], lib)
    b.set("p", 1e-4)
    ca = b.ion("ca")
    ca[1] = [5e-5, 1e-4]
    ca[2] = [2.0, 1.5]
    b.v[:] = [-65.0, 1e-6]  # the second one takes efun's small-x branch
    b.cur(0.0125)

    def ghk(v, ci, co, z, celsius):
        faraday = 1.602176634e-19 * 6.02214076e+23
        ktf = 1000. * (1.380649e-23 * 6.02214076e+23) * (celsius + 273.15) / faraday

        def efun(x):
            return 1. - x / 2. if abs(x) < 1e-4 else x / (math.exp(x) - 1.)
        temp = z * v / ktf
        return .001 * z * faraday * (ci * efun(-temp) - co * efun(+temp))

    for i in range(2):
        v = b.v[i]
        assert b.get("ica")[i] == 1e-4 * ghk(v, ca[1][i], ca[2][i], 2.0, 22.0)


DI2 = """NEURON { SUFFIX di2 RANGE tau }
PARAMETER { tau = 2 }
ASSIGNED { minf v }
STATE { x y }
BREAKPOINT { SOLVE s METHOD derivimplicit }
DERIVATIVE s { LOCAL q
  q = exp(-v/10)
  minf = q/(1+q)
  x' = (minf - x)/tau - 0.1*x*y
  y' = x - y/tau + v*0.001 }
"""


def test_derivimplicit_newton_two_states(tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("di2")
    (folder / "di2.mod").write_text(DI2)
    lib, descs = load_folder(folder, tmp_path_factory.mktemp("cache"))
    py = {d["name"]: d for d in pycoreneuron.mechanisms(mod=folder)}["di2"]
    b = Block(descs["di2"], 1, dt=0.1)
    b.wire([n for n, _ in py["dparam"]], lib)
    tau, v, dt = 2.0, -30.0, 0.1
    b.set("tau", tau)
    b.set("x", 0.3)
    b.set("y", -0.2)
    b.v[:] = v
    b.state(0.1)
    # scopmath's Newton replayed in Python (the order of every operation as in the C):
    # residuals D - (x - saved)/dt, central-difference Jacobian, Crout with scaled pivots.
    q = math.exp(-v / 10.0)
    minf = q / (1.0 + q)
    save = [0.3, -0.2]
    X = list(save)

    def f() -> list[float]:
        dx = (minf - X[0]) / tau - 0.1 * X[0] * X[1]
        dy = X[0] - X[1] / tau + v * 0.001
        return [dx - (X[0] - save[0]) / dt, dy - (X[1] - save[1]) / dt]

    def crout_solve(a: list[list[float]], b: list[float]) -> list[float]:
        n = len(b)
        perm = list(range(n))
        rowmax = [max(r, key=abs) for r in a]  # the first largest |entry|, with its sign
        for r in range(n):
            for i in range(r, n):
                irow = perm[i]
                a[irow][r] -= sum_left(a[irow][k] * a[perm[k]][r] for k in range(r))
            piv, save_i = perm[r], r
            for i in range(r + 1, n):
                if abs(a[perm[i]][r] / rowmax[perm[i]]) > abs(a[piv][r] / rowmax[piv]):
                    piv, save_i = perm[i], i
            perm[save_i], perm[r] = perm[r], piv
            for c in range(r + 1, n):
                a[piv][c] = (a[piv][c] - sum_left(a[piv][k] * a[perm[k]][c]
                                                  for k in range(r))) / a[piv][r]
        p = [0.0] * n
        for i in range(n):
            p[i] = (b[perm[i]] - sum_left(a[perm[i]][k] * p[k] for k in range(i))) \
                / a[perm[i]][i]
        for i in reversed(range(n)):
            p[i] -= sum_left(a[perm[i]][k] * p[k] for k in range(i + 1, n))
        return p

    change, jac, value = 1.0, None, None
    for _ in range(50):
        if change > 0.05:
            jac = [[0.0, 0.0], [0.0, 0.0]]
            for j in range(2):
                inc = max(abs(0.02 * X[j]), 1e-6)
                X[j] += inc
                high = f()
                X[j] -= 2.0 * inc
                low = f()
                for i in range(2):
                    jac[i][j] = (high[i] - low[i]) / (2.0 * inc)
                X[j] += inc
                value = [-r for r in f()]
        # (the C factors jac once per rebuild; factoring the same jac again gives the same LU)
        dx = crout_solve([row[:] for row in jac], value)
        change = max([abs(d / x) for d, x in zip(dx, X, strict=True) if abs(x) > 1e-8]
                     + [0.0])
        X = [x + d for x, d in zip(X, dx, strict=True)]
        value = [-r for r in f()]
        if change <= 1e-6 and max(abs(r) for r in value) <= 1e-8:
            break
    else:
        raise AssertionError("the replay did not converge in 50 iterations")
    assert (b.get("x")[0], b.get("y")[0]) == (X[0], X[1])
    assert b.get("minf")[0] == minf


def sum_left(terms) -> float:
    """sum += t, left to right from 0.0, as the C loops add."""
    total = 0.0
    for t in terms:
        total += t
    return total
