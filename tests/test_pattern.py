"""-p/--pattern: a spike raster replayed into the model, as CoreNEURON's PatternStim does."""

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import mpiexec_command, sorted_spikes

SCRIPT = Path(__file__).with_name("pattern_model.py")


def _build(tmp_path_factory, name: str, *args: str) -> Path:
    """Run pattern_model.py with NEURON into a fresh folder (args pick the model)."""
    pytest.importorskip("neuron", reason="NEURON is the reference: pip install .[test]")
    folder = tmp_path_factory.mktemp(name)
    result = subprocess.run([sys.executable, str(SCRIPT), str(folder), *args],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


@pytest.fixture(scope="module")
def pattern_model(tmp_path_factory) -> Path:
    return _build(tmp_path_factory, "pattern")


@pytest.fixture(scope="module")
def pattern_order_model(tmp_path_factory) -> Path:
    return _build(tmp_path_factory, "pattern_order", "order")


@pytest.fixture(scope="module")
def pattern_model_nt2(tmp_path_factory) -> Path:
    return _build(tmp_path_factory, "pattern_nt2", "nt2")


def run(folder: Path, out: Path, *flags: str) -> subprocess.CompletedProcess:
    out.mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "pycoreneuron", "-e", "100", "-d",
                           str(folder / "coredat"), "-o", str(out), *flags],
                          capture_output=True, text=True, timeout=600)


@pytest.mark.neuron
def test_pattern_gives_neurons_and_coreneurons_spikes(pattern_model, special_core, tmp_path):
    ours = run(pattern_model, tmp_path / "ours", "-p", str(pattern_model / "pattern.dat"))
    assert ours.returncode == 0, ours.stderr
    theirs = subprocess.run([str(special_core), "-e", "100", "-d",
                             str(pattern_model / "coredat"), "-p",
                             str(pattern_model / "pattern.dat"), "-o", str(tmp_path)],
                            capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert theirs.returncode == 0, theirs.stdout
    text = (tmp_path / "ours" / "out.dat").read_text()
    assert text == (tmp_path / "out.dat").read_text()
    ours_spikes = [(f"{t:.8g}", g) for t, g in sorted_spikes(tmp_path / "ours" / "out.dat")]
    neuron = [(f"{t:.8g}", g) for t, g in sorted_spikes(pattern_model / "spk1.std")]
    assert ours_spikes == neuron and len(neuron) > 10


@pytest.mark.neuron
def test_raster_groups_go_out_as_time_goes_on(pattern_order_model, tmp_path):
    """Two events at 53 ms switch NetStim gid 0 off (-1, queued at 49 ms) and on (+1, from the
    raster entry at 52 ms, whose group goes out at 51 ms): in that order gid 0 fires at 53, 58
    and 63 ms, as in NEURON. Queueing the raster at the start (the 52 ms entry in the first
    group) would put +1 first, and gid 0 would never fire (see pattern_model.py)."""
    ours = run(pattern_order_model, tmp_path, "-p", str(pattern_order_model / "pattern.dat"))
    assert ours.returncode == 0, ours.stderr
    spikes = [(f"{t:.8g}", g) for t, g in sorted_spikes(tmp_path / "out.dat")]
    neuron = [(f"{t:.8g}", g) for t, g in sorted_spikes(pattern_order_model / "spk1.std")]
    assert spikes == neuron == [("49", 1), ("53", 0), ("58", 0), ("63", 0)]
    first_group = pattern_order_model / "first_group.dat"  # the 52 ms entry sent at t = 0
    first_group.write_text("scatter\n52 1000\n")
    early = run(pattern_order_model, tmp_path / "early", "-p", str(first_group))
    assert early.returncode == 0, early.stderr
    assert sorted_spikes(tmp_path / "early" / "out.dat") == [(49.0, 1)]


@pytest.mark.neuron
@pytest.mark.xfail(strict=True, reason="CoreNEURON 9.0.2 delivers these two equal-time events "
                   "in the other order (gid 0 never fires; with the 52 ms entry in the first "
                   "group it does): not explained yet, see docs/dev/engine.md")
def test_raster_groups_equal_time_order_as_coreneuron(pattern_order_model, special_core,
                                                       tmp_path):
    flags = ["-e", "100", "-d", str(pattern_order_model / "coredat"), "-p",
             str(pattern_order_model / "pattern.dat")]
    ours = run(pattern_order_model, tmp_path / "ours", *flags[4:])
    assert ours.returncode == 0, ours.stderr
    theirs = subprocess.run([str(special_core), *flags, "-o", str(tmp_path)],
                            capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert theirs.returncode == 0, theirs.stdout
    assert (tmp_path / "ours" / "out.dat").read_text() == (tmp_path / "out.dat").read_text()


@pytest.mark.neuron
def test_without_the_pattern_the_inputs_stay_silent(pattern_model, tmp_path):
    result = run(pattern_model, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.dat").read_text() == ""


@pytest.mark.parametrize("content,words", [
    ("scatter\n1.0 5\nnonsense here\n", ":3: expected 'time gid'"),
    ("", "empty pattern file"),
])
def test_a_bad_pattern_file_is_one_clear_line(tmp_path, content, words):
    example = Path(__file__).resolve().parents[1] / "examples" / "ringtest"
    bad = tmp_path / "bad.dat"
    bad.write_text(content)
    result = subprocess.run([sys.executable, "-m", "pycoreneuron", "-e", "10", "-d",
                             str(example / "coredat"), "-o", str(tmp_path), "-p", str(bad)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.dat").exists()


@pytest.mark.neuron
@pytest.mark.mpi
def test_pattern_on_two_ranks_gives_neurons_spikes(pattern_model_nt2, tmp_path):
    """Two groups on two ranks: each rank has its own PatternStim (its first group has cells)
    and replays the raster to its own targets; out.dat equals the one-process run's and NEURON's
    spikes (NEURON ran the model on 2 threads)."""
    pytest.importorskip("mpi4py", reason="MPI runs need mpi4py: pip install .[mpi]")
    mpiexec = mpiexec_command()
    if mpiexec is None:
        pytest.skip("no mpiexec")
    pattern = str(pattern_model_nt2 / "pattern.dat")
    one = run(pattern_model_nt2, tmp_path / "one", "-p", pattern)
    assert one.returncode == 0, one.stderr
    two_out = tmp_path / "two"
    two_out.mkdir()
    two = subprocess.run([*mpiexec, "-n", "2", sys.executable, "-m", "pycoreneuron", "-mpi",
                          "-e", "100", "-d", str(pattern_model_nt2 / "coredat"), "-p", pattern,
                          "-o", str(two_out)], capture_output=True, text=True, timeout=600)
    assert two.returncode == 0, two.stdout + two.stderr
    assert (two_out / "out.dat").read_text() == (tmp_path / "one" / "out.dat").read_text()
    ours = [(f"{t:.8g}", g) for t, g in sorted_spikes(two_out / "out.dat")]
    neuron = [(f"{t:.8g}", g) for t, g in sorted_spikes(pattern_model_nt2 / "spk1.std")]
    assert ours == neuron and len(neuron) > 10
