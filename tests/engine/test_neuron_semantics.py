"""NEURON's semantics where CoreNEURON's (and our earlier) differ, each against NEURON itself.

Our own MOD files (tests/engine/semantics_mod/) exercise one rule each:

* tgtadj: a GLOBAL written in a PROCEDURE, read in BREAKPOINT: one persistent copy per
  thread, not zeroed scratch (it was 0 in BREAKPOINT: no spikes at all);
* tgminf: a GLOBAL written per instance and read by the next hook: NEURON's BREAKPOINT sees
  the last instance's value, so the instances must run in NEURON's order (also on 2 threads);
  tgminf_nt2: the same written by 2 NEURON threads: one copy per thread (group);
* tgtable: a TABLE built from a RANGE value its PROCEDURE reads (not in DEPEND), and a GLOBAL
  written while the table is built: NEURON builds it from the first instance's data;
* tgms: Mainen and Sejnowski's style (GLOBAL rate parameters, table range and tadj, a SOLVEd
  PROCEDURE ending in VERBATIM `return 0;`);
* tgreset: `v = ...` in NET_RECEIVE reaches the node (CoreNEURON drops it);
* tgself: a self event at t + 0 from NET_RECEIVE that assigns v, delivered as NEURON does;
* tgshared: equal-time events from one source to instances sharing a GLOBAL: delivered in
  NetCon creation order, as NEURON does (CoreNEURON walks them the other way);
* tgca: eca from cai0_ca_ion/cao0_ca_ion as the model set them (globals.dat), not
  CoreNEURON's compiled defaults;
* tgcond: CONDUCTANCE hints (g from the named variables, not a finite difference; with
  secondorder 2, dI/dv of the ion from its hint);
* tgcapp: a point process's ion current reaches the ion as ica*1.e2/area (tgcadyn makes
  cai of it, tgca reads the eca that follows);
* tgnonlin: INCLUDE, and cnexp on an equation with a product of the state (nocmodl's
  update drops all but the derivative term: NEURON's answer, however odd);
* tgba: BEFORE/AFTER INITIAL, BEFORE BREAKPOINT, AFTER SOLVE, BEFORE STEP, each read by
  the current;
* tgnoise: a Random123 stream behind a BBCOREPOINTER, remade by the mechanism's VERBATIM
  bbcore_read from the dataset (CoreNEURON's nrnran123 API);
* tgpar: GLOBAL PARAMETERs that code assigns (one copy per thread, as nocmodl makes them),
  one grown by every instance every step;
* tgverb: VERBATIM using nocmodl's `_ion_cai`, NEURON's version macros and `u_int32_t`; a
  file-level LOCAL array; a second TITLE;
* tgrand: RANDOM variables drawn with distribution arguments (mean, mu and sigma, a and b),
  in INITIAL and BEFORE STEP;
* tgnl: a NONLINEAR block (coupled equations, `~+`) solved in INITIAL and BREAKPOINT;
* tgkinarr: KINETIC on array states (shells), FROM loops over a DEFINE, COMPARTMENT indexed
  by the shell, STEADYSTATE; also with secondorder 2;
* tgfnc: FOR_NETCONS updating each NetCon's own argument, which later spikes read;
* tgss: STEADYSTATE derivimplicit in INITIAL, then derivimplicit steps (also secondorder 2);
* tgtabfn: a tabled FUNCTION and a tabled PROCEDURE (reached through another PROCEDURE) in the
  SIMD loops, the voltage leaving the tables' range (the clamped ends); with usetable 0 the
  untabled loops;
* tgext: EXTERNAL, another mechanism's GLOBAL PARAMETER set from hoc (that mechanism has no
  instances);
* tgkin, tgkinlin: KINETIC schemes under METHOD sparse (nonlinear with CONSERVE, COMPARTMENT,
  fluxes and a stoichiometric 2; linear), started by STEADYSTATE sparse; tgkin also with
  secondorder 2.

NEURON 9.0.2 builds each model (cells of a soma and a 5-segment dendrite, different current
steps per cell), dumps it after stdinit, initialises again and runs it with pc.psolve;
pycoreneuron simulates the dump. Spikes and voltages must be NEURON's, bit for bit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import pycoreneuron

from ..conftest import neuron_json, nrnivmodl_folder

pytestmark = pytest.mark.neuron

MODS = Path(__file__).with_name("semantics_mod")
TOLERANCE = 0.0  # mV: NEURON's bits

SCRIPT = r"""
import json
from neuron import h
h.load_file("stdrun.hoc")
cfg = json.loads(CFG_JSON)
pc = h.ParallelContext()
h.cvode.cache_efficient(1)
h.celsius = cfg["celsius"]
for name, value in cfg.get("hoc", {}).items():
    setattr(h, name, value)
cells, keep = [], []
for i in range(cfg["ncell"]):
    soma = h.Section(name=f"soma{i}")
    dend = h.Section(name=f"dend{i}")
    dend.connect(soma(1))
    soma.L = soma.diam = 20
    dend.L, dend.diam, dend.nseg = 200, 2, 5
    for sec in (soma, dend):
        sec.insert("pas")
        for seg in sec:
            seg.pas.g = 1e-4
            seg.pas.e = -65
        for mech in cfg["density"]:
            sec.insert(mech)
    for name, values in cfg.get("range", {}).items():
        for seg in list(soma) + list(dend):
            setattr(seg, name, values[i % len(values)])
    stim = h.IClamp(soma(0.5))
    stim.delay, stim.dur = 5, cfg["tstop"]
    stim.amp = cfg["amps"][i % len(cfg["amps"])]
    pc.set_gid2node(i, pc.id())
    nc = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
    nc.threshold = -10
    pc.cell(i, nc)
    keep += [soma, dend, stim, nc]
    if cfg.get("point"):
        pp = getattr(h, cfg["point"])(soma(0.5))
        if cfg.get("shared_stim"):
            if i == 0:
                ns = h.NetStim()
                ns.start, ns.interval, ns.number, ns.noise = 3, 7, 100, 0
            weight = 1.0
        else:
            ns = h.NetStim()
            ns.start, ns.interval, ns.number, ns.noise = 3 + i, 7, 100, 0
            weight = 40.0 * i
        drive = h.NetCon(ns, pp)
        drive.weight[0] = weight
        drive.delay = 1
        keep += [pp, ns, drive]
    if cfg.get("plain_point"):
        plain = getattr(h, cfg["plain_point"])(soma(0.5))
        if cfg.get("random123"):
            plain.noiseFromRandom123(i + 1, 7, 3)
        keep.append(plain)
    cells.append(soma)
pc.set_maxstep(10)
pc.nthread(cfg.get("nthread", 1))
h.dt = 0.025
h.stdinit()
pc.nrnbbcore_write(cfg["coredat"])
tv = h.Vector()
tv.record(h._ref_t)
vs = []
for soma in cells:
    vec = h.Vector()
    vec.record(soma(0.5)._ref_v)
    vs.append(vec)
spike_t, spike_gid = h.Vector(), h.Vector()
pc.spike_record(-1, spike_t, spike_gid)
h.stdinit()
pc.psolve(cfg["tstop"])
print("JSON" + json.dumps({"t": list(spike_t), "gid": [int(g) for g in spike_gid],
                           "v": [list(v) for v in vs]}))
"""

MODELS: dict[str, dict[str, Any]] = {
    "tgtadj": {"density": ["tgtadj"], "amps": [0.05, 0.3, 0.6], "ncell": 3},
    "tgminf": {"density": ["hh", "tgminf"], "amps": [0.1, 0.4, 0.8, 0.25], "ncell": 4},
    "tgminf_nt2": {"density": ["hh", "tgminf"], "amps": [0.1, 0.4, 0.8, 0.25], "ncell": 4,
                   "nthread": 2},
    "tgtable": {"density": ["hh", "tgtable"], "amps": [0.8, 1.5], "ncell": 2,
                "range": {"vhalf_tgtable": [-35.0]}},
    "tgms": {"density": ["hh", "tgms"], "amps": [0.1, 0.3, 0.6], "ncell": 3},
    "tgreset": {"density": ["hh"], "amps": [0.0, 0.0, 0.0], "ncell": 3, "point": "TgReset"},
    "tgself": {"density": ["hh"], "amps": [0.0, 0.0, 0.0], "ncell": 3, "point": "TgSelf"},
    "tgshared": {"density": ["hh"], "amps": [0.0], "ncell": 4, "point": "TgShared",
                 "shared_stim": True},
    "tgca": {"density": ["hh", "tgca"], "amps": [0.3, 0.5], "ncell": 2,
             "hoc": {"cao0_ca_ion": 3.7, "cai0_ca_ion": 1e-4}},
    "tgcond": {"density": ["hh", "tgcond"], "amps": [0.1, 0.3], "ncell": 2},
    "tgcond_secondorder": {"density": ["hh", "tgcond"], "amps": [0.1, 0.3], "ncell": 2,
                           "hoc": {"secondorder": 2}},
    "tgcapp": {"density": ["hh", "tgcadyn", "tgca"], "amps": [0.2, 0.4], "ncell": 2,
               "plain_point": "TgCaPP"},
    "tgkin": {"density": ["hh", "tgca", "tgkin"], "amps": [0.3, 0.8, 1.5], "ncell": 3},
    "tgkin_secondorder": {"density": ["hh", "tgca", "tgkin"], "amps": [1.5, 3.0], "ncell": 2,
                          "hoc": {"secondorder": 2}},
    "tgkinlin": {"density": ["hh", "tgkinlin"], "amps": [1.0, 2.0], "ncell": 2},
    "tgnonlin": {"density": ["hh", "tgnonlin"], "amps": [0.3, 0.8], "ncell": 2},
    "tgba": {"density": ["hh", "tgba"], "amps": [0.6, 1.2], "ncell": 2},
    "tgnoise": {"density": ["hh"], "amps": [0.1, 0.2, 0.3], "ncell": 3,
                "plain_point": "TgNoise", "random123": True},
    "tgpar": {"density": ["hh", "tgpar"], "amps": [0.6, 1.2, 1.8], "ncell": 3},
    "tgverb": {"density": ["hh", "tgca", "tgverb"], "amps": [0.3, 0.6], "ncell": 2},
    "tgrand": {"density": ["hh", "tgrand"], "amps": [0.8, 1.5], "ncell": 2},
    "tgnl": {"density": ["hh", "tgnl"], "amps": [0.8, 1.5], "ncell": 2},
    "tgkinarr": {"density": ["hh", "tgca", "tgkinarr"], "amps": [0.8, 1.5], "ncell": 2},
    "tgkinarr_secondorder": {"density": ["hh", "tgca", "tgkinarr"], "amps": [0.8, 1.5],
                             "ncell": 2, "hoc": {"secondorder": 2}},
    "tgfnc": {"density": ["hh"], "amps": [0.0, 0.0, 0.0], "ncell": 3, "point": "TgFnc"},
    "tgss": {"density": ["hh", "tgss"], "amps": [0.8, 1.5], "ncell": 2},
    "tgss_secondorder": {"density": ["hh", "tgss"], "amps": [0.8, 1.5], "ncell": 2,
                         "hoc": {"secondorder": 2}},
    "tgext": {"density": ["hh", "tgext"], "amps": [0.8, 1.5], "ncell": 2,
              "hoc": {"q10_tgtadj": 3.1}},
    "tgkinlin_secondorder": {"density": ["hh", "tgkinlin"], "amps": [1.0, 2.0], "ncell": 2,
                             "hoc": {"secondorder": 2}},
    "tgtabfn": {"density": ["hh", "tgtabfn"], "amps": [0.3, 0.8, 1.5], "ncell": 3},
    "tgtabfn_untabled": {"density": ["hh", "tgtabfn"], "amps": [0.3, 0.8, 1.5], "ncell": 3,
                         "hoc": {"usetable_tgtabfn": 0}},
}


def _mod_files() -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted([*MODS.glob("*.mod"), *MODS.glob("*.inc")])}


@pytest.fixture(scope="module")
def compiled(cache_root: Path) -> Path:
    pytest.importorskip("neuron", reason="NEURON is the reference: pip install .[test]")
    files = _mod_files()
    digest = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    return nrnivmodl_folder(cache_root / "semantics-mod" / digest, files)


@pytest.fixture(scope="module")
def reference(compiled: Path, cache_root: Path):
    done: dict[str, tuple[Path, dict[str, Any]]] = {}

    def make(model: str) -> tuple[Path, dict[str, Any]]:
        if model not in done:
            cfg = dict(MODELS[model], celsius=30.0, tstop=60.0)
            key = hashlib.sha256((SCRIPT + json.dumps(cfg, sort_keys=True)).encode()
                                 + compiled.name.encode())
            folder = cache_root / "semantics-runs" / f"{model}-{key.hexdigest()[:16]}"
            folder.mkdir(parents=True, exist_ok=True)
            result = folder / "neuron.json"
            if not result.exists():
                cfg["coredat"] = str(folder / "coredat")
                ref = neuron_json(compiled, f"CFG_JSON = {json.dumps(cfg)!r}\n" + SCRIPT)
                ref["tstop"] = cfg["tstop"]
                result.write_text(json.dumps(ref))
            done[model] = (folder / "coredat", json.loads(result.read_text()))
        return done[model]

    return make


def _compare(ref: dict[str, Any], res: Any) -> None:
    ours = sorted(zip(res.spike_times.tolist(), res.spike_gids.tolist(), strict=True))
    theirs = sorted(zip(ref["t"], ref["gid"], strict=True))
    assert ours == theirs, f"{len(ours)} spikes against NEURON's {len(theirs)}"
    v = np.asarray(ref["v"])
    n = min(v.shape[1], res.voltages.shape[1])
    assert n > 100
    assert np.max(np.abs(res.voltages[:, :n] - v[:, :n])) <= TOLERANCE


@pytest.mark.parametrize("model", list(MODELS))
@pytest.mark.parametrize("threads", [1, 2])
def test_runs_as_neuron(model: str, threads: int, reference) -> None:
    coredat, ref = reference(model)
    res = pycoreneuron.simulate(coredat, ref["tstop"], mod=MODS, threads=threads,
                                record_gids=list(range(MODELS[model]["ncell"])))
    assert len(ref["t"]) > 0, "the model must fire in NEURON for the test to mean anything"
    _compare(ref, res)


def test_order_dependent_mechanism_is_flagged_and_kept_whole() -> None:
    from pycoreneuron.nmodl import library
    from pycoreneuron.nmodl.pipeline import analyse_file

    _, minf = analyse_file(MODS / "tgminf.mod")
    assert minf.thread_globals["minf"].order_dependent
    _, tadj = analyse_file(MODS / "tgtadj.mod")
    g = tadj.thread_globals["tadj"]
    assert g.exposed_in and not g.instance_write and not g.order_dependent
    assert library.ORDER_DEPENDENT == 1


_RECHECK = """
NEURON { SUFFIX rc GLOBAL shift THREADSAFE }
ASSIGNED { v shift minf }
STATE { m }
INITIAL { shift = 5 rates(v) m = minf }
BREAKPOINT { SOLVE s METHOD cnexp }
DERIVATIVE s { rates(v) m' = minf - m %s }
PROCEDURE rates(v) {
    TABLE minf DEPEND shift FROM -100 TO 100 WITH 10
    minf = v + shift
}
"""


def test_table_depending_on_what_initial_writes_is_checked_again() -> None:
    from pycoreneuron.nmodl.errors import NmodlError
    from pycoreneuron.nmodl.pipeline import analyse_text

    _, info = analyse_text(_RECHECK % "", "rc.mod")
    assert info.table_recheck
    with pytest.raises(NmodlError, match="rc.mod:9: TABLE DEPEND shift: shift changes while"):
        analyse_text(_RECHECK % "shift = m", "rc.mod")
