"""<g>_gap.dat: gap-junction (parallel transfer) sources and targets, format section 11."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .model import GapData, Group
from .text import FileCursor, distinct


def read_gap(path: Path, group: Group) -> GapData:
    with FileCursor(path, chkpnt=0) as f:
        f.version()
        start = f.offset
        sid_size = f.int("sizeof_sid_t")
        if sid_size not in (4, 8):
            raise f.error(f"sizeof_sid_t must be 4 or 8, found {sid_size}", start)
        sid_t = np.int32 if sid_size == 4 else np.int64
        ntar = f.int("ntar", minimum=0)
        nsrc = f.int("nsrc", minimum=0)
        empty_i = np.zeros(0, np.int32)
        empty_s = np.zeros(0, sid_t)
        src = (f.array(sid_t, nsrc, "src_sid"), f.array(np.int32, nsrc, "src_type"),
               f.array(np.int32, nsrc, "src_index")) if nsrc else (empty_s, empty_i, empty_i)
        tar = (f.array(sid_t, ntar, "tar_sid"), f.array(np.int32, ntar, "tar_type"),
               f.array(np.int32, ntar, "tar_index")) if ntar else (empty_s, empty_i, empty_i)
        f.expect_eof("the targets")
        src_index = _resolve(f, group, "source", src[1], src[2], allow_voltage=True)
        tar_index = _resolve(f, group, "target", tar[1], tar[2], allow_voltage=False)
        return GapData(src[0], src[1], src_index, tar[0], tar[1], tar_index)


def _resolve(f: FileCursor, group: Group, what: str, types: np.ndarray, index: np.ndarray,
             allow_voltage: bool) -> np.ndarray:
    """Node index for voltage sources (-1); else NEURON's legacy index -> flat data index."""
    out = index.astype(np.int32).copy()
    by_type = {m.type: m for m in group.mechanisms}
    for t in distinct(types):
        sel = np.flatnonzero(types == t)
        k = int(sel[0])
        if t == -1 and allow_voltage:
            bad = sel[(index[sel] < 0) | (index[sel] >= group.nnode)]
            if bad.size:
                raise f.error(f"gap {what} {int(bad[0])} is node {int(index[bad[0]])}, outside "
                              f"0..{group.nnode - 1}")
            continue
        m = by_type.get(int(t))
        if m is None or m.kind == "artificial_cell":
            raise f.error(f"gap {what} {k} is in mechanism type {int(t)}, which this group "
                          "does not have (or is an artificial cell)")
        bad = sel[(index[sel] < 0) | (index[sel] >= m.n * m.psize)]
        if bad.size:
            raise f.error(f"gap {what} {int(bad[0])} has index {int(index[bad[0]])}, outside "
                          f"the data of {m.name} ({m.n} x {m.psize})")
        out[sel] = m.legacy_to_flat(index[sel])
    return out
