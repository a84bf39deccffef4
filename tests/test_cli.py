"""pycoreneuron-run parses special-core's flags and refuses what it cannot do yet, in one line."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pycoreneuron import cli


def run_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    exe = shutil.which("pycoreneuron-run")
    command = [exe] if exe else [sys.executable, "-m", "pycoreneuron"]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_every_flag_parses_with_coreneuron_meaning():
    o = cli.parse_options([
        "-e", "50", "-d", "data", "-f", "myfiles.dat", "--dt", "0.0125", "-l", "6.3",
        "-v", "1000", "-o", "outdir", "-mpi", "-c", "--threads", "4", "--gpu", "-R", "2",
        "--mindelay", "0.5", "-b", "5000", "-p", "pattern.dat", "-s", "7",
        "--checkpoint", "ck", "--restore", "rs", "--model-stats", "--verbose", "3",
        "--mod", "mods",
    ])
    assert (o.tstop, o.datpath, o.filesdat, o.dt, o.celsius) == (50, "data", "myfiles.dat",
                                                                 0.0125, 6.3)
    assert (o.voltage, o.outpath, o.mpi, o.threading, o.threads) == (1000, "outdir", True,
                                                                     True, 4)
    assert (o.gpu, o.cell_permute, o.mindelay, o.spikebuf) == (True, 2, 0.5, 5000)
    assert (o.pattern, o.seed, o.checkpoint, o.restore) == ("pattern.dat", 7, "ck", "rs")
    assert (o.model_stats, o.verbose, o.mod) == (True, 3, "mods")


def test_long_names_and_defaults():
    o = cli.parse_options(["--tstop", "10", "--datpath", "d", "--filesdat", "f",
                           "--celsius", "37", "--voltage", "-70", "--outpath", "o", "--mpi",
                           "--threading", "--cell-permute", "1", "--spikebuf", "9",
                           "--pattern", "p", "--seed", "3"])
    assert (o.tstop, o.datpath, o.filesdat, o.celsius, o.voltage) == (10, "d", "f", 37, -70)
    assert (o.outpath, o.mpi, o.threading, o.cell_permute) == ("o", True, True, 1)
    assert (o.spikebuf, o.pattern, o.seed) == (9, "p", 3)
    d = cli.parse_options([])
    assert (d.tstop, d.voltage, d.outpath, d.mindelay, d.spikebuf) == (100, -65, ".", 10, 100000)
    assert (d.dt, d.celsius, d.verbose, d.cell_permute) == (None, None, 2, 0)


def test_thread_count(monkeypatch):
    assert cli.parse_options([]).thread_count() == 1
    assert cli.parse_options(["--threads", "3"]).thread_count() == 3
    monkeypatch.setenv("OMP_NUM_THREADS", "5")
    assert cli.parse_options(["-c"]).thread_count() == 5
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert cli.parse_options(["-c"]).thread_count() >= 1


@pytest.mark.parametrize("bad", [
    ["--tstop", "-1"], ["--dt", "0"], ["--threads", "0"], ["-R", "3"], ["--verbose", "9"],
    ["-l", "nan"], ["--bogus"], ["-e"], ["-b", "0"],
])
def test_bad_flags_exit_2_with_one_line(bad):
    result = run_cli(*bad)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pycoreneuron-run: error:")
    assert "Traceback" not in result.stderr


def test_help_groups_flags_as_special_core():
    result = run_cli("--help")
    assert result.returncode == 0
    for group in ("GPU:", "input:", "parallel:", "config:", "output:"):
        assert group in result.stdout
    for flag in ("--tstop", "--datpath", "--filesdat", "--dt", "--celsius", "--voltage",
                 "--outpath", "-mpi", "--threading", "--threads", "--gpu", "--cell-permute",
                 "--mindelay", "--spikebuf", "--pattern", "--seed", "--checkpoint",
                 "--restore", "--model-stats", "--verbose", "--version", "--mod"):
        assert flag in result.stdout


def test_version():
    import pycoreneuron

    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"pycoreneuron {pycoreneuron.__version__}"


def test_missing_dataset_directory_is_one_clear_line(tmp_path):
    result = run_cli("-e", "10", "-d", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "nowhere" in result.stderr and "does not exist" in result.stderr
    assert not (tmp_path / "out.dat").exists()


def test_no_dataset_given():
    result = run_cli("-e", "10")
    assert result.returncode == 2
    assert "-d/--datpath" in result.stderr


TUNING_FLAGS = [["--multisend"], ["--ms-phases", "2"], ["--ms-subintervals", "1"],
                ["--spkcompress", "4"], ["--mpi-lib", "/opt/mpi/lib/libmpi.so"],
                ["-W", "2"], ["--nwarp", "4"], ["-n", "1"], ["--num-gpus", "2"],
                ["--cuda-interface"], ["--binqueue"], ["--show"]]


def test_special_cores_tuning_flags_run_and_say_they_change_nothing(tmp_path):
    example = Path(__file__).resolve().parents[1] / "examples" / "ringtest" / "coredat"
    plain = run_cli("-e", "20", "-d", str(example), "-o", str(tmp_path / "plain"),
                    "--verbose", "1", cwd=tmp_path)
    assert plain.returncode == 0 and plain.stderr == ""
    reference = (tmp_path / "plain" / "out.dat").read_text()
    for k, flag in enumerate(TUNING_FLAGS):
        out = tmp_path / f"tuned{k}"
        result = run_cli("-e", "20", "-d", str(example), "-o", str(out), "--verbose", "1",
                         *flag, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("pycoreneuron-run: note: ")
        assert "changes nothing" in lines[0]
        assert (out / "out.dat").read_text() == reference


def test_skip_mpi_finalize_runs(tmp_path):
    from .conftest import mpiexec_command

    mpiexec = mpiexec_command()
    if mpiexec is None:
        pytest.skip("no mpiexec (pip install .[mpi])")
    pytest.importorskip("mpi4py")
    example = Path(__file__).resolve().parents[1] / "examples" / "ringtest" / "coredat"
    result = subprocess.run([*mpiexec, "-n", "2", sys.executable, "-m", "pycoreneuron", "-mpi",
                             "-e", "5", "-d", str(example), "-o", str(tmp_path),
                             "--skip-mpi-finalize", "--verbose", "0"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.dat").exists()
