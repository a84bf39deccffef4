"""LINEAR blocks: each becomes its matrix rows (linear.py), and every SOLVE of one, wherever
it is, a LinearSolve (the printer fills the matrix and runs simeq into the states)."""

from __future__ import annotations

from .. import ast, linear
from ..errors import NmodlError
from . import rewrite
from .lowered import LinearSolve, Lowered


def run(low: Lowered) -> None:
    states = {d.name: d.dim for d in low.prog.states}
    low.linear = {b.name: linear.linear_system(b, unknowns(b, states, low.filename),
                                               low.filename)
                  for b in low.prog.blocks if b.kind == "LINEAR" and b.name}

    def solve(s: ast.Stmt) -> list[ast.Stmt] | None:
        if isinstance(s, ast.Solve) and s.block in low.linear:
            return [LinearSolve(s.block, low.linear[s.block], line=s.line)]
        return None

    rewrite.blocks(low.prog, solve)


def unknowns(b: ast.CodeBlock, states: dict[str, int], filename: str) -> dict[str, int]:
    """The STATEs a LINEAR/NONLINEAR block solves for: all, or those of its SOLVEFOR (the
    others are constants there, as nocmodl's in_solvefor makes them)."""
    if b.solvefor is None:
        return states
    for n in b.solvefor:
        if n not in states:
            raise NmodlError(filename, b.line, f"SOLVEFOR {n}: {n} is not a STATE")
    return {n: d for n, d in states.items() if n in b.solvefor}
