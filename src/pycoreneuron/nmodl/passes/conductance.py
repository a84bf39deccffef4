"""CONDUCTANCE hints: taken out of BREAKPOINT into Lowered.conductance, where nrn_cur's
printer takes g from them (nocmodl's conductance_cout) instead of a finite difference."""

from __future__ import annotations

from .. import ast
from ..errors import NmodlError
from . import rewrite
from .lowered import Lowered


def run(low: Lowered) -> None:
    ions = {ion.name for ion in low.info.ions}
    for b in low.prog.blocks:
        found = [s for s in ast.walk_stmts(b.body.stmts) if isinstance(s, ast.Conductance)]
        if found and b.kind != "BREAKPOINT":
            raise NmodlError(low.filename, found[0].line,
                             "CONDUCTANCE can only appear in BREAKPOINT")
        for h in found:  # nocmodl collects them anywhere in BREAKPOINT
            if h.ion is not None and h.ion not in ions:
                raise NmodlError(low.filename, h.line, f"CONDUCTANCE {h.name} USEION {h.ion}: "
                                 f"{h.ion} is not declared as USEION in the NEURON block")
        low.conductance += found
    rewrite.blocks(low.prog, lambda s: [] if isinstance(s, ast.Conductance) else None,
                   ("BREAKPOINT",))
