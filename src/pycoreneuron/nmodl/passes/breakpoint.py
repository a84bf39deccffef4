"""BREAKPOINT split in two, as nocmodl and nmodl print it: NRN_STATE (step J: the solved
SOLVEs in order, then, for a mechanism without currents, the other statements) and NRN_CUR
(step D3: the other statements, which set the currents). A SOLVE of a PROCEDURE without
arguments calls it. Any SOLVE still left after the solve passes is refused."""

from __future__ import annotations

from .. import ast
from ..errors import NmodlError
from .lowered import (
    NRN_CUR,
    NRN_STATE,
    LinearSolve,
    Lowered,
    NewtonSolve,
    NonlinearSolve,
    Solved,
    SparseSolve,
)

_SOLVED = (Solved, NewtonSolve, NonlinearSolve, SparseSolve, LinearSolve)


def run(low: Lowered) -> None:
    prog, fn = low.prog, low.filename
    procs = low.procs()
    bp = prog.find_block("BREAKPOINT")
    if bp is not None:
        state: list[ast.Stmt] = []
        cur: list[ast.Stmt] = []
        for s in bp.body.stmts:
            if isinstance(s, _SOLVED):
                state.append(s)
            elif isinstance(s, ast.Solve):
                proc = procs.get(s.block)
                if proc is None or proc.kind != "PROCEDURE" or proc.params:
                    raise NmodlError(fn, s.line, f"SOLVE {s.block}: no DERIVATIVE or "
                                     "PROCEDURE of that name")
                state.append(ast.CallStmt(ast.Call(s.block, [], line=s.line), line=s.line))
            else:
                cur.append(s)
        if not low.info.currents:
            # nocmodl and nmodl run a BREAKPOINT without currents in nrn_state, its other
            # statements after the SOLVEs (nmodl's print_nrn_state)
            state, cur = state + cur, []
        at = prog.blocks.index(bp)
        prog.blocks[at:at + 1] = [ast.CodeBlock(NRN_STATE, None, [], ast.Block(state),
                                                line=bp.line),
                                  ast.CodeBlock(NRN_CUR, None, [], ast.Block(cur), line=bp.line)]
    for b in prog.blocks:
        for s in ast.walk_stmts(b.body.stmts):
            if isinstance(s, ast.Solve):
                raise NmodlError(fn, s.line, f"SOLVE {s.block} in {b.kind} is not supported "
                                 "(only LINEAR, NONLINEAR and STEADYSTATE there)",
                                 not_supported=True)
