"""TABLE: taken out of its FUNCTION or PROCEDURE into Lowered.tables; the printer makes the
untabled body, the lookup and the build (numerics doc 12.5)."""

from __future__ import annotations

from .. import ast
from ..errors import NmodlError
from .lowered import Lowered


def run(low: Lowered) -> None:
    for b in low.prog.blocks:
        top = [s for s in b.body.stmts if isinstance(s, ast.Table)]
        nested = [s for s in ast.walk_stmts(b.body.stmts)
                  if isinstance(s, ast.Table) and all(s is not t for t in top)]
        if b.kind not in ("PROCEDURE", "FUNCTION"):
            nested += top
        if nested:
            raise NmodlError(low.filename, nested[0].line, "TABLE is supported only as a "
                             "statement of a FUNCTION or PROCEDURE body", not_supported=True)
        for s in top:
            if len(b.params) != 1:
                raise NmodlError(low.filename, s.line, "TABLE needs exactly one argument")
            low.tables[b.name] = s
        b.body.stmts = [s for s in b.body.stmts if not isinstance(s, ast.Table)]
