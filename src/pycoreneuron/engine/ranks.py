"""MPI ranks: which groups a rank reads, gap-junction values across ranks, global reductions.

Everything here is called only when simulate() is given an mpi4py communicator; a run
without MPI never imports mpi4py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .. import _core
from ..errors import PyCoreNeuronError, RankFailed
from ..io.files_dat import FilesDat


def agree(comm: Any, failure: PyCoreNeuronError | None) -> None:
    """End of a phase that each rank does on its own: every rank learns whether any rank
    failed and stops with the first failure's message (printed by rank 0 alone), so no rank
    is left waiting in a collective call for one that gave up. Without MPI: raise failure."""
    if comm is not None:
        messages = comm.allgather(None if failure is None else str(failure))
        first = next((m for m in messages if m is not None), None)
        if first is not None:
            raise RankFailed(first, report=comm.Get_rank() == 0)
    if failure is not None:
        raise failure


def refuse_duplicate_gids(comm: Any, gids: np.ndarray, where: str) -> None:
    """A gid that two ranks' groups both give to a spike source (one process refuses it while
    reading; across ranks only the ranks together can see it). Collective; the same answer on
    every rank."""
    everyone = comm.allgather(np.asarray(gids, dtype=np.int64))
    owner = np.concatenate([np.full(len(g), r, np.int64) for r, g in enumerate(everyone)])
    merged = np.concatenate(everyone) if everyone else np.empty(0, np.int64)
    order = np.argsort(merged, kind="stable")
    same = np.flatnonzero(merged[order][1:] == merged[order][:-1])
    if same.size:
        k = order[same[0]]
        other = order[same[0] + 1]
        raise RankFailed(f"{where}: gid {merged[k]} is a spike source on rank {owner[k]} and "
                         f"on rank {owner[other]} (each gid may have one source)",
                         report=comm.Get_rank() == 0)


def assign_groups(files: FilesDat, root: Path, nranks: int) -> list[list[int]]:
    """Groups per rank, balanced by the size of their <g>_2.dat (largest first to the least
    loaded rank; ties to the lower rank). A files.dat with -1 entries was balanced by hand:
    then CoreNEURON's own assignment (entry i to rank i % nranks) is kept."""
    if -1 in files.entries:
        return [files.groups_for_rank(r, nranks) for r in range(nranks)]
    groups = files.groups_for_rank(0, 1)
    sizes = {g: (root / f"{g}_2.dat").stat().st_size if (root / f"{g}_2.dat").exists() else 0
             for g in groups}
    load = [0] * nranks
    share: list[list[int]] = [[] for _ in range(nranks)]
    for g in sorted(groups, key=lambda g: (-sizes[g], groups.index(g))):
        r = min(range(nranks), key=lambda r: (load[r], r))
        share[r].append(g)
        load[r] += sizes[g]
    return [sorted(s, key=groups.index) for s in share]


class RemoteGapValues:
    """Gap-junction sources for targets on other ranks: every rank sends the current value of
    each of its sources (same order every step); targets read them from one buffer."""

    def __init__(self, comm: Any, local_sids: np.ndarray, local_addresses: np.ndarray):
        self.comm = comm
        self.addresses = np.ascontiguousarray(local_addresses, dtype=np.uintp)
        self.local_values = np.zeros(len(self.addresses), dtype=np.float64)
        counts = np.array(comm.allgather(len(local_sids)), dtype=np.int64)
        self.counts, self.displs = counts, np.concatenate(([0], np.cumsum(counts)[:-1]))
        all_sids = np.concatenate(comm.allgather(np.asarray(local_sids, dtype=np.int64)))
        self.position = {int(sid): k for k, sid in enumerate(all_sids)}
        self.buffer = np.zeros(int(counts.sum()), dtype=np.float64)

    def address_of(self, sid: int) -> int | None:
        k = self.position.get(int(sid))
        return None if k is None else int(self.buffer.ctypes.data) + 8 * k

    def exchange(self) -> None:
        from mpi4py import MPI

        _core.gather_values(self.addresses, self.local_values)
        self.comm.Allgatherv(self.local_values,
                             [self.buffer, self.counts, self.displs, MPI.DOUBLE])


def global_min(comm: Any, value: float) -> float:
    from mpi4py import MPI

    return comm.allreduce(value, op=MPI.MIN)


def global_max(comm: Any, value: float) -> float:
    from mpi4py import MPI

    return comm.allreduce(value, op=MPI.MAX)


def sum_stats(comm: Any, stats: dict[str, int]) -> dict[str, int]:
    return {key: int(comm.allreduce(value)) for key, value in stats.items()}


def gather_spikes(comm: Any, times: np.ndarray, gids: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """All ranks' recorded spikes on every rank (out.dat is written by rank 0)."""
    parts = comm.allgather((times, gids))
    return (np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]).astype(np.int32))
