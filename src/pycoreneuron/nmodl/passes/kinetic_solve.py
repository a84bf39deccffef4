"""KINETIC blocks: a SOLVE of one becomes a SparseSolve of its reaction system, lowered by
kinetic.py to nocmodl's matrix statements (METHOD sparse in BREAKPOINT; STEADYSTATE sparse
wherever it is). Every other STEADYSTATE is refused."""

from __future__ import annotations

from .. import ast, kinetic
from ..errors import NmodlError
from . import rewrite
from .lowered import Lowered, SparseSolve


def run(low: Lowered) -> None:
    prog, fn = low.prog, low.filename

    def steady(s: ast.Stmt) -> list[ast.Stmt] | None:
        if not isinstance(s, ast.Solve) or s.steadystate is None:
            return None
        if s.steadystate == "derivimplicit":
            return None  # ode_solve's
        kin = prog.find_block("KINETIC", s.block)
        if kin is None or s.steadystate != "sparse":
            raise NmodlError(fn, s.line, f"SOLVE {s.block} STEADYSTATE {s.steadystate} is not "
                             "supported yet (only STEADYSTATE sparse of a KINETIC block)",
                             not_supported=True)
        return [SparseSolve(s.block, kinetic.lower(kin, prog, fn), steady=True, line=s.line)]

    rewrite.blocks(prog, steady)

    def sparse(s: ast.Solve, kin: ast.CodeBlock) -> list[ast.Stmt]:
        if s.method != "sparse":
            raise NmodlError(fn, s.line, f"METHOD {s.method or '(none)'} on a KINETIC block "
                             "is not supported yet (only sparse)", not_supported=True)
        return [SparseSolve(s.block, kinetic.lower(kin, prog, fn), line=s.line)]

    rewrite.breakpoint_solves(prog, "KINETIC", sparse)
