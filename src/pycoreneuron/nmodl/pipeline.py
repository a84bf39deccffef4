"""The translator as data: the list of passes, run in order over one MOD file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import UsageError
from ..io.text import read_bounded
from ..limits import MAX_MOD_BYTES
from . import layout, symbols, thread_globals
from .ast import Program
from .errors import NmodlError
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
    try:
        for _name, run in ANALYSIS_PASSES:
            run(prog, info)
    except RecursionError:  # an expression past what the passes' recursion reaches
        raise NmodlError(filename, 0, "nested too deeply to translate") from None
    return prog, info



def read_mod_text(path: str | Path) -> str:
    """A MOD file's text, refused in one sentence (NmodlError) when it is not a regular file
    (a named pipe would block) or is far larger than a MOD file."""
    p = Path(path)
    try:
        data = read_bounded(p, MAX_MOD_BYTES, "a MOD file", UsageError)
    except UsageError as exc:
        raise NmodlError(str(p), 0, str(exc).removeprefix(f"{p}: ")) from None
    return data.decode("utf-8", errors="replace")


def analyse_file(path: str | Path) -> tuple[Program, MechanismInfo]:
    p = Path(path)
    return analyse_text(read_mod_text(p), str(p))
