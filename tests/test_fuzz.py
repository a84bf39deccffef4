"""A quick seeded run of our fuzzer (tests/fuzzing.py): a few hundred hostile inputs, each
ending in a run or a one-line refusal, never a traceback, crash, hang or partial output.
scripts/fuzz.py runs the long campaigns (10,000+ cases) and writes the table."""

from __future__ import annotations

import shutil

import pytest

from . import fuzzing
from .conftest import mpiexec_command


def failures(outcomes: list[fuzzing.Outcome]) -> list[str]:
    return [f"{o.case.kind}:{o.case.seed} {o.cls}: {o.case.what} -> {o.detail}"
            for o in outcomes if o.cls not in ("ok", "clean", "long")]


@pytest.mark.parametrize("kind,count", [("dataset", 200), ("cli", 100), ("pattern", 60)])
def test_hostile_inputs_end_in_a_run_or_one_line(kind, count):
    outcomes = fuzzing.fuzz([kind], count, first_seed=20261207, timeout=15)
    assert not failures(outcomes)
    classes = {o.cls for o in outcomes}
    assert "clean" in classes  # the cases reach the checks they are meant to reach


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")
def test_damaged_mod_files_are_refused_at_their_file_and_line():
    outcomes = fuzzing.fuzz(["mod"], 60, first_seed=20261207)
    assert not failures(outcomes)
    assert {"ok", "clean"} <= {o.cls for o in outcomes}


@pytest.mark.mpi
def test_hostile_datasets_on_two_ranks_end_every_rank():
    mpiexec = mpiexec_command()
    if mpiexec is None:
        pytest.skip("no mpiexec (pip install .[mpi])")
    pytest.importorskip("mpi4py")
    outcomes = fuzzing.fuzz(["dataset", "cli"], 12, first_seed=20261207, mpi=mpiexec,
                            timeout=60)
    assert not failures(outcomes)


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
