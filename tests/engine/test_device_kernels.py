"""The mechanisms' device kernels in whole runs, on the CPU (engine/device_kernels.py).

Every small model of neuron_models.py runs with each mechanism's INITIAL, nrn_cur, nrn_state
and (point processes) NET_RECEIVE taken from the CUDA printer's kernels built as C (point
processes by node, events by instance, as the GPU would run them), in the device layout
(-R 1): the spikes and recorded voltages must be
those of the C hooks' run, bit for bit (which are NEURON's, test_mechanisms.py). Mechanisms
the printer refuses (artificial cells, implicit solves) keep their hooks. The cable's kernels
(device/cable_step.h) run in whole runs in the device engine (test_device_windows.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import pycoreneuron

from .neuron_models import MODELS

pytestmark = pytest.mark.neuron


@pytest.mark.parametrize("model", list(MODELS))
def test_device_kernels_give_the_hooks_spikes_and_voltages(neuron_model, model):
    folder, ref = neuron_model(model)
    gids = ref["record_gids"] if MODELS[model].nthread == 1 else ()
    options = {"record_gids": gids, "record_interval": ref["dt"], "mod": ref["mod"],
               "voltage": ref["voltage"],
               "pattern": folder / "pattern.dat" if ref["pattern"] else None}
    hooks = pycoreneuron.simulate(folder / "coredat", ref["tstop"], **options)
    kernels = pycoreneuron.simulate(folder / "coredat", ref["tstop"], cell_permute=1,
                                    device_kernels=True, **options)
    assert np.array_equal(kernels.spike_times, hooks.spike_times)
    assert np.array_equal(kernels.spike_gids, hooks.spike_gids)
    assert kernels.voltages.tobytes() == hooks.voltages.tobytes()


RINGTEST_MOD = Path(__file__).resolve().parents[2] / "examples" / "ringtest" / "mod"


@pytest.mark.parametrize("variant", ["default", "rparm", "gap", "nt2_gap", "big"])
def test_device_kernels_give_the_ringtests_spikes(ringtest_data, variant):
    """The ringtests (hh soma, passive dendrites, ExpSyn, gap junctions between blocks, which
    the device engine refuses): every spike, as the hooks' run gives it."""
    coredat = ringtest_data(variant) / "coredat"
    hooks = pycoreneuron.simulate(coredat, 100.0, mod=RINGTEST_MOD)
    kernels = pycoreneuron.simulate(coredat, 100.0, mod=RINGTEST_MOD, cell_permute=1,
                                    device_kernels=True, threads=2)
    assert len(hooks.spike_times) > 100
    assert np.array_equal(kernels.spike_times, hooks.spike_times)
    assert np.array_equal(kernels.spike_gids, hooks.spike_gids)
