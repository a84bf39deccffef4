"""out.dat: the spike raster, as CoreNEURON writes it.

One line per spike, `%.8g\\t%d` (time, gid), sorted by time and then gid on the exact doubles, so
the file is the same whatever the number of threads or ranks. Written atomically: a temporary
file in the same directory, renamed into place, so a failed run leaves no partial out.dat.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from ..errors import UsageError


def sort_spikes(times: np.ndarray, gids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Spikes ordered by time, ties by gid (exact comparison, as CoreNEURON sorts)."""
    times = np.asarray(times, dtype=np.float64)
    gids = np.asarray(gids, dtype=np.int64)
    if times.shape != gids.shape or times.ndim != 1:
        raise ValueError("times and gids must be 1-d arrays of the same length")
    order = np.lexsort((gids, times))
    return times[order], gids[order]


def format_spikes(times: np.ndarray, gids: np.ndarray) -> str:
    """The text of out.dat for already sorted spikes."""
    # %.8g through Python's formatting equals C printf's for doubles.
    return "".join(f"{t:.8g}\t{g:d}\n" for t, g in zip(times.tolist(), gids.tolist(),
                                                          strict=True))


def write_out_dat(outpath: str | os.PathLike[str], times: np.ndarray, gids: np.ndarray,
                  name: str = "out.dat") -> Path:
    """Sort and write spikes to OUTPATH/out.dat atomically; returns the file's path."""
    folder = Path(outpath)
    if not folder.is_dir():
        raise UsageError(f"output directory {str(folder)!r} does not exist")
    times, gids = sort_spikes(times, gids)
    text = format_spikes(times, gids)
    target = folder / name
    fd, scratch = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(text)
        os.replace(scratch, target)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
    return target
