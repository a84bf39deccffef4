"""NONLINEAR blocks: each ``~ lhs = rhs`` becomes a Residual ``-(lhs) + rhs`` (nocmodl pastes
that text, so C evaluates exactly it), and every SOLVE of the block, wherever it is, a
NonlinearSolve: scopmath's Newton (the printer's) on the residuals, for the STATEs the
equations name, in nocmodl's order (its symbol table: by first character, the name the file
mentions last first within one)."""

from __future__ import annotations

from .. import ast
from ..errors import NmodlError
from ..parser import parse_expr
from ..printer import _expr as nmodl_text
from . import rewrite
from .linear_solve import unknowns
from .lowered import Lowered, NonlinearSolve, Residual


def run(low: Lowered) -> None:
    prog, fn = low.prog, low.filename
    states = {d.name: d.dim for d in prog.states}
    systems: dict[str, NonlinearSolve] = {}
    for b in prog.blocks:
        if b.kind != "NONLINEAR":
            continue
        solved = unknowns(b, states, fn)
        eqs = [s for s in ast.walk_stmts(b.body.stmts) if isinstance(s, ast.LinEq)]
        used: list[str] = []
        for e in eqs:
            named = [x.name for side in (e.left, e.right) for x in ast.walk_expr(side)
                     if isinstance(x, (ast.Name, ast.Indexed)) and x.name in solved]
            if not named:
                raise NmodlError(fn, e.line, "previous equation contains no state variables")
            for n in named:
                if n not in used:
                    used.append(n)
        arrays = [n for n in used if states[n] != 1]
        if arrays:
            raise NmodlError(fn, b.line, f"NONLINEAR {b.name}: the array state {arrays[0]} is "
                             "not supported yet", not_supported=True)
        neqs = sum(not e.add for e in eqs)
        if neqs == 0:
            raise NmodlError(fn, b.line, "NONLINEAR contains no equations")
        if neqs != len(used):
            raise NmodlError(fn, b.line, f"Number of equations, {neqs}, does not equal "
                             f"number, {len(used)} of states used")
        order = sorted(used, key=lambda n: (ord(n[0]), -prog.first_seen.get(n, 0)))

        def residual(s: ast.Stmt) -> list[ast.Stmt] | None:
            if not isinstance(s, ast.LinEq):
                return None
            text = f"-({nmodl_text(s.left)}) + {nmodl_text(s.right)}"
            return [Residual(parse_expr(text, fn, s.line), add=s.add, line=s.line)]

        body = rewrite.stmts(b.body.stmts, residual)
        systems[b.name] = NonlinearSolve(b.name, order, body, line=b.line)

    def solve(s: ast.Stmt) -> list[ast.Stmt] | None:
        if isinstance(s, ast.Solve) and s.block in systems:
            m = systems[s.block]
            return [NonlinearSolve(m.block, m.states, m.body, line=s.line)]
        return None

    rewrite.blocks(prog, solve)
