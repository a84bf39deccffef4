"""-k/--forwardskip: ten steps of a tenth of the skip from t = -1e9 before the run, as
special-core's handle_forward_skip; out.dat compared with special-core -k byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .test_parallel import RINGTEST_MOD

pytestmark = pytest.mark.neuron


def _out_dat(command: list[str], cwd: Path) -> str:
    cwd.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    return (cwd / "out.dat").read_text()


def ours(coredat: Path, cwd: Path, *flags: str) -> str:
    return _out_dat([sys.executable, "-m", "pycoreneuron", "-e", "30", "-d", str(coredat),
                     "--mod", str(RINGTEST_MOD), "--verbose", "0", *flags], cwd)


@pytest.mark.parametrize("variant,skip,threads", [("default", "5", 1), ("default", "50", 2),
                                                  ("nt2_gap", "2", 2), ("rparm", "0.5", 1)])
def test_forward_skip_is_coreneurons(ringtest_data, special_core, tmp_path, variant, skip,
                                     threads):
    coredat = ringtest_data(variant) / "coredat"
    skipped = ours(coredat, tmp_path / "ours", "-k", skip, "--threads", str(threads))
    theirs = _out_dat([str(special_core), "-e", "30", "-d", str(coredat), "-k", skip],
                      tmp_path / "cn")
    assert skipped == theirs
    assert skipped != ours(coredat, tmp_path / "plain"), "the skip must change the run"


def test_prcellstate_after_the_skip(ringtest_data, tmp_path):
    coredat = ringtest_data("default") / "coredat"
    ours(coredat, tmp_path, "-k", "5", "-g", "3")
    fs = (tmp_path / "3_fs.corenrn").read_text().splitlines()
    assert fs[:2] == ["gid = 3", "t = -999999995"]  # CoreNEURON's t at the skip's end
