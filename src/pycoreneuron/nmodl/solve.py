"""Solve pass: DERIVATIVE blocks into update statements, in nmodl 9.0.2's exact forms.

cnexp: nmodl (like nocmodl) splits each right-hand side ``f`` of ``x' = f`` *textually* into
the coefficient ``a`` of x and the x-free part ``b`` (string rules of nmodl's diffeq parser:
sums, differences, products and quotients, each adding its own parentheses), then prints

    x = x+(1.0-exp(dt*(a)))*(-(b)/(a)-x)      or, when a is 0.0,   x = x-dt*(-(b))

and parses that text again. We build the same strings and parse them with our own grammar,
so the C evaluates exactly the operations CoreNEURON's does (numerics doc section 12.6).

euler: ``Dx = f`` for every state first, then ``x = x + dt*Dx`` (section 12.7).

derivimplicit: the block as NEURON's nocmodl gives it to scopmath's Newton solver (numerical
Jacobian, Crout), which the C printer writes out (docs/dev/translator.md, "derivimplicit").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import ast
from .errors import NmodlError, NmodlNotSupportedError
from .parser import parse


@dataclass
class Term:
    """nmodl's diffeq Term: text of the expression, its derivative, coefficient and rest."""

    expr: str
    deriv: str = "0.0"
    a: str = "0.0"
    b: str = "0.0"
    # nocmodl's eq_invalid: a product of two state terms; the derivative is still right but
    # the a*state + b form is not (nocmodl's cnexp then drops b, see cnexp_text)
    eq_invalid: bool = False


class NotLinear(Exception):
    """The right-hand side is not linear in its state (cnexp impossible)."""


def to_text(e: ast.Expr) -> str:
    """NMODL text of an expression, re-parsing to the same tree (keeps source parentheses)."""
    if isinstance(e, ast.Num):
        return e.text
    if isinstance(e, ast.Name):
        return e.name
    if isinstance(e, ast.Str):
        return e.text
    if isinstance(e, ast.Indexed):
        return f"{e.name}[{to_text(e.index)}]"
    if isinstance(e, ast.Call):
        return f"{e.name}({','.join(to_text(x) for x in e.args)})"
    if isinstance(e, ast.Paren):
        return f"({to_text(e.inner)})"
    if isinstance(e, ast.Unary):
        return f"{e.op}{to_text(e.operand)}"
    if isinstance(e, ast.Binary):
        return f"{to_text(e.left)}{e.op}{to_text(e.right)}"
    raise TypeError(e)


def _nz(s: str) -> bool:
    return s != "0.0"


def term(e: ast.Expr, state: str) -> Term:
    """The diffeq parser's Term of ``e`` with respect to ``state``."""
    if isinstance(e, (ast.Num, ast.Name)):
        text = to_text(e)
        if text == state:
            return Term(text, "1.0", "1.0", "0.0")
        return Term(text, b=text)
    if isinstance(e, ast.Indexed):  # an element of another array: a constant atom
        if e.name == state or state in {x.name for x in ast.walk_expr(e.index)
                                        if isinstance(x, (ast.Name, ast.Indexed))}:
            raise NotLinear
        text = to_text(e)
        return Term(text, b=text)
    if isinstance(e, ast.Paren):
        t = term(e.inner, state)
        out = Term(f"({t.expr})", eq_invalid=t.eq_invalid)
        if _nz(t.deriv):
            out.deriv = f"({t.deriv})"
        if _nz(t.a):
            out.a = f"({t.a})"
        if _nz(t.b):
            out.b = f"({t.b})"
        return out
    if isinstance(e, ast.Call):
        args = [term(x, state) for x in e.args]
        if any(_nz(t.deriv) for t in args):
            raise NotLinear
        text = f"{e.name}({','.join(t.expr for t in args)})"
        return Term(text, b=text)
    if isinstance(e, ast.Unary) and e.op == "-":
        t = term(e.operand, state)
        out = Term("-" + t.expr, eq_invalid=t.eq_invalid)
        if _nz(t.deriv):
            out.deriv = "-" + t.deriv
        if _nz(t.a):
            out.a = "-" + t.a
        if _nz(t.b):
            out.b = "-" + t.b
        return out
    if isinstance(e, ast.Binary) and e.op in "+-*/":
        return _binary(e.op, term(e.left, state), term(e.right, state))
    if state not in {x.name for x in ast.walk_expr(e) if isinstance(x, (ast.Name, ast.Indexed))}:
        # An operator the diffeq grammar lacks, on a state-free part: nmodl cannot read it.
        raise NotLinear
    raise NotLinear


def _binary(op: str, f: Term, s: Term) -> Term:
    out = Term(f.expr + op + s.expr, eq_invalid=f.eq_invalid or s.eq_invalid)
    if op in "+-":
        neg = op == "-"
        for part in ("deriv", "a", "b"):
            x, y = getattr(f, part), getattr(s, part)
            if _nz(x) and _nz(y):
                setattr(out, part, x + op + y)
            elif _nz(x):
                setattr(out, part, x)
            elif _nz(y):
                setattr(out, part, f"(-{y})" if neg else y)
        return out
    if op == "*":
        if _nz(f.deriv) and _nz(s.deriv):
            out.deriv = f"(({f.deriv})*({s.expr})+({f.expr})*({s.deriv}))"
        elif _nz(f.deriv):
            out.deriv = f"({f.deriv})*({s.expr})"
        elif _nz(s.deriv):
            out.deriv = f"({f.expr})*({s.deriv})"
        if _nz(f.a) and _nz(s.a):
            out.eq_invalid = True
        elif _nz(f.a) and _nz(s.b):
            out.a = f"({f.a})*({s.b})"
        elif _nz(s.a) and _nz(f.b):
            out.a = f"({f.b})*({s.a})"
        if _nz(f.b) and _nz(s.b):
            out.b = f"({f.b})*({s.b})"
        return out
    # division
    if _nz(s.deriv) or _nz(s.a):
        raise NotLinear
    if _nz(f.deriv):
        out.deriv = f"({f.deriv})/{s.expr}"
    if _nz(f.a):
        out.a = f"({f.a})/{s.expr}"
    if _nz(f.b):
        out.b = f"({f.b})/{s.expr}"
    return out


def _parse_stmt(text: str, filename: str, line: int) -> ast.Stmt:
    prog = parse(f"BREAKPOINT {{\n{text}\n}}\n", filename)
    stmt = prog.blocks[0].body.stmts[0]
    for s in ast.walk_stmts([stmt]):
        s.line = line
    return stmt


def cnexp_text(d: ast.DiffEq, filename: str) -> str:
    """The assignment nmodl writes for ``x' = f`` under METHOD cnexp."""
    if d.order != 1:
        raise NmodlError(filename, d.line, f"{d.state}{chr(39) * d.order}: only first-order "
                         "equations are supported", not_supported=True)
    try:
        t = term(d.expr, d.state)
    except NotLinear:
        raise CnexpImpossible(filename, d.line, f"{d.state}' is not linear in {d.state}: "
                              "METHOD cnexp needs a linear equation (use METHOD "
                              "derivimplicit)", not_supported=True) from None
    x = d.state
    if t.eq_invalid:
        # nocmodl (deriv.cpp, cvode_cnexp_success) still writes its cnexp update, with the
        # derivative in the exponent and the missing rest left empty: x + (1 - exp(dt*f'))*(-x)
        if not _nz(t.deriv):
            raise CnexpImpossible(filename, d.line, f"{x}' has no derivative in {x}",
                                  not_supported=True)
        return f"{x} = {x}+(1.0-exp(dt*({t.deriv})))*(-{x})"
    a = t.a
    b = f"-({t.b})/({t.a})"
    if a == "0.0":
        b = b[: -len("/(0.0)")]
        return f"{x} = {x}-dt*({b})"
    return f"{x} = {x}+(1.0-exp(dt*({a})))*({b}-{x})"


class CnexpImpossible(NmodlNotSupportedError):
    """An equation cnexp cannot solve: nocmodl then uses derivimplicit for the block."""


def cnexp(block: ast.CodeBlock, filename: str) -> list[ast.Stmt]:
    """Statements of a DERIVATIVE block with each ODE replaced by its cnexp update."""
    return [_replace(s, filename, lambda d: _parse_stmt(cnexp_text(d, filename), filename,
                                                       d.line))
            for s in block.body.stmts]


def euler(block: ast.CodeBlock, filename: str) -> list[ast.Stmt]:
    """Dx = f for every equation in order, then x = x + dt*Dx for each, in order."""
    states: list[str] = []

    def deriv(d: ast.DiffEq) -> ast.Stmt:
        states.append(d.state)
        return ast.Assign(ast.Name("D" + d.state, line=d.line), d.expr, line=d.line)

    out = [_replace(s, filename, deriv) for s in block.body.stmts]
    for x in states:
        out.append(_parse_stmt(f"{x} = {x}+dt*D{x}", filename, block.line))
    return out


def _replace(s: ast.Stmt, filename: str, fn: Callable[[ast.DiffEq], ast.Stmt]) -> ast.Stmt:
    if isinstance(s, ast.DiffEq):
        return fn(s)
    if isinstance(s, ast.Block):
        return ast.Block([_replace(x, filename, fn) for x in s.stmts], line=s.line)
    if isinstance(s, ast.If):
        return ast.If(s.cond, _replace(s.body, filename, fn),
                      [(c, _replace(b, filename, fn)) for c, b in s.elifs],
                      None if s.orelse is None else _replace(s.orelse, filename, fn),
                      line=s.line)
    return s


@dataclass
class Implicit:
    """derivimplicit as NEURON solves it (nocmodl's deriv.cpp, scopmath's newton): ``body`` is
    the block with each ``x' = f`` as ``Dx = f``; each Newton evaluation runs it at the
    current states and takes the residuals ``Dx - (x - x_saved)/dt`` of ``states``, in
    equation order."""

    states: list[str]
    body: list[ast.Stmt]


def derivimplicit(block: ast.CodeBlock, filename: str) -> Implicit:
    """The DERIVATIVE block for NEURON's derivimplicit (see Implicit)."""
    states: list[str] = []

    def deriv(d: ast.DiffEq) -> ast.Stmt:
        if d.order != 1:
            raise NmodlError(filename, d.line, "only first-order equations are supported",
                             not_supported=True)
        if d.state not in states:  # one unknown, whichever branch of an IF sets it
            states.append(d.state)
        return ast.Assign(ast.Name("D" + d.state, line=d.line), d.expr, line=d.line)

    body = [_replace(s, filename, deriv) for s in block.body.stmts]
    if not states:
        raise NmodlError(filename, block.line, f"DERIVATIVE {block.name} has no equation")
    return Implicit(states, body)
