"""Our MOD files (mod/*.mod) against NEURON 9.0.2's built-in mechanisms, inside NEURON.

NEURON's own translator (nrnivmodl) compiles copies of our files renamed NAME_pcn. Then, in one
NEURON process:
* a dataset written by pc.nrnbbcore_write holding instances of both must list the same
  psize, dpsize and field dims for NAME_pcn as for NAME (the layout the dataset carries);
* a model built twice, once from the built-ins and once from our copies, must give bitwise the
  same voltages, gate states, clamp and synaptic currents, APCount values and spike times.
The copies are registered in the built-ins' type order, so the matrix sums currents in the same
order for both. PatternStim's engine record type is given to NEURON (its layout is compared; its
replay is the engine's).

The slow test compiles the copies with `nrnivmodl -coreneuron` as well (CoreNEURON's nmodl
translator) and checks that CoreNEURON, running a model in memory with our copies, gives exactly
NEURON's spikes with the built-ins. Left out there: VClamp (not in CoreNEURON), PatternStim (ours
calls the engine), and two cells that CoreNEURON runs differently from NEURON whichever file it is
given (NEURON's own or ours): IntFire4, because nmodl 9.0.2 reads `flag` inside its NET_RECEIVE
as the assigned variable `flag`, not the event flag (CoreNEURON then loops on one event), and
IntFire2, whose spike times under CoreNEURON differ from NEURON's (checked with NEURON's
intfire2.mod compiled by `nrnivmodl -coreneuron`: same times as with ours).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import neuron_json, nrnivmodl_folder

pytestmark = pytest.mark.neuron

MOD = Path(__file__).resolve().parents[1] / "mod"

# File stems in NEURON 9.0.2's built-in type order (pas = 4 ... PatternStim = 23).
TYPE_ORDER = [
    "pas", "stim", "syn", "expsyn", "exp2syn", "svclmp", "vclmp", "oclmp", "apcount", "hh",
    "netstim", "intfire1", "intfire2", "intfire4", "ppmark", "pattern",
]  # fmt: skip

MECHANISMS = [
    "pas", "IClamp", "AlphaSynapse", "ExpSyn", "Exp2Syn", "SEClamp", "VClamp", "OClamp",
    "APCount", "hh", "NetStim", "IntFire1", "IntFire2", "IntFire4", "PointProcessMark",
    "PatternStim",
]  # fmt: skip

# The engine's record type (mechanism_abi.h), put before the file's own VERBATIM uses it (and
# after its NEURON block: a VERBATIM before THREADSAFE would make nocmodl's copy thread-unsafe).
PATTERN_TYPES = """
: test-only: what mechanism_abi.h gives our builds
VERBATIM
typedef struct pcn_patternstim_calls {
    double (*initps)(void *info);
    double (*sendgroup)(void *info, double now, double fake_out);
} pcn_patternstim_calls;
ENDVERBATIM
"""
PATTERN_STUBS = """
: test-only stubs so that NEURON can link this copy
VERBATIM
static void bbcore_write(double* x, int* d, int* xx, int *offset, _threadargsproto_){}
static void bbcore_read(double* x, int* d, int* xx, int* offset, _threadargsproto_){}
ENDVERBATIM
"""

RENAME = re.compile(r"^(\s*)(SUFFIX|POINT_PROCESS|ARTIFICIAL_CELL)\s+(\w+)", re.M)

# Run by NEURON in the folder of the compiled copies; prints JSON.
NEURON_SCRIPT = r"""
import json, shutil
from neuron import h
h.load_file("stdrun.hoc")
h.celsius = 16.0
pc = h.ParallelContext()
h.CVode().cache_efficient(1)
REC = {}

def rec(key, ref):
    v = h.Vector()
    v.record(ref)
    REC[key] = v

def cell(name, x):
    s = h.Section(name=name + x)
    s.L = s.diam = 15
    s.insert("hh" + x)
    s.insert("pas" + x)
    rec("v_" + name + x, s(0.5)._ref_v)
    return s

def build(x):
    P = lambda n: getattr(h, n + x)
    keep = []
    s = cell("c1", x)
    for g in ("m", "h", "n"):
        rec(f"{g}_hh" + x, getattr(s(0.5), f"_ref_{g}_hh{x}"))
    ic = P("IClamp")(s(0.5))
    ic.amp, ic.dur = 0.2, 3.3
    setattr(ic, "del", 2.0125)
    al = P("AlphaSynapse")(s(0.5))
    al.onset, al.tau, al.gmax = 20.3, 1.7, 0.01
    es = P("ExpSyn")(s(0.5))
    es.tau = 1.3
    e2 = P("Exp2Syn")(s(0.5))
    e2.tau1, e2.tau2 = 0.7, 4.1
    ns = P("NetStim")()
    ns.start, ns.interval, ns.number, ns.noise = 40, 7, 6, 0.3
    ns.ranvar.set_ids(3, 4, 5) if x else ns.noiseFromRandom123(3, 4, 5)
    for syn, w in ((e2, 0.02), (es, 0.01)):
        nc = h.NetCon(ns, syn)
        nc.weight[0], nc.delay = w, 0.3
        keep.append(nc)
    ap = P("APCount")(s(0.5))
    ap.thresh = -10
    keep += [ic, al, es, e2, ns, ap, P("PointProcessMark")(s(0.5))]
    rec("i_IClamp" + x, ic._ref_i)
    rec("i_AlphaSynapse" + x, al._ref_i)
    rec("g_ExpSyn" + x, es._ref_g)
    rec("g_Exp2Syn" + x, e2._ref_g)
    rec("n_APCount" + x, ap._ref_n)
    rec("time_APCount" + x, ap._ref_time)
    secs = [cell("c2", x), cell("c3", x), cell("c4", x)]
    se = P("SEClamp")(secs[0](0.5))
    se.dur1, se.amp1, se.dur2, se.amp2, se.dur3, se.amp3, se.rs = 5, -70, 10, -20, 10, -60, 0.5
    oc = P("OClamp")(secs[1](0.5))
    oc.on, oc.off, oc.vc, oc.switched_on, oc.rs = 3.3, 12.1, -30, 1, 2.0
    vc = P("VClamp")(secs[2](0.5))
    for j, (d, a) in enumerate(((4, -70), (6, -10), (5, -55))):
        vc.dur[j], vc.amp[j] = d, a
    keep += [s, secs, se, oc, vc]
    rec("i_SEClamp" + x, se._ref_i)
    rec("i_OClamp" + x, oc._ref_i)
    rec("i_VClamp" + x, vc._ref_i)
    drive = []
    for k, (st, iv) in enumerate(((1.0, 2.3), (1.7, 3.1))):
        d = P("NetStim")()
        d.start, d.interval, d.number, d.noise = st, iv, 30, 0.5
        d.ranvar.set_ids(9, k, 1) if x else d.noiseFromRandom123(9, k, 1)
        drive.append(d)
    arts = [P("IntFire1")(), P("IntFire2")(), P("IntFire4")()]
    arts[0].tau = 4
    arts[1].taus, arts[1].taum, arts[1].ib = 8, 3, 0.6
    arts[2].taue, arts[2].taui1, arts[2].taui2, arts[2].taum = 2, 3, 6, 4
    for name, c in zip(("IntFire1", "IntFire2", "IntFire4"), arts):
        for k, d in enumerate(drive):
            n_ = h.NetCon(d, c)
            n_.weight[0] = 0.45 if k == 0 else -0.2
            keep.append(n_)
        v = h.Vector()
        o = h.NetCon(c, None)
        o.record(v)
        keep.append(o)
        REC["spikes_" + name + x] = v
    det = h.NetCon(s(0.5)._ref_v, None, sec=s)
    gid = 1 if x else 0
    pc.set_gid2node(gid, pc.id())
    pc.cell(gid, det)
    tv = h.Vector()
    det.record(tv)
    REC["spikes_c1" + x] = tv
    keep += [drive, arts, det, P("PatternStim")()]
    return keep

models = [build(""), build("_pcn")]
h.dt = 0.025
h.finitialize(-65)
shutil.rmtree("coredat", ignore_errors=True)
pc.nrnbbcore_write("coredat")
mech = {}
for line in open("coredat/bbcore_mech.dat"):
    f = line.split()
    if len(f) > 7:
        mech[f[0]] = [int(v) for v in f[3:]]
h.continuerun(80)
print("JSON" + json.dumps(dict(mech=mech, rec={k: list(v) for k, v in REC.items()})))
"""


@pytest.fixture(scope="module")
def neuron_run(cache_root: Path) -> dict:
    pytest.importorskip("neuron", reason="NEURON is the reference: pip install .[test]")
    texts = {stem: (MOD / f"{stem}.mod").read_text() for stem in TYPE_ORDER}
    assert sorted(texts) == sorted(p.stem for p in MOD.glob("*.mod")), "a MOD file is untested"
    digest = hashlib.sha256()
    for stem in TYPE_ORDER:
        digest.update(texts[stem].encode())
    digest.update((PATTERN_TYPES + PATTERN_STUBS).encode() + sys.executable.encode())
    key = digest.hexdigest()[:16]
    folder = cache_root / "mod_copies" / key
    files = {}
    for i, stem in enumerate(TYPE_ORDER):
        text = RENAME.sub(r"\1\2 \3_pcn", texts[stem])
        if stem == "pattern":
            text = text.replace("\nVERBATIM\n", PATTERN_TYPES + "VERBATIM\n", 1) + PATTERN_STUBS
        files[f"m{10 + i}_{stem}_pcn.mod"] = text
    return neuron_json(nrnivmodl_folder(folder, files), NEURON_SCRIPT)


@pytest.mark.parametrize("name", MECHANISMS)
def test_dataset_layout_equals_neurons(neuron_run, name):
    # is_art is_ion psize dpsize nvar dims...
    mech = neuron_run["mech"]
    assert mech[name + "_pcn"] == mech[name]


def test_every_record_is_bitwise_neurons(neuron_run):
    rec = neuron_run["rec"]
    names = sorted(k for k in rec if not k.endswith("_pcn"))
    assert len(names) == 20
    for k in names:
        assert rec[k + "_pcn"] == rec[k], k


def test_the_model_exercises_the_mechanisms(neuron_run):
    rec = neuron_run["rec"]
    assert len(rec["spikes_c1"]) >= 3
    assert max(rec["n_APCount"]) >= 3
    for k in ("spikes_IntFire1", "spikes_IntFire2", "spikes_IntFire4"):
        assert len(rec[k]) >= 2, k
    for k in ("i_IClamp", "i_AlphaSynapse", "i_SEClamp", "i_OClamp", "i_VClamp", "g_ExpSyn"):
        assert max(abs(x) for x in rec[k]) > 0, k


# Run twice: by python with NEURON's built-ins ("nrn"), and by the compiled `special` with our
# copies under CoreNEURON ("core"). Prints the sorted (time, gid) spikes as JSON.
CORENEURON_SCRIPT = r"""
import json, sys
from neuron import h, coreneuron
h.load_file("stdrun.hoc")
pc = h.ParallelContext()
h.CVode().cache_efficient(1)
use_core = sys.argv[-1] == "core"
x = "_pcn" if use_core else ""
P = lambda n: getattr(h, n + x)
keep = []
gids = [0]

def reg(nc):
    pc.set_gid2node(gids[0], 0)
    pc.cell(gids[0], nc)
    gids[0] += 1

def cell():
    s = h.Section()
    s.L = s.diam = 15
    s.insert("hh" + x)
    s.insert("pas" + x)
    keep.append(s)
    reg(h.NetCon(s(0.5)._ref_v, None, sec=s))
    return s

s1 = cell()
ic = P("IClamp")(s1(0.5))
ic.amp, ic.dur = 0.2, 3.3
setattr(ic, "del", 2.0125)
al = P("AlphaSynapse")(s1(0.5))
al.onset, al.tau, al.gmax = 20.3, 1.7, 0.01
e2 = P("Exp2Syn")(s1(0.5))
e2.tau1, e2.tau2 = 0.7, 4.1
es = P("ExpSyn")(s1(0.5))
es.tau = 1.3
ap = P("APCount")(s1(0.5))
mk = P("PointProcessMark")(s1(0.5))
ns = P("NetStim")()
ns.start, ns.interval, ns.number, ns.noise = 40, 7, 12, 0.3
ns.ranvar.set_ids(3, 4, 5) if x else ns.noiseFromRandom123(3, 4, 5)
reg(h.NetCon(ns, None))
for syn, w in ((e2, 0.02), (es, 0.01)):
    nc = h.NetCon(ns, syn)
    nc.weight[0], nc.delay = w, 0.3
    keep.append(nc)
s2 = cell()
se = P("SEClamp")(s2(0.5))
se.dur1, se.amp1, se.dur2, se.amp2, se.dur3, se.amp3, se.rs = 5, -70, 10, -20, 10, -60, 0.5
s3 = cell()
oc = P("OClamp")(s3(0.5))
oc.on, oc.off, oc.vc, oc.switched_on, oc.rs = 3.3, 12.1, 0, 1, 2.0
drive = []
for k, (st, iv) in enumerate(((1.0, 2.3), (1.7, 3.1))):
    d = P("NetStim")()
    d.start, d.interval, d.number, d.noise = st, iv, 30, 0.5
    d.ranvar.set_ids(9, k, 1) if x else d.noiseFromRandom123(9, k, 1)
    drive.append(d)
    reg(h.NetCon(d, None))
arts = [P("IntFire1")()]
arts[0].tau = 4
for c in arts:
    for k, d in enumerate(drive):
        n_ = h.NetCon(d, c)
        n_.weight[0] = 0.45 if k == 0 else -0.2
        keep.append(n_)
    reg(h.NetCon(c, None))
tv, idv = h.Vector(), h.Vector()
pc.spike_record(-1, tv, idv)
pc.set_maxstep(10)
h.finitialize(-65)
if use_core:
    coreneuron.enable = True
    coreneuron.verbose = 0
pc.psolve(80)
out = dict(core=bool(coreneuron.enable), spikes=sorted((t, int(i)) for t, i in zip(tv, idv)))
print("JSON" + json.dumps(out))
"""


@pytest.mark.slow
def test_coreneuron_running_our_files_gives_neurons_spikes(cache_root: Path):
    pytest.importorskip("neuron", reason="NEURON is the reference: pip install .[test]")
    stems = [s for s in TYPE_ORDER if s not in ("vclmp", "pattern", "intfire2", "intfire4")]
    digest = hashlib.sha256(sys.executable.encode())
    for stem in stems:
        digest.update((MOD / f"{stem}.mod").read_bytes())
    key = digest.hexdigest()[:16]
    folder = cache_root / "mod_copies_coreneuron" / key
    if not (folder / "x86_64" / "special").exists():
        scratch = folder.with_name(f"{key}.tmp{os.getpid()}")
        shutil.rmtree(scratch, ignore_errors=True)
        (scratch / "mods").mkdir(parents=True)
        for i, stem in enumerate(stems):
            text = RENAME.sub(r"\1\2 \3_pcn", (MOD / f"{stem}.mod").read_text())
            (scratch / "mods" / f"m{10 + i}_{stem}_pcn.mod").write_text(text)
        nrnivmodl = Path(sys.executable).with_name("nrnivmodl")
        command = [str(nrnivmodl) if nrnivmodl.exists() else "nrnivmodl", "-coreneuron", "mods"]
        result = subprocess.run(command, cwd=scratch, capture_output=True, text=True, timeout=1800)
        if result.returncode != 0:
            raise RuntimeError(f"nrnivmodl -coreneuron failed:\n{result.stdout}\n{result.stderr}")
        try:
            scratch.rename(folder)
        except OSError:
            shutil.rmtree(scratch, ignore_errors=True)
    (folder / "run.py").write_text(CORENEURON_SCRIPT)
    spikes = {}
    for mode, command in (
        ("nrn", [sys.executable, "run.py", "nrn"]),
        ("core", [str(folder / "x86_64" / "special"), "-python", "run.py", "core"]),
    ):
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            raise RuntimeError(f"{mode} run failed:\n{result.stdout}\n{result.stderr}")
        line = next(x for x in result.stdout.splitlines() if x.startswith("JSON"))
        spikes[mode] = json.loads(line[4:])
    assert not spikes["nrn"]["core"] and spikes["core"]["core"]
    nrn, core = spikes["nrn"]["spikes"], spikes["core"]["spikes"]
    assert len(nrn) > 50
    assert {gid for _, gid in nrn} >= {0, 1, 3, 4, 5, 6}
    assert core == nrn
