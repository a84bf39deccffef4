"""VERBATIM blocks: C text passed through, seeing MOD names as nocmodl's C would show them.

nocmodl lets VERBATIM code use a range, state or parameter by its bare name, ``t``, ``dt``,
a FUNCTION's locals and arguments as ``_l<name>`` (its return value as ``_l<function>``),
POINTER and BBCOREPOINTER slots as ``_p_<name>``, the other FUNCTIONs and PROCEDUREs by
name, and ``_threadargs_``/``_threadargsproto_`` for passing the instance along. We give
the same names as macros over our ABI (mechanism_abi.h), defined right before each VERBATIM
block and undefined right after it, so they never touch the generated code around it. Only
names that occur in some VERBATIM block of the file get a macro (a macro defined in one block,
say ``#define INFOCAST ... _p_ptr ...``, may be expanded in another).

Each block is preceded by ``#line <n> "<file>.mod"``, so a C compiler's message about it names
the MOD file and line; the generated code's own numbering resumes after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import ast, names

# The generated C's numbering, restored after each block: a marker print_file() replaces.
LINE_RESET = "#line @pcn_resume@"

_COMMENT_OR_STRING = re.compile(r'/\*[\s\S]*?\*/|//[^\n]*|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'')
# An identifier, not a member (after . or ->) and not a number's exponent (1e5).
_IDENT = re.compile(r"(?<![\w.])(?<!->)[A-Za-z_]\w*")
# Names our macros expand to: a MOD name among them cannot get a macro of its own.
RESERVED = {"a", "id", "tv", "v", "data", "stride", "pdata", "vdata", "dp_base", "ni"}

THREADARGS = "a, id, tv, v"
THREADARGS_PROTO = "const pcn_mech_args *a, int id, struct pcn_tv *tv, double v"
_FIXED = {
    "_threadargs_": THREADARGS,
    "_threadargscomma_": THREADARGS + ",",
    "_threadargsproto_": THREADARGS_PROTO,
    "_threadargsprotocomma_": THREADARGS_PROTO + ",",
    "t": "(a->t)",
    "dt": "(a->dt)",
    "celsius": "(a->celsius)",
}


def identifiers(text: str) -> set[str]:
    """C identifiers in VERBATIM text, outside comments and string literals, members left
    out (``info->initps`` is no use of a FUNCTION initps)."""
    return set(_IDENT.findall(_COMMENT_OR_STRING.sub(" ", text)))


# `*((void**)(&space))`: the address of a double taken as the address of a pointer
_POINTER_IN_DOUBLE = re.compile(
    r"\(\s*[A-Za-z_][\w ]*?\*\s*\*\s*\)\s*\(?\s*&\s*\(?\s*([A-Za-z_]\w*)\b(?!\s*\[)")


def pointer_in_double(text: str, doubles: set[str]) -> tuple[str, int] | None:
    """(field, line within the block) where VERBATIM code keeps a pointer in a double field
    of the instance (old VecStim: ``vv = *((void**)(&space))``), or None."""
    code = _COMMENT_OR_STRING.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    for m in _POINTER_IN_DOUBLE.finditer(code):
        if m.group(1) in doubles:
            return m.group(1), code.count("\n", 0, m.start())
    return None


def blocks_of(prog: ast.Program) -> list[ast.Verbatim]:
    """Every VERBATIM block of the file: top level, then those inside code blocks."""
    found = list(prog.verbatim)
    for b in prog.blocks:
        found += [s for s in ast.walk_stmts(b.body.stmts) if isinstance(s, ast.Verbatim)]
    return found


class VerbatimNames:
    """The macros VERBATIM code gets: MOD name -> C expression over the hook's arguments."""

    def __init__(self, used: set[str], fields: dict[str, tuple[int, int]],
                 instance_only: Iterable[str], globals_: dict[str, int],
                 thread_vars: dict[str, int], pointers: list[tuple[str, str]],
                 procs: Iterable[str], others: dict[str, str], mech: str):
        self.used = used
        self.fixed: dict[str, str] = {}
        hidden = set(instance_only)  # v_unused, g_unused, tsave: no MOD name
        for n, (_, dim) in fields.items():
            if n in hidden:
                continue
            k = names.field_const(n)
            self.fixed[n] = (f"(&a->data[{k}*a->stride + id*{dim}])" if dim > 1
                             else f"FLD({k})")
        for n, c in others.items():  # area, diam
            self.fixed.setdefault(n, c)
        for n in globals_:
            self.fixed.setdefault(n, names.glob(n))
        for n in thread_vars:
            self.fixed.setdefault(n, f"(tv->{n})")
        for n, kind in pointers:
            slot = names.slot_const(n)
            if kind == "pointer":
                self.fixed.setdefault(n, f"DPV({slot})")
                self.fixed[f"_p_{n}"] = f"(&DPV({slot}))"
            else:  # a void* lvalue in the instance's vdata entry, as nocmodl's _p_<name>
                self.fixed[f"_p_{n}"] = (f"(*(void **)&a->vdata[a->pdata[{slot}*a->stride "
                                         "+ id]])")
        for n in procs:
            self.fixed.setdefault(n, names.func(mech, n))
        self.fixed.update(_FIXED)
        self.clashes = sorted(n for n in used & RESERVED if n in self.fixed)

    def macros(self, local_names: Iterable[str], ret: str | None) -> list[tuple[str, str]]:
        """(name, replacement) for the names used, with the scope's locals as _l<name>."""
        scope = dict(self.fixed)
        for n in local_names:
            scope[f"_l{n}"] = names.local(n)
        if ret is not None:
            scope[f"_l{ret}"] = "_ret"
        return [(n, c) for n, c in sorted(scope.items()) if n in self.used]

    def lines(self, block: ast.Verbatim, filename: str, local_names: Iterable[str] = (),
              ret: str | None = None) -> list[str]:
        """The C lines of one VERBATIM block with its macros around it."""
        defs = self.macros(local_names, ret)
        out = [f"/* VERBATIM ({filename}:{block.line}) */"]
        out += [f"#define {n} {c}" for n, c in defs]
        out.append(f'#line {block.line} "{filename}"')
        out += block.text.split("\n")
        out.append(LINE_RESET)
        out += [f"#undef {n}" for n, _ in defs]
        return out


def resume_line_numbers(lines: list[str], c_file: str) -> list[str]:
    """Replace each LINE_RESET marker with the #line that gives the next line its number in
    the generated file."""
    return [f'#line {k + 2} "{c_file}"' if s == LINE_RESET else s
            for k, s in enumerate(lines)]
