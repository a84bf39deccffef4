"""The size sweeps the benchmarks run (two model families), and what to read from their
datasets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Size:
    """One model of a family: its builder's flags and the simulated time (ms)."""

    family: str  # "ringtest" (pycoreneuron-ringtest) or "dense" (dense_model.py)
    flags: tuple[str, ...]
    tstop: float


# Compartment counts are read from the datasets themselves. The ringtest: passive dendrites
# and one hh soma per cell. The channel-dense family (dense_model.py): every compartment with
# ten active channels and calcium dynamics; 125 compartments per cell, 8 cells per ring; the
# simulated time shrinks with size so that a CoreNEURON run stays under a minute.
BRANCHY = ("-ncell", "128", "-branch", "32", "64")
SIZES: dict[str, Size] = {
    "ring16x8": Size("ringtest", (), 100.0),
    "nring4": Size("ringtest", ("-nring", "4", *BRANCHY), 100.0),
    "nring16": Size("ringtest", ("-nring", "16", *BRANCHY), 10.0),
    "nring64": Size("ringtest", ("-nring", "64", *BRANCHY), 10.0),
    "nring128": Size("ringtest", ("-nring", "128", *BRANCHY), 10.0),
    "dense1k": Size("dense", ("-nring", "1"), 100.0),
    "dense10k": Size("dense", ("-nring", "10"), 20.0),
    "dense100k": Size("dense", ("-nring", "100"), 5.0),
    "dense1m": Size("dense", ("-nring", "1000"), 2.0),
}
QUICK_SIZES = ("ring16x8", "nring4", "dense1k")


@dataclass(frozen=True)
class Layout:
    """How a run is spread: OpenMP threads per rank, MPI ranks, and the dataset it runs on
    (NEURON writes one group per NEURON thread and rank: `groups` threads, `ranks` ranks)."""

    threads: int
    ranks: int
    groups: int  # NEURON threads per rank that wrote the dataset

    @property
    def coreneuron_runs_it(self) -> bool:
        """CoreNEURON runs one thread per group: it has no run with threads != groups."""
        return self.threads == self.groups


# Each size runs in these layouts. CoreNEURON's 2 threads need a 2-group dataset; pycoreneuron
# runs that one too (same data in each row) and, as its own row, 2 threads on the 1-group one.
LAYOUTS: dict[str, Layout] = {
    "1thread": Layout(threads=1, ranks=1, groups=1),
    "2threads": Layout(threads=2, ranks=1, groups=2),
    "2threads-1group": Layout(threads=2, ranks=1, groups=1),
    "2ranks": Layout(threads=1, ranks=2, groups=1),
}
# The channel-dense family runs on threads only (its datasets are large: one per layout).
FAMILY_LAYOUTS: dict[str, tuple[str, ...]] = {
    "ringtest": tuple(LAYOUTS),
    "dense": ("1thread", "2threads", "2threads-1group"),
}


def runs(size: str, layout_id: str) -> bool:
    """Whether the sweep runs this size in this layout."""
    return layout_id in FAMILY_LAYOUTS[SIZES[size].family]


def count_compartments(coredat: Path) -> int:
    """Sum of nnode over the dataset's groups (the fifth line of each <g>_2.dat)."""
    groups = (coredat / "files.dat").read_text().split()[1:]
    if groups and groups[0] == "-1":
        groups = groups[1:]
    total = 0
    for g in groups[1:]:
        with open(coredat / f"{g}_2.dat", "rb") as f:
            header = [f.readline() for _ in range(5)]
        total += int(header[4].split()[0])
    return total
