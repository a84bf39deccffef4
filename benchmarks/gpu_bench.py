"""The device engine's GPU rows: each dataset run on the GPU (--gpu) and on this machine's CPU
(our engine on 1 thread and on every core), same spikes required.

    python benchmarks/gpu_bench.py DATASET [DATASET ...] --mod DIR --tstop 10 [--json FILE]

For each dataset: solver time on the GPU (stepping, without the copies), the copies (model
to the device after finitialize, state back at the end), set-up; solver time of our CPU
engine on 1 thread and on os.cpu_count() threads; whether the GPU's spikes are the CPU run's.
A machine lent for the GPU has no NEURON (offline), so CoreNEURON's 1-thread time, which the
issue's targets divide, comes from the CPU benchmarks (benchmarks/bench_sweep.py: CoreNEURON
against our 1-thread engine on the same dataset): gpu / coreneuron = (gpu / ours_1thread) x
(ours_1thread / coreneuron). benchmarks/gpu_check.sh runs this on the carried datasets.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

import pycoreneuron


def row(dataset: Path, mod: str | None, tstop: float, repeats: int) -> dict:
    """Best-of-repeats times of the three runs on one dataset."""
    def best(**options: object) -> pycoreneuron.SimulationResult:
        runs = [pycoreneuron.simulate(dataset, tstop, mod=mod, **options)
                for _ in range(repeats)]
        return min(runs, key=lambda r: r.solver_time)

    cores = os.cpu_count() or 1
    cpu1 = best(threads=1)
    cpun = best(threads=cores)
    gpu = best(device="cuda")
    same = (np.array_equal(gpu.spike_times, cpu1.spike_times)
            and np.array_equal(gpu.spike_gids, cpu1.spike_gids))
    return {"dataset": str(dataset), "compartments": cpu1.stats.get("compartments"),
            "tstop": tstop, "spikes": len(cpu1.spike_times), "gpu_spikes_equal": same,
            "gpu_solver_s": gpu.solver_time, "gpu_copy_s": gpu.copy_time,
            "gpu_setup_s": gpu.setup_time, "cpu1_solver_s": cpu1.solver_time,
            "cpu_threads": cores, "cpun_solver_s": cpun.solver_time,
            "gpu_vs_cpu1": gpu.solver_time / cpu1.solver_time,
            "gpu_vs_cpun": gpu.solver_time / cpun.solver_time,
            "copy_vs_gpu_solver": gpu.copy_time / gpu.solver_time}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("datasets", nargs="+", type=Path)
    p.add_argument("--mod", default=None)
    p.add_argument("--tstop", type=float, default=10.0)
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--json", type=Path, default=None)
    args = p.parse_args(argv)
    rows = []
    for dataset in args.datasets:
        rows.append(row(dataset, args.mod, args.tstop, args.repeats))
        print(json.dumps(rows[-1]), flush=True)
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0 if all(r["gpu_spikes_equal"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
