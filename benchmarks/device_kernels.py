"""The single-source device kernels timed on a CUDA device against their host builds.

    python benchmarks/device_kernels.py [--cells 8000] [--nodes-per-cell 200] [--repeats 50]

A forest of random cells in the device layout (partition.cell_interleaved_positions), by
default 8000 cells of 200 compartments (1.6M, the ringtest size of the issue); for each
kernel: the host build on one core, the CPU engine's own solve (level order), and the device
(kernel time by CUDA events, copies excluded), after checking that the device gives the host's
bits. Needs a device: benchmarks/gpu_check.sh runs it there.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from pycoreneuron import _core
from pycoreneuron.engine import device
from pycoreneuron.engine.partition import cell_interleaved_positions


def forest(ncell: int, per_cell: int, seed: int = 1) -> tuple[np.ndarray, ...]:
    """ncell cells of per_cell nodes, each node's parent an earlier node of its cell; the
    cells' nodes interleaved as NEURON writes a group (cell by cell would do as well)."""
    rng = np.random.default_rng(seed)
    local = np.arange(1, per_cell)
    # a cable with branches: the parent is the node before, or one a few nodes back
    back = np.minimum(local, rng.integers(1, 4, size=(ncell, per_cell - 1)))
    parent_local = local - back  # in 0..k-1
    n = ncell * per_cell
    cell_of = np.concatenate([np.arange(ncell), np.repeat(np.arange(ncell), per_cell - 1)])
    index = np.empty((ncell, per_cell), np.int64)  # node number of (cell, k)
    index[:, 0] = np.arange(ncell)
    index[:, 1:] = ncell + np.arange(ncell * (per_cell - 1)).reshape(ncell, per_cell - 1)
    parent = np.full(n, -1, np.int64)
    parent[index[:, 1:]] = np.take_along_axis(index, parent_local, axis=1)
    pos, (row_start,), (cell_len,) = cell_interleaved_positions(
        cell_of.astype(np.int32), np.zeros(ncell, np.int64), 1)
    new_parent = np.full(n, -1, np.int64)
    new_parent[pos[ncell:]] = pos[parent[ncell:]]
    a = -rng.uniform(0.1, 2.0, n)
    b = -rng.uniform(0.1, 2.0, n)
    d = rng.uniform(5.0, 10.0, n)
    rhs = rng.uniform(-1.0, 1.0, n)
    return cell_len, row_start, new_parent.astype(np.int32), a, b, d, rhs


def best_of(repeats: int, run) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best * 1e3


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cells", type=int, default=8000)
    p.add_argument("--nodes-per-cell", type=int, default=200)
    p.add_argument("--repeats", type=int, default=50)
    args = p.parse_args(argv)
    found = device.devices()
    if not found:
        print("no CUDA device here: nothing to time", file=sys.stderr)
        return 2
    cell_len, row_start, parent, a, b, d, rhs = forest(args.cells, args.nodes_per_cell)
    host_d, host_rhs = d.copy(), rhs.copy()
    _core.hines_interleaved(cell_len, row_start, parent, a, b, host_d, host_rhs)
    dev_d, dev_rhs = d.copy(), rhs.copy()
    kernel_ms = device.hines_interleaved(cell_len, row_start, parent, a, b, dev_d, dev_rhs,
                                         repeats=args.repeats)
    same = dev_d.tobytes() == host_d.tobytes() and dev_rhs.tobytes() == host_rhs.tobytes()
    host_ms = best_of(5, lambda: _core.hines_interleaved(cell_len, row_start, parent, a, b,
                                                         d.copy(), rhs.copy()))
    result = {"device": found[0]["name"], "nodes": int(len(parent)), "cells": args.cells,
              "same_bits": same, "hines_device_kernel_ms": kernel_ms,
              "hines_host_build_ms_one_core_with_layout_check": host_ms}
    print(json.dumps(result, indent=1))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
