"""Constructs no pass lowers and no printer prints: refused here, with file and line, before
anything is generated."""

from __future__ import annotations

import re

from .. import ast, verbatim
from ..errors import NmodlError
from .lowered import Lowered

_C_COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)

# mechanism_abi.h's enum pcn_ba_when: the BEFORE/AFTER blocks NEURON implements
BA_ORDER = [("BEFORE", "INITIAL"), ("AFTER", "INITIAL"), ("BEFORE", "BREAKPOINT"),
            ("AFTER", "SOLVE"), ("BEFORE", "STEP")]


def run(low: Lowered) -> None:
    fn = low.filename
    for b in low.prog.blocks:
        if b.kind in ("BEFORE", "AFTER") and (b.kind, b.name) not in BA_ORDER:
            # NEURON's hoc_reg_ba: "before-after processing type ... not implemented"
            raise NmodlError(fn, b.line, f"{b.kind} {b.name}: NEURON does not implement it")
        if b.kind == "CONSTRUCTOR" and any(
                isinstance(x, ast.Verbatim) and _C_COMMENTS.sub("", x.text).strip()
                for x in ast.walk_stmts(b.body.stmts)):
            # what its C did happened in NEURON's memory, which the dataset does not hold
            # (a VERBATIM of comments alone does nothing)
            raise NmodlError(fn, b.line, f"{b.kind} with VERBATIM is not supported yet",
                             not_supported=True)
    fields = {n for n, _ in low.info.variables}
    for block in verbatim.blocks_of(low.prog):
        held = verbatim.pointer_in_double(block.text, fields)
        if held is not None:
            name, k = held
            raise NmodlError(fn, block.line + k, f"VERBATIM keeps a pointer in the double "
                             f"{name} (an address in NEURON's memory, meaningless in a "
                             "dataset; CoreNEURON needs a BBCOREPOINTER): not supported",
                             not_supported=True)


def global_parameter_assignments(low: Lowered) -> None:
    """A GLOBAL PARAMETER that code assigns outside PROTECT is a thread variable (layout.py,
    as nocmodl makes it); one assigned under PROTECT stays, in NEURON, one static copy shared
    by all threads, which our kernels do not have: refused. Runs after the constants pass."""
    for b in low.prog.blocks:
        local = set(b.params) | {n for s in ast.walk_stmts(b.body.stmts)
                                 if isinstance(s, ast.Local) for n, _ in s.names}
        for s in ast.walk_stmts(b.body.stmts):
            if isinstance(s, ast.Assign) and s.target.name in low.info.externals \
                    and s.target.name not in local:
                # NEURON writes the other mechanism's C global; our threads would race on it
                raise NmodlError(low.filename, s.line, f"assignment to EXTERNAL "
                                 f"{s.target.name} is not supported", not_supported=True)
            if isinstance(s, ast.Assign) and s.target.name in low.global_params \
                    and s.target.name not in local:
                raise NmodlError(low.filename, s.line, f"assignment to GLOBAL parameter "
                                 f"{s.target.name} under PROTECT is not supported (NEURON keeps "
                                 "one copy for all threads)", not_supported=True)
