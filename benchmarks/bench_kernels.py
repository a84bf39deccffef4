"""Micro-benchmarks of the kernels that dominate a step, on one real cache-sized block.

Question: what does each way of assembling and solving the cable matrix cost per node, on the
nodes the engine really runs (one block of the 204K-compartment ringtest, as the partitioner
makes it: about 16K nodes, breadth first)? Each kernel runs on the same arrays in the same
process; the figure is the time of one call. The orderings they compare:

- ``hines_solve`` on the group's own node order (cell after cell: each cell's chain of
  divisions is serial) against ``hines_solve_levels`` on the breadth-first block (the
  divisions of a level are independent);
- the axial terms in two scatter passes (``cable_axial_rhs`` then ``cable_axial_d``) against
  the fused pass the engine runs.

Both sides give the same bits (tests/test_hines.py, tests/test_cable.py); this file only times.

    python -m pytest benchmarks/bench_kernels.py
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

SIZE = "nring16"


@pytest.fixture(scope="module")
def blocks(ringtest_size: Callable[..., tuple[Path, float]]) -> dict[str, dict[str, np.ndarray]]:
    """The first cache-sized block of the dataset, breadth first, and as many cells in the
    order NEURON wrote them (the group's first ones: the same kind of cells, in file order)."""
    import pycoreneuron
    from pycoreneuron.engine.partition import split_groups
    from pycoreneuron.engine.simulate import default_blocks
    from pycoreneuron.io.dataset import read_dataset

    folder, _ = ringtest_size(SIZE)
    coredat = folder / "coredat"
    groups = read_dataset(coredat, None, pycoreneuron.mechanisms()).groups
    block = split_groups(groups, default_blocks(groups, 1), keep_together_below=0.025)[0]
    # As written: the group's first block.n_real_cell cells and their nodes.
    whole = read_dataset(coredat, None, pycoreneuron.mechanisms()).groups[0]
    cells = whole.cell_of_node()
    keep = np.flatnonzero(cells < block.n_real_cell)
    new = np.full(whole.nnode, -1, np.int64)
    new[keep] = np.arange(len(keep))
    parent = whole.parent[keep].astype(np.int64)
    parent[block.n_real_cell:] = new[parent[block.n_real_cell:]]
    out = {}
    for name, g, idx, par in (("breadth_first", block, np.arange(block.nnode), block.parent),
                              ("as_written", whole, keep, parent)):
        n = len(idx)
        out[name] = {
            "ncell": block.n_real_cell,
            "parent": np.ascontiguousarray(np.asarray(par)[:n], dtype=np.int32),
            "a": np.ascontiguousarray(g.a[idx][:n]), "b": np.ascontiguousarray(g.b[idx][:n]),
            "v": np.ascontiguousarray(g.v[idx][:n]),
            "d": np.full(n, 10.0), "rhs": np.linspace(-1.0, 1.0, n),
        }
    return out


def _per_node(benchmark, nnode: int) -> None:
    benchmark.extra_info["nodes"] = nnode
    benchmark.extra_info["ns_per_node"] = benchmark.stats.stats.min / nnode * 1e9


@pytest.mark.parametrize("order", ["as_written", "breadth_first"])
def bench_hines_solve(benchmark, blocks, order: str) -> None:
    from pycoreneuron import _core

    blk = blocks[order]
    d, rhs = blk["d"].copy(), blk["rhs"].copy()
    if order == "as_written":
        run = lambda: _core.hines_solve(blk["ncell"], blk["parent"], blk["a"], blk["b"],  # noqa: E731
                                        d, rhs, check=False)
    else:
        levels = _core.hines_levels(blk["ncell"], blk["parent"])
        assert levels is not None
        run = lambda: _core.hines_solve_levels(levels, blk["parent"], blk["a"],  # noqa: E731
                                               blk["b"], d, rhs, check=False)

    def fresh() -> tuple[tuple, dict]:
        d[:] = blk["d"]
        rhs[:] = blk["rhs"]
        return (), {}

    benchmark.pedantic(run, setup=fresh, rounds=200, warmup_rounds=5)
    _per_node(benchmark, len(d))


@pytest.mark.parametrize("fused", [False, True], ids=["two_passes", "fused"])
def bench_axial_terms(benchmark, blocks, fused: bool) -> None:
    from pycoreneuron import _core

    blk = blocks["breadth_first"]
    d, rhs = blk["d"].copy(), blk["rhs"].copy()
    benchmark.pedantic(lambda: _core.axial_terms(blk["ncell"], blk["parent"], blk["a"],
                                                 blk["b"], blk["v"], rhs, d, fused=fused),
                       rounds=200, warmup_rounds=5)
    _per_node(benchmark, len(d))
