"""The translator against NEURON 9.0.2 itself (the neuron wheel, marker `neuron`).

* sizes: every built-in's descriptor equals the record of a fresh NEURON dump's
  bbcore_mech.dat (doubles, dparams, array dims, point/artificial flags);
* INITIAL + currents: running our init and cur kernels (t = 0) on NEURON's parameters gives
  the values NEURON holds after finitialize(-65), to 1e-12 relative;
* cnexp forms: our update statements have the same expression tree as the C++ that the
  wheel's own nmodl (CoreNEURON's translator) writes for the same MOD file.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import pycoreneuron
from pycoreneuron.nmodl import ast
from pycoreneuron.nmodl.catalogue import builtin_mod_dir
from pycoreneuron.nmodl.parser import parse
from pycoreneuron.nmodl.pipeline import analyse_file
from pycoreneuron.nmodl.solve import cnexp

from .harness import Block
from .test_kernels import mechs  # noqa: F401 - the compiled built-ins fixture

pytestmark = pytest.mark.neuron
SCRIPTS = Path(__file__).with_name("neuron_scripts")


def _neuron() -> None:
    pytest.importorskip("neuron")


def _run(script: str, *args: str) -> str:
    r = subprocess.run([sys.executable, str(SCRIPTS / script), *args], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout


def _records(path: Path) -> dict[str, tuple]:
    toks = path.read_text().split()
    out, k = {}, 2
    for _ in range(2, int(toks[1])):
        name, _t, pnt, art, ion, psize, dpsize, nvar = toks[k:k + 8]
        dims = [int(x) for x in toks[k + 8:k + 8 + int(nvar)]]
        k += 8 + int(nvar) + (1 if ion == "1" else 0)
        out[name] = (int(psize), int(dpsize), dims, int(pnt) > 0, art == "1")
    return out


def test_descriptors_equal_a_fresh_neuron_dump(tmp_path: Path) -> None:
    _neuron()
    _run("dump_small_model.py", str(tmp_path / "coredat"))
    records = _records(tmp_path / "coredat" / "bbcore_mech.dat")
    checked = []
    for d in pycoreneuron.mechanisms():
        rec = records.get(d["name"])
        assert rec is not None, f"NEURON has no {d['name']}"
        psize, dpsize, dims, point, art = rec
        assert (d["data_size"], d["dparam_size"]) == (psize, dpsize), d["name"]
        assert [k for _, k in d["variables"]] == dims, d["name"]
        assert (d["kind"] != "density", d["kind"] == "artificial_cell") == (point, art)
        checked.append(d["name"])
    for name in ("pas", "hh", "ExpSyn", "NetStim", "IClamp", "Exp2Syn", "SEClamp"):
        assert name in checked


@pytest.fixture(scope="module")
def neuron_values() -> dict:
    pytest.importorskip("neuron")
    return json.loads(_run("initial_values.py").strip().splitlines()[-1])


@pytest.mark.parametrize("name", ["hh", "pas", "IClamp", "AlphaSynapse", "ExpSyn", "Exp2Syn",
                                  "SEClamp", "OClamp", "APCount"])
def test_init_and_current_equal_neuron(name: str, neuron_values: dict, mechs) -> None:  # noqa: F811
    lib, descs, py = mechs
    if name not in descs:
        pytest.skip(f"{name} is not translated yet")
    want = neuron_values[name]
    desc = py[name]
    b = Block(descs[name], 1, celsius=neuron_values["celsius"])
    b.wire([n for n, _ in desc["dparam"]], lib)
    b.area[:] = neuron_values["area"]
    b.v[:] = -65.0
    b.ion("na")[0] = neuron_values["ena"]
    b.ion("k")[0] = neuron_values["ek"]
    _, info = analyse_file(desc["file"])
    params = [n for n, k in info.decl_kind.items() if k == "parameter"]
    for p in params:
        if p in want and p in b.offsets:
            b.set(p, want[p])
    b.init()
    b.cur(0.0)
    compared = 0
    for k, value in want.items():
        if k not in b.offsets:
            continue
        got = b.get(k)[0]
        assert got == pytest.approx(value, rel=1e-12, abs=1e-300), f"{name}.{k}"
        compared += 1
    assert compared >= 3


def _nmodl_exe() -> Path | None:
    try:
        import neuron
    except ImportError:
        return None
    exe = Path(neuron.__file__).parent / ".data" / "bin" / "nmodl"
    return exe if exe.exists() else None


def _canonical(text: str) -> str:
    """nmodl's C++ statement back to NMODL names: inst->m[id] -> m, nt->_dt -> dt."""
    text = re.sub(r"inst->(\w+)\[id\]", r"\1", text)
    text = re.sub(r"inst->global->(\w+)", r"\1", text)
    text = text.replace("nt->_dt", "dt")
    return text.rstrip(";")


def _tree(stmt_text: str) -> ast.Stmt:
    return parse(f"BREAKPOINT {{\n{stmt_text}\n}}\n", "x.mod").blocks[0].body.stmts[0]


def _strip_parens(e):
    """Parentheses do not change C's evaluation once the tree is fixed."""
    if isinstance(e, ast.Paren):
        return _strip_parens(e.inner)
    if isinstance(e, ast.Binary):
        return ast.Binary(e.op, _strip_parens(e.left), _strip_parens(e.right))
    if isinstance(e, ast.Unary):
        return ast.Unary(e.op, _strip_parens(e.operand))
    if isinstance(e, ast.Call):
        return ast.Call(e.name, [_strip_parens(a) for a in e.args])
    if isinstance(e, ast.Num):
        return ast.Num(repr(float(e.text)))
    return e


ODE_MODS = {
    "cadyn": """NEURON { SUFFIX cadyn USEION ca READ ica WRITE cai RANGE depth, taur }
        UNITS { (mM) = (milli/liter) }
        PARAMETER { depth = .1 taur = 200 cainf = 1e-4 K = 3 F = 96485.3 }
        ASSIGNED { ica }
        STATE { cai (mM) }
        BREAKPOINT { SOLVE s METHOD cnexp }
        DERIVATIVE s { cai' = -K*ica/(2*F*depth) + (cainf - cai)/taur }""",
    "mixed": """NEURON { SUFFIX mixed RANGE a, b }
        PARAMETER { a = 2 b = 3 }
        STATE { x y z }
        BREAKPOINT { SOLVE s METHOD cnexp }
        DERIVATIVE s { x' = a - b*x  y' = -(y - a)/b*2  z' = a*b/(1 + a) }""",
    "cawriter": """NEURON { SUFFIX cawriter USEION ca READ ica WRITE cai THREADSAFE }
        PARAMETER { taur = 100 }
        ASSIGNED { ica }
        STATE { cai }
        BREAKPOINT { SOLVE s METHOD cnexp }
        DERIVATIVE s { cai' = -ica*1e-3 - (cai - 1e-4)/taur }""",
}


@pytest.mark.parametrize("case", ["hh.mod", "expsyn.mod", "exp2syn.mod", "cadyn", "mixed",
                                  "cawriter"])
def test_cnexp_forms_equal_nmodl(case: str, tmp_path: Path) -> None:
    exe = _nmodl_exe()
    if exe is None:
        pytest.skip("needs the neuron wheel's nmodl")
    if case.endswith(".mod"):
        src = builtin_mod_dir() / case
        shutil.copy(src, tmp_path / case)
    else:
        (tmp_path / f"{case}.mod").write_text(ODE_MODS[case])
        case = f"{case}.mod"
    mod = tmp_path / case
    env = {"NMODLHOME": str(exe.parent.parent), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([str(exe), case, "-o", "out", "host", "--c", "passes", "--inline"],
                       cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    cpp = (tmp_path / "out" / (mod.stem + ".cpp")).read_text()
    prog = parse(mod.read_text(), str(mod))
    solves = [s for s in prog.find_block("BREAKPOINT").body.stmts if isinstance(s, ast.Solve)]
    ours = []
    for s in solves:
        deriv = prog.find_block("DERIVATIVE", s.block)
        ours += [x for x in cnexp(deriv, str(mod)) if isinstance(x, ast.Assign)
                 and x.target.name in {d.name for d in prog.states}]
    assert ours
    for stmt in ours:
        x = stmt.target.name
        m = re.search(rf"^\s*inst->{x}\[id\] = (inst->{x}\[id\] [+-] .*nt->_dt.*);$", cpp, re.M)
        assert m, f"no update of {x} in nmodl's output"
        theirs = _tree(f"{x} = " + _canonical(m.group(1)))
        assert _strip_parens(theirs.expr) == _strip_parens(stmt.expr), x


# derivimplicit with 1 to 6 states (mods/): our kernels against NEURON's own translation.
IMPLICIT_FILES = {"cabuf3": ["c", "b", "cb"], "chain4": [f"y{k}" for k in range(4)],
                  "chain6": [f"y{k}" for k in range(6)], "difun1": ["m"],
                  "difun2": ["m", "h"]}
IMPLICIT_STEPS, IMPLICIT_EVERY, IMPLICIT_DT, IMPLICIT_V = 400, 40, 0.025, -65.0


def _cabuf3_rhs(x: list[float], v: float) -> list[float]:
    kf, kb, tau, c0, influx = 100.0, 0.1, 5.0, 1e-4, 2e-5
    c, b, cb = x
    return [-kf * c * b + kb * cb - (c - c0) / tau + influx * math.exp(v / 20),
            -kf * c * b + kb * cb, kf * c * b - kb * cb]


def _chain_rhs(x: list[float], v: float) -> list[float]:
    n = len(x)
    return [-x[k] * (1 + x[(k + 1) % n] * x[(k + 1) % n]) + 0.5 * x[k - 1] - 0.001 * v
            for k in range(n)]


def _difun1_rhs(x: list[float], v: float) -> list[float]:
    minf = 1 / (1 + math.exp(-(v + 40) / 5))
    return [(minf - x[0]) / (1 + 0.1 * math.exp(-v / 20))]


def _difun2_rhs(x: list[float], v: float) -> list[float]:
    m, h = x
    hinf, htau = 1 / (1 + math.exp((v + 60) / 6)), 2 + math.exp(-v / 30)
    return [-(0.2 + 2 * m * m) * m + 0.5 * h, (hinf - h) / htau - 0.1 * (0.2 + 2 * h * h) * m]


IMPLICIT_RHS = {"cabuf3": _cabuf3_rhs, "chain4": _chain_rhs, "chain6": _chain_rhs,
                "difun1": _difun1_rhs, "difun2": _difun2_rhs}
IMPLICIT_SCRIPT = """
import json
from neuron import h
names = %(names)r
soma = h.Section(name="soma")
for mech in names:
    soma.insert(mech)
h.dt = %(dt)r
h.finitialize(%(v)r)
out = {mech: [] for mech in names}
for step in range(1, %(steps)d + 1):
    h.fadvance()
    if step %% %(every)d == 0:
        for mech, states in names.items():
            out[mech].append([getattr(soma(0.5), f"{s}_{mech}") for s in states])
print("JSON" + json.dumps(out))
"""


@pytest.fixture(scope="module")
def implicit_neuron(cache_root: Path) -> dict:
    from ..conftest import neuron_json, nrnivmodl_folder

    _neuron()
    mods = Path(__file__).with_name("mods")
    files = {f"{m}.mod": (mods / f"{m}.mod").read_text() for m in IMPLICIT_FILES}
    key = hashlib.sha256(("".join(files.values()) + sys.executable).encode()).hexdigest()[:16]
    folder = nrnivmodl_folder(cache_root / "implicit_mods" / key, files)
    script = IMPLICIT_SCRIPT % {"names": IMPLICIT_FILES, "steps": IMPLICIT_STEPS,
                                "every": IMPLICIT_EVERY, "dt": IMPLICIT_DT, "v": IMPLICIT_V}
    return neuron_json(folder, script)


@pytest.mark.parametrize("mech", sorted(IMPLICIT_FILES))
def test_derivimplicit_states_agree_with_neuron(mech: str, implicit_neuron: dict,
                                                tmp_path_factory) -> None:
    """NEURON's derivimplicit (scopmath's Newton: central-difference Jacobian, Crout, stop
    once every relative change is <= 1e-6), which ours replays operation for operation: the
    states must be NEURON's bits every 40 steps, and the backward-Euler residual small."""
    from .harness import load_folder

    folder = tmp_path_factory.mktemp(mech)
    shutil.copy(Path(__file__).with_name("mods") / f"{mech}.mod", folder)
    lib, descs = load_folder(folder, tmp_path_factory.mktemp("cache"))
    py = {d["name"]: d for d in pycoreneuron.mechanisms(mod=folder)}[mech]
    b = Block(descs[mech], 1, dt=IMPLICIT_DT)
    b.wire([n for n, _ in py["dparam"]], lib)
    _, info = analyse_file(folder / f"{mech}.mod")
    for name, decl in info.declared.items():
        if info.decl_kind.get(name) == "parameter" and name in b.offsets:
            b.set(name, float(decl.value))
    b.v[:] = IMPLICIT_V
    b.init()
    states = IMPLICIT_FILES[mech]
    ours = []
    for step in range(1, IMPLICIT_STEPS + 1):
        before = [b.get(x)[0] for x in states]
        b.state(step * IMPLICIT_DT)
        after = [b.get(x)[0] for x in states]
        if step % IMPLICIT_EVERY == 0:
            ours.append(after)
    rhs = IMPLICIT_RHS[mech](after, IMPLICIT_V)
    residual = [(x1 - x0) / IMPLICIT_DT - f for x0, x1, f in zip(before, after, rhs, strict=True)]
    assert max(abs(r) for r in residual) < 1e-6
    theirs = implicit_neuron[mech]
    assert len(ours) == len(theirs) == IMPLICIT_STEPS // IMPLICIT_EVERY
    assert ours == theirs


BREAKPOINT_ONLY_MOD = """NEURON { SUFFIX bponly RANGE n, w }
PARAMETER { w = 0.5 }
ASSIGNED { n }
INITIAL { n = 0 }
BREAKPOINT { n = n + w*v/100 + t }
"""

BREAKPOINT_ONLY_SCRIPT = """
import json
from neuron import h
soma = h.Section(name="soma")
soma.insert("bponly")
h.dt = 0.025
h.finitialize(-65.0)
out = []
for step in range(20):
    h.fadvance()
    out.append(soma(0.5).n_bponly)
print("JSON" + json.dumps(out))
"""


def test_breakpoint_without_currents_runs_each_step_as_in_neuron(cache_root: Path,
                                                                  tmp_path: Path) -> None:
    """NEURON runs a BREAKPOINT that has no current in nrn_state, once per step (nocmodl;
    nmodl's print_nrn_state does the same): the state hook must too."""
    from ..conftest import neuron_json, nrnivmodl_folder
    from .harness import load_folder

    _neuron()
    files = {"bponly.mod": BREAKPOINT_ONLY_MOD}
    key = hashlib.sha256((BREAKPOINT_ONLY_MOD + sys.executable).encode()).hexdigest()[:16]
    theirs = neuron_json(nrnivmodl_folder(cache_root / "bponly_mods" / key, files),
                         BREAKPOINT_ONLY_SCRIPT)
    folder = tmp_path / "mods"
    folder.mkdir()
    (folder / "bponly.mod").write_text(BREAKPOINT_ONLY_MOD)
    lib, descs = load_folder(folder, tmp_path / "cache")
    b = Block(descs["bponly"], 1, dt=0.025)
    b.wire([], lib)
    b.set("w", 0.5)
    b.v[:] = -65.0
    b.init()
    ours = []
    for step in range(1, 21):
        b.state(step * 0.025)
        ours.append(b.get("n")[0])
    assert theirs[-1] != 0.0
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


UNITS_MOD = """: named units of the UNITS block, read back in NEURON for test_neuron.py
NEURON { SUFFIX unitprobe RANGE f, f2, e1, r, kb, mol, avo, h1, hb, pi1 }
UNITS {
    F = (faraday) (coulomb)
    F2 = (faraday) (kilocoulombs)
    E = (e) (coulomb)
    R = (k-mole) (joule/degC)
    KB = (k) (joule/degC)
    MOL = (mole) (1)
    (myavo) = (mole)
    AVO = (myavo) (1)
    H = (planck) (joule-sec)
    HB = (hbar) (joule-sec)
    PI1 = (pi) (1)
}
ASSIGNED { f f2 e1 r kb mol avo h1 hb pi1 }
INITIAL { f = F f2 = F2 e1 = E r = R kb = KB mol = MOL avo = AVO h1 = H hb = HB pi1 = PI1 }
"""
UNITS_SCRIPT = """
import json
from neuron import h
s = h.Section(name="s")
s.insert("unitprobe")
h.finitialize(-65)
names = ["f", "f2", "e1", "r", "kb", "mol", "avo", "h1", "hb", "pi1"]
print("JSON" + json.dumps({n: getattr(s(0.5), n + "_unitprobe").hex() for n in names}))
"""


def test_named_units_are_neurons_doubles(cache_root: Path, tmp_path: Path) -> None:
    from pycoreneuron.nmodl.passes import lower
    from pycoreneuron.nmodl.pipeline import analyse_text

    from ..conftest import neuron_json, nrnivmodl_folder

    _neuron()
    key = hashlib.sha256((UNITS_MOD + sys.executable).encode()).hexdigest()[:16]
    folder = nrnivmodl_folder(cache_root / "units_probe" / key, {"unitprobe.mod": UNITS_MOD})
    theirs = neuron_json(folder, UNITS_SCRIPT)
    low = lower(*analyse_text(UNITS_MOD, "unitprobe.mod"))
    pairs = {"f": "F", "f2": "F2", "e1": "E", "r": "R", "kb": "KB", "mol": "MOL", "avo": "AVO",
             "h1": "H", "hb": "HB", "pi1": "PI1"}
    ours = {n: float.fromhex(low.constants[c]).hex() for n, c in pairs.items()}
    assert ours == theirs
