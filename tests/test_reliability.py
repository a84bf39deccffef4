"""Bad input of every kind the reliability issue lists ends the same way: one line on stderr,
exit code 2, no traceback, nothing left in the output folder, within a time limit; on one
process and on every rank of an MPI job.

Each test builds its input here: a corrupted copy of the bundled example, a named pipe, a
sparse file, a link to a device, a folder nothing can be written in, a two-rank dataset.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import mpiexec_command

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ringtest" / "coredat"
RINGTEST_MOD = Path(__file__).resolve().parents[1] / "examples" / "ringtest" / "mod"
LIMIT = 60.0  # seconds; each case takes about one


def run_cli(*args: str, cwd: Path, timeout: float = LIMIT, env: dict | None = None
            ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pycoreneuron", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, env=env)


def refused(result: subprocess.CompletedProcess, *fragments: str) -> str:
    """Exit 2, one line on stderr naming every fragment, no traceback."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr[-3000:]
    assert len(lines) == 1, result.stderr[-3000:]
    assert lines[0].startswith("pycoreneuron-run: error: ")
    assert "Traceback" not in result.stderr
    assert lines[0].isprintable() and len(lines[0]) < 600
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def ds(tmp_path: Path) -> Path:
    copy = tmp_path / "coredat"
    shutil.copytree(EXAMPLE, copy)
    return copy


def run_on(ds: Path, out: Path, *flags: str) -> subprocess.CompletedProcess:
    return run_cli("-e", "5", "-d", str(ds), "-o", str(out), *flags, cwd=out.parent)


def nothing_left(out: Path) -> None:
    assert list(out.iterdir()) == []


# ---- command-line values ------------------------------------------------------------------


@pytest.mark.parametrize("flags,fragment", [
    (["--dt", "1e-300"], "dt must be at least"),
    (["-e", "1e308"], "steps"),
    (["--threads", "99999999999"], "--threads"),
    (["--seed", str(2**40)], "32 bits"),
    (["--seed", "-1"], "--seed"),
    (["--threads", "1" * 100_000], "characters in all"),
    (["-e", "nan"], "-e/--tstop"),
])
def test_extreme_flag_values_are_one_line(ds, out, flags, fragment):
    refused(run_on(ds, out, *flags), fragment)
    nothing_left(out)


def test_a_huge_mindelay_runs(ds, out):
    result = run_on(ds, out, "--mindelay", "1e308", "--verbose", "0")
    assert result.returncode == 0, result.stderr
    assert (out / "out.dat").exists()


@pytest.mark.parametrize("line,fragment", [
    ("1.0 99999999999", "gid 99999999999"),
    ("1.0 -4", "gid -4"),
    ("1" * 1_000_000 + " 3", "longer than"),
    ("1.0 " + "7" * 500, "bytes in all"),
])
def test_bad_pattern_lines_are_one_short_line(ds, out, tmp_path, line, fragment):
    pattern = tmp_path / "p.dat"
    pattern.write_text(f"scatter\n{line}\n")
    message = refused(run_on(ds, out, "-p", str(pattern)), fragment)
    assert len(message) < 400
    nothing_left(out)


def test_a_dataset_path_that_is_a_file_says_so(ds, out):
    refused(run_cli("-d", str(ds / "files.dat"), "-o", str(out), cwd=out.parent),
            "is not a directory")
    refused(run_cli("-d", str(ds), "-o", str(ds / "files.dat"), cwd=out.parent),
            "output directory", "is not a directory")


# ---- globals.dat ----------------------------------------------------------------------------


@pytest.mark.parametrize("edit,fragment", [
    (lambda t: t + "Random123_globalindex 1099511627776\n", "Random123_globalindex"),
    (lambda t: t + "Random123_globalindex -1\n", "Random123_globalindex"),
    (lambda t: t.replace("\ndt 0.025000000000000001388", "\ndt 1e-320"), "dt must be"),
    (lambda t: t.replace("\ncelsius 6.2999999999999998224", "\ncelsius " + "9" * 10_000),
     "celsius must be a finite number"),
    (lambda t: t.replace("\ncelsius 6.2999999999999998224", "\ncelsius " + "x" * 10_000),
     "characters in all"),
])
def test_bad_globals_are_one_line(ds, out, edit, fragment):
    path = ds / "globals.dat"
    path.write_text(edit(path.read_text()))
    refused(run_on(ds, out), "globals.dat", fragment)
    nothing_left(out)


# ---- files that are not files, or absurdly large -------------------------------------------


@pytest.mark.parametrize("name", ["files.dat", "globals.dat", "bbcore_mech.dat", "0_1.dat",
                                  "0_2.dat"])
def test_a_named_pipe_is_refused_without_blocking(ds, out, name):
    (ds / name).unlink()
    os.mkfifo(ds / name)
    start = time.monotonic()
    refused(run_on(ds, out), name, "named pipe")
    assert time.monotonic() - start < 30
    nothing_left(out)


@pytest.mark.parametrize("name", ["files.dat", "globals.dat", "bbcore_mech.dat"])
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_a_device_is_refused(ds, out, name, device):
    (ds / name).unlink()
    (ds / name).symlink_to(device)
    refused(run_on(ds, out), name, "character device")
    nothing_left(out)


@pytest.mark.parametrize("name", ["files.dat", "globals.dat", "bbcore_mech.dat"])
def test_a_huge_sparse_file_is_refused_before_reading(ds, out, name):
    with open(ds / name, "r+b") as f:
        f.truncate(10 << 30)  # 10 GB of holes: no disk used
    start = time.monotonic()
    refused(run_on(ds, out), name, "far more than")
    assert time.monotonic() - start < 30
    nothing_left(out)


def test_binary_garbage_in_a_name_is_quoted_short_and_escaped(ds, out):
    path = ds / "bbcore_mech.dat"
    text = path.read_bytes()
    garbage = bytes(range(1, 32)).replace(b"\n", b"").replace(b" ", b"") * 40
    path.write_bytes(text.replace(b"morphology", garbage, 1))
    message = refused(run_on(ds, out), "bbcore_mech.dat")
    assert "\\x01" in message and len(message) < 400
    nothing_left(out)


def test_an_empty_mechanism_table_names_itself(ds, out):
    (ds / "bbcore_mech.dat").write_bytes(b"")
    refused(run_on(ds, out), "bbcore_mech.dat", "incompatible data version")


# ---- the output folder ----------------------------------------------------------------------


def test_an_output_folder_that_cannot_be_written_is_refused_before_the_run(ds, tmp_path):
    # /proc takes no new files, even from root (a read-only folder does not stop root)
    result = run_cli("-e", "5", "-d", str(ds), "-o", "/proc", cwd=tmp_path)
    message = refused(result, "cannot write in the output directory '/proc'")
    assert "Solver Time" not in result.stdout, message


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_refused(ds, out):
    out.chmod(0o555)
    try:
        refused(run_on(ds, out), "cannot write in the output directory")
    finally:
        out.chmod(0o755)
    nothing_left(out)


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_out_dat_takes_the_users_umask(ds, out, umask, mode):
    code = (f"import os, sys; os.umask({umask}); from pycoreneuron.cli import main; "
            f"sys.exit(main(['-e', '5', '-d', {str(ds)!r}, '-o', {str(out)!r}, "
            "'--verbose', '0']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=LIMIT)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((out / "out.dat").stat().st_mode) == mode
    assert [p.name for p in out.iterdir()] == ["out.dat"]  # no temporary file left


# ---- MOD files ------------------------------------------------------------------------------


def test_parentheses_nested_1000_deep_are_one_line_at_the_mod_line(ds, out, tmp_path):
    mods = tmp_path / "mods"
    mods.mkdir()
    (mods / "deep.mod").write_text("NEURON { SUFFIX deep }\nASSIGNED { x }\n"
                                   "INITIAL {\n x = " + "(" * 1000 + "1" + ")" * 1000 + "\n}\n")
    refused(run_on(ds, out, "--mod", str(mods)), "deep.mod:4:", "nested")


def test_a_function_defined_twice_is_reported_at_its_mod_line(ds, out, tmp_path):
    mods = tmp_path / "mods"
    mods.mkdir()
    (mods / "twice.mod").write_text("NEURON { SUFFIX twice }\nASSIGNED { x }\n"
                                    "FUNCTION f(a) { f = a }\n"
                                    "FUNCTION f(a) { f = 2*a }\n"
                                    "INITIAL { x = f(1) }\n")
    refused(run_on(ds, out, "--mod", str(mods)), "twice.mod:4:", "already defined")


def test_a_mod_file_that_is_a_pipe_is_refused(ds, out, tmp_path):
    mods = tmp_path / "mods"
    mods.mkdir()
    os.mkfifo(mods / "pipe.mod")
    refused(run_on(ds, out, "--mod", str(mods)), "pipe.mod", "named pipe")


# ---- MPI ------------------------------------------------------------------------------------


def mpi_cli(nranks: int, *args: str, cwd: Path, timeout: float = 120
            ) -> subprocess.CompletedProcess:
    mpiexec = mpiexec_command()
    if mpiexec is None:
        pytest.skip("no mpiexec (pip install .[mpi])")
    pytest.importorskip("mpi4py")
    return subprocess.run([*mpiexec, "-n", str(nranks), sys.executable, "-m", "pycoreneuron",
                           "-mpi", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout)


def refused_once(result: subprocess.CompletedProcess, *fragments: str) -> str:
    """Every rank exits 2; the message printed once, by rank 0; no MPI_Abort noise."""
    message = refused(result, *fragments)
    assert "MPI_Abort" not in result.stderr + result.stdout
    return message


def two_groups(tmp_path: Path, ringtest_data) -> Path:
    copy = tmp_path / "coredat"
    shutil.copytree(ringtest_data("mpi2_gap") / "coredat", copy)
    return copy


@pytest.mark.mpi
@pytest.mark.neuron
def test_a_gap_target_without_a_source_on_any_rank_ends_both_ranks(tmp_path, out,
                                                                   ringtest_data):
    ds = two_groups(tmp_path, ringtest_data)
    raw = bytearray((ds / "1_gap.dat").read_bytes())
    at = raw.index(b"chkpnt 3\n") + len(b"chkpnt 3\n")  # the first target's sid
    raw[at:at + 4] = (100_000_000).to_bytes(4, sys.byteorder, signed=True)
    (ds / "1_gap.dat").write_bytes(bytes(raw))
    refused_once(mpi_cli(2, "-e", "5", "-d", str(ds), "-o", str(out), "--mod",
                         str(RINGTEST_MOD), cwd=tmp_path), "100000000")
    nothing_left(out)


@pytest.mark.mpi
@pytest.mark.neuron
def test_the_same_gid_on_two_ranks_is_refused(tmp_path, out, ringtest_data):
    ds = two_groups(tmp_path, ringtest_data)
    for suffix in ("1.dat", "2.dat", "3.dat", "gap.dat"):
        if (ds / f"0_{suffix}").exists():
            shutil.copy(ds / f"0_{suffix}", ds / f"1_{suffix}")
    refused_once(mpi_cli(2, "-e", "5", "-d", str(ds), "-o", str(out), "--mod",
                         str(RINGTEST_MOD), cwd=tmp_path), "on rank 0 and on rank 1")
    nothing_left(out)


@pytest.mark.mpi
@pytest.mark.parametrize("edit,fragment", [
    (lambda d: (d / "globals.dat").write_text((d / "globals.dat").read_text()
                                              + "Random123_globalindex -1\n"),
     "Random123_globalindex"),
    (lambda d: (d / "bbcore_mech.dat").write_bytes(b""), "bbcore_mech.dat"),
])
def test_a_bad_global_file_under_two_ranks_is_one_line(ds, out, edit, fragment):
    edit(ds)
    refused_once(mpi_cli(2, "-e", "5", "-d", str(ds), "-o", str(out), cwd=out.parent),
                 fragment)
    nothing_left(out)


def long_two_rank_job(tmp_path: Path, out: Path) -> subprocess.Popen:
    """A 2-rank run long enough to be interrupted mid-run, 4 s into it, in its own session."""
    mpiexec = mpiexec_command()
    if mpiexec is None:
        pytest.skip("no mpiexec (pip install .[mpi])")
    pytest.importorskip("mpi4py")
    proc = subprocess.Popen([*mpiexec, "-n", "2", sys.executable, "-m", "pycoreneuron",
                             "-mpi", "-e", "100000", "-d", str(EXAMPLE), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path, start_new_session=True)
    time.sleep(4)
    return proc


@pytest.mark.mpi
def test_ctrl_c_ends_every_rank(tmp_path, out):
    proc = long_two_rank_job(tmp_path, out)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C reaches the whole job
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("a rank did not end within 20 s of Ctrl-C")
    assert proc.returncode != 0
    assert "Traceback" not in err
    nothing_left(out)


@pytest.mark.mpi
def test_sigterm_to_one_rank_ends_the_job(tmp_path, out):
    proc = long_two_rank_job(tmp_path, out)
    ranks = subprocess.run(["pgrep", "-f", "-s", str(proc.pid), "pycoreneuron -mpi"],
                           capture_output=True, text=True).stdout.split()
    assert ranks, "no rank found"
    os.kill(int(ranks[-1]), signal.SIGTERM)
    try:
        proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the job did not end within 20 s of SIGTERM to one rank")
    assert proc.returncode != 0
    nothing_left(out)


@pytest.mark.parametrize("errno_,where", [(28, "write"), (28, "replace"), (1, "chmod")])
def test_a_full_disk_at_the_end_is_one_sentence_and_leaves_nothing(out, monkeypatch, errno_,
                                                                   where):
    # ENOSPC while out.dat is written (the probe before the run cannot see a disk that fills
    # during it), EPERM from an immutable folder: a UsageError, no temporary file, no out.dat
    import numpy as np

    from pycoreneuron.errors import UsageError
    from pycoreneuron.io import out_dat

    def fail(*args, **kwargs):
        raise OSError(errno_, os.strerror(errno_))

    if where == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fd, mode):
                self.f = real_fdopen(fd, mode)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.f.close()

            def write(self, text):
                fail()

        monkeypatch.setattr(out_dat.os, "fdopen", Full)
    else:
        monkeypatch.setattr(out_dat.os, where, fail)
    with pytest.raises(UsageError, match=os.strerror(errno_)):
        out_dat.write_out_dat(out, np.array([1.0]), np.array([3]))
    nothing_left(out)
