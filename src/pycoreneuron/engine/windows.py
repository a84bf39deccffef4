"""The window loop: every block advances a whole window, then spikes cross between blocks.

A spike can reach another block only after the minimum delay of the NetCons between blocks,
so within one window of at most that length every block evolves on its own (architecture.md).
Gap junctions between blocks need the other side's voltage every step: such runs step in
halves with the transfer in between, and exchange spikes every step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..errors import NotSupportedError


def window_steps(mindelay: float, cross_delays: np.ndarray, dt: float) -> int:
    """Steps per window: the minimum delay between blocks (capped by mindelay), in steps."""
    delay = min([mindelay, *cross_delays.tolist()]) if cross_delays.size else mindelay
    if cross_delays.size and float(cross_delays.min()) < dt:
        raise NotSupportedError(
            f"a NetCon between groups has delay {float(cross_delays.min()):g} ms, less than "
            f"dt = {dt:g} ms")
    return max(1, int(delay / dt + 1e-9))


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


def exchange(blocks: Sequence, marks: list[int]) -> None:
    """Hand each block the spikes the others recorded since the last exchange, block order."""
    if len(blocks) < 2:
        return
    parts = []
    for k, block in enumerate(blocks):
        parts.append(block.spikes_since(marks[k]))
        marks[k] = block.nspike
    times = np.concatenate([p[0] for p in parts])
    gids = np.concatenate([p[1] for p in parts])
    if times.size:
        for block in blocks:
            block.receive(times, gids)


def run(blocks: Sequence, nsteps: int, window: int, two_halves: bool,
        tstop: float, progress: Callable[[float, float], None] | None) -> None:
    """Advance every block nsteps steps, window by window."""
    marks = [block.nspike for block in blocks]
    exchange(blocks, marks)  # spikes sent during initialisation (t = 0)
    done = 0
    while done < nsteps:
        chunk = min(window, nsteps - done)
        if two_halves:
            for _ in range(chunk):
                for block in blocks:
                    block.step_first_half()
                for block in blocks:
                    block.step_second_half()
                exchange(blocks, marks)
        else:
            for block in blocks:
                block.advance(chunk)
            exchange(blocks, marks)
        done += chunk
        if progress is not None:
            progress(blocks[0].t, tstop)
