"""What the lowering passes produce: the simpler statements they leave in the AST, and the
model a printer reads (the program after the passes plus the facts they collected)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import ast
from ..info import MechanismInfo
from ..kinetic import KineticSystem
from ..linear import LinearSystem
from ..solve import Implicit

# Blocks the passes make. NRN_STATE and NRN_CUR replace BREAKPOINT (its SOLVEs, solved, and
# its other statements), NET_RECEIVE_INITIAL is NET_RECEIVE's INITIAL taken out of it.
NRN_STATE = "NRN_STATE"
NRN_CUR = "NRN_CUR"
NET_RECEIVE_INITIAL = "NET_RECEIVE_INITIAL"


@dataclass
class Solved(ast.Stmt):
    """A SOLVE whose equations became plain statements (cnexp, euler): run them in place."""

    block: str
    method: str
    stmts: list[ast.Stmt]


@dataclass
class NewtonSolve(ast.Stmt):
    """derivimplicit: NEURON's Newton solve of backward Euler (solve.Implicit); ``steady``:
    STEADYSTATE derivimplicit (scopmath's _ss_derivimplicit: the same with dt = 1e-9)."""

    block: str
    system: Implicit
    steady: bool = False


@dataclass
class Residual(ast.Stmt):
    """A NONLINEAR equation ``~ lhs = rhs`` as nocmodl writes it: the next residual (or,
    ``add``: ``~+``, the current one plus) ``-(lhs) + rhs``."""

    expr: ast.Expr
    add: bool = False


@dataclass
class NonlinearSolve(ast.Stmt):
    """SOLVE of a NONLINEAR block: scopmath's Newton on its residuals, for ``states`` (in
    nocmodl's symbol-table order)."""

    block: str
    states: list[str]
    body: list[ast.Stmt]


@dataclass
class SparseSolve(ast.Stmt):
    """A KINETIC block as scopmath's sparse solves it; ``steady``: STEADYSTATE sparse."""

    block: str
    system: KineticSystem
    steady: bool = False


@dataclass
class LinearSolve(ast.Stmt):
    """SOLVE of a LINEAR block: fill its matrix and solve it into the states."""

    block: str
    system: LinearSystem


@dataclass
class WatchArm(ast.Stmt):
    """A WATCH statement with its conditions numbered: watch slot k holds condition cond."""

    items: list[tuple[int, ast.Expr]]


@dataclass
class WatchItem:
    slot: int
    cond: ast.Expr
    flag: str


@dataclass
class Lowered:
    """The program after the lowering passes, and what they found, for the printers."""

    prog: ast.Program
    info: MechanismInfo
    # GLOBAL PARAMETERs (value text, dim) with the <state>0 NEURON starts STATEs from
    global_params: dict[str, tuple[str, int]] = field(default_factory=dict)
    state0: list[str] = field(default_factory=list)  # STATEs set from <state>0 before INITIAL
    constants: dict[str, str] = field(default_factory=dict)  # CONSTANT and UNITS values
    tables: dict[str, ast.Table] = field(default_factory=dict)  # FUNCTION/PROCEDURE -> TABLE
    conductance: list[ast.Conductance] = field(default_factory=list)  # BREAKPOINT's hints
    watch: list[WatchItem] = field(default_factory=list)
    linear: dict[str, LinearSystem] = field(default_factory=dict)
    cnexp_or_euler: set[str] = field(default_factory=set)  # DERIVATIVEs BREAKPOINT solves so
    # simd.py: why nrn_cur's and nrn_state's loops stay scalar ("" where they may run as SIMD
    # loops), and the FUNCTIONs and PROCEDUREs the printer inlines (the non-recursive ones)
    simd_refusal: str = "not analysed"
    # why the instance loops cannot run as device kernels, one thread per instance (or per
    # node's run of point processes, printers/cuda.py); "" when they can
    device_refusal: str = "not analysed"
    inline: set[str] = field(default_factory=set)
    # ... with TABLEs: the tabled functions and their callers, and the loops that reach them
    table_path: set[str] = field(default_factory=set)
    tabled_loops: set[str] = field(default_factory=set)

    @property
    def filename(self) -> str:
        return self.info.filename

    def block(self, kind: str, name: str | None = None) -> ast.CodeBlock | None:
        return self.prog.find_block(kind, name)

    def procs(self) -> dict[str, ast.CodeBlock]:
        return {b.name: b for b in self.prog.blocks if b.kind in ("PROCEDURE", "FUNCTION")}
