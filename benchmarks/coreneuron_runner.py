"""Run CoreNEURON's special-core on a dataset and measure it, as the benchmarks compare with.

Each run is a fresh process; the figures are its "Solver Time" (CoreNEURON's own timing of the
time-stepping), the whole process's wall time, and its peak resident memory from the kernel's
accounting of that child (wait4), so set-up and I/O are counted as a user would see them.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SOLVER_TIME = re.compile(r"Solver Time\s*:\s*([0-9.eE+-]+)")


@dataclass(frozen=True)
class Measurement:
    """One timed run of a simulator on one dataset."""

    solver_s: float | None  # the simulator's own time-stepping time
    wall_s: float  # the whole process, start to exit
    peak_rss_mb: float  # peak resident memory of the process
    output: str  # what it printed

    def per_compartment_step_ns(self, ncompartment: int, nstep: int) -> float | None:
        if self.solver_s is None:
            return None
        return self.solver_s / (ncompartment * nstep) * 1e9


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Measurement:
    """Run a command to completion, timing it and reading its peak memory."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{output}")
    match = SOLVER_TIME.search(output)
    return Measurement(
        solver_s=float(match.group(1)) if match else None,
        wall_s=wall,
        peak_rss_mb=usage.ru_maxrss / 1024.0,  # Linux reports kilobytes
        output=output,
    )


def run_special_core(special_core: Path, coredat: Path, tstop: float, outdir: Path,
                     threads: int = 1) -> Measurement:
    """special-core -e TSTOP -d COREDAT, on `threads` OpenMP threads (one per group)."""
    outdir.mkdir(parents=True, exist_ok=True)
    command = [str(special_core), "-e", repr(tstop), "-d", str(coredat), "-o", str(outdir)]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    if threads > 1:
        command.append("-c")
    return measure(command, cwd=outdir, env=env)
