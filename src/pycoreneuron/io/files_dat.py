"""files.dat: the list of groups (one per NEURON thread of each rank), format section 3."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import DatasetError
from .text import FileCursor, checked_file

# One line per group: 4 MB is some million groups, far more than any machine runs.
MAX_FILES_DAT = 4 << 20


@dataclass(frozen=True)
class FilesDat:
    path: Path
    has_gaps: bool  # the '-1' line: the model used pc.setup_transfer
    entries: tuple[int, ...]  # group ids as listed; -1 ends a rank's share

    def groups_for_rank(self, rank: int = 0, nranks: int = 1) -> list[int]:
        """The groups CoreNEURON rank ``rank`` of ``nranks`` reads: entry i goes to rank
        i % nranks, and a -1 entry gives that rank nothing more."""
        mine: list[int] = []
        for i, gid in enumerate(self.entries):
            if i % nranks != rank:
                continue
            if gid == -1:
                break
            mine.append(gid)
        return mine


def read_files_dat(path: Path) -> FilesDat:
    checked_file(path, MAX_FILES_DAT, "a list of groups")
    with FileCursor(path) as f:
        f.version()
        first = f.int("the gap-junction flag or the number of groups", minimum=-1)
        has_gaps = first == -1
        count = f.int("the number of groups", minimum=0) if has_gaps else first
        entries = tuple(f.int(f"group id number {i + 1} of {count}", minimum=-1)
                        for i in range(count))
        # Trailing blank lines are harmless; anything else means a wrong count.
        if f.remaining and f.rest().strip():
            raise f.error(f"more group ids than the count {count} says")
    listed = [g for g in entries if g >= 0]
    if len(set(listed)) != len(listed):
        dup = next(g for g in listed if listed.count(g) > 1)
        raise DatasetError(f"{path}: group {dup} is listed twice")
    return FilesDat(Path(path), has_gaps, entries)
