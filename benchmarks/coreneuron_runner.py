"""Run CoreNEURON's special-core and pycoreneuron-run on a dataset and measure them alike.

Each run is a fresh process; the figures are its "Solver Time" (the simulator's own timing of
the time-stepping), the whole process's wall time, and its peak resident memory from the
kernel's accounting of that child (wait4), so set-up and I/O are counted as a user would see
them.

Peak memory is read through GNU time (`/usr/bin/time -f %M`), not from this process's own
wait4: Linux carries the parent's peak over fork and exec into the child's ru_maxrss, so a child
of the pytest process never reports less than pytest's own resident size (about 55 MB), which
hid the small models' real figures. GNU time is a 1 MB process, so its child's figure is the
child's own. Without it, wait4 is used and small figures are floored so. Under mpiexec the
figure is the largest of mpiexec and the ranks (the kernel keeps the maximum over waited-for
descendants), i.e. one rank's peak, not the sum.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
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


def best(measurements: list[Measurement]) -> Measurement:
    """The best of repeated runs, figure by figure (the machine is shared and noisy)."""
    solver = [m.solver_s for m in measurements if m.solver_s is not None]
    return Measurement(
        solver_s=min(solver) if solver else None,
        wall_s=min(m.wall_s for m in measurements),
        peak_rss_mb=min(m.peak_rss_mb for m in measurements),
        output=measurements[-1].output,
    )


GNU_TIME = Path("/usr/bin/time")


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Measurement:
    """Run a command to completion, timing it and reading its peak memory."""
    rss_file = cwd / ".peak_rss_kb"
    wrapped = command
    if GNU_TIME.exists():
        wrapped = [str(GNU_TIME), "-f", "%M", "-o", str(rss_file), *command]
    start = time.perf_counter()
    process = subprocess.Popen(wrapped, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{output}")
    peak_kb = usage.ru_maxrss  # Linux reports kilobytes
    if GNU_TIME.exists():
        peak_kb = int(rss_file.read_text().split()[-1])
        rss_file.unlink()
    match = SOLVER_TIME.search(output)
    return Measurement(
        solver_s=float(match.group(1)) if match else None,
        wall_s=wall,
        peak_rss_mb=peak_kb / 1024.0,
        output=output,
    )


@dataclass(frozen=True)
class CoreneuronMPI:
    """What the wheel's special-core needs to run under mpiexec: its MPI shim, given with
    --mpi-lib, and an MPI library loaded globally before it (LD_PRELOAD)."""

    mpiexec: Path
    corenrn_mpi: Path  # neuron/.data/lib/libcorenrnmpi_mpich.so
    libmpi: Path  # pip's mpich: <prefix>/lib/libmpi.so.12


def run_special_core(special_core: Path, coredat: Path, tstop: float, outdir: Path,
                     threads: int = 1, ranks: int = 1,
                     mpi: CoreneuronMPI | None = None) -> Measurement:
    """special-core -e TSTOP -d COREDAT, on `threads` OpenMP threads (one per group) per rank;
    with ranks > 1 under mpiexec with --mpi (needs `mpi`, see coreneuron_mpi())."""
    outdir.mkdir(parents=True, exist_ok=True)
    command = [str(special_core), "-e", repr(tstop), "-d", str(coredat), "-o", str(outdir)]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    if threads > 1:
        command.append("-c")
    if ranks > 1:
        if mpi is None:
            raise ValueError("CoreNEURON on several ranks needs its MPI library (coreneuron_mpi)")
        command = [str(mpi.mpiexec), "-n", str(ranks), *command, "--mpi",
                   "--mpi-lib", str(mpi.corenrn_mpi)]
        env["LD_PRELOAD"] = str(mpi.libmpi)
    return measure(command, cwd=outdir, env=env)


def run_pycoreneuron(coredat: Path, tstop: float, outdir: Path, threads: int = 1,
                     ranks: int = 1, mod: Path | None = None,
                     mpiexec: Path | None = None) -> Measurement:
    """pycoreneuron-run -e TSTOP -d COREDAT --threads N (a fresh interpreter, as
    `python -m pycoreneuron`); with ranks > 1 under `mpiexec -n RANKS ... -mpi`."""
    outdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pycoreneuron", "-e", repr(tstop), "-d", str(coredat),
               "-o", str(outdir), "--threads", str(threads)]
    if mod is not None:
        command += ["--mod", str(mod)]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    if ranks > 1:
        if mpiexec is None:
            raise ValueError("several ranks need mpiexec")
        command = [str(mpiexec), "-n", str(ranks), *command, "-mpi"]
    return measure(command, cwd=outdir, env=env)


def mpiexec_path() -> Path | None:
    """mpiexec beside this interpreter (pip's mpich), else the system's, else None."""
    local = Path(sys.executable).with_name("mpiexec")
    if local.exists():
        return local
    from shutil import which

    found = which("mpiexec")
    return Path(found) if found else None


def coreneuron_mpi() -> CoreneuronMPI | None:
    """The wheel's libcorenrnmpi_mpich.so and pip's libmpi, or None where either is missing."""
    mpiexec = mpiexec_path()
    try:
        import neuron
    except ImportError:
        return None
    lib = Path(neuron.__file__).parent / ".data" / "lib" / "libcorenrnmpi_mpich.so"
    libmpi = next(iter(sorted((Path(sys.prefix) / "lib").glob("libmpi.so.*"))), None)
    if mpiexec is None or libmpi is None or not lib.exists():
        return None
    return CoreneuronMPI(mpiexec=mpiexec, corenrn_mpi=lib, libmpi=libmpi)
