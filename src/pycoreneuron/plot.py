"""Pictures of a run: a spike raster and, when recorded, voltage traces (matplotlib, the
optional `[plot]` extra).

Figures are made as matplotlib Figure objects, never through pyplot, so drawing one neither
needs a display nor changes the caller's backend; files are drawn by the Agg canvas. Pass an
``ax`` of your own figure to draw into it instead.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import UsageError, quote

INSTALL = "pip install 'pycoreneuron[plot]'"


def require_matplotlib() -> None:
    """One sentence, before any work, when matplotlib is not installed."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UsageError(f"pictures need matplotlib: {INSTALL}") from None


def _new_axes(rows: int = 1) -> list[Any]:
    require_matplotlib()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.0, 3.0 + 2.5 * (rows - 1)), layout="constrained")
    axes = fig.subplots(rows, 1, sharex=True, squeeze=False)
    return list(axes[:, 0])


def plot_raster(result: Any, ax: Any = None) -> Any:
    """A spike raster of a SimulationResult (one tick per spike: time, gid) into ax, or into
    a new figure; returns the axes (its figure is ax.figure)."""
    if ax is None:
        (ax,) = _new_axes()
    times, gids = np.asarray(result.spike_times), np.asarray(result.spike_gids)
    ax.plot(times, gids, linestyle="none", marker="|", markersize=4, color="black")
    right = max(float(result.tstop), float(times.max()) if times.size else 0.0)
    ax.set_xlim(0.0, right if right > 0 else 1.0)
    ax.set_xlabel("t [ms]")
    ax.set_ylabel("gid")
    ax.set_title(f"{times.size} spikes")
    return ax


def plot_voltages(result: Any, ax: Any = None, labels: Sequence[str] | None = None) -> Any:
    """The recorded voltages of a SimulationResult (simulate(record_gids=..., or
    record_nodes=...)), one line per row, against result.record_times; returns the axes."""
    voltages = np.asarray(result.voltages)
    if voltages.ndim != 2 or voltages.shape[0] == 0:
        raise UsageError("no voltages were recorded: pass record_gids (or record_nodes) to "
                         "pycoreneuron.simulate")
    if labels is not None and len(labels) != voltages.shape[0]:
        raise UsageError(f"labels: {len(labels)} given for {voltages.shape[0]} recorded "
                         "voltages")
    if ax is None:
        (ax,) = _new_axes()
    names = labels if labels is not None else [f"trace {k}" for k in range(voltages.shape[0])]
    for row, name in zip(voltages, names, strict=True):
        ax.plot(result.record_times, row, linewidth=0.8, label=name)
    ax.set_xlabel("t [ms]")
    ax.set_ylabel("v [mV]")
    if voltages.shape[0] <= 10:  # beyond that a legend hides the traces
        ax.legend(loc="upper right", fontsize="small")
    return ax


def _format(path: Path) -> str:
    from matplotlib.backend_bases import FigureCanvasBase

    kind = path.suffix[1:].lower()
    known = FigureCanvasBase.get_supported_filetypes()
    if kind not in known:
        raise UsageError(f"--plot {quote(str(path))}: the name must end in one of "
                         f"{', '.join('.' + k for k in sorted(known))}")
    return kind


def check_target(path: str | os.PathLike[str]) -> None:
    """Refuse, before a run, a picture that cannot be written: no matplotlib, an unknown
    file type, or a folder where no file can be made."""
    from .io.out_dat import check_writable

    require_matplotlib()
    target = Path(path)
    if "\0" in str(target):
        raise UsageError(f"--plot: the path {quote(str(target))} holds a NUL character")
    _format(target)
    if target.is_dir():
        raise UsageError(f"--plot {quote(str(target))} is a directory: name a file")
    check_writable(target.parent)


def write_figure(result: Any, path: str | os.PathLike[str]) -> Path:
    """The raster, and the voltage traces when recorded, to path (type from its suffix),
    atomically: a temporary file beside it, renamed into place."""
    from .io.out_dat import file_mode

    target = Path(path)
    kind = _format(target)
    traces = np.asarray(result.voltages).size > 0
    axes = _new_axes(2 if traces else 1)
    plot_raster(result, axes[0])
    if traces:
        plot_voltages(result, axes[1])
        axes[0].set_xlabel("")
    fig = axes[0].figure
    scratch = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, scratch = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "wb") as out:
            fig.savefig(out, format=kind, dpi=120)
        os.chmod(scratch, file_mode())
        os.replace(scratch, target)
    except OSError as exc:
        raise UsageError(f"cannot write {quote(str(target))}: {exc.strerror}") from None
    finally:
        if scratch is not None and os.path.exists(scratch):
            os.unlink(scratch)
    return target
