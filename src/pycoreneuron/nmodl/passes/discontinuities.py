"""at_time and state_discontinuity: hints for NEURON's variable-step integrator.

In the fixed step at_time does nothing (a statement goes, a value is 0) and
``state_discontinuity(x, e)`` in NET_RECEIVE is ``x = e`` (as nmodl and nocmodl print it).
Elsewhere state_discontinuity is refused."""

from __future__ import annotations

from .. import ast
from ..errors import NmodlError
from . import rewrite
from .lowered import Lowered


def run(low: Lowered) -> None:
    for b in low.prog.blocks:
        in_nr = b.kind == "NET_RECEIVE"

        def stmt(s: ast.Stmt, in_nr: bool = in_nr) -> list[ast.Stmt] | None:
            if isinstance(s, ast.CallStmt) and s.call.name == "at_time":
                return []
            if isinstance(s, ast.CallStmt) and s.call.name == "state_discontinuity" and in_nr \
                    and len(s.call.args) == 2 and isinstance(s.call.args[0], ast.Name):
                return [ast.Assign(s.call.args[0], s.call.args[1], line=s.line)]
            return None

        b.body.stmts = rewrite.stmts(b.body.stmts, stmt)
        for s in ast.walk_stmts(b.body.stmts):
            rewrite.stmt_exprs(s, _at_time_value)
            for e in ast.stmt_exprs(s):
                for x in ast.walk_expr(e):
                    if isinstance(x, ast.Call) and x.name == "state_discontinuity":
                        raise NmodlError(low.filename, x.line or s.line, "state_discontinuity "
                                         "outside NET_RECEIVE is not supported yet",
                                         not_supported=True)


def _at_time_value(e: ast.Expr) -> ast.Expr | None:
    if isinstance(e, ast.Call) and e.name == "at_time":
        return ast.Num("0.0", line=e.line)
    return None
