"""Tree rewriting shared by the passes: statements replaced wherever they are nested."""

from __future__ import annotations

from collections.abc import Callable

from .. import ast

# fn(s) -> None keeps s (its nested statements rewritten too); a list replaces s.
StmtFn = Callable[[ast.Stmt], "list[ast.Stmt] | None"]


def stmts(body: list[ast.Stmt], fn: StmtFn) -> list[ast.Stmt]:
    out: list[ast.Stmt] = []
    for s in body:
        new = fn(s)
        if new is not None:
            out += new
            continue
        _nested(s, fn)
        out.append(s)
    return out


def _nested(s: ast.Stmt, fn: StmtFn) -> None:
    if isinstance(s, ast.Block):
        s.stmts = stmts(s.stmts, fn)
    elif isinstance(s, ast.If):
        s.body.stmts = stmts(s.body.stmts, fn)
        for _, b in s.elifs:
            b.stmts = stmts(b.stmts, fn)
        if s.orelse is not None:
            s.orelse.stmts = stmts(s.orelse.stmts, fn)
    elif isinstance(s, (ast.While, ast.From, ast.NetReceiveInitial, ast.ForNetcons)):
        s.body.stmts = stmts(s.body.stmts, fn)


def breakpoint_solves(prog: ast.Program, kind: str,
                      fn: Callable[[ast.Solve, ast.CodeBlock], list[ast.Stmt]]) -> None:
    """Replace each top-level SOLVE of BREAKPOINT that names a ``kind`` block (DERIVATIVE,
    KINETIC) by fn(solve, that block); the other statements stay."""
    bp = prog.find_block("BREAKPOINT")
    if bp is None:
        return
    out: list[ast.Stmt] = []
    for s in bp.body.stmts:
        target = prog.find_block(kind, s.block) if isinstance(s, ast.Solve) else None
        out += [s] if target is None else fn(s, target)
    bp.body.stmts = out


def blocks(prog: ast.Program, fn: StmtFn, kinds: tuple[str, ...] | None = None) -> None:
    """Rewrite the statements of every code block (of the given kinds)."""
    for b in prog.blocks:
        if kinds is None or b.kind in kinds:
            b.body.stmts = stmts(b.body.stmts, fn)


def expr(e: ast.Expr, fn: Callable[[ast.Expr], ast.Expr | None]) -> ast.Expr:
    """e with every node for which fn gives a replacement replaced (children first)."""
    if isinstance(e, ast.Indexed):
        e = ast.Indexed(e.name, expr(e.index, fn), line=e.line)
    elif isinstance(e, ast.Call):
        e = ast.Call(e.name, [expr(a, fn) for a in e.args], line=e.line)
    elif isinstance(e, ast.Binary):
        e = ast.Binary(e.op, expr(e.left, fn), expr(e.right, fn), line=e.line)
    elif isinstance(e, ast.Unary):
        e = ast.Unary(e.op, expr(e.operand, fn), line=e.line)
    elif isinstance(e, ast.Paren):
        e = ast.Paren(expr(e.inner, fn), line=e.line)
    new = fn(e)
    return e if new is None else new


def stmt_exprs(s: ast.Stmt, fn: Callable[[ast.Expr], ast.Expr | None]) -> None:
    """Rewrite, in place, the expressions a statement holds directly."""
    if isinstance(s, ast.Assign):
        s.target = expr(s.target, fn)
        s.expr = expr(s.expr, fn)
    elif isinstance(s, ast.DiffEq):
        s.expr = expr(s.expr, fn)
    elif isinstance(s, ast.LinEq):
        s.left, s.right = expr(s.left, fn), expr(s.right, fn)
    elif isinstance(s, ast.If):
        s.cond = expr(s.cond, fn)
        s.elifs = [(expr(c, fn), b) for c, b in s.elifs]
    elif isinstance(s, ast.While):
        s.cond = expr(s.cond, fn)
    elif isinstance(s, ast.From):
        s.start, s.stop = expr(s.start, fn), expr(s.stop, fn)
        if s.step is not None:
            s.step = expr(s.step, fn)
    elif isinstance(s, ast.CallStmt):
        s.call = expr(s.call, fn)
    elif isinstance(s, ast.Watch):
        s.items = [(expr(c, fn), f) for c, f in s.items]
    elif isinstance(s, ast.Reaction):
        s.kf = None if s.kf is None else expr(s.kf, fn)
        s.kb = None if s.kb is None else expr(s.kb, fn)
    elif isinstance(s, ast.Conserve):
        s.total = expr(s.total, fn)
    elif isinstance(s, ast.Compartment):
        s.volume = expr(s.volume, fn)
