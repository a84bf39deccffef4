"""pycoreneuron.psolve: run the NEURON model of this process with pycoreneuron, from its script.

NEURON's own CoreNEURON mode (``coreneuron.enable = True; pc.psolve(tstop)``) hands the model
to CoreNEURON inside the process. Ours goes through the dataset: ``pc.nrnbbcore_write`` into a
temporary folder (memory-backed, /dev/shm, where the machine has one), ``simulate`` on it, the
folder removed. NEURON is never imported here before the caller's script has imported it, and
importing pycoreneuron does not import this module.

What NEURON 9.0.2 needs before ``nrnbbcore_write`` (measured): ``h.finitialize()`` (or
``h.stdinit()``) after the model is built; without it the write fails ("internal structures
for CoreNEURON are out of date"). ``h.cvode.cache_efficient(1)`` and ``pc.set_maxstep`` change
nothing in the dataset (byte for byte the same files).
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import NotSupportedError, PyCoreNeuronError, UsageError, quote

if TYPE_CHECKING:
    from .engine.simulate import SimulationResult

SHM = Path("/dev/shm")
# Options psolve sets itself, from NEURON's state
_OWN_OPTIONS = ("comm", "filesdat", "path")
# nrnivmodl's make rules: "name.cpp: ../mod/name.mod $(NOCMODL)", paths from its x86_64 folder
_MAKE_RULE = re.compile(r"^[^\s:]+\.(?:c|cpp): (.+\.mod) \$\(NOCMODL\)\s*$")


def _neuron() -> tuple[Any, Any]:
    """h and a ParallelContext of the caller's NEURON, which must be imported already."""
    if "neuron" not in sys.modules:
        raise UsageError("pycoreneuron.psolve runs a model built in NEURON: import neuron, "
                         "build the model and call h.finitialize() first")
    from neuron import h

    return h, h.ParallelContext()


def _checked_vectors(spike_record: Any) -> tuple[Any, Any] | None:
    if spike_record is None:
        return None
    try:
        tvec, idvec = spike_record
        names = (tvec.hname(), idvec.hname())
    except (TypeError, ValueError, AttributeError):
        raise UsageError("spike_record must be a pair of NEURON Vectors (tvec, idvec)") from None
    if not all(n.startswith("Vector[") for n in names):
        raise UsageError(f"spike_record must be a pair of NEURON Vectors, got {names[0]} and "
                         f"{names[1]}")
    return tvec, idvec


def _mpi_comm(nhost: int) -> Any:
    """mpi4py's COMM_WORLD when NEURON runs on several ranks (NEURON's MPI is mpi4py's: see
    pycoreneuron._neuron_mpi), else None."""
    if nhost == 1:
        return None
    try:
        from mpi4py import MPI
    except ImportError:
        raise UsageError("NEURON runs on MPI ranks, and pycoreneuron.psolve needs mpi4py "
                         "there: pip install 'pycoreneuron[mpi]'") from None
    comm = MPI.COMM_WORLD
    if comm.Get_size() != nhost:
        raise NotSupportedError(f"NEURON's {nhost} ranks are not mpi4py's COMM_WORLD of "
                                f"{comm.Get_size()} (subworlds are not supported)")
    return comm


# --- the user's MOD files -------------------------------------------------------------------

def _mechanism_libraries() -> list[Path]:
    """The nrnivmodl libraries (libnrnmech) this process has loaded: from the process's
    memory map on Linux (the cwd's x86_64/ that NEURON loads at import is in no Python list),
    else the folders given to neuron.load_mechanisms and the cwd's."""
    found: list[Path] = []
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        maps = None
    if maps is not None:
        for line in maps.splitlines():
            path = line.split(maxsplit=5)[-1]
            if Path(path).name.startswith("libnrnmech."):
                found.append(Path(path))
        return list(dict.fromkeys(found))
    import neuron

    arch = platform.machine()
    for folder in [*getattr(neuron, "nrn_dll_loaded", []), os.getcwd()]:
        for lib in sorted(Path(folder, arch).glob("libnrnmech.*")):
            found.append(lib)
    return list(dict.fromkeys(found))


def _mod_files_of(library: Path) -> list[Path]:
    """The MOD files nrnivmodl built a library from: its make rules (makemod2c_inc, in the
    library's folder or the one above, for libtool's .libs/), else the .mod files beside the
    build folder (nrnivmodl run in the MOD folder)."""
    for folder in (library.parent, library.parent.parent):
        rules = folder / "makemod2c_inc"
        if rules.is_file():
            files = []
            for line in rules.read_text(errors="replace").splitlines():
                match = _MAKE_RULE.match(line)
                if match:
                    files.append((folder / match.group(1).strip('"')).resolve())
            return files
    return sorted(library.parent.parent.glob("*.mod"))


def loaded_mod_files() -> list[Path]:
    """The MOD files of every mechanism library NEURON has loaded in this process."""
    files: list[Path] = []
    for library in _mechanism_libraries():
        files += _mod_files_of(library)
    return list(dict.fromkeys(files))


def _mod_folder(files: Sequence[Path], scratch: Path, rank: int) -> Path | None:
    """One folder holding these MOD files for simulate(mod=): their own when they share one
    (INCLUDEs beside them still resolve), else copies in scratch (one folder per rank)."""
    if not files:
        return None
    missing = [f for f in files if not f.is_file()]
    if missing:
        raise UsageError(f"NEURON's mechanisms were built from {quote(str(missing[0]))}, which "
                         "is no longer there: pass psolve(mod=FOLDER) with your MOD files")
    folders = {f.parent for f in files}
    if len(folders) == 1:
        return folders.pop()
    target = scratch / f"mod.{rank}"
    target.mkdir()
    for f in files:
        if (target / f.name).exists():
            raise UsageError(f"two of NEURON's MOD files are named {f.name}: pass "
                             "psolve(mod=FOLDER) with the ones to use")
        shutil.copy(f, target / f.name)
    return target


# --- the scratch folder ---------------------------------------------------------------------

def _resident_bytes() -> int:
    """This process's peak resident memory: a bound on its dataset's size (the files hold the
    model's numbers in a more compact form than NEURON's memory does)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes there, KiB on Linux


def _scratch_parent(comm: Any) -> str | None:
    """Where the dataset goes: /dev/shm (memory) when it is writable, every rank runs on this
    machine and it has room for all the ranks' datasets (a container's is often 64 MiB);
    else the system's temporary folder on one machine, the working directory (shared, we
    assume, as for any nrnbbcore_write) across machines."""
    need = _resident_bytes()
    if comm is not None:
        from mpi4py import MPI

        if len(set(comm.allgather(MPI.Get_processor_name()))) > 1:
            return os.getcwd()
        need = comm.allreduce(need)
    try:
        usable = SHM.is_dir() and os.access(SHM, os.W_OK | os.X_OK)
        room = os.statvfs(SHM) if usable else None
    except OSError:
        room = None
    if room is not None and room.f_bavail * room.f_frsize >= need:
        return str(SHM)
    return None


def _make_scratch(comm: Any, folder: str | os.PathLike[str] | None) -> Path:
    """A new folder, made by rank 0 and named to every rank."""
    parent = str(folder) if folder is not None else _scratch_parent(comm)
    made: str | PyCoreNeuronError = UsageError("rank 0 made no folder")
    if comm is None or comm.Get_rank() == 0:
        try:
            made = tempfile.mkdtemp(prefix="pycoreneuron-psolve.", dir=parent)
        except OSError as exc:
            where = parent if parent is not None else tempfile.gettempdir()
            made = UsageError(f"cannot make a folder for the dataset in {quote(where)}: "
                              f"{exc.strerror}")
    if comm is not None:
        made = comm.bcast(made, root=0)
    if isinstance(made, PyCoreNeuronError):
        raise made
    return Path(made)


def _write_dataset(pc: Any, coredat: Path, comm: Any) -> None:
    """pc.nrnbbcore_write on every rank; rank 0 writes files.dat once all ranks have written,
    and every rank waits for it (and learns of any rank's failure) before reading."""
    failure = None
    try:
        pc.nrnbbcore_write(str(coredat))
    except RuntimeError as exc:  # a hoc error: "hocobj_call error: hoc_execerror: WHY"
        why = str(exc).split("hoc_execerror:")[-1].strip()
        if "out of date" in why:
            failure = "the model is not initialised: call h.finitialize() (or h.stdinit()) " \
                      "before pycoreneuron.psolve"
        else:
            failure = f"NEURON could not write the model (pc.nrnbbcore_write): {why}"
    if comm is not None:
        failures = [f for f in comm.allgather(failure) if f is not None]
        failure = failures[0] if failures else None
    if failure is not None:
        raise UsageError(failure)


def _record_spikes(pc: Any, vectors: tuple[Any, Any], result: SimulationResult,
                   comm: Any) -> None:
    """Append the spikes of this rank's cells, in out.dat's order, to the caller's Vectors, as
    NEURON's CoreNEURON mode appends the rank's spikes to pc.spike_record(-1, ...)'s."""
    import numpy as np
    from neuron import h

    times, gids = result.spike_times, result.spike_gids
    if comm is not None:  # every rank has every spike; NEURON records a rank's own cells
        unique = np.unique(gids)
        mine = np.array([int(pc.gid_exists(int(g))) == 3 for g in unique.tolist()], dtype=bool)
        keep = np.isin(gids, unique[mine])
        times, gids = times[keep], gids[keep]
    tvec, idvec = vectors
    tvec.append(h.Vector(np.ascontiguousarray(times, dtype=np.float64)))
    idvec.append(h.Vector(np.ascontiguousarray(gids, dtype=np.float64)))


def psolve(tstop: float, *, spike_record: tuple[Any, Any] | None = None, threads: int = 1,
           mod: str | os.PathLike[str] | None = None,
           folder: str | os.PathLike[str] | None = None,
           **options: Any) -> SimulationResult:
    """Run this process's NEURON model from t = 0 to tstop with pycoreneuron; return the
    SimulationResult (every spike of every rank, sorted by time then gid).

    Call it where NEURON's pc.psolve(tstop) would go: after the model is built and
    h.finitialize() (or h.stdinit()) has run. The model starts from NEURON's initialised
    state, as NEURON's CoreNEURON mode does (voltage 1000: the dataset's voltages).

    spike_record: (tvec, idvec), NEURON Vectors to which this rank's spikes are appended,
    as pc.spike_record(-1, tvec, idvec) would get them (NEURON does not tell which Vectors
    spike_record registered, so name them here); in out.dat's order, time then gid.
    threads: OpenMP threads. mod: the folder of the MOD files of your mechanisms; by default
    the ones nrnivmodl compiled into the libraries NEURON has loaded. folder: where the
    temporary dataset goes (default /dev/shm when it is writable and has room for datasets
    as large as the ranks' peak memory, else the temporary folder; across machines under MPI,
    the working directory). Other options go to pycoreneuron.simulate
    (record_gids, record_interval, cell_permute, dt, celsius, seed, mindelay, ...).

    Under MPI (h.nrnmpi_init(), mpiexec), call it on every rank: each rank writes its part,
    runs it through mpi4py, and gets every spike in the result and its own in spike_record.

    NEURON's state is not changed: h.t stays 0 and the voltages stay as initialised (NEURON's
    CoreNEURON mode copies the final state back; pycoreneuron does not), so call
    h.finitialize() again before running NEURON itself.
    """
    h, pc = _neuron()
    if h.CVode().active():
        raise NotSupportedError("pycoreneuron runs NEURON's fixed step method and CVode is "
                                "active: call h.CVode().active(0) first")
    for name in _OWN_OPTIONS:
        if name in options:
            raise UsageError(f"pycoreneuron.psolve sets {name} itself")
    vectors = _checked_vectors(spike_record)
    if h.t != 0:
        raise UsageError(f"pycoreneuron.psolve runs from t = 0 and NEURON's t is {h.t:g}: "
                         "call h.finitialize() (or h.stdinit()) first")
    comm = _mpi_comm(int(pc.nhost()))
    mod_files = loaded_mod_files() if mod is None else []
    options.setdefault("voltage", 1000.0)  # NEURON's initialised state, as its CoreNEURON mode
    from .engine.simulate import simulate

    scratch = _make_scratch(comm, folder)
    try:
        mod_folder = mod if mod is not None else _mod_folder(
            mod_files, scratch, 0 if comm is None else comm.Get_rank())
        _write_dataset(pc, scratch / "coredat", comm)
        result = simulate(scratch / "coredat", tstop, mod=mod_folder, threads=threads,
                          comm=comm, **options)
    finally:
        if comm is not None:
            comm.Barrier()  # no rank reads the folder any more
        if comm is None or comm.Get_rank() == 0:
            shutil.rmtree(scratch, ignore_errors=True)
    if vectors is not None:
        _record_spikes(pc, vectors, result, comm)
    return result
