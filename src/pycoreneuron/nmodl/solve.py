"""Solve pass: DERIVATIVE blocks into update statements, in nmodl 9.0.2's exact forms.

cnexp: nmodl (like nocmodl) splits each right-hand side ``f`` of ``x' = f`` *textually* into
the coefficient ``a`` of x and the x-free part ``b`` (string rules of nmodl's diffeq parser:
sums, differences, products and quotients, each adding its own parentheses), then prints

    x = x+(1.0-exp(dt*(a)))*(-(b)/(a)-x)      or, when a is 0.0,   x = x-dt*(-(b))

and parses that text again. We build the same strings and parse them with our own grammar,
so the C evaluates exactly the operations CoreNEURON's does (numerics doc section 12.6).

euler: ``Dx = f`` for every state first, then ``x = x + dt*Dx`` (section 12.7).
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
    """derivimplicit as nmodl 9.0.2 emits it: backward Euler solved by Newton's method.

    ``pre``: the block's other statements (run before the solve and once more after it, as
    nmodl's functor.initialize() is); ``states``: the unknowns X in order; ``F``: F(X) = 0
    with X written ``X[i]``; ``J``: its Jacobian, column-major (J[i + N*j] = dF_i/dX_j).
    """

    pre: list[ast.Stmt]
    locals: list[tuple[str, int]]
    states: list[str]
    F: list[ast.Expr]
    J: list[ast.Expr]


# Names nmodl renames before SymPy sees them, as FUNCTIONs (ode.py's forbidden_var): SymPy
# would take them for its own special functions.
_SYMPY_PROTECTED = ("beta", "gamma", "uppergamma", "lowergamma", "polygamma", "loggamma",
                    "digamma", "trigamma")


def _calls(e: ast.Expr) -> list[ast.Call]:
    return [x for x in ast.walk_expr(e) if isinstance(x, ast.Call)]


def _step(i: int, line: int) -> ast.Expr:
    """nmodl's finite-difference step of state i, ``std::max(1e-6, 0.02*std::fabs(X[i]))``
    (its functor computes it before F and J every iteration; fmax gives the same double)."""
    x = ast.Indexed("X", ast.Num(str(i), line=line), line=line)
    scaled = ast.Binary("*", ast.Num("0.02", line=line),
                        ast.Call("fabs", [x], line=line), line=line)
    return ast.Call("fmax", [ast.Num("1e-6", line=line), scaled], line=line)


def _replace_steps(e: ast.Expr, line: int) -> ast.Expr:
    """``dX_[i]`` of nmodl's Jacobian text replaced by its value (see _step)."""
    if isinstance(e, ast.Indexed) and e.name == "dX_" and isinstance(e.index, ast.Num):
        return _step(int(e.index.text), line)
    if isinstance(e, ast.Indexed):
        return ast.Indexed(e.name, _replace_steps(e.index, line), line=e.line)
    if isinstance(e, ast.Call):
        return ast.Call(e.name, [_replace_steps(a, line) for a in e.args], line=e.line)
    if isinstance(e, ast.Binary):
        return ast.Binary(e.op, _replace_steps(e.left, line), _replace_steps(e.right, line),
                          line=e.line)
    if isinstance(e, ast.Unary):
        return ast.Unary(e.op, _replace_steps(e.operand, line), line=e.line)
    if isinstance(e, ast.Paren):
        return ast.Paren(_replace_steps(e.inner, line), line=e.line)
    return e


def derivimplicit(block: ast.CodeBlock, names: set[str], filename: str) -> Implicit:
    """The Newton system of a DERIVATIVE block, built with SymPy the way nmodl builds it:
    each ``x' = f`` becomes ``(x - old_x) / dt = f``; F = (rhs - lhs).expand(); J its
    Jacobian; every entry ``.simplify().subs(X).evalf()`` printed by SymPy's C printer and
    parsed back. ``names`` are the model's variables (real SymPy symbols, as in nmodl).

    FUNCTION calls stay calls (SymPy's undefined functions, printed by name). Where one has a
    state as an argument, its Jacobian entry holds SymPy's ``Derivative``, which nmodl (ode.py
    ``solve_non_lin_system``) replaces by SymPy's central difference
    ``(f(x + h/2) - f(x - h/2))/h`` with h = ``max(1e-6, 0.02*|x|)``. A state inside a
    larger argument (``rate(2*m)``) leaves a ``Subs`` that nmodl cannot print: refused."""
    import sympy as sp
    from sympy.printing.c import known_functions_C99

    pre: list[ast.Stmt] = []
    local_decls: list[tuple[str, int]] = []
    odes: list[ast.DiffEq] = []
    for s in block.body.stmts:
        if isinstance(s, ast.DiffEq):
            if s.order != 1:
                raise NmodlError(filename, s.line, "only first-order equations are supported",
                                 not_supported=True)
            odes.append(s)
        elif isinstance(s, ast.Local):
            local_decls += s.names
        else:
            pre.append(s)
    states = [d.state for d in odes]
    symbols: dict[str, object] = {n: sp.Symbol(n, real=True)
                                  for n in names | set(states) | {"dt"}}
    for n, _ in local_decls:
        symbols[n] = sp.Symbol(n, real=True)
    calls = {c.name for d in odes for c in _calls(d.expr)}
    # nmodl's printer names every call that is not a C99 function SymPy knows (Abs: fabs);
    # a protected name goes through SymPy as _sympy_<name>_fun (which also decides where
    # SymPy sorts it) and is printed back as <name>
    c99 = {k: v for k, v in known_functions_C99.items() if k != "Abs"}
    c99["abs"] = "fabs"
    custom = {f: f for f in calls if f not in c99 and f not in _SYMPY_PROTECTED}
    for name in calls & set(_SYMPY_PROTECTED):
        symbols[name] = sp.Function(f"_sympy_{name}_fun")
        custom[f"_sympy_{name}_fun"] = name
    eqs = []
    for d in odes:
        old = f"old_{d.state}"
        symbols.setdefault(old, sp.Symbol(old))
        lhs = sp.sympify(f"({d.state} - {old}) / dt", locals=symbols)
        try:
            rhs = sp.sympify(to_text(d.expr), locals=symbols)
        except (sp.SympifyError, SyntaxError, TypeError, AttributeError, ValueError) as e:
            raise NmodlError(filename, d.line, f"SymPy cannot read {d.state}': {e}",
                             not_supported=True) from None
        eqs.append((rhs - lhs).expand())
    xs = [symbols[x] for x in states]
    jac = sp.Matrix(eqs).jacobian(xs)
    delta = {x: sp.Symbol(f"{x}_delta_") for x in xs}

    def discretize(e):
        if isinstance(e, sp.Derivative):
            return e.as_finite_difference(delta[e.args[1][0]]) \
                if e.args[1][0] in delta else e
        if not e.args:
            return e
        return e.func(*(discretize(a) for a in e.args))

    if jac.has(sp.Derivative):
        jac = jac.applyfunc(discretize)
    xmap = {x: sp.Symbol(f"X[{i}]") for i, x in enumerate(xs)}
    dxmap = {delta[x]: sp.Symbol(f"dX_[{i}]") for i, x in enumerate(xs)}
    n = len(states)
    for i in range(n):
        for j in range(n):
            if jac[i, j].has(sp.Subs) or jac[i, j].has(sp.Derivative):
                what = sorted({custom.get(str(f.func), str(f.func))
                               for f in jac[i, j].atoms(sp.Function)
                               if custom.get(str(f.func)) in calls})
                raise NmodlError(
                    filename, odes[i].line,
                    f"METHOD derivimplicit: {states[i]}' calls "
                    f"{', '.join(what) or 'a FUNCTION'} with an expression of {states[j]} as "
                    "an argument; the Jacobian needs its derivative there, which nmodl 9.0.2 "
                    "cannot translate (only a state itself as the argument is)",
                    not_supported=True)

    def c_expr(e, line: int, subs: dict) -> ast.Expr:
        try:
            text = sp.ccode(e.simplify().subs(subs).evalf(), user_functions=custom)
        except Exception as exc:  # SymPy's printers raise many kinds
            raise NmodlError(filename, line, "METHOD derivimplicit: SymPy cannot print the "
                             f"Newton system ({type(exc).__name__}: {exc})",
                             not_supported=True) from None
        stmt = _parse_stmt(f"_r = {text}", filename, block.line)
        return _replace_steps(stmt.expr, block.line)

    F = [c_expr(e, d.line, xmap) for e, d in zip(eqs, odes, strict=True)]
    J = [c_expr(jac[i, j], odes[i].line, {**xmap, **dxmap})
         for j in range(n) for i in range(n)]
    return Implicit(pre, local_decls, states, F, J)
