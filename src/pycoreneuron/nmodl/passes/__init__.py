"""The lowering passes, run in order after the analysis passes (pipeline.py).

Each pass turns one construct into simpler AST (or takes it out into ``Lowered``), so that a
printer only prints: after the last one, BREAKPOINT is NRN_STATE + NRN_CUR, no SOLVE, TABLE,
CONDUCTANCE, WATCH, at_time or state_discontinuity statement is left, and every solved block
is a Solved, NewtonSolve, NonlinearSolve, SparseSolve or LinearSolve node (lowered.py)."""

from __future__ import annotations

import copy
from collections.abc import Callable

from .. import ast
from ..info import MechanismInfo
from . import (
    breakpoint,
    checks,
    conductance,
    constants,
    discontinuities,
    for_netcons,
    kinetic_solve,
    linear_solve,
    net_receive,
    nonlinear_solve,
    ode_solve,
    simd,
    tables,
)
from .lowered import Lowered

LOWERING_PASSES: list[tuple[str, Callable[[Lowered], None]]] = [
    ("checks", checks.run),
    ("constants", constants.run),
    ("global_parameter_assignments", checks.global_parameter_assignments),
    ("tables", tables.run),
    ("conductance", conductance.run),
    ("discontinuities", discontinuities.run),
    ("net_receive", net_receive.run),
    ("for_netcons", for_netcons.run),
    ("linear_solve", linear_solve.run),
    ("nonlinear_solve", nonlinear_solve.run),
    ("kinetic_solve", kinetic_solve.run),
    ("ode_solve", ode_solve.run),
    ("breakpoint", breakpoint.run),
    ("simd", simd.run),
]


def lower(prog: ast.Program, info: MechanismInfo, until: str | None = None) -> Lowered:
    """Run the lowering passes on a copy of prog (through the pass named ``until``)."""
    low = Lowered(copy.deepcopy(prog), info)
    for name, run in LOWERING_PASSES:
        run(low)
        if name == until:
            break
    return low


__all__ = ["LOWERING_PASSES", "Lowered", "lower"]
