"""The device engine's windows, host build (src/kernels/device_window.h, simulate(device="host")).

Whole windows of steps run by the device kernels alone (the CUDA printer's mechanism kernels
built as C, the cable's, threshold detection into flags, Vector.play values written by a
kernel), while the host plans each window's events (artificial cells, PatternStim, the device
mechanisms' NET_RECEIVE calls per pass) and replays them with the window's spikes afterwards.
Every run must give the CPU engine's spikes and recorded voltages bit for bit (the CPU
engine's are NEURON's: test_mechanisms.py), or be refused in one line before it starts.
"""

from __future__ import annotations

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
@pytest.mark.parametrize("variant", ["default", "rparm", "big"])
def test_device_windows_give_the_ringtests_spikes(ringtest_data, variant, kind):
    """Windows of the ring's delay (1 ms, 40 steps), two blocks on two threads."""
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
def test_gap_junctions_and_forward_skip_are_refused_in_one_line(ringtest_data):
    coredat = ringtest_data("gap") / "coredat"
    with pytest.raises(NotSupportedError, match="gap junctions") as refused:
        pycoreneuron.simulate(coredat, 10.0, mod=RINGTEST_MOD, device="host")
    assert "\n" not in str(refused.value)
    with pytest.raises(NotSupportedError, match="forwardskip"):
        pycoreneuron.simulate(ringtest_data("default") / "coredat", 10.0, mod=RINGTEST_MOD,
                              device="host", forwardskip=5.0)


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
