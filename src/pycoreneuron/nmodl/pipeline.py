"""The translator as data: the list of passes, run in order over one MOD file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import layout, symbols, thread_globals
from .ast import Program
from .info import MechanismInfo
from .parser import parse

# Analysis passes: each reads the AST and fills MechanismInfo. Code generation comes after.
ANALYSIS_PASSES: list[tuple[str, Callable[[Program, MechanismInfo], None]]] = [
    ("symbols", symbols.run),
    ("layout", lambda prog, info: layout.run(info)),
    ("thread_globals", thread_globals.run),
]


def analyse_text(text: str, filename: str = "<string>") -> tuple[Program, MechanismInfo]:
    """Parse and analyse MOD text; returns the AST and the filled MechanismInfo."""
    prog = parse(text, filename)
    info = MechanismInfo(filename)
    for _name, run in ANALYSIS_PASSES:
        run(prog, info)
    return prog, info


def analyse_file(path: str | Path) -> tuple[Program, MechanismInfo]:
    p = Path(path)
    return analyse_text(p.read_text(encoding="utf-8", errors="replace"), str(p))
