"""SONATA output files, laid out as CoreNEURON's libsonatareport writes them (h5py).

Spikes (``<name>.h5``): ``/spikes/<population>/timestamps`` (float64, attribute units "ms")
and ``node_ids`` (uint64), the group's attribute ``sorting`` an enum of uint8 (none 0, by_id
1, by_time 2), "by_time" with ties by node id.

Reports (``<report>.h5``): ``/report/<population>/data`` (float32, time x elements, attribute
units), ``mapping/node_ids`` (uint64, ascending), ``mapping/index_pointers`` (uint64, one
more than the nodes), ``mapping/element_ids`` (uint32, the section id of each element) and
``mapping/time`` (float64 start, stop, dt; attribute units "ms").

Every file is written under a temporary name beside its target and renamed when complete;
nothing partial is left on an error. h5py is imported only when a SONATA file is asked for.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UsageError, quote
from .out_dat import file_mode

SORTING = {"none": 0, "by_id": 1, "by_time": 2}


def require_h5py() -> Any:
    """h5py, or one UsageError saying how to get it."""
    try:
        import h5py
    except ImportError:
        raise UsageError("SONATA output needs h5py: pip install 'pycoreneuron[sonata]'") \
            from None
    return h5py


def h5_name(name: str) -> str:
    """libsonatareport's file name: ``.h5`` added unless the name ends with it."""
    return name if name.endswith(".h5") else name + ".h5"


class _Scratch:
    """An HDF5 file written under a temporary name, renamed over its target at commit()."""

    def __init__(self, target: Path) -> None:
        h5py = require_h5py()
        self.target = target
        try:
            fd, scratch = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            os.close(fd)
        except OSError as exc:
            raise UsageError(f"cannot write {quote(str(target))}: {exc.strerror}") from None
        self.scratch = Path(scratch)
        try:
            self.file = h5py.File(self.scratch, "w")
        except OSError as exc:
            self.scratch.unlink(missing_ok=True)
            raise UsageError(f"cannot write {quote(str(target))}: {exc}") from None

    def commit(self) -> Path:
        try:
            self.file.close()
            os.chmod(self.scratch, file_mode())
            os.replace(self.scratch, self.target)
        except OSError as exc:
            self.abort()
            raise UsageError(f"cannot write {quote(str(self.target))}: {exc}") from None
        return self.target

    def abort(self) -> None:
        try:
            self.file.close()
        except Exception:  # noqa: BLE001 - a file that failed to write may not close cleanly
            pass
        self.scratch.unlink(missing_ok=True)


def _string_attribute(obj: Any, name: str, value: str) -> None:
    h5py = require_h5py()
    obj.attrs.create(name, value, dtype=h5py.string_dtype("utf-8"))


def write_spikes_h5(path: str | os.PathLike[str], times: np.ndarray, gids: np.ndarray,
                    populations: Sequence[tuple[str, int]] = (("All", 0),),
                    zero_based_gids: bool = True) -> Path:
    """Spikes into a SONATA spike file, split into populations as CoreNEURON splits them: a
    population holds the gids from its offset to the next population's; node ids are
    ``gid - offset`` (``- 1`` more unless zero_based_gids, libsonatareport's default)."""
    h5py = require_h5py()
    target = Path(h5_name(os.fspath(path)))
    times = np.asarray(times, dtype=np.float64)
    gids = np.asarray(gids, dtype=np.int64)
    order = np.lexsort((gids, times))  # by time, ties by gid: libsonatareport's by_time
    times, gids = times[order], gids[order]
    pops = list(populations) or [("All", 0)]
    parts = []
    for k, (name, offset) in enumerate(pops):
        upper = pops[k + 1][1] - 1 if k + 1 < len(pops) else np.iinfo(np.int64).max
        sel = (gids >= offset) & (gids <= upper)
        node_ids = gids[sel] - offset - (0 if zero_based_gids else 1)
        if (node_ids < 0).any():
            raise UsageError(f"gid {int(gids[sel][node_ids < 0][0])} has no SONATA node id "
                             f"in population {name} (offset {offset}): node ids are "
                             "gid - offset - 1 unless LIBSONATA_ZERO_BASED_GIDS is set")
        parts.append((name, times[sel], node_ids.astype(np.uint64)))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the output directory {quote(str(target.parent))}: "
                         f"{exc.strerror}") from None
    out = _Scratch(target)
    try:
        spikes = out.file.create_group("spikes")
        for name, stamps_of, node_ids in parts:
            group = spikes.create_group(name)
            group.attrs.create("sorting", SORTING["by_time"],
                               dtype=h5py.enum_dtype(SORTING, basetype="u1"))
            stamps = group.create_dataset("timestamps", data=stamps_of)
            _string_attribute(stamps, "units", "ms")
            group.create_dataset("node_ids", data=node_ids)
    except BaseException:
        out.abort()
        raise
    return out.commit()


class ReportFile:
    """One report's SONATA file, filled row by row as the run goes (rank 0).

    populations: per population, (name, node ids ascending, element counts per node, element
    ids); columns of the rows appended are in that order, population after population.
    """

    def __init__(self, path: Path, populations: Sequence[tuple[str, np.ndarray, np.ndarray,
                                                               np.ndarray]],
                 nrows: int, time: tuple[float, float, float], unit: str) -> None:
        self.out = _Scratch(Path(h5_name(os.fspath(path))))
        self.nrows, self.row = nrows, 0
        self.blocks: list[tuple[Any, int, int]] = []  # (dataset, first column, columns)
        try:
            column = 0
            for name, node_ids, counts, element_ids in populations:
                group = self.out.file.create_group(f"report/{name}")
                data = group.create_dataset("data", shape=(nrows, len(element_ids)),
                                            dtype=np.float32)
                _string_attribute(data, "units", unit)
                mapping = group.create_group("mapping")
                mapping.create_dataset("node_ids", data=np.asarray(node_ids, np.uint64))
                pointers = np.concatenate(([0], np.cumsum(counts))).astype(np.uint64)
                mapping.create_dataset("index_pointers", data=pointers)
                mapping.create_dataset("element_ids", data=np.asarray(element_ids, np.uint32))
                stamps = mapping.create_dataset("time", data=np.array(time, np.float64))
                _string_attribute(stamps, "units", "ms")
                self.blocks.append((data, column, len(element_ids)))
                column += len(element_ids)
        except BaseException:
            self.out.abort()
            raise

    def append(self, rows: np.ndarray) -> None:
        """Rows of samples (time x all columns), written at once (never held for the run)."""
        n = min(len(rows), self.nrows - self.row)
        if n <= 0:
            return
        try:
            for data, first, count in self.blocks:
                data[self.row:self.row + n] = rows[:n, first:first + count].astype(np.float32)
        except OSError as exc:
            raise UsageError(f"cannot write {quote(str(self.out.target))}: {exc}") from None
        self.row += n

    def commit(self) -> Path:
        return self.out.commit()

    def abort(self) -> None:
        self.out.abort()


__all__ = ["ReportFile", "h5_name", "require_h5py", "write_spikes_h5"]
