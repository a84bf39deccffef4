"""PatternStim input (-p/--pattern FILE): a spike raster replayed into the model's NetCons.

The file is CoreNEURON's: a first line naming the format (e.g. `scatter`), then one
`time gid` pair per line. Spikes with 0 <= time <= tstop are kept, sorted by time then gid;
each reaches the NetCons that listen to its gid (sources outside the model) at time + delay.
"""

from __future__ import annotations

from array import array
from pathlib import Path

import numpy as np

from ..errors import UsageError, quote
from .text import checked_file

# A raster of some hundred million spikes; more is not a pattern file.
MAX_PATTERN_BYTES = 4 << 30
_MAX_LINE = 1024  # a 'time gid' line is some 30 characters
_GID_MAX = 2**31 - 1  # gids are NEURON's 32-bit ints


def read_pattern(path: str | Path, tstop: float) -> tuple[np.ndarray, np.ndarray]:
    """(times, gids) of a raster file, kept and sorted as CoreNEURON's PatternStim does."""
    path = Path(path)
    checked_file(path, MAX_PATTERN_BYTES, "a spike raster", UsageError)
    # 16 bytes a spike (a 'time gid' line is 10 to 30): no Python object per spike
    times, gids = array("d"), array("q")
    try:
        with open(path, "rb") as f:
            for number, raw in enumerate(iter(lambda: f.readline(_MAX_LINE + 1), b""),
                                         start=1):
                if len(raw) > _MAX_LINE and not raw.endswith(b"\n"):
                    raise UsageError(f"{path}:{number}: a line longer than {_MAX_LINE} "
                                     f"characters, starting {quote(raw[:40])}")
                if number == 1:
                    continue  # the format's name (scatter)
                _spike(path, number, raw, tstop, times, gids)
            if f.tell() == 0:
                raise UsageError(f"{path}: empty pattern file (expected a first line, then "
                                 "'time gid' lines)")
    except OSError as exc:
        raise UsageError(f"cannot read the pattern file {path}: {exc.strerror}") from None
    t_arr = np.frombuffer(times, dtype=np.float64) if len(times) else np.empty(0)
    return _sorted(t_arr, np.frombuffer(gids, dtype=np.int64) if len(gids) else
                   np.empty(0, np.int64))


def _spike(path: Path, number: int, raw: bytes, tstop: float, times: array, gids: array
           ) -> None:
    """One 'time gid' line into times and gids (kept when 0 <= time <= tstop)."""
    words = raw.split()
    if not words:
        return
    try:
        if len(words) != 2 or len(words[1]) > 12:
            raise ValueError
        t, gid = float(words[0]), int(words[1])
    except ValueError:
        raise UsageError(f"{path}:{number}: expected 'time gid', got {quote(raw.strip())}"
                         ) from None
    if not np.isfinite(t):
        raise UsageError(f"{path}:{number}: spike time {quote(words[0])} is not finite")
    if not 0 <= gid <= _GID_MAX:
        raise UsageError(f"{path}:{number}: gid {gid} is not a NEURON gid (0 to {_GID_MAX})")
    if 0.0 <= t <= tstop:
        times.append(t)
        gids.append(gid)


def _sorted(t_arr: np.ndarray, gids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    g_arr = gids.astype(np.int32)  # checked to fit when read
    order = np.lexsort((g_arr, t_arr))
    return t_arr[order], g_arr[order]
