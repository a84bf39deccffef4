"""BBCOREPOINTER data: a VecStim's event times reach the run through its bbcore_read.

The MOD file is NEURON 9.0.2's share/examples/nrniv/netcon/vecevent.mod (VecStim, in
tests/data/third_party/nrn, BSD), whose VERBATIM writes the played Vector into the dataset
(bbcore_write) and makes it again from there (bbcore_read, with CoreNEURON's
vector_new1/vector_vec). NEURON 9.0.2 builds a model of
two VecStims driving two hh cells through ExpSyns, dumps it and runs it; pycoreneuron runs the
dump: the same spikes (the VecStims' and the cells'), the same voltages bit for bit.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import pycoreneuron

from ..conftest import neuron_json, nrnivmodl_folder

pytestmark = pytest.mark.neuron

VECEVENT = (Path(__file__).resolve().parents[1] / "data" / "third_party" / "nrn" / "share"
            / "examples" / "nrniv" / "netcon" / "vecevent.mod")

SCRIPT = r"""
import json
from neuron import h
h.load_file("stdrun.hoc")
pc = h.ParallelContext()
h.cvode.cache_efficient(1)
cells, keep, vs = [], [], []
times = [[2.0, 4.5, 9.0, 15.25, 30.0], [1.0, 1.5, 22.0, 22.125, 40.0, 41.0]]
for i in range(2):
    soma = h.Section(name=f"soma{i}")
    soma.L = soma.diam = 20
    soma.insert("hh")
    syn = h.ExpSyn(soma(0.5))
    syn.tau = 2
    stim = h.VecStim()
    vec = h.Vector(times[i])
    stim.play(vec)
    nc = h.NetCon(stim, syn)
    nc.weight[0] = 0.02
    nc.delay = 1
    pc.set_gid2node(i, pc.id())
    pc.cell(i, h.NetCon(soma(0.5)._ref_v, None, sec=soma))
    pc.set_gid2node(10 + i, pc.id())
    pc.cell(10 + i, h.NetCon(stim, None))
    keep += [soma, syn, stim, vec, nc]
    cells.append(soma)
pc.set_maxstep(10)
pc.nthread(NTHREAD)
h.dt = 0.025
h.stdinit()
pc.nrnbbcore_write(COREDAT)
tv = h.Vector()
vs = []
for soma in cells:
    v = h.Vector()
    v.record(soma(0.5)._ref_v)
    vs.append(v)
st, sg = h.Vector(), h.Vector()
pc.spike_record(-1, st, sg)
h.stdinit()
pc.psolve(50)
print("JSON" + json.dumps({"t": list(st), "gid": [int(g) for g in sg],
                           "v": [list(v) for v in vs]}))
"""


@pytest.fixture(scope="module")
def vecstim_mod(cache_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("neuron", reason="NEURON is the reference: pip install .[test]")
    text = VECEVENT.read_text()
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return nrnivmodl_folder(cache_root / "vecstim-mod" / digest, {"vecevent.mod": text})


@pytest.mark.parametrize("nthread", [1, 2])
def test_vecstim_events_come_from_bbcore_read(vecstim_mod: Path, cache_root: Path,
                                              tmp_path: Path, nthread: int) -> None:
    key = hashlib.sha256((SCRIPT + vecstim_mod.name + str(nthread)).encode()).hexdigest()[:16]
    folder = cache_root / "vecstim-runs" / key
    result = folder / "neuron.json"
    if not result.exists():
        folder.mkdir(parents=True, exist_ok=True)
        script = SCRIPT.replace("NTHREAD", str(nthread)).replace(
            "COREDAT", repr(str(folder / "coredat")))
        result.write_text(json.dumps(neuron_json(vecstim_mod, script)))
    ref = json.loads(result.read_text())
    mod = tmp_path / "mod"  # the MOD file alone, as a user's --mod folder
    mod.mkdir()
    shutil.copy(VECEVENT, mod / "vecevent.mod")
    for threads in (1, 2):
        res = pycoreneuron.simulate(folder / "coredat", 50.0, mod=mod, threads=threads,
                                    record_gids=[0, 1])
        ours = sorted(zip(res.spike_times.tolist(), res.spike_gids.tolist(), strict=True))
        theirs = sorted(zip(ref["t"], ref["gid"], strict=True))
        assert sum(1 for _, g in theirs if g >= 10) == 11  # every played time fired
        assert any(g < 10 for _, g in theirs), "the cells must fire for the test to mean much"
        assert ours == theirs
        v = np.asarray(ref["v"])
        n = min(v.shape[1], res.voltages.shape[1])
        assert n > 1000 and np.array_equal(res.voltages[:, :n], v[:, :n])
    # A checkpoint holds the VecStims' Vectors through their own bbcore_write, read back by
    # bbcore_read on restore (on the other number of threads): the two parts are the run.
    first = pycoreneuron.simulate(folder / "coredat", 20.0, mod=mod,
                                  checkpoint=tmp_path / "chk")
    second = pycoreneuron.simulate(folder / "coredat", 50.0, mod=mod, threads=2,
                                   restore=tmp_path / "chk")
    assert len(first.spike_gids) and len(second.spike_gids)
    parts = list(zip(first.spike_times.tolist(), first.spike_gids.tolist(), strict=True)) + \
        list(zip(second.spike_times.tolist(), second.spike_gids.tolist(), strict=True))
    assert sorted(parts) == sorted(zip(ref["t"], ref["gid"], strict=True))


def test_a_pointer_kept_in_a_double_is_refused() -> None:
    """bmtk's older VecStim keeps NEURON's Vector address in the double `space`: meaningless
    in a dataset (it crashed CoreNEURON-style runs), so refused with its line."""
    from pycoreneuron.nmodl.build import translate
    from pycoreneuron.nmodl.errors import NmodlError

    bmtk = VECEVENT.parents[4].parent / "bmtk" / "vecevent.mod"
    with pytest.raises(NmodlError, match=r"vecevent.mod:42: VERBATIM keeps a pointer in the "
                                         r"double space"):
        translate(bmtk)
