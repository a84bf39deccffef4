"""The device engine's windows, host build (src/kernels/device_window.h, simulate(device="host")).

Whole windows of steps run by the device kernels alone (the CUDA printer's mechanism kernels
built as C, the cable's, threshold detection into flags, Vector.play values written by a
kernel), while the host plans each window's events (artificial cells, PatternStim, the device
mechanisms' NET_RECEIVE calls per pass) and replays them with the window's spikes afterwards.
Every run must give the CPU engine's spikes and recorded voltages bit for bit (the CPU
engine's are NEURON's: test_mechanisms.py), or be refused in one line before it starts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import pycoreneuron
from pycoreneuron.engine import device, device_windows
from pycoreneuron.errors import NotSupportedError

from .neuron_models import MODELS

RINGTEST_MOD = Path(__file__).resolve().parents[2] / "examples" / "ringtest" / "mod"

# "cuda" on a CUDA device only (marked gpu: benchmarks/gpu_check.sh runs them on one).
DEVICES = ["host", "copy", pytest.param("cuda", marks=pytest.mark.gpu)]


def _require(kind: str) -> None:
    if kind == "cuda" and not device.devices():
        pytest.skip("no CUDA device here (benchmarks/gpu_check.sh runs these on one)")


# Models the device engine refuses, and the reason's words.
REFUSED = {"vclamp": "implicit solve", "vclamp_passive": "implicit solve"}


def _options(folder: Path, ref: dict, model: str) -> dict:
    gids = ref["record_gids"] if MODELS[model].nthread == 1 else ()
    return {"record_gids": gids, "record_interval": ref["dt"], "mod": ref["mod"],
            "voltage": ref["voltage"],
            "pattern": folder / "pattern.dat" if ref["pattern"] else None}


@pytest.mark.neuron
@pytest.mark.parametrize("kind", DEVICES)
@pytest.mark.parametrize("model", list(MODELS))
def test_device_windows_give_the_cpu_engines_spikes_and_voltages(neuron_model, model, kind):
    """"host": the kernels on the block's own arrays; "copy": on copies in separate memory,
    as on a GPU, the host's copies set to NaN (or -1) meanwhile; "cuda": on the GPU."""
    _require(kind)
    folder, ref = neuron_model(model)
    options = _options(folder, ref, model)
    if model in REFUSED:
        with pytest.raises(NotSupportedError, match=REFUSED[model]) as refused:
            pycoreneuron.simulate(folder / "coredat", ref["tstop"], device=kind, **options)
        assert "\n" not in str(refused.value)
        return
    cpu = pycoreneuron.simulate(folder / "coredat", ref["tstop"], **options)
    ran = pycoreneuron.simulate(folder / "coredat", ref["tstop"], device=kind, **options)
    assert np.array_equal(ran.spike_times, cpu.spike_times)
    assert np.array_equal(ran.spike_gids, cpu.spike_gids)
    assert ran.voltages.tobytes() == cpu.voltages.tobytes()


@pytest.mark.neuron
@pytest.mark.parametrize("kind", DEVICES)
@pytest.mark.parametrize("variant", ["default", "rparm", "big", "gap", "nt2_gap"])
def test_device_windows_give_the_ringtests_spikes(ringtest_data, variant, kind):
    """Windows of the ring's delay (1 ms, 40 steps), two blocks on two threads; gap junctions
    transferred inside their blocks by a kernel at step J (one and two NEURON threads)."""
    _require(kind)
    coredat = ringtest_data(variant) / "coredat"
    cpu = pycoreneuron.simulate(coredat, 100.0, mod=RINGTEST_MOD)
    ran = pycoreneuron.simulate(coredat, 100.0, mod=RINGTEST_MOD, device=kind, threads=2)
    assert len(cpu.spike_times) > 100
    assert np.array_equal(ran.spike_times, cpu.spike_times)
    assert np.array_equal(ran.spike_gids, cpu.spike_gids)


@pytest.mark.neuron
def test_a_device_run_checkpointed_and_restored_is_the_whole_run(ringtest_data, tmp_path):
    """The device's state comes back to the host at the end of a run (here from copies in
    separate memory): a checkpoint after device windows restores into device windows and
    gives the whole run."""
    coredat = ringtest_data("default") / "coredat"
    whole = pycoreneuron.simulate(coredat, 100.0, mod=RINGTEST_MOD)
    first = pycoreneuron.simulate(coredat, 40.0, mod=RINGTEST_MOD, device="copy",
                                  checkpoint=tmp_path / "t40")
    rest = pycoreneuron.simulate(coredat, 100.0, mod=RINGTEST_MOD, device="copy",
                                 restore=tmp_path / "t40")
    times = np.concatenate([first.spike_times, rest.spike_times])
    gids = np.concatenate([first.spike_gids, rest.spike_gids])
    assert np.array_equal(times, whole.spike_times)
    assert np.array_equal(gids, whole.spike_gids)


@pytest.mark.neuron
def test_forward_skip_is_refused_in_one_line(ringtest_data):
    with pytest.raises(NotSupportedError, match="forwardskip") as refused:
        pycoreneuron.simulate(ringtest_data("default") / "coredat", 10.0, mod=RINGTEST_MOD,
                              device="host", forwardskip=5.0)
    assert "\n" not in str(refused.value)


def test_gap_junctions_between_blocks_or_ranks_are_refused():
    v = np.zeros(4)
    inside = {"v": v, "gap_source": np.array([v.ctypes.data + 8], np.uintp)}
    device_windows.refuse_gaps_between_blocks([inside], across_ranks=False)
    elsewhere = np.zeros(4)
    outside = {"v": v, "gap_source": np.array([elsewhere.ctypes.data], np.uintp)}
    with pytest.raises(NotSupportedError, match="between NEURON threads or MPI ranks"):
        device_windows.refuse_gaps_between_blocks([outside], across_ranks=False)
    with pytest.raises(NotSupportedError, match="between NEURON threads or MPI ranks"):
        device_windows.refuse_gaps_between_blocks([inside], across_ranks=True)


def _spec(delays: list[float], targets: list[int], nvoltage: int = 1) -> dict:
    """A block with one voltage source driving NetCons of these delays and target slots."""
    n = len(delays)
    return {"mechanisms": [], "plays": [], "nvoltage": nvoltage,
            "netcon_start": np.array([0, n] + [n] * (nvoltage - 1), np.int32),
            "netcon_list": np.arange(n, dtype=np.int32),
            "netcon_mech": np.array(targets, np.int32),
            "netcon_delay": np.array(delays, np.float64)}


def test_a_window_is_the_smallest_delay_of_the_blocks_own_spikes():
    spec = _spec([2.0, 0.5, 3.0], [0, -1, 0])  # the 0.5 ms NetCon has no target
    assert device_windows.own_spike_delay(spec) == 2.0
    device_windows.prepare([spec], {}, {}, 0.025)
    assert spec["device_window"] == 80
    lonely = _spec([], [])
    device_windows.prepare([lonely], {}, {}, 0.025)
    assert lonely["device_window"] == device_windows.MAX_WINDOW


def test_a_delay_shorter_than_a_step_is_refused():
    with pytest.raises(NotSupportedError, match="delay 0.01 ms, less than dt"):
        device_windows.prepare([_spec([0.01], [0])], {}, {}, 0.025)


_RANK_RUN = """
import sys
import numpy as np
from mpi4py import MPI
import pycoreneuron
r = pycoreneuron.simulate(sys.argv[1], 100.0, mod=sys.argv[2], comm=MPI.COMM_WORLD,
                          device=sys.argv[3])
if MPI.COMM_WORLD.Get_rank() == 0:
    np.save(sys.argv[4], np.stack([r.spike_times, r.spike_gids]))
"""


@pytest.mark.neuron
def test_device_windows_on_two_ranks_give_the_cpu_engines_spikes(ringtest_data, tmp_path):
    """The spike exchange between ranks stays on the host, between the device windows."""
    from ..conftest import mpi_launcher

    coredat = ringtest_data("mpi2") / "coredat"
    cpu = pycoreneuron.simulate(coredat, 100.0, mod=RINGTEST_MOD)
    script = tmp_path / "rank_run.py"
    script.write_text(_RANK_RUN)
    done = subprocess.run([*mpi_launcher(2), sys.executable, str(script), str(coredat),
                           str(RINGTEST_MOD), "copy", str(tmp_path / "spikes.npy")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    times, gids = np.load(tmp_path / "spikes.npy")
    assert len(times) > 100
    assert np.array_equal(times, cpu.spike_times) and np.array_equal(gids, cpu.spike_gids)


@pytest.mark.neuron
@pytest.mark.parametrize("seed", range(5))
def test_random_rasters_with_ties_give_the_cpu_engines_answer(neuron_model, tmp_path, seed):
    """PatternStim rasters (-p) with many entries at equal times, onto two synapses after
    0.3 to 1.5 ms: the host plans those deliveries for whole windows (the cells drive no
    NetCon: as long as the recording buffers allow), the device runs their NET_RECEIVE calls
    in the CPU engine's order (by instance, then arrival)."""
    folder, ref = neuron_model("patternstim")
    rng = np.random.default_rng(seed)
    times = np.round(rng.choice(np.arange(0.0, 30.0, 0.025), 400), 3)
    times[rng.random(400) < 0.5] = rng.choice([2.5, 7.0, 7.025, 15.0], 1)[0]  # ties
    gids = rng.integers(1000, 1003, 400)
    order = np.lexsort((gids, times))
    raster = tmp_path / "pattern.dat"
    raster.write_text("scatter\n" + "".join(f"{times[k]:.3f}\t{gids[k]}\n" for k in order))
    options = _options(folder, ref, "patternstim") | {"pattern": raster}
    cpu = pycoreneuron.simulate(folder / "coredat", ref["tstop"], **options)
    ran = pycoreneuron.simulate(folder / "coredat", ref["tstop"], device="copy", **options)
    assert len(cpu.spike_times) > 0
    assert np.array_equal(ran.spike_times, cpu.spike_times)
    assert ran.voltages.tobytes() == cpu.voltages.tobytes()


def _artificial(semantics: list[str]) -> tuple[dict, dict]:
    """A block spec with one ARTIFICIAL_CELL of these dparam semantics, and its descriptor."""
    from types import SimpleNamespace

    desc = SimpleNamespace(name=b"Probe", ba=[None] * 5, watch_check=None,
                           dparam_size=len(semantics),
                           dparam_semantics=[s.encode() for s in semantics],
                           net_receive_nargs=1)
    data = np.zeros(4)
    spec = {"plays": [], "mechanisms": [{"builtin": 0, "n": 2, "kind": 2, "desc": 1,
                                         "data": data}]}
    return spec, {1: desc}


def test_an_artificial_cell_reading_the_cells_values_is_refused():
    """It runs on the host, which plans a window before the device computes the values."""
    spec, descs = _artificial(["area", "pntproc", "netsend"])
    assert device_windows.refusals(spec, descs, {}) == []
    for read in ("pointer", "na_ion", "#ca_ion"):
        spec, descs = _artificial(["area", read, "netsend"])
        assert "reads the cells' values" in device_windows.refusals(spec, descs, {})[0]


def test_recording_an_artificial_cells_variable_is_refused():
    spec, _ = _artificial(["area", "pntproc"])
    data = spec["mechanisms"][0]["data"]
    spec["record_ptr"] = np.array([data.ctypes.data + 8], np.uintp)
    with pytest.raises(NotSupportedError, match="recording an ARTIFICIAL_CELL"):
        device_windows.refuse_recorded_artificial([spec])
    spec["record_ptr"] = np.array([np.zeros(1).ctypes.data], np.uintp)
    device_windows.refuse_recorded_artificial([spec])
