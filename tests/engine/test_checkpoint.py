"""--checkpoint/--restore on every small model: a run cut in two gives the uninterrupted run.

For each model NEURON dumped (tests/engine/neuron_models.py: every built-in mechanism,
VecPlay, PatternStim, WATCH-free and WATCH models, NetStim noise streams, net_send/net_move
artificial cells, two-thread datasets), pycoreneuron runs 0 -> tstop in one go and writes a
checkpoint there; then 0 -> t1 with a checkpoint on one split (one thread, one block per
group), and t1 -> tstop restored on another (three blocks per group where the model allows).
Checked: the two parts' spikes are the whole run's (as doubles), and the checkpoint at tstop
written by the restored run holds the same state, array for array, bit for bit, as the one
the uninterrupted run wrote (every voltage, mechanism variable, weight, event and stream).
The spikes of the whole run are NEURON's (test_mechanisms.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import pycoreneuron
from pycoreneuron.io.checkpoint_files import MANIFEST

from .neuron_models import MODELS

pytestmark = pytest.mark.neuron


def _options(folder: Path, ref: dict[str, Any]) -> dict[str, Any]:
    return {"mod": ref["mod"], "voltage": ref["voltage"],
            "pattern": folder / "pattern.dat" if ref["pattern"] else None}


def _state(folder: Path) -> dict[str, Any]:
    """Every array of every state file of a checkpoint (the token and t left aside)."""
    manifest = json.loads((folder / MANIFEST).read_text())
    out: dict[str, Any] = {"steps": manifest["steps"], "t": manifest["t"]}
    for path in sorted(folder.glob("*.npz")):
        with np.load(path) as z:
            for name in z.files:
                if name != "header":
                    out[f"{path.name}:{name}"] = z[name]
    return out


@pytest.mark.parametrize("model", list(MODELS))
def test_a_run_cut_in_two_is_the_whole_run(neuron_model, tmp_path, model):
    folder, ref = neuron_model(model)
    data, tstop = folder / "coredat", ref["tstop"]
    options = _options(folder, ref)
    gids = ref["record_gids"] if MODELS[model].nthread == 1 else ()
    record = {"record_gids": gids, "record_interval": ref["dt"]}
    whole = pycoreneuron.simulate(data, tstop, checkpoint=tmp_path / "whole", **record,
                                  **options)
    t1 = round(0.4 * tstop, 3)
    first = pycoreneuron.simulate(data, t1, checkpoint=tmp_path / "t1", blocks=1, **options)
    second = pycoreneuron.simulate(data, tstop, restore=tmp_path / "t1",
                                   checkpoint=tmp_path / "end", blocks=3, threads=2,
                                   **record, **options)
    if gids:  # the restored run's voltages are the whole run's from the next step on
        start = int(round(second.record_times[0] / ref["dt"]))
        assert start == first.steps + 1
        assert second.voltages.tobytes() == \
            whole.voltages[:, start : start + second.voltages.shape[1]].tobytes()
        assert start + second.voltages.shape[1] == whole.voltages.shape[1]
    times = np.concatenate((first.spike_times, second.spike_times))
    gids = np.concatenate((first.spike_gids, second.spike_gids))
    order = np.lexsort((gids, times))
    assert np.array_equal(times[order], whole.spike_times)
    assert np.array_equal(gids[order], whole.spike_gids)
    assert second.t == whole.t and second.steps == whole.steps
    mine, theirs = _state(tmp_path / "end"), _state(tmp_path / "whole")
    assert mine.keys() == theirs.keys()
    different = [name for name in mine
                 if np.asarray(mine[name]).tobytes() != np.asarray(theirs[name]).tobytes()]
    assert not different, f"state differs after the restore: {different}"


def test_self_events_of_a_group_without_netcons_restore():
    """A NetStim's INITIAL net_send carries weight index 0 even where its group has no NetCon
    (testcorenrn's conc, deriv, kin): saved as no weight, restored as 0, no NetCon looked up."""
    from pycoreneuron.engine import checkpoint as chk

    events = np.zeros(1, dtype=chk.SAVED_EVENT)
    events[0] = (5.0, 1.0, chk.EVENT_SELF, 0, 0, 0, 1, 0, 0)
    inst_home = [np.array([[0, 0]])]
    spec = {"netcon_weight": np.zeros(0, np.int32)}
    starts = chk._weight_starts(np.zeros(0, np.int64))
    assert starts.shape == (0,)
    mine = chk._events_for(events, 0, np.zeros((0, 2), np.int64), np.zeros((0, 2), np.int64),
                           inst_home, starts, spec, Path("chk"), 0)
    assert mine["weight"].tolist() == [0] and mine["t"].tolist() == [5.0]
