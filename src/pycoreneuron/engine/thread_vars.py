"""NEURON's per-thread GLOBALs and the instance each mechanism type builds its TABLEs from.

NEURON keeps one persistent copy of a mechanism's thread variables (GLOBALs its code writes,
top-level LOCALs) per thread; the first thread's copy is hoc's, so globals.dat holds its
values. Every block gets its own copy, started from globals.dat: exact whenever the values do
not depend on which instances ran before (nmodl/thread_globals.py decides that; a mechanism
for which they do keeps its group in one block, instances in NEURON's order, see
partition.split_groups).

NEURON builds a type's TABLEs once from the first instance of the first thread that has the
type (nrn_thread_table_check passes instance 0), so RANGE values that instance holds shape
every instance's table. We use the same instance; where those values differ between instances
and the dataset has several groups (NEURON builds one table per rank, from a thread this run
may not hold), the run is refused.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import NotSupportedError
from ..io.model import Group
from ..nmodl import library


def ordered_mechanisms(descriptors: dict[Any, Any]) -> set[str]:
    """Mechanisms whose instances must run in NEURON's order, one copy per group."""
    return {name for name, desc in descriptors.items()
            if name is not None and desc.flags & library.ORDER_DEPENDENT}


def tables_recheck(descriptors: dict[Any, Any]) -> bool:
    """Whether some TABLE must be checked again before every window."""
    return any(name is not None and desc.flags & library.TABLE_RECHECK
               for name, desc in descriptors.items())


def refuse_ambiguous_start(descriptors: dict[Any, Any], used: set[str], ngroups: int) -> None:
    """An order-dependent GLOBAL read before this run writes it starts, in NEURON, from what
    each thread left there; the dataset holds only the first thread's value."""
    if ngroups < 2:
        return
    for name in sorted(used):
        desc = descriptors.get(name)
        if desc is not None and desc.flags & library.INITIAL_MATTERS:
            raise NotSupportedError(
                f"{desc.order_note.decode()}, and may be read before this run writes it: its "
                f"starting value in each of the dataset's {ngroups} groups (NEURON threads) "
                "is not in the dataset; dump the model from one thread")


def initial_values(desc: Any, globals_dat: Any) -> np.ndarray:
    """A fresh copy of the thread variables, from globals.dat where it has them."""
    out = np.zeros(max(1, desc.ntvars), dtype=np.float64)
    for name, offset, dim in library.thread_variables(desc):
        if dim == 1:
            value = globals_dat.get(name)
            if value is not None:
                out[offset] = value
        else:
            values = globals_dat.arrays.get(name)
            if values is not None and len(values) == dim:
                out[offset : offset + dim] = values
    return out


def _table_source(blocks: list[Group], name: str) -> tuple[int, int] | None:
    """(block, instance) of the first instance of the first group that has the type."""
    best: tuple[int, int, int, int] | None = None  # (group, instance in group, block, local)
    for b, block in enumerate(blocks):
        m = block.mechanism(name)
        if m is None or m.n == 0:
            continue
        group = block.origin_group if block.origin_group >= 0 else b
        origin = m.origin if m.origin is not None else np.arange(m.n)
        local = int(np.argmin(origin))
        key = (group, int(origin[local]), b, local)
        if best is None or key < best:
            best = key
    return None if best is None else (best[2], best[3])


def _check_table_inputs(blocks: list[Group], name: str, desc: Any, ngroups: int) -> None:
    inputs = library.table_inputs(desc)
    if not inputs or ngroups < 2:
        return
    for var in inputs:
        values = []
        for block in blocks:
            m = block.mechanism(name)
            if m is None or m.n == 0 or var not in dict(m.variables):
                continue
            values.append(np.asarray(m.field(var)).reshape(m.n, -1))
        if not values:
            continue
        allv = np.concatenate(values)
        if not (allv == allv[0]).all() and not np.isnan(allv).all():
            raise NotSupportedError(
                f"{desc.name.decode()}: its TABLEs are built from {var}, which differs between "
                f"instances; NEURON builds them on each rank from the first instance of its "
                f"first thread, which a run of {ngroups} groups cannot reproduce")


def attach(blocks: list[Group], specs: list[dict[str, Any]], descriptors: dict[Any, Any],
           globals_dat: Any, ngroups: int) -> None:
    """Give every block's mechanism spec its thread variables and its TABLE instance."""
    sources: dict[str, tuple[int, int] | None] = {}
    for b, (block, spec) in enumerate(zip(blocks, specs, strict=True)):
        for m, ms in zip(block.mechanisms, spec["mechanisms"], strict=True):
            desc = descriptors.get(m.name)
            if desc is None or not ms.get("desc"):
                continue
            if m.name not in sources:
                sources[m.name] = _table_source(blocks, m.name)
                _check_table_inputs(blocks, m.name, desc, ngroups)
            if desc.ntvars > 1:
                ms["tvars"] = initial_values(desc, globals_dat)
            source = sources[m.name]
            ms["table_id"] = source[1] if source is not None and source[0] == b else -2
