"""The fidelity harness (benchmarks/fidelity/run_fidelity.py): its classification, and a few
third-party mechanisms (tests/data/third_party) that must stay identical to NEURON.

The NEURON build of the chosen files is cached (nrnivmodl_folder), and so are NEURON's runs
(the harness's own cache, in the same cache folder); pycoreneuron runs every time: the installed
one, or the package under $PYCORENEURON_FIDELITY_PACKAGE (the harness's --pycoreneuron DIR).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import nrnivmodl_folder

REPO = Path(__file__).resolve().parents[1]
THIRD_PARTY = REPO / "tests" / "data" / "third_party"
HARNESS = REPO / "benchmarks" / "fidelity" / "run_fidelity.py"

# nocmodl sums hh's currents in another order than ours (tests/engine/test_mechanisms.py): a
# model with hh (the cell a point process sits on, or hh1, a copy of hh) is "identical" only.
BITS = {"identical-bits"}
CLOSE = {"identical-bits", "identical"}
# (set, file, classes allowed): mechanisms pycoreneuron gives NEURON's answer for.
IDENTICAL = [
    ("bmtk", "NaTs.mod", BITS),  # transient Na, cnexp
    ("bmtk", "Kv3_1.mod", BITS),  # K channel
    ("bmtk", "CaDynamics.mod", BITS),  # writes cai
    ("bmtk", "exp1syn.mod", CLOSE),  # synapse with NET_RECEIVE, on an hh cell
    ("nrn", "share/examples/nrniv/nmodl/hh1.mod", CLOSE),  # Hodgkin-Huxley with a TABLE
]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_fidelity", HARNESS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_fidelity"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


fidelity = _load()


def _run(spikes: list[list[float]], voltages: list[float] | None) -> dict:
    return {"spikes": spikes, "voltages": voltages}


def test_compare_classifies():
    spikes = [[12.5, 0], [30.025, 1]]
    v = [-65.0, -64.5, -20.0, 10.0]
    compare = fidelity.compare
    assert compare(_run(spikes, v), _run(spikes[::-1], list(v)))[:3] == (
        "identical-bits", 0.0, True)
    cls, dv, bits, _ = compare(_run(spikes, v), _run(spikes, [*v[:3], 10.0 + 1e-12]))
    assert (cls, bits) == ("identical", False) and 0 < dv <= fidelity.VOLTAGE_TOLERANCE
    cls, dv, _, message = compare(_run(spikes, v), _run(spikes, [*v[:2], -20.001, 10.0]))
    assert cls == "voltage-differs" and dv == pytest.approx(1e-3) and "t = 0.05 ms" in message
    assert compare(_run(spikes, v), _run(spikes, v[:3]))[0] == "voltage-differs"
    assert compare(_run(spikes, v), _run(spikes, [*v[:3], float("nan")]))[0] == (
        "voltage-differs")
    nan = [*v[:3], float("nan")]
    assert compare(_run(spikes, nan), _run(spikes, list(nan)))[0] == "identical-bits"
    # A spike one step late, a spike missing, a spike from another gid: spikes-differ.
    for other in ([[12.525, 0], [30.025, 1]], spikes[:1], [[12.5, 0], [30.025, 2]]):
        cls, _, bits, message = compare(_run(spikes, v), _run(other, v))
        assert (cls, bits) == ("spikes-differ", False) and "first difference" in message
    # Artificial cells: spikes only.
    assert compare(_run(spikes, None), _run(spikes, None))[0] == "identical-bits"


def test_read_mod_and_not_applicable(tmp_path):
    mod = tmp_path / "thing.mod"
    mod.write_text("""COMMENT
NEURON { SUFFIX fake }
ENDCOMMENT
NEURON {
    POINT_PROCESS Thing : SUFFIX other
    POINTER vpre, other
    RANGE g
}
INCLUDE "extra.inc"
VERBATIM
  { if (x) { } }
ENDVERBATIM
NET_RECEIVE (w) { }
""")
    info = fidelity.read_mod(mod)
    assert (info.name, info.kind, info.net_receive) == ("Thing", "point", True)
    assert info.pointers == ["vpre", "other"] and info.includes == ["extra.inc"]
    assert fidelity.not_applicable(info).startswith("POINTER vpre, other")
    mod.write_text("NEURON { SUFFIX nothing }\n")
    assert fidelity.not_applicable(fidelity.read_mod(mod)).startswith("SUFFIX nothing")
    mod.write_text("NEURON { ARTIFICIAL_CELL A }\nNET_RECEIVE (w) { net_event(t) }\n")
    info = fidelity.read_mod(mod)
    assert (info.kind, fidelity.not_applicable(info)) == ("artificial", "")


@pytest.mark.neuron
@pytest.mark.parametrize(("source", "file", "allowed"), IDENTICAL,
                         ids=[Path(f).stem for _, f, _ in IDENTICAL])
def test_identical_to_neuron(cache_root, source, file, allowed):
    pytest.importorskip("neuron", reason="NEURON is the reference: pip install .[test]")
    root = THIRD_PARTY / source
    # NEURON builds the chosen files of this set together (cached by their text).
    files = {Path(f).name: (root / f).read_text() for s, f, _ in IDENTICAL if s == source}
    key = fidelity._digest(*(f"{k}\n{v}".encode() for k, v in sorted(files.items())))
    build = nrnivmodl_folder(cache_root / "fidelity" / f"nrnivmodl-{key}", files)
    mod = fidelity.read_mod(root / file)
    package = os.environ.get("PYCORENEURON_FIDELITY_PACKAGE")
    row = fidelity.run_mechanism(root, mod.path.parent, mod, build, {},
                                 cache_root / "fidelity" / "work",
                                 Path(package) if package else None)
    assert row.cls in allowed, row.message
    assert row.nspikes_neuron == row.nspikes_ours and row.nspikes_neuron > 0
