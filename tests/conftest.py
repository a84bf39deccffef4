"""Session fixtures: NEURON-made datasets and CoreNEURON's special-core, built once and cached.

Every reference here is produced by NEURON 9.0.2 in the test run (or by an earlier run of the same
code, cached under the pytest cache directory keyed by the builder's source and flags), never
copied from elsewhere. Set PYCORENEURON_TEST_CACHE to share the cache between checkouts.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RINGTEST_MOD = REPO / "examples" / "ringtest" / "mod"

# Ringtest variants the tests use: builder flags and the number of MPI ranks NEURON runs on.
RINGTEST_VARIANTS: dict[str, tuple[list[str], int]] = {
    "default": ([], 1),
    "rparm": (["-rparm"], 1),
    "gap": (["-gap"], 1),
    "secmapping": (["-secmapping"], 1),
    "nt2": (["-nt", "2"], 1),
    "nt2_gap": (["-nt", "2", "-gap"], 1),
    "mpi2": ([], 2),
    "mpi2_gap": (["-gap"], 2),
    "mpi4": ([], 4),
    # The rest serve the full thread x rank matrix (PYCORENEURON_FULL_MATRIX=1).
    "mpi4_gap": (["-gap"], 4),
    "mpi2_rparm": (["-rparm"], 2),
    "mpi4_rparm": (["-rparm"], 4),
    "mpi2_big": (["-nring", "16", "-ncell", "128", "-branch", "32", "64"], 2),
    "mpi4_big": (["-nring", "16", "-ncell", "128", "-branch", "32", "64"], 4),
    "big": (["-nring", "16", "-ncell", "128", "-branch", "32", "64"], 1),
}


def _cache_root(config: pytest.Config) -> Path:
    env = os.environ.get("PYCORENEURON_TEST_CACHE")
    root = Path(env) if env else Path(config.cache.mkdir("pycoreneuron"))
    root.mkdir(parents=True, exist_ok=True)
    return root


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
        h.update(b"\0")
    return h.hexdigest()[:16]


def _publish(scratch: Path, final: Path) -> Path:
    """Move a finished scratch folder into place; another worker may have won the race."""
    try:
        scratch.rename(final)
    except OSError:
        shutil.rmtree(scratch, ignore_errors=True)
    return final


def nrnivmodl_folder(folder: Path, files: dict[str, str], timeout: float = 900) -> Path:
    """NEURON's nrnivmodl run once on these MOD files (file name -> text), cached in folder."""
    if (folder / "x86_64").exists():
        return folder
    scratch = folder.with_name(f"{folder.name}.tmp{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    for name, text in files.items():
        (scratch / name).write_text(text)
    nrnivmodl = Path(sys.executable).with_name("nrnivmodl")
    command = [str(nrnivmodl) if nrnivmodl.exists() else "nrnivmodl", "."]
    result = subprocess.run(command, cwd=scratch, capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"nrnivmodl failed:\n{result.stdout}\n{result.stderr}")
    return _publish(scratch, folder)


def neuron_json(folder: Path, script: str) -> dict:
    """Run a NEURON script in folder (its mechanisms load from there); the dict it printed
    on a line starting with JSON."""
    result = subprocess.run([sys.executable, "-c", script], cwd=folder, capture_output=True,
                            text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"NEURON failed:\n{result.stdout}\n{result.stderr}")
    line = next(x for x in result.stdout.splitlines() if x.startswith("JSON"))
    return json.loads(line[4:])


def mpiexec_command() -> list[str] | None:
    """mpiexec from this environment (pip's mpich) or the system, or None."""
    local = Path(sys.executable).with_name("mpiexec")
    if local.exists():
        return [str(local)]
    found = shutil.which("mpiexec")
    return [found] if found else None


def mpi_launcher(nranks: int) -> list[str]:
    """The words that start a command on nranks MPI ranks; the test is skipped without
    mpiexec or mpi4py (the [mpi] extra)."""
    mpiexec = mpiexec_command()
    if mpiexec is None:
        pytest.skip("no mpiexec (pip install .[mpi])")
    pytest.importorskip("mpi4py")
    return [*mpiexec, "-n", str(nranks)]


def sorted_spikes(path: Path) -> list[tuple[float, int]]:
    """A spike file ('t gid' per line, any order) as (t, gid) sorted by time, then gid."""
    spikes = []
    for line in path.read_text().split("\n"):
        if line.strip():
            t, gid = line.split()
            spikes.append((float(t), int(gid)))
    return sorted(spikes)


def build_dataset_once(folder: Path, command: list[str], timeout: float = 1800) -> Path:
    """Run a NEURON model builder once in ``folder`` (kept when its coredat/files.dat is
    there); a scratch folder beside it until the builder has finished."""
    if (folder / "coredat" / "files.dat").exists():
        return folder  # NEURON's, built earlier (or carried to a machine without NEURON)
    pytest.importorskip("neuron", reason="NEURON is the reference: pip install .[test]")
    scratch = folder.with_name(f"{folder.name}.tmp{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    result = subprocess.run(command, cwd=scratch, capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return _publish(scratch, folder)


def build_ringtest(root: Path, flags: list[str], nranks: int, tstop: float = 100.0) -> Path:
    """Run pycoreneuron-ringtest with NEURON once for these flags; return its folder.

    The folder holds `coredat/` (the dataset) and `spk<nranks>.std` (NEURON's spikes).
    """
    builder = REPO / "src" / "pycoreneuron" / "models" / "ringtest.py"
    key = _digest(builder.read_bytes(), (RINGTEST_MOD / "halfgap.mod").read_bytes(),
                  " ".join(flags).encode(), str(nranks).encode(), repr(tstop).encode())
    command = [sys.executable, "-m", "pycoreneuron.models.ringtest", *flags,
               "-tstop", repr(tstop), "-coredat", "coredat"]
    if nranks > 1:
        mpiexec = mpiexec_command()
        if mpiexec is None:
            pytest.skip("no mpiexec to build a multi-rank dataset (pip install .[mpi])")
        command = [*mpiexec, "-n", str(nranks), *command, "-mpi"]
    return build_dataset_once(root / "ringtest" / key, command)


@pytest.fixture(scope="session")
def cache_root(pytestconfig: pytest.Config) -> Path:
    """Where this test session keeps what it builds."""
    return _cache_root(pytestconfig)


@pytest.fixture(scope="session")
def ringtest_data(cache_root: Path) -> Callable[[str], Path]:
    """Factory: ringtest_data(variant) -> folder with NEURON's `coredat/` and `spk<n>.std`
    (skips where NEURON is missing and the dataset was not built before)."""

    def make(variant: str) -> Path:
        flags, nranks = RINGTEST_VARIANTS[variant]
        return build_ringtest(cache_root, flags, nranks)

    return make


def build_special_core(root: Path, mod: Path) -> Path:
    """CoreNEURON's special-core (`nrnivmodl -coreneuron`) of a folder of MOD files, cached by
    their names and texts."""
    mods = sorted(mod.glob("*.mod"))
    key = _digest(*(p.name.encode() + p.read_bytes() for p in mods), sys.executable.encode())
    final = root / "special-core" / key
    binary = final / "x86_64" / "special-core"
    if binary.exists():
        return binary
    scratch = root / "special-core" / f"{key}.tmp{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / "mod").mkdir(parents=True)
    for p in mods:
        shutil.copy(p, scratch / "mod" / p.name)
    nrnivmodl = Path(sys.executable).with_name("nrnivmodl")
    command = [str(nrnivmodl) if nrnivmodl.exists() else "nrnivmodl", "-coreneuron", "mod"]
    result = subprocess.run(command, cwd=scratch, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise RuntimeError(f"nrnivmodl -coreneuron failed:\n{result.stdout}\n{result.stderr}")
    return _publish(scratch, final) / "x86_64" / "special-core"


@pytest.fixture(scope="session")
def special_core(cache_root: Path) -> Path:
    """CoreNEURON's special-core from the NEURON wheel, built with the ringtest's MOD files."""
    pytest.importorskip("neuron", reason="CoreNEURON comes with NEURON: pip install .[test]")
    return build_special_core(cache_root, RINGTEST_MOD)
