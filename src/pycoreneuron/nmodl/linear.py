"""Linear pass: a LINEAR block into the rows of nocmodl's augmented matrix.

NEURON's nocmodl turns ``LINEAR name { ... ~ lhs = rhs ... }`` into a C function that zeroes
an n x (n+1) matrix, runs the block's statements and, for each equation, starts a new row
(``~``; ``~+`` stays on the previous row) and adds every term of both sides into that row:

* a side is a sum of *primaries* (``[-] p (+|-) p ...``), a primary a product or quotient of
  terms (names, numbers, calls, parenthesised expressions); other operators need parentheses;
* a primary holding one STATE (as a factor, not in a call, parentheses or a denominator) goes
  to that state's column, the state replaced by ``1.0`` (``t1*vi`` -> ``t1*1.0``); any other
  primary goes to the right-hand side column n;
* signs: a state term is subtracted on the left side and added on the right; a state-free
  term the other way round (so the row reads ``sum(coef*x) = rhs``), a ``-`` before the
  primary flipping either;
* columns are the states in order of first appearance in the block's equations.

The matrix is then solved by scopmath's ``simeq`` (printed by the C generator). Each
addition is one C statement in source order, so the sums are NEURON's to the bit.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import ast
from .errors import NmodlError


@dataclass
class MatrixTerm:
    """``_coef[row][col] += expr`` (sign +1) or ``-=`` (sign -1); col None: the right-hand
    side column."""

    col: int | None
    sign: int
    expr: ast.Expr


@dataclass
class MatrixRow(ast.Stmt):
    """One equation: a new row (``~``) or the previous one (``~+``), and its terms in order."""

    new_row: bool
    terms: list[MatrixTerm]


@dataclass
class LinearSystem:
    """A LINEAR block ready for the C printer: ``body`` is the block with each equation
    replaced by a MatrixRow; ``states`` are the matrix columns (unknowns) in order."""

    name: str
    states: list[str]
    body: list[ast.Stmt]


_TERM_TYPES = (ast.Name, ast.Indexed, ast.Num, ast.Call, ast.Paren)


class _Builder:
    def __init__(self, block: ast.CodeBlock, states: set[str], arrays: set[str],
                 filename: str):
        self.block = block
        self.states = states
        self.arrays = arrays
        self.fn = filename
        self.columns: list[str] = []
        self.equations = 0

    def error(self, line: int, msg: str, unsupported: bool = False) -> NmodlError:
        return NmodlError(self.fn, line, f"LINEAR {self.block.name}: {msg}",
                          not_supported=unsupported)

    # ---- statements ---------------------------------------------------------------------
    def stmts(self, stmts: list[ast.Stmt], nested_loop: bool) -> list[ast.Stmt]:
        return [self.stmt(s, nested_loop) for s in stmts]

    def stmt(self, s: ast.Stmt, in_loop: bool) -> ast.Stmt:
        if isinstance(s, ast.LinEq):
            if in_loop:
                # nocmodl numbers rows at run time; a loop would make the count unknowable
                # here, and NEURON's matrix has exactly one row per state.
                raise self.error(s.line, "an equation inside a loop is not supported yet",
                                 True)
            return self.equation(s)
        if isinstance(s, ast.DiffEq):
            raise self.error(s.line, "a differential equation in a LINEAR block")
        if isinstance(s, ast.Block):
            return ast.Block(self.stmts(s.stmts, in_loop), line=s.line)
        if isinstance(s, ast.If):
            return ast.If(s.cond, ast.Block(self.stmts(s.body.stmts, in_loop), line=s.line),
                          [(c, ast.Block(self.stmts(b.stmts, in_loop), line=b.line))
                           for c, b in s.elifs],
                          None if s.orelse is None
                          else ast.Block(self.stmts(s.orelse.stmts, in_loop), line=s.line),
                          line=s.line)
        if isinstance(s, (ast.While, ast.From)):
            for inner in ast.walk_stmts(s.body.stmts):
                if isinstance(inner, ast.LinEq):
                    self.stmt(inner, True)
            return s
        return s

    def equation(self, eq: ast.LinEq) -> MatrixRow:
        if eq.add:
            if self.equations == 0:
                raise self.error(eq.line, "~+ needs a previous equation")
        else:
            self.equations += 1
        terms: list[MatrixTerm] = []
        # nocmodl's leftside: -1 while reading the left side, +1 on the right
        for side, e in ((-1, eq.left), (1, eq.right)):
            for term_sign, primary in self.sum_terms(e, eq.line):
                terms.append(self.matrix_term(side * term_sign, primary, eq.line))
        return MatrixRow(not eq.add, terms, line=eq.line)

    # ---- expressions --------------------------------------------------------------------
    def sum_terms(self, e: ast.Expr, line: int) -> list[tuple[int, ast.Expr]]:
        """``[-] p1 (+|-) p2 ...`` as (sign, primary) pairs, left to right."""
        rest: list[tuple[int, ast.Expr]] = []
        while isinstance(e, ast.Binary) and e.op in ("+", "-"):
            rest.append((1 if e.op == "+" else -1, e.right))
            e = e.left
        first = self.leading_minus(e, line)
        return [first] + list(reversed(rest))

    def leading_minus(self, e: ast.Expr, line: int) -> tuple[int, ast.Expr]:
        """Our grammar binds a leading ``-`` to the first factor (``-gain*e`` is
        ``(-gain)*e``); nocmodl's to the whole primary. Move it out."""
        if isinstance(e, ast.Unary) and e.op == "-":
            return -1, e.operand
        if isinstance(e, ast.Binary) and e.op in ("*", "/"):
            sign, left = self.leading_minus(e.left, line)
            if sign == -1:
                return -1, ast.Binary(e.op, left, e.right, line=e.line)
        return 1, e

    def factors(self, e: ast.Expr, line: int) -> list[tuple[str, ast.Expr]]:
        """A primary as (operator, term) pairs, the first operator ``*``."""
        out: list[tuple[str, ast.Expr]] = []
        while isinstance(e, ast.Binary) and e.op in ("*", "/"):
            out.append((e.op, e.right))
            e = e.left
        out.append(("*", e))
        out.reverse()
        for _, t in out:
            if not isinstance(t, _TERM_TYPES):
                raise self.error(line, "some operators are not permitted in linear "
                                 "expressions unless the terms containing them are enclosed "
                                 "in parentheses")
        return out

    def is_state(self, t: ast.Expr) -> bool:
        return isinstance(t, (ast.Name, ast.Indexed)) and t.name in self.states

    def matrix_term(self, sign: int, primary: ast.Expr, line: int) -> MatrixTerm:
        facs = self.factors(primary, line)
        state_at = None
        for k, (op, t) in enumerate(facs):
            if self.is_state(t):
                if t.name in self.arrays or isinstance(t, ast.Indexed):
                    raise self.error(line, f"array STATE {t.name} is not supported yet", True)
                if op == "/":
                    raise self.error(line, f"state {t.name} occurs in a denominator")
                if state_at is not None:
                    raise self.error(line, "more than one state in a term")
                state_at = k
            elif any(self.is_state(x) for x in ast.walk_expr(t)):
                raise self.error(line, "states are not permitted in function calls or "
                                 "between parentheses")
        if state_at is None:
            # nocmodl: a state-free term goes to the right-hand side with the sign flipped
            return MatrixTerm(None, -sign, primary)
        name = facs[state_at][1].name  # type: ignore[union-attr]
        if name not in self.columns:
            self.columns.append(name)
        one = ast.Num("1.0", line=line)
        expr: ast.Expr = one if state_at == 0 else facs[0][1]
        for k, (op, t) in enumerate(facs[1:], start=1):
            expr = ast.Binary(op, expr, one if k == state_at else t, line=line)
        return MatrixTerm(self.columns.index(name), sign, expr)


def linear_system(block: ast.CodeBlock, states: dict[str, int], filename: str) -> LinearSystem:
    """The matrix rows of LINEAR ``block``. ``states``: the file's STATEs with their array
    sizes (1 for scalars); only STATEs are unknowns, every other name is a coefficient."""
    b = _Builder(block, set(states), {n for n, d in states.items() if d > 1}, filename)
    body = b.stmts(block.body.stmts, False)
    if b.equations == 0:
        raise b.error(block.line, "has no equations")
    if b.equations != len(b.columns):
        raise b.error(block.line, f"{len(b.columns)} states ({', '.join(b.columns)}) but "
                      f"{b.equations} equations")
    return LinearSystem(block.name or "", list(b.columns), body)
