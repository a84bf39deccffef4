"""pycoreneuron-run --checkpoint/--restore against CoreNEURON's, and the refusals.

As testcorenrn's testchkpnt.sh runs special-core: 0 -> 40 ms with --checkpoint, then
--restore -> 100 ms; the two out.dat files together are the uninterrupted run's. Ours are
compared with special-core's own checkpointed run, byte for byte, on ringtests with gap
junctions, several NEURON threads and MPI ranks, restored on another thread or rank count.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .test_parallel import RINGTEST_MOD, mpi_run

pytestmark = pytest.mark.neuron


def ours(coredat: Path, outdir: Path, tstop: float, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pycoreneuron", "-e", repr(tstop), "-d",
                           str(coredat), "-o", str(outdir), "--mod", str(RINGTEST_MOD),
                           "--verbose", "0", *flags],
                          capture_output=True, text=True, timeout=600)


def coreneuron_in_two(special_core: Path, coredat: Path, folder: Path, t1: float
                      ) -> tuple[str, str]:
    """special-core's out.dat of 0 -> t1 (--checkpoint) and of its --restore -> 100."""
    texts = []
    for part, flags in (("a", ["-e", repr(t1), "--checkpoint", str(folder / "cn-chk")]),
                        ("b", ["-e", "100", "--restore", str(folder / "cn-chk")])):
        out = folder / f"cn-{part}"
        out.mkdir()
        r = subprocess.run([str(special_core), "-d", str(coredat), "-o", str(out), *flags],
                           capture_output=True, text=True, cwd=out, timeout=600)
        assert r.returncode == 0, r.stdout + r.stderr
        texts.append((out / "out.dat").read_text())
    return texts[0], texts[1]


# (dataset, checkpoint time, threads before, threads after); the gap-junction rings fire
# from 3 to 7.25 ms only
# from 3 to 7.25 ms only; the last case writes in the device layout (-R 1), restores in ours
CASES = [("default", 40.0, 1, 2, ()), ("nt2_gap", 5.0, 2, 1, ()), ("gap", 5.1, 1, 1, ()),
         ("rparm", 40.0, 2, 1, ()), ("default", 40.0, 1, 1, ("-R", "1"))]


@pytest.mark.parametrize("variant,t1,before,after,flags", CASES)
def test_checkpoint_and_restore_are_coreneurons(ringtest_data, special_core, tmp_path, variant,
                                                t1, before, after, flags):
    coredat = ringtest_data(variant) / "coredat"
    first = ours(coredat, tmp_path / "a", t1, "--checkpoint", str(tmp_path / "chk"),
                 "--threads", str(before), *flags)
    assert first.returncode == 0, first.stderr
    second = ours(coredat, tmp_path / "b", 100, "--restore", str(tmp_path / "chk"),
                  "--threads", str(after))
    assert second.returncode == 0, second.stderr
    whole = ours(coredat, tmp_path / "whole", 100)
    assert whole.returncode == 0, whole.stderr
    a, b = ((tmp_path / p / "out.dat").read_text() for p in ("a", "b"))
    assert a and b, "both parts must have spikes for the test to mean much"
    assert a + b == (tmp_path / "whole" / "out.dat").read_text()
    assert (a, b) == coreneuron_in_two(special_core, coredat, tmp_path, t1)


@pytest.mark.mpi
@pytest.mark.parametrize("variant,t1,before,after", [("mpi2", 40.0, 2, 3),
                                                     ("mpi2_gap", 5.0, 2, 1)])
def test_checkpoint_on_ranks_restores_on_other_ranks(ringtest_data, tmp_path, variant, t1,
                                                     before, after):
    coredat = ringtest_data(variant) / "coredat"
    command = [sys.executable, "-m", "pycoreneuron", "-d", str(coredat), "--mod",
               str(RINGTEST_MOD), "--verbose", "0"]
    first = mpi_run(before, [*command, "-mpi", "-e", repr(t1), "-o", str(tmp_path / "a"),
                             "--checkpoint", str(tmp_path / "chk")])
    assert first.returncode == 0, first.stdout + first.stderr
    restore = ["-e", "100", "-o", str(tmp_path / "b"), "--restore", str(tmp_path / "chk")]
    second = mpi_run(after, [*command, "-mpi", *restore]) if after > 1 else \
        ours(coredat, tmp_path / "b", 100, "--restore", str(tmp_path / "chk"))
    assert second.returncode == 0, second.stdout + second.stderr
    whole = ours(coredat, tmp_path / "whole", 100)
    assert whole.returncode == 0, whole.stderr
    a, b = ((tmp_path / p / "out.dat").read_text() for p in ("a", "b"))
    assert a and b
    assert a + b == (tmp_path / "whole" / "out.dat").read_text()


@pytest.fixture(scope="module")
def checkpoint_40(ringtest_data, tmp_path_factory) -> tuple[Path, Path]:
    """(dataset, a checkpoint of it at 40 ms)."""
    coredat = ringtest_data("default") / "coredat"
    folder = tmp_path_factory.mktemp("chk")
    r = ours(coredat, folder / "out", 40, "--checkpoint", str(folder / "chk"))
    assert r.returncode == 0, r.stderr
    return coredat, folder / "chk"


def _refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


def test_a_checkpoint_of_another_dataset_is_refused(ringtest_data, checkpoint_40, tmp_path):
    _, chk = checkpoint_40
    other = ringtest_data("rparm") / "coredat"
    r = ours(other, tmp_path / "out", 100, "--restore", str(chk))
    _refused(r, "another dataset")
    assert not (tmp_path / "out" / "out.dat").exists()


def test_another_dt_or_seed_than_the_checkpoints_is_refused(checkpoint_40, tmp_path):
    coredat, chk = checkpoint_40
    _refused(ours(coredat, tmp_path / "o1", 100, "--restore", str(chk), "--dt", "0.0125"),
             "dt")
    _refused(ours(coredat, tmp_path / "o2", 100, "--restore", str(chk), "--seed", "7"),
             "--seed")


def test_other_mod_files_than_the_checkpoints_are_refused(checkpoint_40, tmp_path):
    coredat, chk = checkpoint_40
    mods = tmp_path / "mod"
    shutil.copytree(RINGTEST_MOD, mods)
    edited = sorted(mods.glob("*.mod"))[0]
    edited.write_text(edited.read_text() + "\n: a changed file\n")
    r = subprocess.run([sys.executable, "-m", "pycoreneuron", "-e", "100", "-d", str(coredat),
                        "-o", str(tmp_path / "out"), "--mod", str(mods), "--verbose", "0",
                        "--restore", str(chk)], capture_output=True, text=True, timeout=600)
    _refused(r, "other MOD files")
    assert not (tmp_path / "out" / "out.dat").exists()


def _copy(chk: Path, to: Path) -> Path:
    to.mkdir()
    for f in chk.iterdir():
        (to / f.name).write_bytes(f.read_bytes())
    return to


def test_a_damaged_or_incomplete_checkpoint_is_refused(checkpoint_40, tmp_path):
    coredat, chk = checkpoint_40
    # the manifest is written last: a folder without one was cut short
    cut = _copy(chk, tmp_path / "cut")
    (cut / "checkpoint.json").unlink()
    _refused(ours(coredat, tmp_path / "o1", 100, "--restore", str(cut)), "no complete")
    # a state file cut in half
    damaged = _copy(chk, tmp_path / "damaged")
    state = damaged / "group_0.npz"
    state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])
    _refused(ours(coredat, tmp_path / "o2", 100, "--restore", str(damaged)), "damaged")
    # a state file of another checkpoint
    mixed = _copy(chk, tmp_path / "mixed")
    manifest = json.loads((mixed / "checkpoint.json").read_text())
    manifest["token"] = "0" * 16
    (mixed / "checkpoint.json").write_text(json.dumps(manifest))
    _refused(ours(coredat, tmp_path / "o3", 100, "--restore", str(mixed)), "another checkpoint")
    # a newer format
    newer = _copy(chk, tmp_path / "newer")
    manifest = json.loads((newer / "checkpoint.json").read_text())
    manifest["version"] = 99
    (newer / "checkpoint.json").write_text(json.dumps(manifest))
    _refused(ours(coredat, tmp_path / "o4", 100, "--restore", str(newer)), "version")
    # not a checkpoint at all
    _refused(ours(coredat, tmp_path / "o5", 100, "--restore", str(tmp_path / "nowhere")),
             "does not exist")
    for k in range(1, 6):
        assert not (tmp_path / f"o{k}" / "out.dat").exists()


def test_a_checkpoint_folder_that_cannot_be_written_is_refused_before_the_run(checkpoint_40,
                                                                              tmp_path):
    coredat, _ = checkpoint_40
    r = ours(coredat, tmp_path / "out", 100, "--checkpoint", "/proc/pycoreneuron-chk")
    _refused(r, "--checkpoint")
    assert not (tmp_path / "out" / "out.dat").exists()
