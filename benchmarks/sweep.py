"""The ringtest size sweep the benchmarks run, and what to read from its datasets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Sizes of the sweep: builder flags and simulated time (ms). Compartment counts are read from
# the datasets themselves.
BRANCHY = ["-ncell", "128", "-branch", "32", "64"]
SIZES: dict[str, tuple[list[str], float]] = {
    "ring16x8": ([], 100.0),
    "nring4": (["-nring", "4", *BRANCHY], 100.0),
    "nring16": (["-nring", "16", *BRANCHY], 10.0),
    "nring64": (["-nring", "64", *BRANCHY], 10.0),
    "nring128": (["-nring", "128", *BRANCHY], 10.0),
}
QUICK_SIZES = ("ring16x8", "nring4")


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
