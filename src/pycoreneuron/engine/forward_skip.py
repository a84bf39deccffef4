"""-k/--forwardskip T: CoreNEURON's forward skip, ten large steps before the run.

After finitialize, special-core (handle_forward_skip) sets dt to T/10 and t to -1e9, takes ten
full steps (events, currents, the solve, states, threshold detection and the spike exchange,
as any step), then puts dt and t back as they were and forgets the spikes those steps
recorded. What the steps did to the model stays: states, voltages, and the events the skipped
spikes sent, which are due at once when the run starts. A model thus starts near its resting
state without simulating the time it takes to get there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _core
from .windows import Exchange, run

SKIP_START = -1e9  # [ms] CoreNEURON's t during the skip
SKIP_STEPS = 10


def forward_skip(blocks: list[Any], block_set: Any, exchange: Exchange, forget: Callable[[], None],
                 skip: float, dt: float, two_halves: bool, nthreads: int,
                 between_halves: Callable[[], None] | None,
                 tables: Callable[[], None], after: Callable[[float], None] | None) -> None:
    """Ten steps of skip/10 ms from t = -1e9, then t, dt and the step count as before.
    forget: the exchange's own record of spikes sent (reset with the blocks' spike buffers);
    tables: rebuild the TABLEs that depend on dt; after(t): called at the skip's end (-g)."""
    if not blocks:
        run(block_set, exchange, SKIP_STEPS, 1, two_halves, nthreads, lambda: SKIP_START,
            SKIP_START, None, between_halves)
        forget()
        return
    t0, steps0 = blocks[0].t, blocks[0].steps
    samples = [block.samples for block in blocks]
    for block in blocks:
        _core.block_retime(block, SKIP_START, 0.1 * skip, 0)
    tables()
    # one step per window: CoreNEURON exchanges spikes after each step of the skip
    run(block_set, exchange, SKIP_STEPS, 1, two_halves, nthreads, lambda: blocks[0].t,
        SKIP_START, None, between_halves)
    if after is not None:
        after(blocks[0].t)
    for block, n in zip(blocks, samples, strict=True):
        _core.block_retime(block, t0, dt, steps0)
        _core.block_forget(block, n)
    forget()
    tables()
