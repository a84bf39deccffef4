"""What a checkpoint costs: the time to write one at the end of a run, its size, and the time
a restored run takes to set up, on a dataset you name (any NEURON dump).

    python benchmarks/checkpoint_cost.py DATASET [--tstop MS] [--mod DIR] [--threads N]

Runs 0 -> tstop plainly, 0 -> tstop with --checkpoint, and tstop -> 2 tstop restored, each in
a fresh process (timed from inside: setup and solver times as the result reports them; the
checkpoint's write is the rest of the wall time beyond the plain run's), then checks that the
two parts' spikes are the whole 0 -> 2 tstop run's. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

RUN = r"""
import json, sys, time
import pycoreneuron
args = json.loads(sys.argv[1])
began = time.perf_counter()
r = pycoreneuron.simulate(args.pop("path"), args.pop("tstop"), **args)
wall = time.perf_counter() - began
print(json.dumps({"wall": wall, "setup": r.setup_time, "solver": r.solver_time,
                  "spikes": [[t, int(g)] for t, g in zip(r.spike_times.tolist(),
                                                         r.spike_gids.tolist())]}))
"""


def run(**options: object) -> dict:
    out = subprocess.run([sys.executable, "-c", RUN, json.dumps(options)], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dataset")
    p.add_argument("--tstop", type=float, default=10.0)
    p.add_argument("--mod", default=None)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    common = {"path": a.dataset, "mod": a.mod, "threads": a.threads}
    work = Path(tempfile.mkdtemp(prefix="pcn-chk-"))
    try:
        plain = run(tstop=a.tstop, **common)
        written = run(tstop=a.tstop, checkpoint=str(work / "chk"), **common)
        restored = run(tstop=2 * a.tstop, restore=str(work / "chk"), **common)
        whole = run(tstop=2 * a.tstop, **common)
        size = sum(f.stat().st_size for f in (work / "chk").iterdir())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    parts = sorted(map(tuple, written["spikes"] + restored["spikes"]))
    print(json.dumps({
        "dataset": a.dataset, "tstop": a.tstop, "threads": a.threads,
        "plain_wall_s": round(plain["wall"], 3),
        "checkpoint_write_s": round(written["wall"] - written["setup"] - written["solver"]
                                    - (plain["wall"] - plain["setup"] - plain["solver"]), 3),
        "checkpoint_MB": round(size / 1e6, 1),
        "setup_s_plain": round(plain["setup"], 3), "setup_s_restored": round(
            restored["setup"], 3),
        "restore_wall_s": round(restored["wall"], 3), "solver_s_restored": round(
            restored["solver"], 3),
        "parts_equal_whole_run": parts == sorted(map(tuple, whole["spikes"])),
        "spikes": len(parts)}))


if __name__ == "__main__":
    main()
