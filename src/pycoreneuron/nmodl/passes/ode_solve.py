"""DERIVATIVE blocks: a SOLVE of one in BREAKPOINT becomes its integration step: cnexp and
euler as plain statements (Solved), derivimplicit as a NewtonSolve, NEURON's Newton solve of
backward Euler (solve.py builds both).
As nocmodl, cnexp falls back to derivimplicit for an equation it cannot solve."""

from __future__ import annotations

from .. import ast, solve
from ..errors import NmodlError
from . import rewrite
from .lowered import Lowered, NewtonSolve, Solved


def run(low: Lowered) -> None:
    fn = low.filename

    def step(s: ast.Solve, target: ast.CodeBlock) -> list[ast.Stmt]:
        method = s.method or "derivimplicit"
        if method == "cnexp":
            try:
                solved = Solved(s.block, "cnexp", solve.cnexp(target, fn), line=s.line)
                low.cnexp_or_euler.add(s.block)
                return [solved]
            except solve.CnexpImpossible:
                # nocmodl: "Could not translate using cnexp method; using derivimplicit"
                method = "derivimplicit"
        if method == "euler":
            low.cnexp_or_euler.add(s.block)
            return [Solved(s.block, "euler", solve.euler(target, fn), line=s.line)]
        if method == "derivimplicit":
            return [NewtonSolve(s.block, _implicit(low, target, s.line), line=s.line)]
        raise NmodlError(fn, s.line, f"METHOD {method} is not supported yet",
                         not_supported=True)

    rewrite.breakpoint_solves(low.prog, "DERIVATIVE", step)
    rewrite.blocks(low.prog, lambda s: _elsewhere(low, s))


def _elsewhere(low: Lowered, s: ast.Stmt) -> list[ast.Stmt] | None:
    """A SOLVE of a DERIVATIVE outside BREAKPOINT (a PROCEDURE that INITIAL calls, say):
    nocmodl solves it in place. Only METHOD derivimplicit is taken (nocmodl's cnexp is for
    nrn_state, and it wants every SOLVE of a derivimplicit block to say derivimplicit)."""
    if not isinstance(s, ast.Solve):
        return None
    target = low.prog.find_block("DERIVATIVE", s.block)
    if target is None:
        return None
    if s.steadystate == "derivimplicit":
        return [NewtonSolve(s.block, _implicit(low, target, s.line), steady=True,
                            line=s.line)]
    if s.steadystate is not None:
        return None
    if s.method != "derivimplicit":
        raise NmodlError(low.filename, s.line, f"SOLVE {s.block} METHOD {s.method or '(none)'}"
                         " outside BREAKPOINT is not supported yet (only METHOD derivimplicit)",
                         not_supported=True)
    if s.block in low.cnexp_or_euler:
        # nocmodl: "all SOLVEs using that block must use the derivimplicit method"
        raise NmodlError(low.filename, s.line, f"SOLVE {s.block}: BREAKPOINT solves it by "
                         "another method than derivimplicit (nocmodl refuses the file)")
    return [NewtonSolve(s.block, _implicit(low, target, s.line), line=s.line)]


def _implicit(low: Lowered, target: ast.CodeBlock, line: int) -> solve.Implicit:
    system = solve.derivimplicit(target, low.filename)
    for x in system.states:
        if low.info.declared[x].dim != 1:
            raise NmodlError(low.filename, line, f"METHOD derivimplicit on the array state "
                             f"{x} is not supported yet", not_supported=True)
    return system
