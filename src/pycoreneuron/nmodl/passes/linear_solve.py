"""LINEAR blocks: each becomes its matrix rows (linear.py), and every SOLVE of one, wherever
it is, a LinearSolve (the printer fills the matrix and runs simeq into the states)."""

from __future__ import annotations

from .. import ast, linear
from . import rewrite
from .lowered import LinearSolve, Lowered


def run(low: Lowered) -> None:
    states = {d.name: d.dim for d in low.prog.states}
    low.linear = {b.name: linear.linear_system(b, states, low.filename)
                  for b in low.prog.blocks if b.kind == "LINEAR" and b.name}

    def solve(s: ast.Stmt) -> list[ast.Stmt] | None:
        if isinstance(s, ast.Solve) and s.block in low.linear:
            return [LinearSolve(s.block, low.linear[s.block], line=s.line)]
        return None

    rewrite.blocks(low.prog, solve)
