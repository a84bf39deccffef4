"""simd: whether the per-instance loops of nrn_cur and nrn_state may run as SIMD loops.

An analysis, the last pass: it changes no statement. The printer marks the loops of a
mechanism found safe with ``#pragma omp simd`` and has its FUNCTIONs and PROCEDUREs inlined
into them, so that the compiler runs several instances per instruction. That changes no bit
of any result (each instance's operations are the same, in the same order; exp is pcn_exp.h's,
which gives libm's bits), but it asserts that no instance's work depends on another's, which
holds only when:

- the mechanism is a density mechanism: its instances sit on distinct nodes, so their adds
  into the node's rhs and d and into the node's ion currents never meet (point processes may
  share a node: their adds must keep NEURON's order);
- no GLOBAL is written by the code (a thread variable carries values from one instance to the
  next) and no POINTER is used (two instances may point at one variable);
- no VERBATIM code, event call (net_send, net_event, net_move), RANDOM draw, printf or
  function from outside the file runs in the loops;
- no implicit solve runs in them (derivimplicit, KINETIC, LINEAR, NONLINEAR: their
  per-instance Newton iterations and matrices do not map onto vector lanes).

``low.simd_refusal`` says why a mechanism's loops stay scalar ("" when they may run as SIMD
loops); ``low.inline`` names the FUNCTIONs and PROCEDUREs that are not recursive, which the
printer inlines. For SIMD loops that reach a TABLE lookup, ``low.table_path`` names the
tabled functions and those that call them (the printer gives them a branch-free copy for
while usetable is on) and ``low.tabled_loops`` which of NRN_CUR and NRN_STATE reach one.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import ast, names, verbatim
from .lowered import (
    NRN_CUR,
    NRN_STATE,
    LinearSolve,
    Lowered,
    NewtonSolve,
    NonlinearSolve,
    Solved,
    SparseSolve,
)

# Calls the loops may make besides the file's own FUNCTIONs and PROCEDUREs: libm's functions
# (pure) and nrn_ghk (printed as a static function of the file).
PURE_CALLS = set(names.MATH) | {"nrn_ghk"}
IMPLICIT = (NewtonSolve, NonlinearSolve, SparseSolve, LinearSolve)


def statements(stmts: list[ast.Stmt]) -> Iterator[ast.Stmt]:
    """Every statement, nested ones and those of solved blocks included."""
    for s in ast.walk_stmts(stmts):
        yield s
        if isinstance(s, Solved):
            yield from statements(s.stmts)


def _calls(s: ast.Stmt) -> Iterator[ast.Call]:
    for e in ast.stmt_exprs(s):
        for x in ast.walk_expr(e):
            if isinstance(x, ast.Call):
                yield x


def _call_graph(low: Lowered) -> dict[str, set[str]]:
    procs = low.procs()
    return {name: {c.name for s in statements(b.body.stmts) for c in _calls(s)
                   if c.name in procs} for name, b in procs.items()}


def _recursive(graph: dict[str, set[str]]) -> set[str]:
    """The functions that can reach themselves."""
    found: set[str] = set()
    for start in graph:
        seen: set[str] = set()
        todo = list(graph[start])
        while todo:
            name = todo.pop()
            if name == start:
                found.add(start)
                break
            if name not in seen:
                seen.add(name)
                todo += graph.get(name, ())
    return found


def _refusal(low: Lowered, density: bool = True) -> str:
    """Why the loops cannot run as SIMD loops ("" when they can); density False: the checks
    but the first, for device kernels, which run a node's point processes in order."""
    info = low.info
    if density and info.kind != "density":
        return "a point process's instances may share a node"
    if info.kind == "artificial_cell":
        return "an artificial cell (its events stay on the host)"
    if info.thread_globals:
        return "GLOBALs the code writes carry values from one instance to the next"
    if info.pointers:
        return "a POINTER may name the same variable in two instances"
    if verbatim.blocks_of(low.prog):
        return "VERBATIM code"
    procs = low.procs()
    todo = [b for b in (low.block(NRN_CUR), low.block(NRN_STATE)) if b is not None]
    seen: set[str] = set()
    while todo:
        block = todo.pop()
        for s in statements(block.body.stmts):
            if isinstance(s, IMPLICIT):
                return f"an implicit solve ({s.block})"
            for c in _calls(s):
                if c.name in procs:
                    if c.name not in seen:
                        seen.add(c.name)
                        todo.append(procs[c.name])
                elif c.name not in PURE_CALLS:
                    return f"a call of {c.name}"
    return ""


def _reaching(graph: dict[str, set[str]], targets: set[str], allowed: set[str]) -> set[str]:
    """targets and the functions of ``allowed`` that call one of them, at any depth."""
    found = set(targets)
    while True:
        more = {n for n, called in graph.items() if n in allowed and called & found} - found
        if not more:
            return found
        found |= more


def run(low: Lowered) -> None:
    low.simd_refusal = _refusal(low)
    low.device_refusal = _refusal(low, density=False)
    graph = _call_graph(low)
    low.inline = set(graph) - _recursive(graph)
    if low.simd_refusal or not low.tables:
        return
    low.table_path = _reaching(graph, set(low.tables), low.inline)
    for kind in (NRN_CUR, NRN_STATE):
        block = low.block(kind)
        if block is not None and any(c.name in low.table_path
                                     for s in statements(block.body.stmts) for c in _calls(s)):
            low.tabled_loops.add(kind)
