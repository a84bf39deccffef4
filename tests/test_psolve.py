"""pycoreneuron.psolve from a NEURON script gives NEURON's own pc.psolve spikes, serial and on
2 MPI ranks; and the [mpi] extra's MPI library is found for NEURON without MPI_LIB_NRN_PATH."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pycoreneuron import _neuron_mpi
from pycoreneuron.neuron_bridge import _mod_files_of, _mod_folder

from .conftest import mpi_launcher

SCRIPT = Path(__file__).with_name("psolve_model.py")
SMALL_RING = ["-nring", "4", "-ncell", "8", "-tstop", "100"]


def run_script(*args: str, cwd: Path, mpi: int = 0, env: dict[str, str] | None = None
               ) -> list[dict]:
    """Run psolve_model.py in cwd (under mpiexec -n mpi when mpi); each rank's values."""
    command = [sys.executable, str(SCRIPT), *args]
    if mpi:
        command = [*mpi_launcher(mpi), *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=cwd,
                            env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [json.loads(p.read_text()) for p in cwd.glob("result.*.json")]
    return sorted(rows, key=lambda row: row["rank"])


def spikes(pair: list[list[float]]) -> list[tuple[float, int]]:
    return list(zip(pair[0], [int(g) for g in pair[1]], strict=True))


@pytest.mark.neuron
@pytest.mark.parametrize("flags", [[], ["-gap"]], ids=["default", "gap"])
def test_psolve_gives_neurons_spikes(flags, tmp_path):
    """The same spikes, as exact doubles, as NEURON's pc.psolve from the same initialisation;
    with -gap, the HalfGap MOD file is found from the library NEURON loaded."""
    pytest.importorskip("neuron")
    (row,) = run_script("ring", *SMALL_RING, *flags, cwd=tmp_path)
    ours, theirs = spikes(row["ours"]), spikes(row["neuron"])
    assert len(theirs) > 20
    assert ours == sorted(theirs)  # out.dat's order: time, then gid
    assert ours == spikes(row["result"])
    assert row["t_after"] == 0.0  # NEURON's state is left as initialised


@pytest.mark.neuron
def test_psolve_orders_ties_by_gid_where_neuron_records_them_as_checked(tmp_path):
    """Measured: NEURON appends spikes in time order, equal times in the order it checks the
    cells' thresholds (here the order the cells were made); psolve appends out.dat's order."""
    pytest.importorskip("neuron")
    (row,) = run_script("ties", cwd=tmp_path)
    ours, theirs = spikes(row["ours"]), spikes(row["neuron"])
    assert ours == sorted(theirs)
    assert theirs != sorted(theirs)  # NEURON's ties are not in gid order here
    assert [g for _, g in theirs[:6]] == [3, 0, 5, 1, 4, 2]


@pytest.mark.neuron
def test_psolve_misuse_is_one_sentence(tmp_path):
    pytest.importorskip("neuron")
    (row,) = run_script("errors", cwd=tmp_path)
    messages = row["messages"]
    assert "import neuron" in messages["no_neuron"]
    assert "call h.finitialize()" in messages["not_initialised"]
    assert "pair of NEURON Vectors" in messages["bad_vectors"]
    assert "sets comm itself" in messages["own_option"]
    assert "NEURON's t is 0.025" in messages["not_at_zero"]
    assert "CVode is active" in messages["cvode"]
    assert all("\n" not in m for m in messages.values())


@pytest.mark.neuron
@pytest.mark.mpi
def test_psolve_on_two_ranks_gives_each_rank_neurons_spikes(tmp_path):
    """Under mpiexec, with MPI_LIB_NRN_PATH unset: h.nrnmpi_init finds the [mpi] extra's
    library (importing pycoreneuron names it), each rank's vectors get NEURON's spikes of that
    rank, the result every spike, and the dataset folder (folder=) is removed."""
    pytest.importorskip("neuron")
    if _neuron_mpi.mpi_library() is None:
        pytest.skip("no MPI library in this environment for NEURON (pip install .[mpi])")
    env = {k: v for k, v in os.environ.items() if k != "MPI_LIB_NRN_PATH"}
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env["PSOLVE_FOLDER"] = str(scratch)
    rows = run_script("ring", *SMALL_RING, "-mpi", mpi=2, env=env, cwd=tmp_path)
    assert [row["rank"] for row in rows] == [0, 1]
    everything = []
    for row in rows:
        ours, theirs = spikes(row["ours"]), spikes(row["neuron"])
        assert theirs and ours == sorted(theirs)
        everything += theirs
        assert row["mpi_lib"] == _neuron_mpi.mpi_library()
    for row in rows:
        assert spikes(row["result"]) == sorted(everything)
    assert list(scratch.iterdir()) == []


# --- without NEURON ---------------------------------------------------------------------------

def test_the_mod_files_of_a_library_come_from_nrnivmodls_make_rules(tmp_path):
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "a.mod").write_text("NEURON { SUFFIX a }\n")
    (tmp_path / "mod" / "b.mod").write_text("NEURON { SUFFIX b }\n")
    build = tmp_path / "x86_64"
    build.mkdir()
    (build / "makemod2c_inc").write_text(
        "a.cpp: ../mod/a.mod $(NOCMODL)\n\t(cd \"../mod\"; nocmodl a.mod)\n\n"
        "./a.o: a.cpp\n\t$(CXXCOMPILE) -c a.cpp\n")
    library = build / "libnrnmech.so"
    assert _mod_files_of(library) == [(tmp_path / "mod" / "a.mod").resolve()]
    # one folder: used as it is (INCLUDEs beside the files resolve)
    assert _mod_folder(_mod_files_of(library), tmp_path, 0) == (tmp_path / "mod").resolve()
    # files from two folders: copied into one
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "c.mod").write_text("NEURON { SUFFIX c }\n")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    folder = _mod_folder([tmp_path / "mod" / "a.mod", tmp_path / "other" / "c.mod"], scratch, 1)
    assert sorted(p.name for p in folder.iterdir()) == ["a.mod", "c.mod"]


def test_a_missing_mod_file_is_one_sentence(tmp_path):
    from pycoreneuron import UsageError

    with pytest.raises(UsageError, match="no longer there"):
        _mod_folder([tmp_path / "gone.mod"], tmp_path, 0)


def test_the_mpi_library_is_the_real_one_not_the_linker_script(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "libmpi.so").write_text("INPUT(libmpi.so.12)\n")  # pip mpich's linker script
    (lib / "libmpi.so.12").write_bytes(b"\x7fELF" + bytes(60))
    monkeypatch.setattr(_neuron_mpi, "_prefixes", lambda: [str(tmp_path)])
    monkeypatch.delenv("MPI4PY_LIBMPI", raising=False)
    assert _neuron_mpi.mpi_library() == str(lib / "libmpi.so.12")
    monkeypatch.delenv("MPI_LIB_NRN_PATH", raising=False)
    assert _neuron_mpi.point_neuron_at_mpi() == str(lib / "libmpi.so.12")
    assert os.environ["MPI_LIB_NRN_PATH"] == str(lib / "libmpi.so.12")
    monkeypatch.setenv("MPI_LIB_NRN_PATH", "/my/libmpi.so")  # the user's choice wins
    assert _neuron_mpi.point_neuron_at_mpi() == "/my/libmpi.so"


def test_importing_pycoreneuron_does_not_import_neuron():
    code = "import sys, pycoreneuron; print('neuron' in sys.modules, 'mpi4py' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.split() == ["False", "False"], out.stderr


def test_the_dataset_goes_to_dev_shm_only_with_room(monkeypatch):
    from pycoreneuron import neuron_bridge

    if not neuron_bridge.SHM.is_dir() or not os.access(neuron_bridge.SHM, os.W_OK):
        pytest.skip("no writable /dev/shm here")
    monkeypatch.setattr(neuron_bridge, "_resident_bytes", lambda: 1 << 20)
    assert neuron_bridge._scratch_parent(None) == str(neuron_bridge.SHM)
    monkeypatch.setattr(neuron_bridge, "_resident_bytes", lambda: 1 << 60)  # an exabyte
    assert neuron_bridge._scratch_parent(None) is None  # the system's temporary folder
