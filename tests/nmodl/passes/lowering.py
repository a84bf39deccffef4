"""Helpers of the pass tests: MOD text in, the lowered program's text out."""

from __future__ import annotations

import textwrap

from pycoreneuron.nmodl.passes import Lowered, lower
from pycoreneuron.nmodl.pipeline import analyse_text
from pycoreneuron.nmodl.printer import block_lines


def run_until(mod: str, until: str) -> Lowered:
    prog, info = analyse_text(textwrap.dedent(mod), "t.mod")
    return lower(prog, info, until=until)


def block_text(low: Lowered, kind: str, name: str | None = None) -> str:
    b = low.prog.find_block(kind, name)
    assert b is not None, f"no {kind} block"
    return "\n".join(block_lines(b.body.stmts, "")) + "\n"


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")
