"""Every built-in mechanism in small networks: the engine's spikes and voltages against NEURON.

NEURON 9.0.2 builds each model of neuron_models.py, dumps it after finitialize(-65) and runs it
(one rank; one thread except the *_nt2 models); pycoreneuron simulates the dump ("file mode": v
re-set to -65, INITIAL blocks rerun, which is where NEURON started too). Compared:

* spikes: identical after formatting both with %.8g, sorted by time then gid; and as doubles;
* voltages of a few chosen nodes (seg.node_index()) and of cells' spike-source nodes (by gid),
  recorded every step from t = 0: equal to NEURON's Vector.record bit for bit (our translator
  sums a mechanism's currents in nocmodl's order, so hh's last bits are NEURON's too);
* where special-core can run the model: out.dat byte for byte equal to CoreNEURON's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import pycoreneuron

from .neuron_models import MODELS

pytestmark = pytest.mark.neuron


# Models that cannot pass yet: (the exception they fail with, the cause).
KNOWN_FAILURES: dict[str, tuple[type[BaseException], str]] = {}


def _params(names: list[str]) -> list[Any]:
    params = []
    for name in names:
        if name in KNOWN_FAILURES:
            raises, reason = KNOWN_FAILURES[name]
            name = pytest.param(name, marks=pytest.mark.xfail(strict=True, raises=raises,
                                                              reason=reason))
        params.append(name)
    return params


ALL = _params(list(MODELS))
ONE_THREAD = _params([name for name, model in MODELS.items() if model.nthread == 1])
CORENEURON = [name for name, model in MODELS.items() if model.coreneuron]

# The built-in mechanisms the engine issue names, VecPlay standing for a Vector.play
# (PatternStim is not in a dataset: the engine gets its spikes from a file, -p).
BUILTINS = {"IClamp", "AlphaSynapse", "ExpSyn", "Exp2Syn", "SEClamp", "VClamp", "OClamp",
            "APCount", "NetStim", "IntFire1", "IntFire2", "IntFire4", "PatternStim", "VecPlay",
            "hh", "pas"}


def as_printed(times: Any, gids: Any) -> list[tuple[str, int]]:
    """Spikes as out.dat prints them (%.8g), sorted by time then gid."""
    lines = [(f"{float(t):.8g}", int(g)) for t, g in zip(times, gids, strict=True)]
    return sorted(lines, key=lambda line: (float(line[0]), line[1]))


def _pattern(folder: Path, ref: dict[str, Any]) -> Path | None:
    return folder / "pattern.dat" if ref["pattern"] else None


@pytest.fixture(scope="module")
def ours(neuron_model) -> Any:
    """Factory: ours(model) -> (NEURON's results, pycoreneuron's SimulationResult), cached."""
    done: dict[str, tuple[dict[str, Any], Any]] = {}

    def run(model: str) -> tuple[dict[str, Any], Any]:
        if model not in done:
            folder, ref = neuron_model(model)
            one_group = MODELS[model].nthread == 1  # node indices are those of one group
            result = pycoreneuron.simulate(folder / "coredat", ref["tstop"],
                                           record_nodes=ref["record_nodes"] if one_group else (),
                                           record_gids=ref["record_gids"] if one_group else (),
                                           record_interval=ref["dt"], mod=ref["mod"],
                                           voltage=ref["voltage"], pattern=_pattern(folder, ref))
            done[model] = (ref, result)
        return done[model]

    return run


def test_the_models_use_every_builtin():
    assert set().union(*(m.mechanisms for m in MODELS.values())) == BUILTINS | {"hh_ordered"}
    assert {m.build for m in MODELS.values() if m.build} <= set(MODELS)


@pytest.mark.parametrize("model", list(MODELS))
def test_each_dataset_holds_what_its_model_tests(neuron_model, model):
    folder, ref = neuron_model(model)
    for name in MODELS[model].mechanisms:
        if name == "VecPlay":
            n = ref["vecplays"]
        elif name == "PatternStim":  # not in the dataset: its raster goes in a file
            n = ref["instances"].get(name, 0) * (folder / "pattern.dat").exists()
        else:
            n = ref["instances"].get(name, 0)
        assert n > 0, name
    assert ref["spikes"] or model == "vclamp", "NEURON's run has no spikes to compare"
    assert ref["nthread"] == MODELS[model].nthread
    files_dat = (folder / "coredat" / "files.dat").read_text().split()
    assert int(files_dat[1]) == MODELS[model].nthread  # groups in the dataset


@pytest.mark.parametrize("model", ALL)
def test_spikes_equal_neurons(ours, model):
    ref, result = ours(model)
    theirs = as_printed(*zip(*ref["spikes"], strict=True)) if ref["spikes"] else []
    assert as_printed(result.spike_times, result.spike_gids) == theirs
    # Stronger: the doubles themselves (t_n + 1e-10 of voltage sources, event times of
    # artificial cells), and the time reached after the same number of steps.
    mine = zip(result.spike_times.tolist(), result.spike_gids.tolist(), strict=True)
    assert sorted(mine) == sorted((t, g) for t, g in ref["spikes"])
    assert result.t == ref["t_end"]


@pytest.mark.parametrize("model", ONE_THREAD)
def test_voltages_equal_neurons(ours, neuron_model, model):
    ref, result = ours(model)
    folder, _ = neuron_model(model)
    # The node indices NEURON gave are the dataset's: same areas (NEURON keeps 100 as the
    # area of a zero-area node, where seg.area() says 0).
    group = pycoreneuron.read_dataset(folder / "coredat",
                                      mechanisms=pycoreneuron.mechanisms(ref["mod"])).groups[0]
    nodes = ref["record_nodes"]
    assert [float(group.area[n]) for n in nodes] == \
        [a if a > 0 else 100.0 for a in ref["areas"][:len(nodes)]]

    expected = np.array(ref["voltages"])
    assert result.voltages.shape == expected.shape
    np.testing.assert_allclose(result.record_times, ref["record_times"], rtol=0, atol=1e-9)
    labels = ref["labels"] + [f"gid {g}" for g in ref["record_gids"]]
    worst = np.abs(result.voltages - expected).max(axis=1)
    report = {label: float(w) for label, w in zip(labels, worst, strict=True)}
    assert (worst == 0).all(), f"max |v - NEURON's v| per node [mV]: {report}"


@pytest.mark.parametrize("model", ALL)
def test_the_device_layout_gives_neurons_spikes_and_voltages(ours, neuron_model, model):
    # cell_permute 1 (-R 1): cells interleaved, the Hines solve one cell at a time by the
    # single-source kernel the CUDA module compiles; the cells' voltages stay NEURON's bits.
    ref, default = ours(model)
    folder, _ = neuron_model(model)
    one_group = MODELS[model].nthread == 1
    gids = ref["record_gids"] if one_group else ()
    result = pycoreneuron.simulate(folder / "coredat", ref["tstop"], record_gids=gids,
                                   record_interval=ref["dt"], mod=ref["mod"],
                                   voltage=ref["voltage"], pattern=_pattern(folder, ref),
                                   cell_permute=1)
    assert np.array_equal(result.spike_times, default.spike_times)
    assert np.array_equal(result.spike_gids, default.spike_gids)
    assert result.t == ref["t_end"]
    if gids:
        expected = np.array(ref["voltages"])[len(ref["record_nodes"]):]
        assert result.voltages.tobytes() == expected.tobytes()


def run_pycoreneuron(coredat: Path, outdir: Path, tstop: float, *flags: str
                     ) -> subprocess.CompletedProcess:
    outdir.mkdir(parents=True, exist_ok=True)
    return subprocess.run([sys.executable, "-m", "pycoreneuron", "-e", repr(tstop), "-d",
                           str(coredat), "-o", str(outdir), *flags], capture_output=True,
                          text=True, timeout=600)


@pytest.mark.parametrize("model", _params(CORENEURON))
def test_out_dat_is_coreneurons_byte_for_byte(neuron_model, special_core, tmp_path, model):
    folder, ref = neuron_model(model)
    flags = ["--voltage", repr(ref["voltage"])]
    if ref["pattern"]:
        flags += ["--pattern", str(_pattern(folder, ref))]
    mine = run_pycoreneuron(folder / "coredat", tmp_path / "ours", ref["tstop"], *flags)
    assert mine.returncode == 0, mine.stderr
    theirs = subprocess.run([str(special_core), "-e", repr(ref["tstop"]), "-d",
                             str(folder / "coredat"), "-o", str(tmp_path / "coreneuron"),
                             *flags], capture_output=True, text=True, timeout=600,
                            cwd=tmp_path)
    assert theirs.returncode == 0, theirs.stdout + theirs.stderr
    coreneuron_text = (tmp_path / "coreneuron" / "out.dat").read_text()
    assert coreneuron_text, "CoreNEURON wrote no spikes: the model tests nothing"
    assert (tmp_path / "ours" / "out.dat").read_text() == coreneuron_text


@pytest.mark.parametrize("model", ["passive", "hh_pas_iclamp"])
def test_record_interval_samples_every_kth_step(ours, neuron_model, model):
    ref, every_step = ours(model)
    folder, _ = neuron_model(model)
    k = 4
    result = pycoreneuron.simulate(folder / "coredat", ref["tstop"],
                                   record_nodes=ref["record_nodes"][:2],
                                   record_gids=ref["record_gids"][:1],
                                   record_interval=k * ref["dt"], mod=ref["mod"])
    rows = [0, 1, len(ref["record_nodes"])]
    assert np.array_equal(result.voltages, every_step.voltages[rows, ::k])
    np.testing.assert_allclose(result.record_times, ref["record_times"][::k], rtol=0, atol=1e-9)
    assert np.array_equal(result.spike_times, every_step.spike_times)
