"""pycoreneuron-run's out.dat against CoreNEURON's (byte for byte) and NEURON's spikes."""

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import sorted_spikes

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ringtest"


def run_pycoreneuron(coredat: Path, outdir: Path, *flags: str) -> subprocess.CompletedProcess:
    outdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pycoreneuron", "-e", "100", "-d", str(coredat),
               "-o", str(outdir), *flags]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def neuron_spikes_as_printed(path: Path) -> list[tuple[str, int]]:
    """NEURON's spk*.std holds %g times: compare at that precision."""
    return sorted((f"{t:g}", g) for t, g in sorted_spikes(path))


def our_spikes_as_printed(out_dat: Path) -> list[tuple[str, int]]:
    return sorted((f"{t:g}", g) for t, g in sorted_spikes(out_dat))


def test_bundled_example_gives_neurons_spikes_without_neuron(tmp_path):
    # The README's main command, on the shipped dataset; NEURON's spikes shipped beside it.
    result = run_pycoreneuron(EXAMPLE / "coredat", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Solver Time" in result.stdout
    assert " Number of spikes: 592" in result.stdout
    assert our_spikes_as_printed(tmp_path / "out.dat") == \
        neuron_spikes_as_printed(EXAMPLE / "spk1.std")


RINGTEST_MOD = Path(__file__).resolve().parents[1] / "examples" / "ringtest" / "mod"


@pytest.mark.neuron
@pytest.mark.parametrize("variant", ["default", "rparm", "secmapping", "big", "gap", "nt2",
                                     "nt2_gap", pytest.param("mpi2", marks=pytest.mark.mpi),
                                     pytest.param("mpi2_gap", marks=pytest.mark.mpi)])
def test_out_dat_is_coreneurons_byte_for_byte(ringtest_data, special_core, tmp_path, variant):
    # Several groups (NEURON threads or ranks) run as several blocks in one process; gap
    # junctions (HalfGap, our MOD file) step in halves with the voltage transfer between.
    folder = ringtest_data(variant)
    ours = run_pycoreneuron(folder / "coredat", tmp_path / "ours", "--mod", str(RINGTEST_MOD))
    assert ours.returncode == 0, ours.stderr
    theirs = subprocess.run([str(special_core), "-e", "100", "-d", str(folder / "coredat"),
                             "-o", str(tmp_path / "coreneuron")], capture_output=True,
                            text=True, timeout=600, cwd=tmp_path)
    assert theirs.returncode == 0, theirs.stdout + theirs.stderr
    our_text = (tmp_path / "ours" / "out.dat").read_text()
    assert our_text == (tmp_path / "coreneuron" / "out.dat").read_text()
    neuron_file = next(folder.glob("spk*.std"))
    assert our_spikes_as_printed(tmp_path / "ours" / "out.dat") == \
        neuron_spikes_as_printed(neuron_file)


@pytest.mark.neuron
def test_a_missing_mechanism_is_refused_before_work(ringtest_data, tmp_path):
    # The gap model uses HalfGap, a user MOD file: without --mod it is refused in one line.
    result = run_pycoreneuron(ringtest_data("gap") / "coredat", tmp_path)
    assert result.returncode == 2
    assert "HalfGap" in result.stderr and "--mod" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.dat").exists()


def test_a_missing_output_directory_is_made_as_special_core_makes_it(tmp_path):
    # job scripts rely on it; a bad dataset still leaves no folder behind
    out = tmp_path / "new" / "run1"
    command = [sys.executable, "-m", "pycoreneuron", "-e", "1", "-d", str(EXAMPLE / "coredat"),
               "-o", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (out / "out.dat").exists()
    bad = subprocess.run([*command[:5], str(tmp_path), "-o", str(tmp_path / "never")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and not (tmp_path / "never").exists()


def _mod_folder(tmp_path: Path, **extra: str) -> Path:
    folder = tmp_path / "mod"
    folder.mkdir()
    for f in RINGTEST_MOD.glob("*.mod"):
        (folder / f.name).write_text(f.read_text())
    for name, text in extra.items():
        (folder / f"{name}.mod").write_text(text)
    return folder


# A file we refuse (a syntax error) and one whose VERBATIM does not compile, neither used by
# the dataset; the second is only found when the whole folder is compiled.
UNPARSABLE = "NEURON { SUFFIX unparsable }\nBREAKPOINT {\n  x = = 1\n}\n"
UNCOMPILABLE = ("NEURON { SUFFIX uncompilable }\nASSIGNED { x }\nINITIAL {\nVERBATIM\n"
                "  x = not_a_c_name +;\nENDVERBATIM\n}\n")


@pytest.mark.neuron
def test_an_unused_file_we_cannot_translate_warns_and_runs(ringtest_data, tmp_path):
    folder = ringtest_data("gap")
    mods = _mod_folder(tmp_path, unparsable=UNPARSABLE, uncompilable=UNCOMPILABLE)
    ours = run_pycoreneuron(folder / "coredat", tmp_path / "ours", "--mod", str(mods))
    assert ours.returncode == 0, ours.stderr
    warnings = [line for line in ours.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 2, ours.stderr
    assert f"{mods / 'unparsable.mod'}:3: syntax error" in warnings[0]
    assert "mechanism unparsable is not in this dataset" in warnings[0]
    assert f"{mods / 'uncompilable.mod'}:5: VERBATIM code does not compile" in warnings[1]
    assert our_spikes_as_printed(tmp_path / "ours" / "out.dat") == \
        neuron_spikes_as_printed(next(folder.glob("spk*.std")))
    # pycoreneuron-nrnivmodl reports the refused file and fails, having built the rest
    r = subprocess.run([sys.executable, "-m", "pycoreneuron.nmodl.cli", str(mods)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 1
    assert "unparsable.mod:3: syntax error" in r.stderr
    assert "uncompilable.mod:5: VERBATIM code does not compile" in r.stderr


@pytest.mark.neuron
@pytest.mark.parametrize("defect", ["syntax", "verbatim"])
def test_a_used_file_we_cannot_translate_is_refused(ringtest_data, tmp_path, defect):
    folder = ringtest_data("gap")
    mods = _mod_folder(tmp_path)
    halfgap = mods / "halfgap.mod"
    lines = halfgap.read_text().splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith("BREAKPOINT"))
    lines.insert(at, "INITIAL { x = = 1 }" if defect == "syntax" else
                 "INITIAL {\nVERBATIM\n  not_a_c_name +;\nENDVERBATIM\n}")
    text = "\n".join(lines) + "\n"
    if defect == "verbatim":  # THREADSAFE before the VERBATIM keeps NEURON's layout
        text = text.replace("NEURON {", "NEURON { THREADSAFE", 1)
    halfgap.write_text(text)
    ours = run_pycoreneuron(folder / "coredat", tmp_path / "ours", "--mod", str(mods))
    assert ours.returncode == 2
    assert len(ours.stderr.strip().splitlines()) == 1, ours.stderr
    line = at + 1 if defect == "syntax" else at + 3
    assert f"halfgap.mod:{line}:" in ours.stderr and "Traceback" not in ours.stderr
    assert not (tmp_path / "ours" / "out.dat").exists()
