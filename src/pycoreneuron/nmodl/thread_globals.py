"""Which GLOBALs the generated code must keep between calls, and whether their values depend on
the order in which instances run.

NEURON keeps a GLOBAL ASSIGNED that code writes (and a top-level LOCAL) in one persistent copy
per thread (nocmodl's ``_thread1data``; the first thread shares it with hoc, so globals.dat
holds its value): a hook that reads such a variable before writing it sees what the previous
instance, hook or step left there. This pass finds, per variable:

* ``exposed``: some hook reads it before writing it (the value then comes from elsewhere);
* ``instance``: some write depends on one instance's data (its own value of v, of a RANGE
  variable, of a state, ...), directly, through a LOCAL, or by control, or updates the
  variable from its own previous value, or happens in NET_RECEIVE at one instance's time.

An exposed variable with an instance-dependent write makes the mechanism *order dependent*:
its results are NEURON's only when its instances run one after the other in NEURON's order
with one copy per NEURON thread (the engine keeps such a group in one block, instances in the
dataset's order). An exposed variable whose writes are all instance-independent (``tadj =
q10^((celsius - 23)/10)``) has the same value in every copy, so any split is exact.

The same walk gives, per tabled FUNCTION/PROCEDURE, the instance variables its untabled body
reads before writing: NEURON builds a TABLE from the data of one instance (the first instance
of the first thread that has the mechanism), so those values shape every instance's table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import ast, verbatim
from .errors import NmodlError
from .info import MechanismInfo
from .symbols import NEURON_VARIABLES

# Names whose value is the same for every instance within one hook call.
_SHARED = {"t", "dt", "celsius", "secondorder", "PI", "pi", "FARADAY", "R", "flag"}


@dataclass
class _Flow:
    """What a run of some statements does, seen from outside them."""

    exposed: set[str] = field(default_factory=set)  # read before any write on some path
    must: set[str] = field(default_factory=set)  # written on every path
    may: set[str] = field(default_factory=set)  # written on some path


@dataclass
class ThreadGlobal:
    name: str
    dim: int
    exposed_in: list[tuple[str, int]] = field(default_factory=list)  # (hook, line of the read)
    instance_write: int = 0  # line of a write that depends on one instance, 0 if none
    initial_matters: bool = False  # read before INITIAL (or every hook) has written it

    @property
    def order_dependent(self) -> bool:
        return bool(self.exposed_in) and bool(self.instance_write)


class _Analysis:
    def __init__(self, prog: ast.Program, info: MechanismInfo, thread_vars: dict[str, int]):
        self.prog = prog
        self.info = info
        self.tv = thread_vars
        self.procs = {b.name: b for b in prog.blocks if b.kind in ("PROCEDURE", "FUNCTION")}
        self.derivs = {b.name: b for b in prog.blocks
                       if b.kind in ("DERIVATIVE", "LINEAR", "NONLINEAR", "KINETIC")}
        self.tables = {b.name: s for b in prog.blocks if b.kind in ("PROCEDURE", "FUNCTION")
                       for s in b.body.stmts if isinstance(s, ast.Table)}
        fields = {n for n, _ in info.variables}
        ion_vars = {v for ion in info.ions for v in list(ion.read) + list(ion.write)}
        pointers = {p for p, _ in info.pointers}
        # Names that hold one instance's value.
        self.instance_names = fields | ion_vars | pointers | {"v", "area", "diam"}
        self.memo: dict[tuple[str, bool], _Flow] = {}
        self.active: set[str] = set()
        self.instance_writes: dict[str, int] = {}
        self.exposed_reads: dict[str, list[tuple[str, int]]] = {}
        self.hook_name = ""
        self.read_lines: dict[str, int] = {}

    # ---- reads of expressions -------------------------------------------------------------
    def _reads(self, e: ast.Expr, scope: set[str]) -> set[str]:
        out = set()
        for x in ast.walk_expr(e):
            if isinstance(x, (ast.Name, ast.Indexed)) and x.name not in scope:
                out.add(x.name)
                self.read_lines.setdefault(x.name, x.line)
        return out

    def _calls(self, e: ast.Expr) -> list[ast.Call]:
        return [x for x in ast.walk_expr(e) if isinstance(x, ast.Call)]

    def _instance_dependent(self, e: ast.Expr, scope: set[str], tainted_locals: set[str],
                            in_net_receive: bool) -> bool:
        for x in ast.walk_expr(e):
            if isinstance(x, (ast.Name, ast.Indexed)):
                n = x.name
                if n in scope:
                    if n in tainted_locals:
                        return True
                elif n in self.instance_names or (in_net_receive and n == "t"):
                    return True
                elif n in self.tv and n in self.instance_writes:
                    return True
            elif isinstance(x, ast.Call):
                if x.name in self.procs and self._function_reads_instance(x.name):
                    return True
                if x.name.startswith("random_") or x.name in ("normrand", "exprand",
                                                               "scop_random", "unirand"):
                    return True
        return False

    def _function_reads_instance(self, name: str, seen: set[str] | None = None) -> bool:
        """Whether a FUNCTION's value may depend on the instance other than by its
        arguments (which the caller's expression already accounts for)."""
        seen = set() if seen is None else seen
        if name in seen:
            return False
        seen.add(name)
        b = self.procs[name]
        scope = set(b.params) | _locals_of(b.body.stmts)
        for s in ast.walk_stmts(b.body.stmts):
            if isinstance(s, ast.Verbatim):
                return True
            for e in ast.stmt_exprs(s):
                for x in ast.walk_expr(e):
                    if isinstance(x, (ast.Name, ast.Indexed)) and x.name not in scope \
                            and (x.name in self.instance_names or x.name in self.instance_writes):
                        return True
                    if isinstance(x, ast.Call) and x.name in self.procs \
                            and self._function_reads_instance(x.name, seen):
                        return True
        return False

    # ---- statements ---------------------------------------------------------------------
    def block(self, stmts: list[ast.Stmt], scope: set[str], written: set[str],
              tainted_ctx: bool, tainted_locals: set[str], in_nr: bool) -> _Flow:
        """Flow of a statement list, given what is already written before it."""
        flow = _Flow()
        cur = set(written)
        for s in stmts:
            f = self.stmt(s, scope, cur, tainted_ctx, tainted_locals, in_nr)
            flow.exposed |= f.exposed
            flow.may |= f.may
            flow.must |= f.must
            cur |= f.must
        return flow

    def _expose(self, names: set[str], written: set[str], flow: _Flow) -> None:
        for n in names - written:
            flow.exposed.add(n)

    def stmt(self, s: ast.Stmt, scope: set[str], written: set[str], tctx: bool,
             tlocals: set[str], in_nr: bool) -> _Flow:
        flow = _Flow()
        if isinstance(s, ast.Local):
            scope.update(n for n, _ in s.names)
            return flow
        if isinstance(s, ast.Assign):
            reads = self._reads(s.expr, scope)
            if isinstance(s.target, ast.Indexed):
                reads |= self._reads(s.target.index, scope)
            self._expose(reads, written, flow)
            self._call_flows(s.expr, scope, written, tctx, tlocals, in_nr, flow)
            n = s.target.name
            dep = tctx or self._instance_dependent(s.expr, scope, tlocals, in_nr)
            if n in scope:
                if dep:
                    tlocals.add(n)
                return flow
            if n in self.tv:
                # an update from its own earlier value counts the instances: order dependent
                if dep or (n in reads and n not in written):
                    self.instance_writes.setdefault(n, s.line)
            flow.may.add(n)
            if isinstance(s.target, ast.Name):
                flow.must.add(n)
            return flow
        if isinstance(s, ast.DiffEq):
            reads = self._reads(s.expr, scope) | {s.state}
            self._expose(reads, written, flow)
            self._call_flows(s.expr, scope, written, tctx, tlocals, in_nr, flow)
            flow.may.add(s.state)
            flow.must.add(s.state)
            return flow
        if isinstance(s, ast.LinEq):
            for e in (s.left, s.right):
                self._expose(self._reads(e, scope), written, flow)
                self._call_flows(e, scope, written, tctx, tlocals, in_nr, flow)
            return flow
        if isinstance(s, ast.Block):
            return self.block(s.stmts, scope, written, tctx, tlocals, in_nr)
        if isinstance(s, ast.If):
            conds = [s.cond] + [c for c, _ in s.elifs]
            branches = [s.body] + [b for _, b in s.elifs] + ([s.orelse] if s.orelse else [])
            dep = tctx
            for c in conds:
                self._expose(self._reads(c, scope), written, flow)
                self._call_flows(c, scope, written, tctx, tlocals, in_nr, flow)
                dep = dep or self._instance_dependent(c, scope, tlocals, in_nr)
            musts = []
            for b in branches:
                f = self.block(b.stmts, scope, written, dep, tlocals, in_nr)
                flow.exposed |= f.exposed
                flow.may |= f.may
                musts.append(f.must)
            if s.orelse is not None and musts:
                flow.must = set.intersection(*musts)
            return flow
        if isinstance(s, (ast.While, ast.From)):
            exprs = [s.cond] if isinstance(s, ast.While) else \
                [e for e in (s.start, s.stop, s.step) if e is not None]
            dep = tctx
            for e in exprs:
                self._expose(self._reads(e, scope), written, flow)
                self._call_flows(e, scope, written, tctx, tlocals, in_nr, flow)
                dep = dep or self._instance_dependent(e, scope, tlocals, in_nr)
            inner = set(scope)
            if isinstance(s, ast.From):
                inner.add(s.var)
            # twice: the second pass sees what the first iteration left (loop-carried reads)
            f = self.block(s.body.stmts, inner, written, dep, tlocals, in_nr)
            f2 = self.block(s.body.stmts, inner, written | (f.may - f.must), dep, tlocals,
                            in_nr)
            flow.exposed |= f.exposed | f2.exposed
            flow.may |= f.may
            return flow
        if isinstance(s, ast.Solve):
            target = self.derivs.get(s.block) or self.procs.get(s.block)
            if target is not None:
                return self._callee(target.name or "", target, written, tctx, in_nr)
            return flow
        if isinstance(s, ast.CallStmt):
            self._expose(self._reads(s.call, scope), written, flow)
            self._call_flows(s.call, scope, written, tctx, tlocals, in_nr, flow)
            return flow
        if isinstance(s, ast.Verbatim):
            used = verbatim.identifiers(s.text)
            names = {n for n in used if n in self.tv or n in self.instance_names}
            self._expose(names, written, flow)
            for n in names & set(self.tv):
                self.instance_writes.setdefault(n, s.line)  # cannot tell: assume the worst
            flow.may |= names
            return flow
        if isinstance(s, ast.Watch):
            for c, _ in s.items:
                self._expose(self._reads(c, scope), written, flow)
            return flow
        if isinstance(s, ast.NetReceiveInitial):
            return flow  # a hook of its own (net_init)
        if isinstance(s, ast.Table):
            return flow
        return flow

    def _call_flows(self, e: ast.Expr, scope: set[str], written: set[str], tctx: bool,
                    tlocals: set[str], in_nr: bool, flow: _Flow) -> None:
        cur = set(written)
        for c in self._calls(e):
            b = self.procs.get(c.name)
            if b is None:
                continue
            dep = tctx or any(self._instance_dependent(a, scope, tlocals, in_nr)
                              for a in c.args)
            f = self._callee(c.name, b, cur, dep, in_nr)
            flow.exposed |= f.exposed
            flow.may |= f.may
            flow.must |= f.must
            cur |= f.must

    def _callee(self, name: str, b: ast.CodeBlock, written: set[str], dep_args: bool,
                in_nr: bool) -> _Flow:
        """A call of a PROCEDURE/FUNCTION/DERIVATIVE: its body's flow after `written`.

        Arguments count as instance dependent when the caller's do (dep_args); a TABLE'd
        call either looks up (writes its TABLE names, reads nothing else) or, with
        usetable off, runs the body: both are allowed for."""
        if name in self.active:  # recursion: assume it reads everything it names
            return _Flow(exposed=set(self.tv) - written)
        self.active.add(name)
        try:
            scope = set(b.params)
            tlocals = set(b.params) if dep_args else set()
            body = self.block(b.body.stmts, scope, written, False, tlocals, in_nr)
            table = self.tables.get(name)
            if table is None or b.kind == "FUNCTION":
                return body
            lookup = _Flow(must=set(table.names), may=set(table.names))
            # the lookup's values come from the table: instance dependent when the argument is
            if dep_args:
                for n in table.names:
                    if n in self.tv:
                        self.instance_writes.setdefault(n, table.line)
            return _Flow(exposed=body.exposed, must=body.must & lookup.must,
                         may=body.may | lookup.may)
        finally:
            self.active.discard(name)

    # ---- hooks ----------------------------------------------------------------------------
    def hook(self, name: str, stmts: list[ast.Stmt], written: frozenset[str] = frozenset(),
             scope: set[str] | None = None, in_nr: bool = False) -> _Flow:
        self.hook_name = name
        self.read_lines = {}
        sc = set() if scope is None else set(scope)
        f = self.block(stmts, sc, set(written), False, set(sc) if in_nr else set(), in_nr)
        for n in f.exposed & set(self.tv):
            self.exposed_reads.setdefault(n, []).append((name, self.read_lines.get(n, 0)))
        return f


def _locals_of(stmts: list[ast.Stmt]) -> set[str]:
    return {n for s in ast.walk_stmts(stmts) if isinstance(s, ast.Local) for n, _ in s.names}


def thread_variables(prog: ast.Program, info: MechanismInfo) -> dict[str, int]:
    """GLOBAL ASSIGNEDs, top-level LOCALs and undeclared GLOBALs: NEURON's per-thread copies
    (name -> array length)."""
    out = {n: d for n, d in info.global_assigned}
    for n in list(prog.top_locals) + [g for g in info.globals if g not in info.declared]:
        out.setdefault(n, prog.top_local_dims.get(n, 1))
    for n in NEURON_VARIABLES | set(info.externals):
        out.pop(n, None)
    return out


def _breakpoint(prog: ast.Program) -> tuple[list[ast.Stmt], list[ast.Stmt]]:
    b = prog.find_block("BREAKPOINT")
    if b is None:
        return [], []
    solves = [s for s in b.body.stmts if isinstance(s, ast.Solve)]
    return solves, [s for s in b.body.stmts if not isinstance(s, ast.Solve)]


def run(prog: ast.Program, info: MechanismInfo) -> None:
    """Fill info.thread_globals (name -> ThreadGlobal) and info.table_inputs."""
    tv = thread_variables(prog, info)
    an = _Analysis(prog, info, tv)
    states = [d.name for d in prog.states]
    solves, bp_rest = _breakpoint(prog)
    has_current = bool(info.currents) and bp_rest
    # Twice, so that instance-dependent writes found late taint what reads them earlier.
    for _ in range(2):
        an.exposed_reads = {}
        tables = {}
        for name in an.tables:
            b = an.procs[name]
            f = an.hook("TABLE", b.body.stmts, scope=set(b.params))
            tables[name] = f
        init_block = prog.find_block("INITIAL")
        init = an.hook("INITIAL", init_block.body.stmts if init_block else [],
                       written=set(states))
        later = []
        if has_current:
            later.append(an.hook("BREAKPOINT", bp_rest))
        later.append(an.hook("SOLVE", solves + ([] if has_current else bp_rest)))
        for b in prog.blocks:
            if b.kind in ("BEFORE", "AFTER"):
                later.append(an.hook(f"{b.kind} {b.name}", b.body.stmts))
        nr = prog.find_block("NET_RECEIVE")
        if nr is not None:
            later.append(an.hook("NET_RECEIVE", nr.body.stmts, scope=set(nr.params) | {"flag"},
                                 in_nr=True))
            for s in nr.body.stmts:
                if isinstance(s, ast.NetReceiveInitial):
                    later.append(an.hook("NET_RECEIVE INITIAL", s.body.stmts,
                                         scope=set(nr.params), in_nr=True))
    out: dict[str, ThreadGlobal] = {}
    for n, d in tv.items():
        g = ThreadGlobal(n, d, exposed_in=an.exposed_reads.get(n, []),
                         instance_write=an.instance_writes.get(n, 0))
        g.initial_matters = n in init.exposed or (
            n not in init.must and any(n in f.exposed for f in later))
        out[n] = g
    info.thread_globals = out
    fields = {n for n, _ in info.variables}
    info.table_inputs = {name: sorted(f.exposed & (fields | an.instance_names) - {"v"})
                         for name, f in tables.items()}
    # NEURON checks a TABLE's DEPEND values before finitialize's INITIAL and again before
    # each group of steps (each of our windows): a DEPEND that INITIAL writes rebuilds the
    # table once more before the first step; one written while the run goes would rebuild it
    # at step boundaries we do not share with NEURON.
    written_later = set().union(*(f.may for f in later))
    for t in an.tables.values():
        for dep in t.depend:
            if dep in written_later:
                raise NmodlError(info.filename, t.line,
                                 f"TABLE DEPEND {dep}: {dep} changes while the run goes "
                                 "(written outside INITIAL); NEURON then rebuilds the table "
                                 "between steps, which is not supported", not_supported=True)
            if dep in init.may:
                info.table_recheck = True
