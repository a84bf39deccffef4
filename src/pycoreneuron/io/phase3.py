"""<g>_3.dat: section/segment mapping registered with pc.nrnbbcore_register_mapping (format
section 12). Kept as flat arrays; reports use it, the simulation does not.

NEURON writes one file per rank, named after the rank's first group and holding the cells of
all its threads, and its array counter continues the writing process's counter after the last
group it wrote. So we accept whatever first ``chkpnt`` the file has and require continuity from
there, and we split cells to groups by gid rather than by file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import UsageError, quote
from .text import FileCursor, checked_file

# CoreNEURON's section types (section_type_from_string), matched case-insensitively.
SECTION_TYPES = ("cell", "soma", "axon", "dend", "apic", "ais", "node", "myelin", "all")


@dataclass
class Mapping:
    """Cells and their section lists; each list owns a run of segments (and LFP factors)."""

    gid: np.ndarray  # int32[ncell]
    cell_nsec: np.ndarray  # int32[ncell]
    cell_nseg: np.ndarray  # int32[ncell]
    list_cell: np.ndarray  # int32[nlist]: which cell each section list belongs to
    list_name: list[str]
    list_nsec: np.ndarray  # int32[nlist]
    list_seg_start: np.ndarray  # int64[nlist + 1]: runs in ``sections``/``segments``
    list_nelec: np.ndarray  # int32[nlist]
    list_lfp_start: np.ndarray  # int64[nlist + 1]: runs in ``lfp``
    sections: np.ndarray  # int32: section id of each segment
    segments: np.ndarray  # int32: node index of each segment (in its cell's group)
    lfp: np.ndarray  # float64: nseg x nelec factors per list, segment-major

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.gid, self.cell_nsec, self.cell_nseg, self.list_cell,
                                      self.list_nsec, self.list_seg_start, self.list_nelec,
                                      self.list_lfp_start, self.sections, self.segments,
                                      self.lfp))


_FIRST_CHKPNT = re.compile(rb"chkpnt ([0-9]+)\n")


def read_phase3(path: Path) -> Mapping:
    # Find the first array counter, which NEURON does not restart for this file.
    head = b""
    if Path(path).exists():
        checked_file(path)  # before open(): a pipe would block
        with open(path, "rb") as raw:
            head = raw.read(1 << 16)
    m = _FIRST_CHKPNT.search(head)
    with FileCursor(path, chkpnt=int(m.group(1)) if m else 0) as f:
        f.version()
        ncell = f.int("the number of cells", minimum=0)
        gid, cnsec, cnseg = [], [], []
        lcell, lname, lnsec, lnelec = [], [], [], []
        seg_start, lfp_start = [0], [0]
        secs, segs, lfps = [], [], []
        for c in range(ncell):
            start = f.offset
            parts = f.line(f"the counts of cell {c + 1} of {ncell}").split()
            try:
                g, nsec, nseg, nlist = (int(x) for x in parts[:4])
            except ValueError:
                raise f.error(f"expected 'gid nsec nseg nlist' for cell {c + 1}", start) from None
            if len(parts) < 4 or min(nsec, nseg, nlist) < 0:
                raise f.error(f"expected 'gid nsec nseg nlist' (counts >= 0) for cell {c + 1}",
                              start)
            gid.append(g)
            cnsec.append(nsec)
            cnseg.append(nseg)
            for j in range(nlist):
                start = f.offset
                parts = f.line(f"section list {j + 1} of cell {g}").split()
                try:
                    name = parts[0].decode("ascii")
                    lsec, lseg, nlfp, nelec = (int(x) for x in parts[1:5])
                except (ValueError, IndexError, UnicodeDecodeError):
                    raise f.error(f"expected 'name nsec nseg nlfp nelec' for section list "
                                  f"{j + 1} of cell {g}", start) from None
                if name.lower() not in SECTION_TYPES:
                    raise f.error(f"unknown section list name {name!r} (expected one of "
                                  f"{', '.join(SECTION_TYPES)})", start)
                if min(lsec, lseg, nlfp, nelec) < 0:
                    raise f.error(f"negative count in section list {name} of cell {g}", start)
                if nlfp and nlfp != lseg * nelec:
                    raise f.error(f"section list {name} of cell {g} has {nlfp} LFP factors for "
                                  f"{lseg} segments x {nelec} electrodes", start)
                lcell.append(c)
                lname.append(name)
                lnsec.append(lsec)
                lnelec.append(nelec)
                if lseg:
                    secs.append(f.array(np.int32, lseg, f"section ids of {name} of cell {g}"))
                    segs.append(f.array(np.int32, lseg, f"segments of {name} of cell {g}"))
                    if nlfp:
                        lf = f.array(np.float64, nlfp, f"LFP factors of {name} of cell {g}")
                        if np.isnan(lf).any():
                            raise f.error(f"NaN among the LFP factors of {name} of cell {g}")
                        lfps.append(lf)
                seg_start.append(seg_start[-1] + lseg)
                lfp_start.append(lfp_start[-1] + (nlfp if lseg else 0))
        f.expect_eof(f"the {ncell} cells")

    def cat(parts: list[np.ndarray], dt: type) -> np.ndarray:
        return np.concatenate(parts).astype(dt, copy=False) if parts else np.zeros(0, dt)

    return Mapping(
        gid=np.array(gid, np.int32), cell_nsec=np.array(cnsec, np.int32),
        cell_nseg=np.array(cnseg, np.int32), list_cell=np.array(lcell, np.int32),
        list_name=lname, list_nsec=np.array(lnsec, np.int32),
        list_seg_start=np.array(seg_start, np.int64), list_nelec=np.array(lnelec, np.int32),
        list_lfp_start=np.array(lfp_start, np.int64), sections=cat(secs, np.int32),
        segments=cat(segs, np.int32), lfp=cat(lfps, np.float64))


def find_cell(mappings: Mapping | list[Mapping], gid: int) -> tuple[Mapping, int] | None:
    """(the mapping holding gid, its cell index there), or None."""
    for mp in [mappings] if isinstance(mappings, Mapping) else mappings:
        where = np.flatnonzero(mp.gid == gid)
        if where.size:
            return mp, int(where[0])
    return None


def section_nodes(mappings: Mapping | list[Mapping], gid: int,
                  sections: str = "all") -> list[tuple[int, np.ndarray]]:
    """The sections of gid in the section list ``sections`` (soma, dend, ..., or all: every
    list), as (section id, node indices of its segments in order) in the file's order; the
    node indices are those of the cell's group in the dataset. Empty when gid has no such
    list; None-free: a gid without mapping raises UsageError."""
    found = find_cell(mappings, gid)
    if found is None:
        raise UsageError(f"gid {gid} has no section mapping (the dataset needs "
                         "pc.nrnbbcore_register_mapping before the dump, as ringtest -secmapping)")
    mp, cell = found
    want = sections.lower()
    out: list[tuple[int, np.ndarray]] = []
    for j in np.flatnonzero(mp.list_cell == cell).tolist():
        if want != "all" and mp.list_name[j].lower() != want:
            continue
        secs = mp.sections[mp.list_seg_start[j]:mp.list_seg_start[j + 1]]
        segs = mp.segments[mp.list_seg_start[j]:mp.list_seg_start[j + 1]]
        for sec in distinct_in_order(secs):
            out.append((int(sec), segs[secs == sec]))
    return out


def segment_node(mappings: Mapping | list[Mapping], gid: int, section: str,
                 x: float = 0.5) -> int:
    """NEURON's sec(x) as a node index of the cell's group: ``section`` is a section list and
    the section's position in it (``"dend[3]"``, ``"soma"`` for ``soma[0]``); the segment is
    the one holding x, 0 < x < 1, as NEURON picks it (int(x * nseg), the last for x = 1)."""
    m = re.fullmatch(r"([A-Za-z_]+)(?:\[([0-9]+)\])?", section.strip())
    if m is None:
        raise UsageError(f"section {quote(section)}: expected a section list and an index, "
                         "as dend[3]")
    listed = section_nodes(mappings, gid, m.group(1))
    k = int(m.group(2) or 0)
    if k >= len(listed):
        raise UsageError(f"gid {gid} has {len(listed)} sections in {m.group(1)}, no "
                         f"{section.strip()}")
    if not 0 < x <= 1:
        raise UsageError(f"x must be in (0, 1]: the end at 0 is not a segment, got {x}")
    segs = listed[k][1]
    return int(segs[min(int(x * len(segs)), len(segs) - 1)])


def distinct_in_order(values: np.ndarray) -> list[int]:
    """The distinct values, in the order they first appear."""
    _, first = np.unique(values, return_index=True)
    return [int(values[i]) for i in sorted(first.tolist())]
