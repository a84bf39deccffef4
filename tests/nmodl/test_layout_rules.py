"""nocmodl's layout rules that depend on where or whether a name occurs, each against NEURON.

* thread safety is decided while nocmodl parses: a VERBATIM block or a call of a scopmath
  function (``normrand``...) before THREADSAFE clears it for good (no `v` double);
* ``diam`` and ``area`` get a dparam slot when the name occurs anywhere in the file (a
  declaration alone is enough); a point process then has a second area slot;
* with RANDOM variables, diam/area/RANDOM slots interleave as nocmodl sorts them;
* declarations nocmodl refuses, or lays out as we cannot follow, are refused with file and line.

References: the wheel's nocmodl (``_nrn_mechanism_register_data_fields``), and NEURON itself
running a model with the MOD files of ``layout_mods/`` (dumped, then simulated by us).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import pycoreneuron
from pycoreneuron.nmodl.errors import NmodlError
from pycoreneuron.nmodl.pipeline import analyse_text

from .nocmodl_layout import neuron_layout, nocmodl_path

MODS = Path(__file__).with_name("layout_mods")

CASES = {
    "verbatim_top": """VERBATIM
#include <stdlib.h>
ENDVERBATIM
NEURON { SUFFIX vt THREADSAFE RANGE x }
ASSIGNED { x }
BREAKPOINT { x = 1 }""",
    "verbatim_after": """NEURON { SUFFIX va THREADSAFE RANGE x }
VERBATIM
#include <stdlib.h>
ENDVERBATIM
ASSIGNED { x }
BREAKPOINT { x = 1 }""",
    "verbatim_in_function_before": """FUNCTION f() {
VERBATIM
_lf = 1;
ENDVERBATIM
}
NEURON { SUFFIX vf THREADSAFE RANGE x }
ASSIGNED { x }
BREAKPOINT { x = f() }""",
    "verbatim_in_initial_before": """INITIAL {
VERBATIM
ENDVERBATIM
}
NEURON { SUFFIX vib THREADSAFE RANGE x }
ASSIGNED { x }""",
    "verbatim_between_neuron_blocks": """NEURON { SUFFIX tnb RANGE x }
VERBATIM
ENDVERBATIM
NEURON { THREADSAFE }
ASSIGNED { x }""",
    "verbatim_in_comment": """COMMENT
VERBATIM
ENDVERBATIM
ENDCOMMENT
NEURON { SUFFIX vic THREADSAFE RANGE x }
ASSIGNED { x }
BREAKPOINT { x = 1 }""",
    "normrand_before": """FUNCTION f() { f = normrand(0, 1) }
NEURON { SUFFIX nb THREADSAFE RANGE x }
ASSIGNED { x }
BREAKPOINT { x = f() }""",
    "normrand_after": """NEURON { SUFFIX na THREADSAFE RANGE x }
ASSIGNED { x }
FUNCTION f() { f = normrand(0, 1) }
BREAKPOINT { x = f() }""",
    "global_write_threadsafe_later": """NEURON { SUFFIX gw GLOBAL gg RANGE x }
ASSIGNED { x gg }
BREAKPOINT { gg = 1 x = gg }
NEURON { THREADSAFE }""",
    "artificial_derivimplicit": """NEURON { ARTIFICIAL_CELL adi RANGE x THREADSAFE }
STATE { x }
INITIAL { x = 1 }
BREAKPOINT { SOLVE s METHOD derivimplicit }
DERIVATIVE s { x' = -x }""",
    "artificial_cnexp": """NEURON { ARTIFICIAL_CELL acn RANGE x }
STATE { x }
BREAKPOINT { SOLVE s METHOD cnexp }
DERIVATIVE s { x' = -x }""",
    "diam_assigned_unused": """NEURON { SUFFIX dd RANGE x }
ASSIGNED { x diam }
BREAKPOINT { x = 1 }""",
    "diam_parameter_unused": """NEURON { SUFFIX dp RANGE x }
PARAMETER { diam }
ASSIGNED { x }
BREAKPOINT { x = 1 }""",
    "diam_in_table_depend": """NEURON { SUFFIX dit RANGE x }
ASSIGNED { x }
FUNCTION f(y) { TABLE DEPEND diam FROM 0 TO 1 WITH 10 f = y }
BREAKPOINT { x = f(1) }""",
    "diam_in_verbatim_only": """NEURON { SUFFIX dvo RANGE x }
ASSIGNED { x }
BREAKPOINT {
VERBATIM
x = diam;
ENDVERBATIM
}""",
    "area_assigned_unused": """NEURON { SUFFIX ad RANGE x }
ASSIGNED { x area }
BREAKPOINT { x = 1 }""",
    "area_constant": """NEURON { SUFFIX aic RANGE x }
CONSTANT { area = 3 }
ASSIGNED { x }
BREAKPOINT { x = 1 }""",
    "area_point_process": """NEURON { POINT_PROCESS ap RANGE x }
ASSIGNED { x area }
BREAKPOINT { x = 1 }""",
    "random_diam_area_pointer": """NEURON { SUFFIX r1 RANDOM ra RANGE x POINTER p }
ASSIGNED { x diam area p }
BREAKPOINT { x = 1 }""",
    "random_area_point": """NEURON { POINT_PROCESS r2 RANDOM ra RANGE x }
ASSIGNED { x area }
NET_RECEIVE(w) { net_send(1, 1) }""",
    "randoms_diam_area_watch": """NEURON { POINT_PROCESS g1 RANDOM r1, r2 THREADSAFE }
ASSIGNED { diam area x }
NET_RECEIVE(w) { WATCH (x > 1) 2 net_send(1, 1) }""",
    "randoms_after_ion_diam": """NEURON { SUFFIX g2 RANDOM r1, r2, r3 USEION na READ ena }
ASSIGNED { diam ena }""",
    "celsius_dt_declared": """NEURON { SUFFIX cd RANGE x }
PARAMETER { celsius = 6.3 dt }
ASSIGNED { x v }
BREAKPOINT { x = celsius*dt + v }""",
    "range_v_threadsafe": """NEURON { SUFFIX rv RANGE v, x }
PARAMETER { v }
ASSIGNED { x }
BREAKPOINT { x = v }""",
    "write_cai_read_cao": """NEURON { SUFFIX wc USEION ca READ cao, ica WRITE cai }
ASSIGNED { cao ica }
STATE { cai }
BREAKPOINT { SOLVE s METHOD cnexp }
DERIVATIVE s { cai' = -ica - cao*0.001 }""",
    "ion_variable_range": """NEURON { SUFFIX ir USEION na READ ena WRITE ina RANGE ena, ina, g }
PARAMETER { g = 1 }
ASSIGNED { ena ina v }
BREAKPOINT { ina = g*(v - ena) }""",
}

_SLOT = {"v": "v_unused", "_g": "g_unused", "_tsav": "tsave"}


def _compare_with_nocmodl(name: str, text: str, tmp_path: Path) -> None:
    mod = tmp_path / "src" / f"{name}.mod"
    mod.parent.mkdir()
    mod.write_text(text)
    ref_doubles, ref_dparams = neuron_layout(mod, tmp_path)
    _, info = analyse_text(text, str(mod))
    assert [n for n, _ in info.variables] == [_SLOT.get(n, n) for n, _ in ref_doubles]
    assert [k for _, k in info.variables] == [k for _, k in ref_doubles]
    assert [s for _, s in info.dparam] == [s for _, s in ref_dparams]


@pytest.mark.neuron
@pytest.mark.parametrize("case", sorted(CASES))
def test_layout_equals_nocmodl(case: str, tmp_path: Path) -> None:
    if nocmodl_path() is None:
        pytest.skip("needs the neuron wheel's nocmodl")
    _compare_with_nocmodl(case, CASES[case], tmp_path)


@pytest.mark.neuron
@pytest.mark.parametrize("mod", sorted(p.stem for p in MODS.glob("*.mod")))
def test_layout_mods_equal_nocmodl(mod: str, tmp_path: Path) -> None:
    if nocmodl_path() is None:
        pytest.skip("needs the neuron wheel's nocmodl")
    _compare_with_nocmodl(mod, (MODS / f"{mod}.mod").read_text(), tmp_path)


def test_thread_safety_follows_file_order() -> None:
    def vectorized(text: str) -> bool:
        return analyse_text(text, "t.mod")[1].vectorize

    assert not vectorized(CASES["verbatim_top"])
    assert vectorized(CASES["verbatim_after"])
    assert not vectorized(CASES["normrand_before"])
    assert vectorized(CASES["normrand_after"])
    assert vectorized(CASES["global_write_threadsafe_later"])  # checked after parsing


def test_diam_and_area_slots_when_declared() -> None:
    _, info = analyse_text(CASES["diam_assigned_unused"], "d.mod")
    assert info.dparam == [("diam", "diam")]
    _, info = analyse_text(CASES["area_point_process"], "a.mod")
    assert [s for _, s in info.dparam] == ["area", "pntproc", "area"]


# (text, line, words of the message): nocmodl refuses these too, or lays them out in a way
# the generated code cannot follow.
REFUSED = {
    "useion_twice": ("NEURON { SUFFIX a\nUSEION ca READ cai\nUSEION ca WRITE ica }\n"
                     "ASSIGNED { cai ica }", 3, "USEION ca twice"),
    "verbatim_in_neuron": ("NEURON { SUFFIX a\nVERBATIM\nENDVERBATIM\n}", 2,
                           "VERBATIM is not allowed in the NEURON block"),
    "multiple_declaration": ("NEURON { SUFFIX a RANGE x }\nPARAMETER { x = 1 }\n"
                             "ASSIGNED { x }", 3, "multiple declaration of x"),
    "t_declared": ("NEURON { SUFFIX a }\nASSIGNED { t }", 2, "independent variable"),
    "diam_range": ("NEURON { SUFFIX a\nRANGE diam }\nASSIGNED { diam }", 2,
                   "diam cannot be a RANGE or GLOBAL"),
    "area_global": ("NEURON { SUFFIX a\nGLOBAL area }", 2, "area cannot be a RANGE or GLOBAL"),
    "state_global": ("NEURON { SUFFIX a\nGLOBAL s }\nSTATE { s }", 2,
                     "s is a STATE variable and hence cannot be declared as GLOBAL"),
    "pointer_undeclared": ("NEURON { SUFFIX a\nPOINTER p }\nASSIGNED { x }", 2,
                           "POINTER p is not declared"),
    "ion_undeclared": ("NEURON { SUFFIX a\nUSEION k READ ek WRITE ik }\nASSIGNED { ik }\n"
                       "BREAKPOINT { ik = 0 }", 2, "ek is not declared"),
    "state_v": ("NEURON { SUFFIX a }\nSTATE { v }", 2, "STATE v"),
    "range_celsius": ("NEURON { SUFFIX a\nRANGE celsius }\nPARAMETER { celsius }", 2,
                      "RANGE celsius"),
    "assigned_pi": ("NEURON { SUFFIX a }\nASSIGNED { pi }", 2, "ASSIGNED pi"),
    "assigned_usetable": ("NEURON { SUFFIX a }\nASSIGNED { usetable }", 2,
                          "ASSIGNED usetable"),
    "range_v_not_threadsafe": ("NEURON { SUFFIX a\nRANGE v POINTER p }\nPARAMETER { v }\n"
                               "ASSIGNED { p }", 2, "RANGE v in a file that is not thread safe"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_with_file_and_line(case: str) -> None:
    text, line, words = REFUSED[case]
    with pytest.raises(NmodlError) as e:
        analyse_text(text, "bad.mod")
    assert str(e.value).startswith(f"bad.mod:{line}:"), str(e.value)
    assert words in str(e.value)


# ---- a NEURON model with the layout_mods mechanisms, dumped and run by both --------------

SCRIPT = r"""
import json
from neuron import h
h.load_file("stdrun.hoc")
cfg = json.loads(CFG)
pc = h.ParallelContext()
h.cvode.cache_efficient(1)
keep, somas = [], []
for i in range(3):
    soma = h.Section(name=f"soma{i}")
    dend = h.Section(name=f"dend{i}")
    dend.connect(soma(1))
    soma.L = soma.diam = 20
    dend.L, dend.nseg = 150, 3
    dend.diam = 1.5 + i
    for sec in (soma, dend):
        sec.insert("hh")
        for mech in cfg["density"]:
            sec.insert(mech)
    pp = h.LrArea(dend(0.5))
    stim = h.IClamp(soma(0.5))
    stim.delay, stim.dur, stim.amp = 2, 100, 0.4 + 0.2*i
    pc.set_gid2node(i, pc.id())
    nc = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
    nc.threshold = -10
    pc.cell(i, nc)
    keep += [soma, dend, pp, stim, nc]
    somas.append(soma)
pc.set_maxstep(10)
h.dt = 0.025
h.stdinit()
pc.nrnbbcore_write(cfg["coredat"])
vs = []
for soma in somas:
    vs.append(h.Vector().record(soma(0.5)._ref_v))
st, sg = h.Vector(), h.Vector()
pc.spike_record(-1, st, sg)
h.stdinit()
pc.psolve(cfg["tstop"])
print("JSON" + json.dumps({"t": list(st), "gid": [int(g) for g in sg],
                           "v": [list(v) for v in vs]}))
"""


@pytest.mark.neuron
def test_layout_mods_run_as_neuron(cache_root: Path) -> None:
    """NEURON builds a model with lrverb (no `v` slot), lrdiam (unused diam and area slots) and
    LrArea (a second area slot, used), dumps it; our run of the dump gives its spikes and
    somatic voltages (to 1e-9 mV: hh's currents are summed in another order)."""
    pytest.importorskip("neuron", reason="NEURON is the reference")
    from ..conftest import neuron_json, nrnivmodl_folder

    files = {p.name: p.read_text() for p in sorted(MODS.glob("*.mod"))}
    cfg: dict[str, Any] = {"density": ["lrverb", "lrdiam"], "tstop": 40.0}
    key = hashlib.sha256((json.dumps(files, sort_keys=True) + SCRIPT + json.dumps(cfg))
                         .encode()).hexdigest()[:16]
    compiled = nrnivmodl_folder(cache_root / "layout-mods" / key, files)
    folder = cache_root / "layout-runs" / key
    folder.mkdir(parents=True, exist_ok=True)
    saved = folder / "neuron.json"
    if not saved.exists():
        cfg["coredat"] = str(folder / "coredat")
        saved.write_text(json.dumps(neuron_json(compiled, f"CFG = {json.dumps(cfg)!r}\n"
                                                + SCRIPT)))
    ref = json.loads(saved.read_text())
    records = (folder / "coredat" / "bbcore_mech.dat").read_text()
    for name in ("lrverb", "lrdiam", "LrArea"):
        ours = {d["name"]: d for d in pycoreneuron.mechanisms(mod=MODS)}[name]
        m = re.search(rf"^{name} \d+ \d+ \d+ \d+ (\d+) (\d+)", records, re.M)
        assert m is not None, name
        assert (ours["data_size"], ours["dparam_size"]) == (int(m[1]), int(m[2])), name
    res = pycoreneuron.simulate(folder / "coredat", cfg["tstop"], mod=MODS,
                                record_gids=[0, 1, 2])
    assert len(ref["t"]) > 3
    assert sorted(zip(res.spike_times.tolist(), res.spike_gids.tolist(), strict=True)) == \
        sorted(zip(ref["t"], ref["gid"], strict=True))
    v = np.asarray(ref["v"])
    n = min(v.shape[1], res.voltages.shape[1])
    assert n > 1000
    assert np.max(np.abs(res.voltages[:, :n] - v[:, :n])) <= 1e-9
