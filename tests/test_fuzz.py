"""A quick seeded run of our fuzzer (tests/fuzzing.py): a few hundred hostile inputs, each
ending in a run or a one-line refusal, never a traceback, crash, hang or partial output.
scripts/fuzz.py runs the long campaigns (10,000+ cases) and writes the table.

The cases run through scripts/fuzz.py in a process of their own: its children are forked,
and a process that has run OpenMP (as this one has, in other tests) cannot fork safely."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from . import fuzzing
from .conftest import mpiexec_command

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "fuzz.py"


def campaign(tmp_path: Path, *flags: str) -> dict:
    out = tmp_path / "fuzz.json"
    done = subprocess.run([sys.executable, str(SCRIPT), "--first-seed", "20261207",
                           "--out", str(out), *flags], capture_output=True, text=True,
                          timeout=900)
    result = json.loads(out.read_text())
    assert result["failures"] == [], done.stdout[-3000:]
    assert done.returncode == 0
    return result


@pytest.mark.parametrize("kind,count", [("dataset", 200), ("cli", 100), ("pattern", 60),
                                        ("checkpoint", 60)])
def test_hostile_inputs_end_in_a_run_or_one_line(tmp_path, kind, count):
    result = campaign(tmp_path, "--kinds", kind, "--cases", str(count), "--timeout", "15")
    assert result["cases"] == count
    assert result["total"].get("clean", 0) > 0  # the cases reach the checks they aim at


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")
def test_damaged_mod_files_are_refused_at_their_file_and_line(tmp_path):
    result = campaign(tmp_path, "--kinds", "mod", "--cases", "60")
    assert result["total"].get("ok", 0) > 0 and result["total"].get("clean", 0) > 0


@pytest.mark.mpi
def test_hostile_inputs_on_two_ranks_end_every_rank(tmp_path):
    if mpiexec_command() is None:
        pytest.skip("no mpiexec (pip install .[mpi])")
    pytest.importorskip("mpi4py")
    result = campaign(tmp_path, "--mpi", "--kinds", "dataset", "cli", "--cases", "12",
                      "--timeout", "60")
    assert result["cases"] == 12


def test_the_classifier_can_fail(tmp_path):
    # a traceback, a partial output and a hang are told apart from a clean refusal
    case = fuzzing.Case(1, "dataset")
    out = tmp_path / "out"
    out.mkdir()
    assert fuzzing.classify(case, 1, None, False, "Traceback (most recent call last):\nX",
                            out, 0.1).cls == "traceback"
    assert fuzzing.classify(case, None, None, True, "", out, 30).cls == "hang"
    assert fuzzing.classify(case, None, 11, False, "", out, 0.1).cls == "crash"
    (out / "out.dat").write_text("1 1\n")
    assert fuzzing.classify(case, 2, None, False, "pycoreneuron-run: error: x", out,
                            0.1).cls == "partial"
    (out / "out.dat").unlink()
    assert fuzzing.classify(case, 2, None, False, "pycoreneuron-run: error: x\nmore", out,
                            0.1).cls == "noisy"
    assert fuzzing.classify(case, 2, None, False, "pycoreneuron-run: error: x", out,
                            0.1).cls == "clean"
