"""The window loop: every block advances a whole window, then spikes cross between blocks.

A spike can reach another block only after the minimum delay of the NetCons between blocks,
so within one window of at most that length every block evolves on its own (architecture.md).
Gap junctions between blocks need the other side's voltage every step: such runs step in
halves with the transfer in between, and exchange spikes every step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..errors import NotSupportedError, PyCoreNeuronError, RankFailed

# The spike exchange between windows: called with this rank's error in the window, if any.
Exchange = Callable[[PyCoreNeuronError | None], None]


def window_steps(delay: float, dt: float) -> int:
    """Steps per window: the minimum delay between blocks (capped by --mindelay), in steps."""
    if delay < dt:
        raise NotSupportedError(
            f"a NetCon between groups or ranks has delay {delay:g} ms, less than "
            f"dt = {dt:g} ms")
    # a window longer than any run (--mindelay 1e308) is as good as one of 2^62 steps
    return max(1, int(min(delay / dt + 1e-9, 2.0**62)))


def gap_step_count(tstop: float, dt: float) -> int:
    """Steps CoreNEURON takes in single-step mode (gap junctions): while t <= tstop - dt,
    with t accumulated by two half steps, as NEURON accumulates it (numerics §5)."""
    t, n = 0.0, 0
    half = 0.5 * dt
    while t <= tstop - dt:
        t += half
        t += half
        n += 1
    return n


class SpikeExchange:
    """Between windows: every block receives the spikes all blocks recorded since the last
    exchange, in block order (and, across MPI ranks, rank order first)."""

    def __init__(self, blocks: Sequence, comm=None):
        self.blocks = blocks
        self.comm = comm
        self.marks = [block.nspike for block in blocks]

    def __call__(self, failure: PyCoreNeuronError | None = None) -> None:
        """Exchange the window's spikes; failure: this rank's error in the window, which
        every rank learns in the same exchange (so none waits for a rank that stopped)."""
        parts = []
        for k, block in enumerate(self.blocks):
            parts.append(block.spikes_since(self.marks[k]))
            self.marks[k] = block.nspike
        times = np.concatenate([p[0] for p in parts]) if parts else np.empty(0)
        gids = np.concatenate([p[1] for p in parts]).astype(np.int32) if parts else \
            np.empty(0, np.int32)
        if self.comm is not None:
            times, gids = allgather_spikes(self.comm, times, gids, failure)
        elif failure is not None:
            raise failure
        elif len(self.blocks) < 2:
            return
        if times.size:
            for block in self.blocks:
                block.receive(times, gids)


def allgather_spikes(comm, times: np.ndarray, gids: np.ndarray,
                     failure: PyCoreNeuronError | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Every rank's spikes, rank after rank: an all-gather of the counts, then of the spikes
    (CoreNEURON's default exchange). The counts travel with each rank's error, if any: then
    every rank stops with the first rank's message (printed by rank 0)."""
    from mpi4py import MPI

    sent = comm.allgather((len(times), None if failure is None else str(failure)))
    first = next((message for _, message in sent if message is not None), None)
    if first is not None:
        raise RankFailed(first, report=comm.Get_rank() == 0)
    counts = np.array([count for count, _ in sent], dtype=np.int64)
    total = int(counts.sum())
    all_times = np.empty(total, dtype=np.float64)
    all_gids = np.empty(total, dtype=np.int32)
    displs = np.concatenate(([0], np.cumsum(counts)[:-1]))
    comm.Allgatherv(np.ascontiguousarray(times, np.float64),
                    [all_times, counts, displs, MPI.DOUBLE])
    comm.Allgatherv(np.ascontiguousarray(gids, np.int32), [all_gids, counts, displs, MPI.INT])
    return all_times, all_gids


def _attempt(step: Callable[..., object], *args: object) -> PyCoreNeuronError | None:
    try:
        step(*args)
    except PyCoreNeuronError as exc:
        return exc
    return None


def run(block_set, exchange: Exchange, nsteps: int, window: int, two_halves: bool,
        nthreads: int, t_of: Callable[[], float], tstop: float,
        progress: Callable[[float, float], None] | None,
        between_halves: Callable[[], None] | None = None,
        before_steps: Callable[[], None] | None = None) -> None:
    """Advance every block nsteps steps, window by window, exchanging spikes in between;
    before_steps runs before each window (each step with two halves), where NEURON checks
    its TABLEs (nrn_fixed_step_group, nrn_fixed_step)."""
    exchange(None)  # spikes sent during initialisation (t = 0)
    done = 0
    while done < nsteps:
        chunk = min(window, nsteps - done)
        if before_steps is not None and not two_halves:
            before_steps()
        # An error in a window goes to the exchange, where every rank learns of it.
        failure: PyCoreNeuronError | None = None
        if two_halves:
            for _ in range(chunk):
                if before_steps is not None:
                    before_steps()
                if between_halves is None:
                    failure = _attempt(block_set.step_halves, nthreads)
                else:  # gap sources on other ranks: halves separately, values exchanged
                    failure = _attempt(block_set.first_halves, nthreads)
                    between_halves()  # collective: every rank takes part, failed or not
                    failure = failure or _attempt(block_set.second_halves, nthreads)
                exchange(failure)
        else:
            exchange(_attempt(block_set.advance, chunk, nthreads))
        done += chunk
        if progress is not None:
            progress(t_of(), tstop)
