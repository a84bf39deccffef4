"""The NMODL abstract syntax tree: plain dataclasses, one per construct.

Every node carries the source line so later passes can name file and line in errors.
Expressions keep the source's parentheses (``Paren``) and literal text of numbers, because
the generated C must evaluate exactly the operations NEURON's translation does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

# ---- expressions ---------------------------------------------------------------------


@dataclass
class Expr:
    line: int = field(default=0, kw_only=True, compare=False)


@dataclass
class Num(Expr):
    text: str  # literal as written (".07", "1e-6", "3")


@dataclass
class Str(Expr):
    text: str  # a C string literal with its quotes (printf's format)


@dataclass
class Name(Expr):
    name: str


@dataclass
class Indexed(Expr):
    name: str
    index: Expr


@dataclass
class Call(Expr):
    name: str
    args: list[Expr]


@dataclass
class Binary(Expr):
    op: str  # + - * / % ^ < > <= >= == != && ||
    left: Expr
    right: Expr


@dataclass
class Unary(Expr):
    op: str  # - !
    operand: Expr


@dataclass
class Paren(Expr):
    inner: Expr


# ---- statements ----------------------------------------------------------------------


@dataclass
class Stmt:
    line: int = field(default=0, kw_only=True, compare=False)


@dataclass
class Local(Stmt):
    names: list[tuple[str, int]]  # (name, array dim; 1 for scalars)


@dataclass
class Assign(Stmt):
    target: Name | Indexed
    expr: Expr
    protected: bool = False  # PROTECT: an atomic update, thread safe


@dataclass
class DiffEq(Stmt):
    state: str
    order: int
    expr: Expr


@dataclass
class LinEq(Stmt):
    """``~ left = right`` of a LINEAR block; ``add``: ``~+`` (terms added to the previous
    equation's row instead of starting a new one)."""

    left: Expr
    right: Expr
    add: bool = False


@dataclass
class Block(Stmt):
    stmts: list[Stmt]


@dataclass
class If(Stmt):
    cond: Expr
    body: Block
    elifs: list[tuple[Expr, Block]]
    orelse: Block | None


@dataclass
class While(Stmt):
    cond: Expr
    body: Block


@dataclass
class From(Stmt):
    var: str
    start: Expr
    stop: Expr
    step: Expr | None
    body: Block


@dataclass
class Solve(Stmt):
    block: str
    method: str | None
    steadystate: str | None


@dataclass
class Table(Stmt):
    names: list[str]
    depend: list[str]
    lo: Expr
    hi: Expr
    n: int


@dataclass
class Conductance(Stmt):
    """BREAKPOINT's CONDUCTANCE hint: nrn_cur takes g from these variables instead of a
    finite difference (and dI/dv of the ion, if named, from the ion's)."""

    name: str
    ion: str | None


@dataclass
class ReactTerm:
    """One term of a reaction side: ``num`` times state ``name`` (``index``: an array element)."""

    num: int
    name: str
    index: Expr | None = None


@dataclass
class Reaction(Stmt):
    """A KINETIC reaction: ``~ left <-> right (kf, kb)``; ``~ left << (kb)`` (a flux in,
    ``right`` empty, ``kf`` None); ``~ left -> (kf)`` (a flux out, ``kb`` None)."""

    left: list[ReactTerm]
    right: list[ReactTerm]
    kf: Expr | None
    kb: Expr | None
    op: str  # "<->", "<<", "->"


@dataclass
class Conserve(Stmt):
    """``CONSERVE terms = total`` of a KINETIC block."""

    terms: list[ReactTerm]
    total: Expr


@dataclass
class Compartment(Stmt):
    """``COMPARTMENT volume { states }``: the states' equations are scaled by the volume."""

    volume: Expr
    names: list[str]
    index: str | None = None  # ``COMPARTMENT i, volume(i) { arrays }``: element i's volume


@dataclass
class CallStmt(Stmt):
    call: Call


@dataclass
class Verbatim(Stmt):
    text: str


@dataclass
class Watch(Stmt):
    items: list[tuple[Expr, str]]  # (condition, flag literal)


@dataclass
class NetReceiveInitial(Stmt):
    body: Block


@dataclass
class ForNetcons(Stmt):
    """``FOR_NETCONS(args) { body }``: body once per NetCon onto the instance, ``args`` naming
    that NetCon's weight vector elements (as NET_RECEIVE's arguments do)."""

    params: list[str]
    body: Block


@dataclass
class Unsupported(Stmt):
    construct: str  # "reaction", "CONSERVE", ...


# ---- declarations --------------------------------------------------------------------


@dataclass
class VarDecl:
    name: str
    dim: int = 1  # array length; 1 for scalars
    value: str | None = None  # PARAMETER default as written
    unit: str | None = None
    line: int = 0
    is_array: bool = False


@dataclass
class NeuronStmt:
    """One statement of the NEURON block: kind is SUFFIX, USEION, RANGE, ..."""

    kind: str
    names: list[str]
    line: int = 0
    read: list[str] = field(default_factory=list)  # USEION only
    write: list[str] = field(default_factory=list)
    valence: str | None = None


@dataclass
class CodeBlock:
    """INITIAL, BREAKPOINT, DERIVATIVE, LINEAR, PROCEDURE, FUNCTION, NET_RECEIVE, ..."""

    kind: str
    name: str | None
    params: list[str]
    body: Block
    line: int = 0
    solvefor: list[str] | None = None  # LINEAR/NONLINEAR ... SOLVEFOR names: the unknowns


@dataclass
class UnitConstant:
    name: str
    value: str | None  # a number as written, or None for a units-database factor
    units: tuple[str, ...]
    line: int = 0


@dataclass
class Program:
    filename: str
    title: str | None = None
    neuron: list[NeuronStmt] = field(default_factory=list)
    parameters: list[VarDecl] = field(default_factory=list)
    assigned: list[VarDecl] = field(default_factory=list)
    states: list[VarDecl] = field(default_factory=list)
    constants: list[VarDecl] = field(default_factory=list)
    unit_constants: list[UnitConstant] = field(default_factory=list)
    unit_aliases: dict[str, str] = field(default_factory=dict)  # "(avogadro)" -> "(mole)"
    blocks: list[CodeBlock] = field(default_factory=list)
    top_locals: list[str] = field(default_factory=list)
    top_local_dims: dict[str, int] = field(default_factory=dict)  # arrays among top_locals
    verbatim: list[Verbatim] = field(default_factory=list)
    # Every PARAMETER/ASSIGNED/STATE declaration in file order: NEURON's "definition order".
    declaration_order: list[str] = field(default_factory=list)
    # Where each name first occurs in the file (outside VERBATIM, comments and units): the
    # order in which nocmodl's lexer installs symbols, which orders a KINETIC block's states.
    first_seen: dict[str, int] = field(default_factory=dict)

    def find_block(self, kind: str, name: str | None = None) -> CodeBlock | None:
        for b in self.blocks:
            if b.kind == kind and (name is None or b.name == name):
                return b
        return None


def walk_stmts(stmts: list[Stmt]) -> Iterator[Stmt]:
    """Every statement, depth first, including those nested in IF/WHILE/FROM/blocks."""
    for s in stmts:
        yield s
        if isinstance(s, Block):
            yield from walk_stmts(s.stmts)
        elif isinstance(s, If):
            yield from walk_stmts(s.body.stmts)
            for _, b in s.elifs:
                yield from walk_stmts(b.stmts)
            if s.orelse is not None:
                yield from walk_stmts(s.orelse.stmts)
        elif isinstance(s, (While, From)):
            yield from walk_stmts(s.body.stmts)
        elif isinstance(s, (NetReceiveInitial, ForNetcons)):
            yield from walk_stmts(s.body.stmts)


def walk_expr(e: Expr) -> Iterator[Expr]:
    """Every expression node under e, e included."""
    yield e
    if isinstance(e, Indexed):
        yield from walk_expr(e.index)
    elif isinstance(e, Call):
        for a in e.args:
            yield from walk_expr(a)
    elif isinstance(e, Binary):
        yield from walk_expr(e.left)
        yield from walk_expr(e.right)
    elif isinstance(e, Unary):
        yield from walk_expr(e.operand)
    elif isinstance(e, Paren):
        yield from walk_expr(e.inner)
    elif isinstance(e, Str):
        pass


def stmt_exprs(s: Stmt) -> Iterator[Expr]:
    """The expressions a statement holds directly (not those of nested statements)."""
    if isinstance(s, Assign):
        yield s.target
        yield s.expr
    elif isinstance(s, DiffEq):
        yield s.expr
    elif isinstance(s, LinEq):
        yield s.left
        yield s.right
    elif isinstance(s, If):
        yield s.cond
        for c, _ in s.elifs:
            yield c
    elif isinstance(s, While):
        yield s.cond
    elif isinstance(s, From):
        yield s.start
        yield s.stop
        if s.step is not None:
            yield s.step
    elif isinstance(s, Table):
        yield s.lo
        yield s.hi
    elif isinstance(s, CallStmt):
        yield s.call
    elif isinstance(s, Reaction):
        for t in s.left + s.right:
            yield Name(t.name, line=s.line) if t.index is None else \
                Indexed(t.name, t.index, line=s.line)
        for e in (s.kf, s.kb):
            if e is not None:
                yield e
    elif isinstance(s, Conserve):
        for t in s.terms:
            yield Name(t.name, line=s.line)
        yield s.total
    elif isinstance(s, Compartment):
        yield s.volume
    elif isinstance(s, Watch):
        for c, _ in s.items:
            yield c
