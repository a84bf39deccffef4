"""FOR_NETCONS: the loops the engine can run as NEURON does.

NEURON walks the NetCons onto an instance in the order of its list of spike sources, then
of each source's NetCons; the dataset does not say that order across sources. A loop whose
body only updates the walked NetCon's own arguments, from them and from values the loop does
not change, gives the same result in any order, so it is taken; any other (a sum into a RANGE
variable, a call, VERBATIM, an event) is refused with its line."""

from __future__ import annotations

from .. import ast, names
from ..errors import NmodlError
from .lowered import Lowered


def run(low: Lowered) -> None:
    fn = low.filename
    for b in low.prog.blocks:
        for s in ast.walk_stmts(b.body.stmts):
            if isinstance(s, ast.ForNetcons):
                _check(s, fn)


def _check(loop: ast.ForNetcons, fn: str) -> None:
    args = set(loop.params)
    local: set[str] = set()
    for s in ast.walk_stmts(loop.body.stmts):
        if isinstance(s, ast.ForNetcons):
            raise NmodlError(fn, s.line, "FOR_NETCONS inside FOR_NETCONS", not_supported=True)
        if isinstance(s, ast.Local):
            local |= {n for n, _ in s.names}
        if isinstance(s, ast.Assign) and s.target.name not in args | local:
            raise _refused(fn, s.line, f"it assigns {s.target.name}")
        if isinstance(s, (ast.Verbatim, ast.CallStmt, ast.Watch)):
            raise _refused(fn, s.line, f"it holds a {type(s).__name__} statement")
        for e in ast.stmt_exprs(s):
            for x in ast.walk_expr(e):
                if isinstance(x, ast.Call) and x.name not in names.MATH:
                    raise _refused(fn, s.line, f"it calls {x.name}()")


def _refused(fn: str, line: int, why: str) -> NmodlError:
    return NmodlError(fn, line, f"FOR_NETCONS whose result may depend on the order of the "
                      f"NetCons ({why}): NEURON's order is not in the dataset",
                      not_supported=True)
