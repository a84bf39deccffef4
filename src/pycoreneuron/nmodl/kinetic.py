"""KINETIC blocks under METHOD sparse, lowered as NEURON's nocmodl and scopmath solve them.

nocmodl (kinetic.cpp) turns a KINETIC block into a function that fills the matrix and right-
hand side of one Newton step of backward Euler; scopmath's ``sparse_thread`` saves the states,
then repeats {zero the matrix, call the function, eliminate, add the solution to the states}
until the correction is below 1e-6 (once if the scheme is linear), calls the function once
more, and sets D<state> = (state - old)/dt. This pass builds the same statements, in the same
order, and the same elimination: the matrix elements and the pivot order that scopmath's
``spar_minorder`` chooses are worked out here, at translation time, so the generated C does
the same floating-point operations in the same order (NEURON's bits).

What nocmodl does and this pass follows:

* states are numbered with the diagonals of the CONSERVE equations first (the last CONSERVE
  first, each by its last-written state not yet numbered), then the other states of the
  reactions in nocmodl's symbol-table order: by first character ('A' to 'z'), and within one
  character the name the file mentions last first;
* a side's terms are kept last-written first (``~ A + B <-> C (kf, kb)`` gives
  ``f_flux = kf*B*A``), and rate expressions are pasted as text, as nocmodl pastes them;
* rows of conserved states hold their CONSERVE equation; COMPARTMENT volumes scale the dt
  terms and the CONSERVE coefficients.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import ast
from .errors import NmodlError
from .parser import parse_expr
from .printer import _expr as nmodl_text

CONVERGE = 1e-6  # scopmath errcodes.hpp
MAXSTEPS = 20
ROUNDOFF = 1e-20


@dataclass
class KinAssign(ast.Stmt):
    """One statement of the lowered block: ``target op expr``; target ``("rhs", row)``,
    ``("mat", row, col)`` or ``("var", name)`` (f_flux, b_flux, _term)."""

    target: tuple
    op: str
    expr: ast.Expr


@dataclass
class KinDtTerms(ast.Stmt):
    """nocmodl's opening loop: rows ncons..n-1 get -(state - old)/dt and 1/dt on the
    diagonal, then each COMPARTMENT volume scales its row."""


@dataclass
class KineticSystem:
    block: str
    states: list[str]  # varnum order
    ncons: int
    linear: bool
    body: list[ast.Stmt]
    capacity: dict[str, ast.Expr]
    elements: list[tuple[int, int]] = field(default_factory=list)  # _m index -> (row, col)
    pivots: list[int] = field(default_factory=list)  # row eliminated at each position
    position: dict[int, int] = field(default_factory=dict)  # row -> solution position

    def index(self, row: int, col: int) -> int:
        return self.elements.index((row, col))

    def right_of(self, row: int) -> list[int]:
        """Columns of ``row``'s elements after its pivot, in solution order."""
        p = self.position
        return sorted((c for r, c in self.elements if r == row and p[c] > p[row]),
                      key=lambda c: p[c])

    def below(self, row: int) -> list[int]:
        """Rows with an element in column ``row`` after its pivot, in solution order."""
        p = self.position
        return sorted((r for r, c in self.elements if c == row and p[r] > p[row]),
                      key=lambda r: p[r])


def _error(filename: str, line: int, msg: str) -> NmodlError:
    return NmodlError(filename, line, msg, not_supported=True)


def _state_order(block: ast.CodeBlock, states: set[str], first_seen: dict[str, int]
                 ) -> tuple[list[str], int, dict[int, str]]:
    reactions = [s for s in block.body.stmts if isinstance(s, ast.Reaction)]
    conserves = [s for s in block.body.stmts if isinstance(s, ast.Conserve)]
    involved = {t.name for r in reactions for t in r.left + r.right if t.name in states}
    involved |= {t.name for c in conserves for t in c.terms if t.name in states}
    order: list[str] = []
    diagonal: dict[int, str] = {}  # id of a CONSERVE statement -> the state of its row
    for c in reversed(conserves):  # conslist: newest first; terms newest first
        pick = next((t.name for t in reversed(c.terms)
                     if t.name in states and t.name not in order), None)
        if pick is None:
            raise NmodlError("", c.line, "Failed to diagonalize the Kinetic matrix")
        order.append(pick)
        diagonal[id(c)] = pick
    ncons = len(order)
    rest = [s for s in involved if s not in order]
    # SYMITER: buckets 'A'..'z' by first character, each newest-installed first
    rest.sort(key=lambda s: (ord(s[0]), -first_seen.get(s, 0)))
    return order + rest, ncons, diagonal


def lower(block: ast.CodeBlock, prog: ast.Program, filename: str) -> KineticSystem:
    """The KINETIC block ``block`` as NEURON's sparse method runs it."""
    state_dims = {d.name: d.dim for d in prog.states}
    state_names = set(state_dims)
    arrays = {n for n, d in state_dims.items() if d > 1}
    constants = _constant_values(prog)
    stmts = _unrolled(block.body.stmts, constants, filename)
    for s in stmts:
        if isinstance(s, (ast.If, ast.While, ast.From, ast.Block)) and any(
                isinstance(x, (ast.Reaction, ast.Conserve, ast.Compartment))
                for x in ast.walk_stmts([s])):
            raise _error(filename, s.line, "a reaction, CONSERVE or COMPARTMENT inside IF, "
                         "WHILE, a FROM loop with bounds not known when translating, or a "
                         "nested block is not supported yet")
        if isinstance(s, ast.Conserve) and any(t.name in arrays for t in s.terms):
            raise _error(filename, s.line, "CONSERVE of array states is not supported yet")
        if isinstance(s, ast.Reaction):
            for t in s.left + s.right:
                if (t.index is None) != (t.name not in arrays):
                    raise NmodlError(filename, s.line, f"{t.name}: an array state needs an "
                                     "index, a scalar none")
    block = ast.CodeBlock(block.kind, block.name, block.params, ast.Block(stmts), block.line)
    order, ncons, diagonal = _state_order(block, state_names, prog.first_seen)
    # nocmodl numbers an array state's elements one after the other, all of them
    states = [x for n in order for x in
              ([f"{n}[{j}]" for j in range(state_dims[n])] if n in arrays else [n])]
    if not states:
        raise NmodlError(filename, block.line, "KINETIC contains no reactions")
    var = {s: k for k, s in enumerate(states)}
    capacity: dict[str, ast.Expr] = {}
    for s in block.body.stmts:
        if isinstance(s, ast.Compartment):
            for n in s.names:  # nocmodl drops names that are not STATEs
                if n in arrays:
                    for j in range(state_dims[n]):
                        capacity[f"{n}[{j}]"] = s.volume if s.index is None else \
                            _substituted(s.volume, s.index, j)
                elif n in var:
                    if s.index is not None:
                        raise _error(filename, s.line, f"COMPARTMENT {s.index}, ... of the "
                                     f"scalar {n} is not supported")
                    capacity[n] = s.volume

    def key(t: ast.ReactTerm) -> str:
        return t.name if t.index is None else \
            f"{t.name}[{_int_index(t, constants, filename)}]"

    def cap(name: str) -> str:
        return f"({nmodl_text(capacity[name])})" if name in capacity else ""

    body: list[ast.Stmt] = [KinDtTerms(line=block.line)]
    linear = True
    for s in block.body.stmts:
        line = s.line
        if isinstance(s, ast.Compartment):
            continue
        if isinstance(s, ast.Conserve):
            eq = var[diagonal[id(s)]]
            body.append(KinAssign(("rhs", eq), "=", s.total, line=line))
            for t in reversed(s.terms):
                if key(t) not in var:
                    raise NmodlError(filename, line, f"{t.name}: only (solved) STATE are "
                                     "allowed in CONSERVE equations.")
                c = cap(key(t))
                body.append(KinAssign(("mat", eq, var[key(t)]), "=",
                                      parse_expr(f"{t.num}{' * ' + c if c else ''}", filename,
                                               line), line=line))
                text = f"{key(t)}{' * ' + c if c else ''}"
                if t.num != 1:
                    text += f" * {t.num}"
                body.append(KinAssign(("rhs", eq), "-=", parse_expr(text, filename, line),
                                      line=line))
            continue
        if not isinstance(s, ast.Reaction):
            body.append(s)
            continue
        sides = [list(reversed(s.left)), list(reversed(s.right))]
        for t in sides[0] + sides[1]:
            if t.name not in state_names and t.name not in prog.declaration_order \
                    and t.name not in {c.name for c in prog.constants}:
                raise NmodlError(filename, line, f"{t.name} must be a STATE, CONSTANT, "
                                 "ASSIGNED, or INDEPENDENT")
        rates = [s.kf, s.kb]
        if s.op == "<<":  # genfluxterm: a flux into the state, no matrix term
            (t,) = sides[0] if len(sides[0]) == 1 else (None,)
            if t is None or t.num != 1 or key(t) not in var:
                raise NmodlError(filename, line, "flux equations involve only one state")
            body.append(KinAssign(("var", "f_flux"), "=", parse_expr("0.", filename, line),
                                  line=line))
            body.append(KinAssign(("var", "b_flux"), "=", parse_expr("0.", filename, line),
                                  line=line))
            if var[key(t)] >= ncons:
                body.append(KinAssign(("var", "b_flux"), "=", s.kb, line=line))
                body.append(KinAssign(("rhs", var[key(t)]), "+=",
                                      ast.Name("b_flux", line=line), line=line))
            else:
                raise NmodlError(filename, line, f"{t.name} is conserved and has a flux")
            continue
        for j, target in enumerate(("f_flux", "b_flux")):
            text = nmodl_text(rates[j]) if rates[j] is not None else "0."
            for t in sides[j]:
                text += f"*{key(t)}" * t.num
            body.append(KinAssign(("var", target), "=", parse_expr(text, filename, line),
                                  line=line))
        for j in (0, 1):
            for t in sides[j]:
                if key(t) not in var or var[key(t)] < ncons:
                    continue
                text = f"{t.num}.0 *(f_flux - b_flux)" if t.num > 1 else "(f_flux - b_flux)"
                body.append(KinAssign(("rhs", var[key(t)]), "-=" if j == 0 else "+=",
                                      parse_expr(text, filename, line), line=line))
        for j in (0, 1):
            for t in sides[j]:
                if key(t) not in var:
                    continue
                text = nmodl_text(rates[j])
                if t.num != 1:
                    text += f"* {t.num}"
                for t1 in sides[j]:
                    n = t1.num - (1 if t1 is t else 0)
                    if n > 0:
                        linear = False
                    text += f"*{key(t1)}" * n
                body.append(KinAssign(("var", "_term"), "=", parse_expr(text, filename, line),
                                      line=line))
                for j1 in (0, 1):
                    for t1 in sides[j1]:
                        if key(t1) not in var or var[key(t1)] < ncons:
                            continue
                        term = f"{t1.num} * _term" if t1.num != 1 else "_term"
                        body.append(KinAssign(("mat", var[key(t1)], var[key(t)]),
                                              "+=" if j == j1 else "-=",
                                              parse_expr(term, filename, line), line=line))
    system = KineticSystem(block.name or "", states, ncons, linear, body, capacity)
    _order(system)
    return system


def _constant_values(prog: ast.Program) -> dict[str, float]:
    out: dict[str, float] = {}
    for d in prog.constants:
        try:
            out[d.name] = float(d.value) if d.value is not None else 0.0
        except ValueError:
            pass
    return out


def _constant(e: ast.Expr, constants: dict[str, float]) -> float | None:
    """e's value if it is made of numbers and CONSTANTs (DEFINEs) alone."""
    if isinstance(e, ast.Num):
        return float.fromhex(e.text) if e.text.startswith("0x") else float(e.text)
    if isinstance(e, ast.Name):
        return constants.get(e.name)
    if isinstance(e, ast.Paren):
        return _constant(e.inner, constants)
    if isinstance(e, ast.Unary) and e.op == "-":
        v = _constant(e.operand, constants)
        return None if v is None else -v
    if isinstance(e, ast.Binary) and e.op in "+-*/":
        a, b = _constant(e.left, constants), _constant(e.right, constants)
        if a is None or b is None or (e.op == "/" and b == 0):
            return None
        return {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else 0.0}[e.op]
    return None


def _substituted(e: ast.Expr, var: str, value: int) -> ast.Expr:
    """e with the loop variable ``var`` replaced by the integer ``value`` (as NEURON's loop
    would hold it: the same double in any expression)."""
    from .passes import rewrite

    return rewrite.expr(e, lambda x: ast.Num(str(value), line=x.line)
                        if isinstance(x, ast.Name) and x.name == var else None)


def _substituted_stmt(s: ast.Stmt, var: str, value: int, filename: str) -> ast.Stmt:
    import copy

    from .passes import rewrite

    s = copy.deepcopy(s)
    for x in ast.walk_stmts([s]):
        rewrite.stmt_exprs(x, lambda e: ast.Num(str(value), line=e.line)
                           if isinstance(e, ast.Name) and e.name == var else None)
        if isinstance(x, ast.Reaction):
            for t in x.left + x.right:
                if t.index is not None:
                    t.index = _substituted(t.index, var, value)
        if isinstance(x, ast.Compartment) and x.index == var:
            raise _error(filename, x.line, "COMPARTMENT indexed by its own FROM variable")
    return s


def _unrolled(stmts: list[ast.Stmt], constants: dict[str, float], filename: str
              ) -> list[ast.Stmt]:
    """The block's statements with each FROM loop that holds reactions unrolled, its bounds
    known when translating (numbers, DEFINEs): nocmodl's loop creates the matrix elements
    in this same order at the first step."""
    out: list[ast.Stmt] = []
    for s in stmts:
        if isinstance(s, ast.From) and any(isinstance(x, (ast.Reaction, ast.Compartment,
                                                          ast.Conserve))
                                           for x in ast.walk_stmts(s.body.stmts)):
            lo, hi = _constant(s.start, constants), _constant(s.stop, constants)
            step = 1.0 if s.step is None else _constant(s.step, constants)
            if lo is None or hi is None or step is None or step == 0:
                out.append(s)  # refused by the caller with its line
                continue
            k = int(lo)
            while (k <= int(hi)) if step > 0 else (k >= int(hi)):
                out += _unrolled([_substituted_stmt(x, s.var, k, filename) for x in s.body.stmts],
                                 constants, filename)
                k += int(step)
            continue
        out.append(s)
    return out


def _int_index(t: ast.ReactTerm, constants: dict[str, float], filename: str) -> int:
    v = _constant(t.index, constants)
    if v is None or v != int(v):
        raise _error(filename, 0, f"{t.name}[...]: an index not known when translating is "
                     "not supported yet")
    return int(v)


def _order(k: KineticSystem) -> None:
    """scopmath's spar_minorder on the block's elements: the pivot order and the fill-ins."""
    n = len(k.states)
    present: list[tuple[int, int]] = [(i, i) for i in range(n)]
    for s in k.body:
        if isinstance(s, KinAssign) and s.target[0] == "mat":
            rc = (s.target[1], s.target[2])
            if rc not in present:
                present.append(rc)
    pos = list(range(n))  # row -> position (varord)
    norder = {r: sum(1 for rr, _ in present if rr == r) for r in range(n)}
    orderlist: list[int] = []

    def insert(row: int) -> None:
        at = next((k_ for k_, r in enumerate(orderlist) if norder[r] >= norder[row]),
                  len(orderlist))
        orderlist.insert(at, row)

    def reorder(row: int, delta: int) -> None:
        orderlist.remove(row)
        norder[row] += delta
        insert(row)

    for r in range(n):
        insert(r)
    by_pos = list(range(n))  # position -> row
    for i in range(n):
        row = orderlist[0]
        j = pos[row]
        if j != i:
            moved = by_pos[i:j]
            by_pos[i + 1:j + 1] = moved
            by_pos[i] = row
            for p_, r in enumerate(by_pos):
                pos[r] = p_
        below = sorted((r for r, c in present if c == row and pos[r] > i), key=lambda r: pos[r])
        right = sorted((c for r, c in present if r == row and pos[c] > i), key=lambda c: pos[c])
        for r in below:
            for c in right:
                if (r, c) not in present:
                    present.append((r, c))
                    reorder(r, +1)
            reorder(r, -1)
        orderlist.remove(row)
    k.elements = present
    k.position = {r: p_ for p_, r in enumerate(by_pos)}
    k.pivots = by_pos
