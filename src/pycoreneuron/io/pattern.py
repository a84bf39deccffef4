"""PatternStim input (-p/--pattern FILE): a spike raster replayed into the model's NetCons.

The file is CoreNEURON's: a first line naming the format (e.g. `scatter`), then one
`time gid` pair per line. Spikes with 0 <= time <= tstop are kept, sorted by time then gid;
each reaches the NetCons that listen to its gid (sources outside the model) at time + delay.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import UsageError


def read_pattern(path: str | Path, tstop: float) -> tuple[np.ndarray, np.ndarray]:
    """(times, gids) of a raster file, kept and sorted as CoreNEURON's PatternStim does."""
    path = Path(path)
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read the pattern file {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not a text spike raster") from exc
    if not lines:
        raise UsageError(f"{path}: empty pattern file (expected a first line, then "
                         "'time gid' lines)")
    times, gids = [], []
    for number, line in enumerate(lines[1:], start=2):
        words = line.split()
        if not words:
            continue
        try:
            if len(words) != 2:
                raise ValueError
            t, gid = float(words[0]), int(words[1])
        except ValueError:
            raise UsageError(
                f"{path}:{number}: expected 'time gid', got {line.strip()!r}") from None
        if not np.isfinite(t):
            raise UsageError(f"{path}:{number}: spike time {words[0]} is not finite")
        if 0.0 <= t <= tstop:
            times.append(t)
            gids.append(gid)
    t_arr = np.array(times, dtype=np.float64)
    g_arr = np.array(gids, dtype=np.int32)
    order = np.lexsort((g_arr, t_arr))
    return t_arr[order], g_arr[order]
