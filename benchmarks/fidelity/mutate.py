"""Variants of a MOD set that put published files' risky constructs everywhere.

The published channels that ran wrong did so through two constructs: GLOBAL ASSIGNEDs that
one hook writes and another reads (minf, tadj, ...), and TABLEs whose values depend on RANGE
parameters. These variants make every mechanism of a set use them, so the fidelity harness
checks the rules on many more code shapes than the set holds:

* ``globalize``: every RANGE ASSIGNED that is not an ion variable or current becomes GLOBAL
  (one copy per thread in NEURON: values carry between instances and hooks);
* ``table``: every one-argument PROCEDURE without a TABLE gets
  ``TABLE <the ASSIGNEDs it writes> DEPEND celsius FROM -120 TO 80 WITH 400`` (a FUNCTION
  ``TABLE DEPEND celsius ...``), so RANGE values it reads shape one table built from one
  instance.

    python benchmarks/fidelity/mutate.py tests/data/third_party/bmtk /tmp/mut --kind globalize
    python benchmarks/fidelity/run_fidelity.py /tmp/mut/globalize --jobs 2

A file the variant does not change is not written. The variants are test inputs made on the
fly, never committed.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from pycoreneuron.nmodl import ast
from pycoreneuron.nmodl.errors import NmodlError
from pycoreneuron.nmodl.parser import parse

_NEURON_BLOCK = re.compile(r"\bNEURON\s*\{", re.M)
_RANGE = re.compile(r"(?m)^(\s*)RANGE\b((?:[^\n]*,\s*\n)*[^\n]*)")


def _neuron_span(text: str) -> tuple[int, int] | None:
    m = _NEURON_BLOCK.search(text)
    if m is None:
        return None
    depth, k = 1, m.end()
    while k < len(text) and depth:
        depth += {"{": 1, "}": -1}.get(text[k], 0)
        k += 1
    return m.end(), k - 1


def _ion_names(prog: ast.Program) -> set[str]:
    out: set[str] = set()
    for st in prog.neuron:
        if st.kind == "USEION":
            out |= set(st.read) | set(st.write)
        if st.kind in ("NONSPECIFIC_CURRENT", "ELECTRODE_CURRENT", "POINTER",
                       "BBCOREPOINTER", "RANDOM"):
            out |= set(st.names)
    return out


def globalize(text: str, filename: str) -> str | None:
    prog = parse(text, filename)
    ranges = {n for st in prog.neuron if st.kind == "RANGE" for n in st.names}
    assigned = {d.name for d in prog.assigned}
    chosen = sorted((ranges & assigned) - _ion_names(prog) - {"v", "area", "diam"})
    span = _neuron_span(text)
    if not chosen or span is None:
        return None
    body = text[span[0]:span[1]]

    def drop(m: re.Match[str]) -> str:
        names = [n for n in re.split(r"[\s,]+", m[2].strip()) if n]
        kept = [n for n in names if n not in chosen]
        return f"{m[1]}RANGE {', '.join(kept)}" if kept else m[1]

    body = _RANGE.sub(drop, body) + f"\n    GLOBAL {', '.join(chosen)}\n"
    return text[:span[0]] + body + text[span[1]:]


def _assigned_targets(stmts: list[ast.Stmt]) -> list[str]:
    out: list[str] = []
    for s in ast.walk_stmts(stmts):
        if isinstance(s, ast.Assign) and isinstance(s.target, ast.Name):
            out.append(s.target.name)
    return list(dict.fromkeys(out))


def add_tables(text: str, filename: str) -> str | None:
    prog = parse(text, filename)
    assigned = {d.name for d in prog.assigned if d.dim == 1}
    lines = text.split("\n")
    inserts: list[tuple[int, str]] = []
    for b in prog.blocks:
        if b.kind not in ("PROCEDURE", "FUNCTION") or len(b.params) != 1:
            continue
        if any(isinstance(s, (ast.Table, ast.Verbatim)) for s in ast.walk_stmts(b.body.stmts)):
            continue
        locals_ = {n for s in ast.walk_stmts(b.body.stmts) if isinstance(s, ast.Local)
                   for n, _ in s.names}
        targets = [n for n in _assigned_targets(b.body.stmts)
                   if n in assigned and n not in locals_]
        if b.kind == "FUNCTION":
            targets = []  # a FUNCTION's table holds its value
        elif not targets:
            continue
        line = b.line - 1  # the PROCEDURE's line: the TABLE goes after its opening brace
        while line < len(lines) and "{" not in lines[line]:
            line += 1
        if line >= len(lines):
            continue
        names = f" {', '.join(targets)}" if targets else ""
        inserts.append((line, f"    TABLE{names} DEPEND celsius FROM -120 TO 80 WITH 400"))
    if not inserts:
        return None
    for line, stmt in sorted(inserts, reverse=True):
        head, sep, tail = lines[line].partition("{")
        lines[line] = head + sep
        lines.insert(line + 1, stmt + ("\n    " + tail if tail.strip() else ""))
    return "\n".join(lines)


KINDS = {"globalize": globalize, "table": add_tables}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--kind", choices=sorted(KINDS), required=True)
    args = parser.parse_args(argv)
    target = args.out / args.kind
    target.mkdir(parents=True, exist_ok=True)
    written = 0
    for mod in sorted(args.source.rglob("*.mod")):
        text = mod.read_text(encoding="utf-8", errors="replace")
        try:
            new = KINDS[args.kind](text, str(mod))
        except NmodlError:
            continue  # our parser cannot read it: nothing to vary
        if new is None:
            continue
        rel = mod.relative_to(args.source)
        dest = target / "_".join(rel.parts[:-1] or ("top",)) / rel.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(new)
        for inc in mod.parent.glob("*.inc"):
            (dest.parent / inc.name).write_text(inc.read_text())
        written += 1
    print(f"{written} {args.kind} variants in {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
