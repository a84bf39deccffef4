"""Pictures: the raster and voltage traces of a run (API and pycoreneuron-run --plot), and one
line before the run when matplotlib is missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import pycoreneuron

from .conftest import mpi_launcher

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ringtest" / "coredat"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

pytest.importorskip("matplotlib", reason="pictures need matplotlib: pip install .[plot]")


@pytest.fixture(scope="module")
def result():
    return pycoreneuron.simulate(EXAMPLE, 30.0, record_gids=[0, 5], record_interval=0.1)


def test_the_raster_has_one_tick_per_spike(result):
    ax = result.plot_raster()
    (line,) = ax.lines
    assert len(result.spike_times) > 20
    np.testing.assert_array_equal(line.get_xdata(), result.spike_times)
    np.testing.assert_array_equal(line.get_ydata(), result.spike_gids)
    assert ax.get_xlim() == (0.0, 30.0)


def test_the_voltages_are_one_line_per_recorded_cell(result):
    ax = result.plot_voltages(labels=["gid 0", "gid 5"])
    assert len(ax.lines) == 2
    for line, row in zip(ax.lines, result.voltages, strict=True):
        np.testing.assert_array_equal(line.get_xdata(), result.record_times)
        np.testing.assert_array_equal(line.get_ydata(), row)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["gid 0", "gid 5"]


def test_into_the_callers_axes(result):
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert result.plot_raster(ax) is ax


def test_no_voltages_recorded_is_one_sentence():
    bare = pycoreneuron.simulate(EXAMPLE, 5.0)
    with pytest.raises(pycoreneuron.UsageError, match="no voltages were recorded"):
        bare.plot_voltages()


def run_cli(*args: str, mpi: int = 0, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pycoreneuron", *args]
    if code is not None:  # the CLI's main in a process prepared by code
        command = [sys.executable, "-c", f"{code}\nimport sys\nfrom pycoreneuron.cli import "
                   f"main\nsys.exit(main({list(args)!r}))"]
    if mpi:
        command = [*mpi_launcher(mpi), *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_cli_plot_writes_a_png(tmp_path):
    picture = tmp_path / "pictures" / "raster.png"
    picture.parent.mkdir()
    out = run_cli("-e", "30", "-d", str(EXAMPLE), "-o", str(tmp_path), "--plot", str(picture))
    assert out.returncode == 0, out.stderr
    data = picture.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000
    assert [p.name for p in picture.parent.iterdir()] == ["raster.png"]  # no temporary left
    assert (tmp_path / "out.dat").exists()


def test_cli_plot_without_matplotlib_stops_before_the_run(tmp_path):
    out = run_cli("-e", "30", "-d", str(EXAMPLE), "-o", str(tmp_path), "--plot",
                  str(tmp_path / "r.png"), code="import sys; sys.modules['matplotlib'] = None")
    assert out.returncode == 2
    assert out.stderr == ("pycoreneuron-run: error: pictures need matplotlib: "
                          "pip install 'pycoreneuron[plot]'\n")
    assert "Solver Time" not in out.stdout
    assert list(tmp_path.iterdir()) == []


def test_cli_plot_of_an_unknown_file_type_is_one_line(tmp_path):
    out = run_cli("-e", "30", "-d", str(EXAMPLE), "-o", str(tmp_path), "--plot",
                  str(tmp_path / "r.xyz"))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "the name must end in one of" in out.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.mpi
def test_cli_plot_under_mpi_is_drawn_by_rank_0(tmp_path):
    out = run_cli("-mpi", "-e", "30", "-d", str(EXAMPLE), "-o", str(tmp_path), "--plot",
                  str(tmp_path / "r.svg"), mpi=2)
    assert out.returncode == 0, out.stdout + out.stderr
    assert (tmp_path / "r.svg").read_text().count("<svg") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.dat", "r.svg"]
