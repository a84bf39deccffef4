"""special-core's config files: ours read CoreNEURON's --write-config output and CoreNEURON
reads ours, giving the same out.dat; bad lines are one line naming file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ringtest" / "coredat"


def ours(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pycoreneuron", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_write_then_read_gives_the_same_run(tmp_path):
    conf = tmp_path / "run.ini"
    first = ours("--write-config", str(conf), "-e", "20", "-d", str(EXAMPLE), "-o",
                 str(tmp_path / "a"), "--mindelay", "2", "-v", "-60", "-c", "--verbose", "0",
                 cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    text = conf.read_text()
    assert "tstop=20.0" in text and f'datpath="{EXAMPLE}"' in text
    assert "threading=true" in text and "voltage=-60.0" in text
    # the file's outpath is overridden by the command line, which wins
    second = ours("--read-config", str(conf), "-o", str(tmp_path / "b"), cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "b" / "out.dat").read_text() == (tmp_path / "a" / "out.dat").read_text()


@pytest.mark.parametrize("line,fragment", [
    ("tstop", "expected name=value"),
    ("bogus=1", "unknown option 'bogus'"),
    ("threading=maybe", "is a flag"),
    ("tstop=-5", "--tstop"),
])
def test_a_bad_config_line_is_one_line(tmp_path, line, fragment):
    conf = tmp_path / "bad.ini"
    conf.write_text(f"; a comment\n[section]\ndatpath=\"{EXAMPLE}\"\n{line}\n")
    result = ours("--read-config", str(conf), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], result.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_or_odd_config_file_is_one_line(tmp_path):
    for path in (tmp_path / "none.ini", Path("/dev/zero")):
        result = ours("--read-config", str(path), cwd=tmp_path)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.neuron
def test_config_files_cross_with_special_core(tmp_path, special_core):
    # CoreNEURON writes, we read; we write, CoreNEURON reads: the same out.dat each way
    theirs = tmp_path / "theirs.ini"
    (tmp_path / "cn").mkdir()
    made = subprocess.run([str(special_core), "--write-config", str(theirs), "-e", "30", "-d",
                           str(EXAMPLE), "-o", str(tmp_path / "cn"), "--mindelay", "2",
                           "--dt", "0.05", "-l", "8", "-c"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300)
    assert made.returncode == 0, made.stdout + made.stderr
    mine = ours("--read-config", str(theirs), "-o", str(tmp_path / "ours"), "--verbose", "0",
                cwd=tmp_path)
    assert mine.returncode == 0, mine.stderr
    reference = (tmp_path / "cn" / "out.dat").read_text()
    assert reference and (tmp_path / "ours" / "out.dat").read_text() == reference

    written = tmp_path / "ours.ini"
    again = ours("--write-config", str(written), "-e", "30", "-d", str(EXAMPLE), "-o",
                 str(tmp_path / "ours2"), "--mindelay", "2", "--dt", "0.05", "-l", "8",
                 "--verbose", "0", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    (tmp_path / "cn2").mkdir()
    read = subprocess.run([str(special_core), "--read-config", str(written), "-o",
                           str(tmp_path / "cn2")], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300)
    assert read.returncode == 0, read.stdout + read.stderr
    assert (tmp_path / "cn2" / "out.dat").read_text() == reference
