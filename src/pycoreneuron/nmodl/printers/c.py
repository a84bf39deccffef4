"""C printer: one C file per MOD file, following src/kernels/mechanism_abi.h.

It reads the lowered program (passes/) and the filled MechanismInfo and prints; it decides
nothing about layout or numerics, which the passes fixed.
Expressions are printed with the tree of the source (parentheses kept), integer literals as
doubles (``40`` -> ``40.0``, as nmodl prints them), ``x^y`` as ``pow(x, y)``, so that C
evaluates exactly what CoreNEURON's generated code evaluates. nrn_cur follows numerics doc
section 4.1 (finite-difference conductance with 0.001, currents summed in nmodl's order,
point processes scaled by 1.e2/area), nrn_state runs the SOLVE blocks (section 12.6/12.7),
TABLEs follow section 12.5.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import ast, kinetic, linear, names, verbatim
from ..errors import NmodlError
from ..layout import G_SLOT, TSAVE_SLOT, V_SLOT
from ..passes.checks import BA_ORDER
from ..passes.lowered import (
    NET_RECEIVE_INITIAL,
    NRN_CUR,
    NRN_STATE,
    LinearSolve,
    Lowered,
    NewtonSolve,
    NonlinearSolve,
    Residual,
    Solved,
    SparseSolve,
    WatchArm,
)
from ..symbols import ion_role

_RANDOM_FUNCS = {
    "random_negexp": ("pcn_ran123_negexp", 0),
    "random_uniform": ("pcn_ran123_uniform", 0),
    "random_normal": ("pcn_ran123_normal", 0),
    "random_setseq": ("pcn_ran123_setseq34", 1),
    "random_ipick": ("(double)pcn_ran123_ipick", 0),
}


@dataclass
class _Scope:
    """What a name means inside one C function."""

    locals: set[str] = field(default_factory=set)
    ret: str | None = None  # FUNCTION name whose assignment is the return value
    net_receive_args: dict[str, int] = field(default_factory=dict)
    in_net_receive: bool = False
    fornetcon_args: dict[str, int] = field(default_factory=dict)  # inside FOR_NETCONS


class CPrinter:
    def __init__(self, low: Lowered):
        prog, info = low.prog, low.info
        self.low = low
        self.prog = prog
        self.info = info
        self.fn = info.filename
        self.mech = info.name
        self.fields = {n: (info.offset(n), d) for n, d in info.variables}
        self.slots = {n: k for k, (n, _) in enumerate(info.dparam)}
        self.procs = low.procs()
        self.tables = low.tables
        self.global_params = low.global_params
        # GLOBAL ASSIGNEDs, top-level LOCALs, undeclared GLOBALs: NEURON's per-thread copies,
        # persistent in a->tvars (thread_globals.py)
        self.thread_vars = {n: g.dim for n, g in info.thread_globals.items()}
        self.state_names = [d.name for d in prog.states]
        self.state0 = low.state0
        self.constants = low.constants
        self.linear = low.linear
        self._lin_n = 0  # size of the LINEAR system being printed (its right-hand side column)
        self.verbatim = self._verbatim_names()
        self.external_calls: set[str] = set()  # functions left to the linker (call())
        self.out: list[str] = []
        # SIMD loops with TABLEs (passes/simd.py): the functions on the lookup path get a second,
        # branch-free copy (suffix _tl) for the loops that run while usetable is on
        self.tl_funcs = low.table_path
        self._call_suffix = ""  # "_tl" while printing those copies and loops

    # ---- names --------------------------------------------------------------------------
    def _verbatim_names(self) -> verbatim.VerbatimNames:
        """nocmodl's names for VERBATIM code (docs/dev/translator.md, "VERBATIM")."""
        used: set[str] = set()
        for block in verbatim.blocks_of(self.prog):
            used |= verbatim.identifiers(block.text)
        others = {n: self.dparam(n) for n in ("area", "diam") if n in self.slots}
        # nocmodl's _ion_<var>: the ion's own value (an lvalue), not the instance's copy
        others.update({f"_{n}": self.dparam(n) for n in self.slots if n.startswith("ion_")})
        if self.info.is_point and "area" not in others:
            others["area"] = "a->area[a->ni[id]]"
        return verbatim.VerbatimNames(
            used, self.fields, (V_SLOT, G_SLOT, TSAVE_SLOT),
            {n: d for n, (_, d) in self.global_params.items()}, self.thread_vars,
            self.info.pointers, self.procs, others, self.mech)

    def _verbatim(self, block: ast.Verbatim, sc: _Scope) -> list[str]:
        if self.verbatim.clashes:
            raise self._error(block.line, f"VERBATIM code uses {self.verbatim.clashes[0]}, "
                              "which is also a name of the generated C; rename the variable",
                              True)
        return self.verbatim.lines(block, _basename(self.fn), sorted(sc.locals), sc.ret)

    def _error(self, line: int, msg: str, unsupported: bool = False) -> NmodlError:
        return NmodlError(self.fn, line, msg, not_supported=unsupported)

    def field(self, name: str, index: str | None = None) -> str:
        k = names.field_const(name)
        if index is None:
            return f"FLD({k})"
        # CoreNEURON's SoA keeps an array's dim*stride doubles instance-major (phase2's
        # mech_data_layout_transform; the reader's Mechanism.field): element j of instance
        # id is data[k*stride + id*dim + j].
        return f"ARR({k}, {self.fields[name][1]}, {index})"

    def dparam(self, slot_name: str) -> str:
        return f"DPV({names.slot_const(slot_name)})"

    def ion_slot(self, var: str) -> str:
        return f"ion_{var}"

    def name(self, n: str, sc: _Scope, line: int, index: str | None = None) -> str:
        if n in sc.locals:
            return names.local(n) + (f"[(int)({index})]" if index is not None else "")
        if sc.ret is not None and n == sc.ret:
            return "_ret"
        if n in sc.fornetcon_args:
            return f"a->weights[_fw + {sc.fornetcon_args[n]}]"
        if n in sc.net_receive_args:
            return f"a->weights[weight_index + {sc.net_receive_args[n]}]"
        if sc.in_net_receive and n == "flag":
            return "flag"
        if n in self.fields:
            return self.field(n, index)
        if n in self.thread_vars:
            return f"tv->{n}" + (f"[(int)({index})]" if index is not None else "")
        if n in self.info.externals:  # another mechanism's GLOBAL, pointed at by the loader
            return f"(*_ext_ptrs[{self.info.externals.index(n)}])"
        if n in self.global_params:
            return names.glob(n) + (f"[(int)({index})]" if index is not None else "")
        if n == "v":
            return "v"
        if n == "t":
            return "a->t"
        if n == "dt":
            return "a->dt"
        if n == "celsius":
            return "a->celsius"
        if n == "secondorder":
            return "((double)a->secondorder)"
        if n in ("area", "diam") and n in self.slots:
            return self.dparam(n)
        if n == "area" and self.info.is_point:
            return "a->area[a->ni[id]]"
        if n in self.slots and any(n == p for p, _ in self.info.pointers):
            return self.dparam(n)
        if n in self.constants:
            return self._num(self.constants[n] or "0")
        if n in ("PI", "pi"):
            return names.PI
        if n in ("FARADAY", "R") and n not in self.constants:
            raise self._error(line, f"{n} without a UNITS declaration is not supported yet",
                              True)
        raise self._error(line, f"unknown name {n}")

    @staticmethod
    def _num(text: str) -> str:
        if text.startswith("0x"):
            return text
        t = text.lstrip("+")
        neg = t.startswith("-")
        body = t[1:] if neg else t
        if body.isdigit():
            body += ".0"
        return ("-" if neg else "") + body

    # ---- expressions -----------------------------------------------------------------------
    def expr(self, e: ast.Expr, sc: _Scope) -> str:
        if isinstance(e, ast.Num):
            return self._num(e.text)
        if isinstance(e, ast.Str):
            return e.text
        if isinstance(e, ast.Name):
            return self.name(e.name, sc, e.line)
        if isinstance(e, ast.Indexed):
            return self.name(e.name, sc, e.line, self.expr(e.index, sc))
        if isinstance(e, ast.Paren):
            return f"({self.expr(e.inner, sc)})"
        if isinstance(e, ast.Unary):
            inner = self.expr(e.operand, sc)
            return f"{e.op} {inner}" if inner.startswith(("-", "!")) else f"{e.op}{inner}"
        if isinstance(e, ast.Binary):
            left, right = self.expr(e.left, sc), self.expr(e.right, sc)
            if e.op == "^":
                return f"pow({left}, {right})"
            if e.op == "%":
                return f"fmod({left}, {right})"
            return f"{left} {e.op} {right}"
        if isinstance(e, ast.Call):
            return self.call(e, sc)
        raise self._error(e.line, f"cannot translate expression {e!r}")

    def call(self, c: ast.Call, sc: _Scope) -> str:
        if c.name in _RANDOM_FUNCS:
            return self._random_call(c, sc)
        args = [self.expr(x, sc) for x in c.args]
        if c.name in self.procs:
            want = len(self.procs[c.name].params)
            if len(args) != want:
                raise self._error(c.line, f"{c.name} takes {want} arguments, got {len(args)}")
            fname = names.func(self.mech, c.name)
            if self._call_suffix and c.name in self.tl_funcs:
                fname += self._call_suffix
            return f"{fname}({', '.join(['a', 'id', 'tv', 'v'] + args)})"
        if c.name in names.MATH:
            return f"{names.MATH[c.name]}({', '.join(args)})"
        if c.name == "net_send":
            if len(args) != 2:
                raise self._error(c.line, "net_send takes 2 arguments")
            wi = "weight_index" if sc.in_net_receive else "0"
            return f"a->net_send(a, id, {wi}, a->t + {args[0]}, {args[1]})"
        if c.name == "net_event":
            return f"a->net_event(a, id, {args[0]})"
        if c.name == "net_move":
            return f"a->net_move(a, id, {args[0]})"
        if c.name == "nrn_ghk":
            if len(args) != 4:
                raise self._error(c.line, "nrn_ghk takes 4 arguments (v, ci, co, z)")
            return f"_pcn_nrn_ghk({', '.join(args)}, a->celsius)"
        if c.name == "printf":
            return f"printf({', '.join(args)})"
        # Any other function, as nocmodl passes it to C: one that top-level VERBATIM code
        # defines, or else one declared here and left to the linker. The build refuses such a
        # call with its MOD line when the compiled code reaches it (NEURON's legacy normrand,
        # say); a call the VERBATIM preprocessor conditionals leave out (Gfluct3's
        # "#if !NRNBBCORE") costs nothing.
        if not any(c.name in verbatim.identifiers(b.text) for b in self.prog.verbatim):
            self.external_calls.add(c.name)
        return f"{c.name}({', '.join(args)})"

    def _random_call(self, c: ast.Call, sc: _Scope) -> str:
        cname, nextra = _RANDOM_FUNCS[c.name]
        if not c.args or not isinstance(c.args[0], ast.Name) \
                or c.args[0].name not in self.info.randoms:
            raise self._error(c.line, f"{c.name} needs a RANDOM variable first")
        stream = f"STREAM({names.slot_const(c.args[0].name)})"
        args = [self.expr(x, sc) for x in c.args[1:]]
        if c.name == "random_uniform" and len(args) == 2:
            return f"pcn_ran123_uniform_ab({stream}, {args[0]}, {args[1]})"
        # NEURON's nrnran123_negexp(s, mean) = -log(u)*mean, nrnran123_normal(s, mu, sigma) =
        # mu + normal*sigma (a product and a sum: the same double in either order)
        if c.name == "random_negexp" and len(args) == 1:
            return f"(pcn_ran123_negexp({stream}) * ({args[0]}))"
        if c.name == "random_normal" and len(args) == 2:
            return f"(({args[0]}) + pcn_ran123_normal({stream}) * ({args[1]}))"
        if len(args) != nextra:
            raise self._error(c.line, f"{c.name} takes {nextra + 1} arguments")
        return f"{cname}({', '.join([stream] + args)})"

    # ---- statements ------------------------------------------------------------------------
    def stmts(self, stmts: list[ast.Stmt], sc: _Scope, ind: str) -> list[str]:
        out: list[str] = []
        for s in stmts:
            out += self.stmt(s, sc, ind)
        return out

    def stmt(self, s: ast.Stmt, sc: _Scope, ind: str) -> list[str]:
        if isinstance(s, ast.Local):
            lines = []
            for n, dim in s.names:
                sc.locals.add(n)
                arr = f"[{dim}]" if dim > 1 else ""
                lines.append(f"{ind}double {names.local(n)}{arr};")
            return lines
        if isinstance(s, ast.Assign):
            idx = self.expr(s.target.index, sc) if isinstance(s.target, ast.Indexed) else None
            target = self.name(s.target.name, sc, s.line, idx)
            return [f"{ind}{target} = {self.expr(s.expr, sc)};"]
        if isinstance(s, ast.Block):
            return [f"{ind}{{"] + self.stmts(s.stmts, sc, ind + "    ") + [f"{ind}}}"]
        if isinstance(s, ast.If):
            lines = [f"{ind}if ({self.expr(s.cond, sc)}) {{"]
            lines += self.stmts(s.body.stmts, sc, ind + "    ")
            for c, b in s.elifs:
                lines.append(f"{ind}}} else if ({self.expr(c, sc)}) {{")
                lines += self.stmts(b.stmts, sc, ind + "    ")
            if s.orelse is not None:
                lines.append(f"{ind}}} else {{")
                lines += self.stmts(s.orelse.stmts, sc, ind + "    ")
            return lines + [f"{ind}}}"]
        if isinstance(s, ast.While):
            return ([f"{ind}while ({self.expr(s.cond, sc)}) {{"]
                    + self.stmts(s.body.stmts, sc, ind + "    ") + [f"{ind}}}"])
        if isinstance(s, ast.From):
            var = names.local(s.var)
            sc.locals.add(s.var)
            step = self.expr(s.step, sc) if s.step is not None else "1"
            return ([f"{ind}for (int {var}_i = (int)({self.expr(s.start, sc)}); "
                     f"{var}_i <= (int)({self.expr(s.stop, sc)}); {var}_i += (int)({step})) {{",
                     f"{ind}    double {var} = (double){var}_i;"]
                    + self.stmts(s.body.stmts, sc, ind + "    ") + [f"{ind}}}"])
        if isinstance(s, ast.CallStmt):
            return [f"{ind}{self.call(s.call, sc)};"]
        if isinstance(s, Solved):
            return self.stmts(s.stmts, sc, ind)
        if isinstance(s, LinearSolve):
            return self._solve_linear(s, sc, ind)
        if isinstance(s, linear.MatrixRow):
            lines = [f"{ind}++_counte;"] if s.new_row else []
            for t in s.terms:
                col = self._lin_n if t.col is None else t.col
                op = "+=" if t.sign > 0 else "-="
                lines.append(f"{ind}_coef[_counte][{col}] {op} {self.expr(t.expr, sc)};")
            return lines
        if isinstance(s, ast.DiffEq):
            raise self._error(s.line, "a differential equation outside a DERIVATIVE block")
        if isinstance(s, NewtonSolve):
            return self._implicit(s, sc, ind)
        if isinstance(s, NonlinearSolve):
            return self._nonlinear(s, sc, ind)
        if isinstance(s, Residual):
            return [f"{ind}_value[{'_counte' if s.add else '++_counte'}] "
                    f"{'+=' if s.add else '='} {self.expr(s.expr, sc)};"]
        if isinstance(s, SparseSolve):
            if s.steady:
                return self._steady_state(s.system, sc, ind)
            return self._sparse(s.system, sc, ind, iterate=not s.system.linear,
                                secondorder=True)
        if isinstance(s, kinetic.KinAssign):
            kind = s.target[0]
            if kind == "rhs":
                target = f"_rhs[{s.target[1]}]"
            elif kind == "mat":
                target = f"_m[{self._kin.index(s.target[1], s.target[2])}]"
            else:
                target = names.local(s.target[1])
            return [f"{ind}{target} {s.op} {self.expr(s.expr, sc)};"]
        if isinstance(s, kinetic.KinDtTerms):
            k = self._kin
            lines = [f"{ind}{{ double _dt1 = 1.0/{self.name('dt', sc, s.line)};"]
            for i in range(k.ncons, len(k.states)):
                x = self._kstate(k.states[i], sc)
                lines.append(f"{ind}_rhs[{i}] = -_dt1*({x} - _old[{i}]);")
                lines.append(f"{ind}_m[{k.index(i, i)}] = _dt1; }}" if i == len(k.states) - 1
                             else f"{ind}_m[{k.index(i, i)}] = _dt1;")
            if k.ncons == len(k.states):
                lines.append(f"{ind}(void)_dt1; }}")
            for i in range(k.ncons, len(k.states)):
                vol = k.capacity.get(k.states[i])
                if vol is not None:
                    lines.append(f"{ind}_rhs[{i}] *= ({self.expr(vol, sc)});")
                    lines.append(f"{ind}_m[{k.index(i, i)}] *= ({self.expr(vol, sc)});")
            return lines
        if isinstance(s, ast.Verbatim):
            return self._verbatim(s, sc)
        if isinstance(s, ast.ForNetcons):
            # the NetCons onto this instance (the engine's lists), args on each one's weights
            inner = _Scope(locals=set(sc.locals), ret=sc.ret,
                           net_receive_args=sc.net_receive_args,
                           in_net_receive=sc.in_net_receive,
                           fornetcon_args={p: k for k, p in enumerate(s.params)})
            return ([f"{ind}for (int _fi = a->fornetcon_offsets[id]; "
                     f"_fi < a->fornetcon_offsets[id + 1]; _fi++) {{",
                     f"{ind}    int _fw = a->fornetcon_weights[_fi];"]
                    + self.stmts(s.body.stmts, inner, ind + "    ") + [f"{ind}}}"])
        if isinstance(s, WatchArm):
            lines = [f"{ind}if (!watch_remove) {{"]
            lines += [f"{ind}    WATCH({k}) = 0;" for k in range(1, self.info.watch_count + 1)]
            lines += [f"{ind}    watch_remove = 1;", f"{ind}}}"]
            for k, cond in s.items:
                lines.append(f"{ind}WATCH({k}) = 2 + ({self.expr(cond, sc)});")
            return lines
        raise self._error(getattr(s, "line", 0), f"cannot translate {type(s).__name__}")

    def _solve_linear(self, s: LinearSolve, sc: _Scope, ind: str) -> list[str]:
        """SOLVE of a LINEAR block: fill and solve its matrix (the states get the solution).
        NEURON stops the run when simeq finds the matrix singular; kernels cannot stop the
        engine, so we say so on stderr and make the states NaN, which the run then shows."""
        m = s.system
        call = f"{names.linear_func(self.mech, s.block)}(a, id, tv, v)"
        lines = [f"{ind}if ({call} != 0) {{",
                 f'{ind}    fprintf(stderr, "{_basename(self.fn)}:{s.line}: SOLVE {s.block}: '
                 f'singular matrix (simeq error 2); NEURON stops the run here\\n");']
        lines += [f"{ind}    {self.name(x, sc, s.line)} = NAN;" for x in m.states]
        return lines + [f"{ind}}}"]

    def _print_linear(self, m: linear.LinearSystem) -> None:
        """nocmodl's LINEAR function: zero the n x (n+1) matrix, run the block with one
        row per equation, then scopmath's simeq writes the solution into the states."""
        n = len(m.states)
        self.emit(f"/* LINEAR {m.name}: columns {', '.join(m.states)}; column {n} is the "
                  "right-hand side */")
        self.emit(f"static int {names.linear_func(self.mech, m.name)}("
                  "const pcn_mech_args *a, int id, struct pcn_tv *tv, double v) {")
        self.emit(f"    double _coef[{n}][{n + 1}];")
        self.emit(f"    int _perm[{n}];")
        self.emit(f"    for (int _r = 0; _r < {n}; _r++) {{")
        self.emit(f"        for (int _c = 0; _c < {n + 1}; _c++) {{")
        self.emit("            _coef[_r][_c] = 0.0;")
        self.emit("        }")
        self.emit("    }")
        self.emit("    int _counte = -1;")
        self._lin_n = n
        for line in self.stmts(m.body, _Scope(), "    "):
            self.emit(line)
        self.emit("    (void)_counte;")
        sc = _Scope()
        ptrs = ", ".join(f"&{self.name(x, sc, 0)}" for x in m.states)
        self.emit(f"    double *const _soln[{n}] = {{{ptrs}}};")
        self.emit(f"    return _pcn_simeq({n}, &_coef[0][0], _perm, _soln);")
        self.emit("}")
        self.emit()

    def _print_simeq(self) -> None:
        """scopmath's simeq (NEURON 9.0.2, src/scopmath/simeq.hpp), the same operations in
        the same order: Gaussian elimination with partial pivoting through a row permutation
        (rows are not moved), a row normalised by division, back substitution into the
        states. Written from its description, not copied."""
        self.emit("/* Solves coef x = rhs for the n x (n+1) row-major matrix coef (destroyed),")
        self.emit(" * writing x[i] to *soln[i]. Returns 2 if a pivot is below 1e-20. */")
        self.emit("static int _pcn_simeq(int n, double *coef, int *perm, "
                  "double *const *soln) {")
        self.emit("    const int w = n + 1;")
        self.emit("    for (int i = 0; i < n; i++) {")
        self.emit("        perm[i] = i;")
        self.emit("    }")
        self.emit("    int isave = 0;")
        self.emit("    for (int j = 0; j < n; j++) {")
        self.emit("        /* pivot: the first largest |coef| of column j among rows not used */")
        self.emit("        int ipivot = perm[j];")
        self.emit("        for (int i = j + 1; i < n; i++) {")
        self.emit("            int jrow = perm[i];")
        self.emit("            if (fabs(coef[ipivot*w + j]) < fabs(coef[jrow*w + j])) {")
        self.emit("                ipivot = jrow;")
        self.emit("                isave = i;")
        self.emit("            }")
        self.emit("        }")
        self.emit("        if (fabs(coef[ipivot*w + j]) < 1e-20) {")
        self.emit("            return 2;")
        self.emit("        }")
        self.emit("        if (ipivot != perm[j]) {")
        self.emit("            perm[isave] = perm[j];")
        self.emit("            perm[j] = ipivot;")
        self.emit("        }")
        self.emit("        /* normalise the pivot row right of the diagonal */")
        self.emit("        for (int k = j + 1; k <= n; k++) {")
        self.emit("            coef[ipivot*w + k] /= coef[ipivot*w + j];")
        self.emit("        }")
        self.emit("        /* eliminate column j from the rows below (in perm order) */")
        self.emit("        for (int i = j + 1; i < n; i++) {")
        self.emit("            int jrow = perm[i];")
        self.emit("            for (int k = j + 1; k <= n; k++) {")
        self.emit("                coef[jrow*w + k] -= coef[ipivot*w + k] * coef[jrow*w + j];")
        self.emit("            }")
        self.emit("        }")
        self.emit("    }")
        self.emit("    /* back substitution, straight into the states */")
        self.emit("    for (int i = n - 1; i >= 0; i--) {")
        self.emit("        int jrow = perm[i];")
        self.emit("        *soln[i] = coef[jrow*w + n];")
        self.emit("        for (int j = i + 1; j < n; j++) {")
        self.emit("            *soln[i] -= coef[jrow*w + j] * *soln[j];")
        self.emit("        }")
        self.emit("    }")
        self.emit("    return 0;")
        self.emit("}")
        self.emit()

    def _kstate(self, st: str, sc: _Scope) -> str:
        """A KINETIC unknown: a state, or an array state's element ``name[j]``."""
        if st.endswith("]"):
            name, j = st[:-1].split("[")
            return self.name(name, sc, 0, f"{j}.0")
        return self.name(st, sc, 0)

    def _kdfield(self, st: str) -> str | None:
        """Its D<state> field, if the instance has one."""
        name, j = st[:-1].split("[") if st.endswith("]") else (st, None)
        if "D" + name not in self.fields:
            return None
        return self.field("D" + name, None if j is None else f"{j}.0")

    def _steady_state(self, k: kinetic.KineticSystem, sc: _Scope, ind: str) -> list[str]:
        """scopmath's _ss_sparse_thread (SOLVE ... STEADYSTATE sparse): sparse steps with dt
        = 1e9 (for everything the block calls); a linear scheme iterated as a nonlinear one,
        a nonlinear one by up to 7 single steps until no state is below -1e-6 (those set
        to 0), then iterated to convergence."""
        inner, body = ind + "    ", ind + "        "
        out = [ind + "{", f"{inner}pcn_mech_args _ss = *a; _ss.dt = 1e9;",
               f"{inner}{{ const pcn_mech_args *a = &_ss; int _status = 1; (void)_status;"]
        if k.linear:
            out += self._sparse(k, sc, inner, iterate=True, status="_status")
        else:
            x = [self._kstate(st, sc) for st in k.states]
            out.append(f"{inner}for (int _ssi = 0; _ssi < 7; _ssi++) {{")
            out += self._sparse(k, sc, body, iterate=False, status="_status")
            out.append(f"{body}if (!_status) break;")
            out.append(f"{body}int _flag = 1;")
            out += [f"{body}if ({xi} < -1e-6) {{ {xi} = 0.; _flag = 0; }}" for xi in x]
            out.append(f"{body}if (_flag) {{")
            out += self._sparse(k, sc, body + "    ", iterate=True, status="_status")
            out.append(f"{body}    break;")
            out.append(f"{body}}}")
            out.append(f"{inner}}}")
        out.append(f"{inner}}}")
        # nocmodl prints the same "if (secondorder) state += dt*Dstate" after the steady
        # state too (full dt, D from the 1e9 step)
        x = [self._kstate(st, sc) for st in k.states]
        dfields = [(x[i], self._kdfield(st)) for i, st in enumerate(k.states)
                   if self._kdfield(st) is not None]
        if dfields:
            out.append(f"{inner}if (a->secondorder) {{")
            out += [f"{inner}    {xi} += {self.name('dt', sc, 0)}*{d};" for xi, d in dfields]
            out.append(f"{inner}}}")
        out.append(ind + "}")
        return out

    def _sparse(self, k: kinetic.KineticSystem, sc: _Scope, ind: str, iterate: bool,
                status: str | None = None, secondorder: bool = False) -> list[str]:
        """scopmath's sparse_thread on the lowered block: Newton steps of backward Euler
        with the elimination spar_minorder chose, then D<state> = (state - old)/dt.
        ``iterate``: to convergence, states clamped at 0 (sparse_thread's linflag 0); else
        one step. ``status`` gets 1 on success, 0 on a singular matrix or too many steps."""
        self._kin = k
        n, nnz = len(k.states), len(k.elements)
        sc = _Scope(locals=set(sc.locals) | {"f_flux", "b_flux", "_term"}, ret=sc.ret,
                    net_receive_args=sc.net_receive_args, in_net_receive=sc.in_net_receive)
        x = [self._kstate(st, sc) for st in k.states]
        inner, body = ind + "    ", ind + "        "
        out = [ind + "{", f"{inner}double _old[{n}], _rhs[{n}], _m[{nnz}], _r;",
               f"{inner}double {names.local('f_flux')} = 0.0, {names.local('b_flux')} = 0.0,"
               f" {names.local('_term')} = 0.0;",
               f"{inner}(void)_r; (void){names.local('f_flux')}; (void){names.local('b_flux')};"
               f" (void){names.local('_term')};",
               f"{inner}int _ok = 1;"]
        out += [f"{inner}_old[{i}] = {x[i]};" for i in range(n)]

        def fun(at: str) -> list[str]:
            lines = [f"{at}for (int _e = 0; _e < {nnz}; _e++) _m[_e] = 0.0;"]
            return lines + self.stmts(k.body, sc, at)

        out.append(f"{inner}for (int _j = 0, _conv = 0; !_conv; _j++) {{")
        out += fun(body)
        for row in k.pivots:  # matsol: upper triangularisation, then back substitution
            p = k.index(row, row)
            out.append(f"{body}if (fabs(_m[{p}]) <= {kinetic.ROUNDOFF!r}) {{ _ok = 0; break; }}")
            for r in k.below(row):
                out.append(f"{body}_r = _m[{k.index(r, row)}] / _m[{p}];")
                out.append(f"{body}_rhs[{r}] -= _rhs[{row}] * _r;")
                for c in k.right_of(row):
                    out.append(f"{body}_m[{k.index(r, c)}] -= _m[{k.index(row, c)}] * _r;")
        for row in reversed(k.pivots):
            for c in k.right_of(row):
                out.append(f"{body}_rhs[{row}] -= _m[{k.index(row, c)}] * _rhs[{c}];")
            out.append(f"{body}_rhs[{row}] /= _m[{k.index(row, row)}];")
        out.append(f"{body}double _err = 0.0;")
        for i in range(n):
            out.append(f"{body}{x[i]} += _rhs[{i}];")
            if iterate:  # "stability of nonlinear kinetic schemes sometimes requires this"
                out.append(f"{body}if ({x[i]} < 0.) {x[i]} = 0.;")
            out.append(f"{body}_err += fabs(_rhs[{i}]);")
        out.append(f"{body}if (_j > {kinetic.MAXSTEPS}) {{ _ok = 0; break; }}")
        out.append(f"{body}_conv = {f'!(_err > {kinetic.CONVERGE!r})' if iterate else '1'};")
        out.append(f"{inner}}}")
        out.append(f"{inner}if (_ok) {{")
        out += fun(body)
        dt = self.name("dt", sc, 0)
        for i, st in enumerate(k.states):
            if self._kdfield(st) is not None:
                out.append(f"{body}{self._kdfield(st)} = ({x[i]} - _old[{i}]) / {dt};")
        out.append(f"{inner}}}")
        if status is not None:
            out.append(f"{inner}{status} = _ok;")
        dfields = [(x[i], self._kdfield(st)) for i, st in enumerate(k.states)
                   if self._kdfield(st) is not None]
        if dfields and secondorder:  # nocmodl: "if (secondorder) state += dt*Dstate"
            out.append(f"{inner}if (a->secondorder) {{")
            out += [f"{body}{xi} += {dt}*{d};" for xi, d in dfields]
            out.append(f"{inner}}}")
        out.append(ind + "}")
        return out

    def _implicit(self, s: NewtonSolve, sc: _Scope, ind: str) -> list[str]:
        """nocmodl's derivimplicit in nrn_state: save the states, scopmath's Newton on the
        block's residuals, the block once more at the solution (its D<state>s and what it
        assigns), then under secondorder state += dt*Dstate. NEURON stops the run when the
        Newton iteration fails; kernels cannot stop the engine, so we say so on stderr and
        make the states NaN, which the run then shows."""
        m = s.system
        n = len(m.states)
        x = [self.name(st, sc, s.line) for st in m.states]
        fn = names.deriv_func(self.mech, s.block)
        inner = ind + "    "
        dt = self.name("dt", sc, s.line)
        out = [ind + "{"]
        if s.steady:  # scopmath's _ss_derivimplicit: the solve with dt = 1e-9
            out += [f"{inner}pcn_mech_args _ss = *a; _ss.dt = 1e-9;",
                    f"{inner}{{ const pcn_mech_args *a = &_ss;"]
        out += [f"{inner}double _save[{n}], _value[{n}], _w[{n * n + 5 * n}];",
               f"{inner}int _perm[{n}];",
               f"{inner}double *const _x[{n}] = {{{', '.join('&' + xi for xi in x)}}};",
               f"{inner}for (int _i = 0; _i < {n}; _i++) {{",
               f"{inner}    _save[_i] = *_x[_i];",
               f"{inner}}}",
               f"{inner}int _err = _pcn_scop_newton({n}, _x, {fn}, a, id, tv, v, _save, "
               "_value, _w, _perm);",
               f"{inner}if (_err) {{",
               f'{inner}    fprintf(stderr, "{_basename(self.fn)}:{s.line}: SOLVE {s.block}: '
               'derivimplicit failed (scopmath error %d); NEURON stops the run here\\n", '
               "_err);"]
        out += [f"{inner}    {xi} = NAN;" for xi in x]
        out += [f"{inner}}} else {{",
                f"{inner}    {fn}(a, id, tv, v, _save, _value);",
                f"{inner}}}"]
        if s.steady:
            out.append(f"{inner}}}")
        out += [f"{inner}if (a->secondorder) {{"]
        out += [f"{inner}    {xi} += {dt}*{self.field('D' + st)};"
                for xi, st in zip(x, m.states, strict=True)]
        out += [f"{inner}}}", ind + "}"]
        return out

    def _nonlinear(self, s: NonlinearSolve, sc: _Scope, ind: str) -> list[str]:
        """nocmodl's SOLVE of a NONLINEAR block: scopmath's Newton on its residuals, nothing
        after it (a failure: NEURON stops the run; we say so and make the states NaN)."""
        n = len(s.states)
        x = [self.name(st, sc, s.line) for st in s.states]
        fn = names.nonlin_func(self.mech, s.block)
        inner = ind + "    "
        out = [ind + "{",
               f"{inner}double _value[{n}], _w[{n * n + 5 * n}];",
               f"{inner}int _perm[{n}];",
               f"{inner}double *const _x[{n}] = {{{', '.join('&' + xi for xi in x)}}};",
               f"{inner}int _err = _pcn_scop_newton({n}, _x, {fn}, a, id, tv, v, 0, _value, "
               "_w, _perm);",
               f"{inner}if (_err) {{",
               f'{inner}    fprintf(stderr, "{_basename(self.fn)}:{s.line}: SOLVE {s.block}: '
               'newton failed (scopmath error %d); NEURON stops the run here\\n", _err);']
        out += [f"{inner}    {xi} = NAN;" for xi in x]
        return out + [f"{inner}}}", ind + "}"]

    def _print_nonlin_function(self, s: NonlinearSolve) -> None:
        """A NONLINEAR block as scopmath's Newton evaluates it: its statements, each equation
        setting the next residual."""
        self.emit(f"/* NONLINEAR {s.block}: its residuals at the current states */")
        self.emit(f"static void {names.nonlin_func(self.mech, s.block)}(const pcn_mech_args *a, "
                  "int id, struct pcn_tv *tv, double v, const double *_save, double *_value) {")
        self.emit("    int _counte = -1;")
        self.emit("    (void)_save;")
        for line in self.stmts(s.body, _Scope(), "    "):
            self.emit(line)
        self.emit("    (void)_counte;")
        self.emit("}")
        self.emit()

    def _print_deriv_function(self, s: NewtonSolve) -> None:
        """One evaluation of a DERIVATIVE block for derivimplicit: D<state> = f at the current
        states, then the residuals D<state> - (state - saved)/dt (nocmodl's _dlist2)."""
        m = s.system
        self.emit(f"/* DERIVATIVE {s.block} for derivimplicit: the equations at the current "
                  "states and their backward-Euler residuals */")
        self.emit(f"static void {names.deriv_func(self.mech, s.block)}(const pcn_mech_args *a, "
                  "int id, struct pcn_tv *tv, double v, const double *_save, double *_value) {")
        sc = _Scope()
        for line in self.stmts(m.body, sc, "    "):
            self.emit(line)
        dt = self.name("dt", sc, s.line)
        for i, st in enumerate(m.states):
            self.emit(f"    _value[{i}] = {self.field('D' + st)} - ({self.name(st, sc, s.line)}"
                      f" - _save[{i}])/{dt};")
        self.emit("}")
        self.emit()

    def _print_scop_newton(self) -> None:
        """scopmath's nrn_newton_thread, nrn_crout_thread and nrn_scopmath_solve_thread
        (NEURON 9.0.2, src/scopmath/), the same operations in the same order: Newton's method
        with a central-difference Jacobian rebuilt while the largest relative change exceeds
        0.05, stopping once it is at most 1e-6 and every residual at most 1e-8 (at most 50
        iterations); Crout's LU with pivoting on entries scaled by their row's largest.
        Written from their description, not copied."""
        self.emit("typedef void (*_pcn_resid_fn)(const pcn_mech_args *, int, struct pcn_tv *, "
                  "double, const double *, double *);")
        self.emit()
        self.emit(_SCOP_CROUT)
        self.emit("static int _pcn_scop_newton(int n, double *const *x, _pcn_resid_fn f, "
                  "const pcn_mech_args *a, int id,")
        self.emit("                            struct pcn_tv *tv, double v, const double *save, "
                  "double *value, double *w,")
        self.emit("                            int *perm) {")
        self.emit(_SCOP_NEWTON_BODY)
        self.emit("}")
        self.emit()

    # ---- whole file ------------------------------------------------------------------------
    def emit(self, text: str = "") -> None:
        self.out.append(text)

    def print_file(self) -> str:
        info = self.info
        self.emit(f"/* Generated by pycoreneuron.nmodl from {_basename(self.fn)}: do not edit.")
        self.emit(f" * Mechanism {self.mech} ({info.kind}); {info.data_size} doubles, "
                  f"{len(info.dparam)} dparams per instance. */")
        self.emit("#include <math.h>")
        self.emit("#include <stddef.h>")
        self.emit("#include <stdio.h>")
        self.emit('#include "mechanism_abi.h"')
        self.emit('#include "pcn_exp.h"')
        if info.randoms:
            self.emit('#include "random123.h"')
        if verbatim.blocks_of(self.prog):  # CoreNEURON's API for VERBATIM code, NRNBBCORE 1
            self.emit('#include "neuron_api.h"')
        self.emit()
        external_at = len(self.out)
        self._print_layout()
        self._print_globals()
        if info.externals:
            self.emit("/* EXTERNAL: other mechanisms' GLOBALs, pointed at when loaded */")
            self.emit(f"static double *_ext_ptrs[{len(info.externals)}];")
            self.emit()
        self._print_thread_vars()
        self._print_functions()
        self._print_tables()
        self._print_init()
        self._print_cur()
        self._print_state()
        self._print_before_after()
        self._print_bbcore_read()
        self._print_net_receive()
        if self.device_ready:
            self._print_named()
        self._print_values()
        self._print_descriptor()
        if self.external_calls:
            self.out[external_at:external_at] = [
                "/* functions the MOD code calls that nothing here defines (the linker finds "
                "them, or the build refuses the file) */"] + [
                f"extern double {n}();" for n in sorted(self.external_calls)] + [""]
        lines = "\n".join(self.out).split("\n")
        return "\n".join(verbatim.resume_line_numbers(lines, names.c_file(self.mech))) + "\n"

    @property
    def device_refusal(self) -> str:
        """Why no device copy of the mechanism can be printed (printers/cuda.py), "" when one
        can: its instances' loops must not depend on one another (passes/simd.py, point
        processes aside: the device runs a node's in order), reach nothing that lives only
        on the host (EXTERNAL GLOBALs), and its NET_RECEIVE must only change its instance
        (and its NetCon's weights): no events sent, WATCH, FOR_NETCONS, v or ions written."""
        if self.low.device_refusal:
            return self.low.device_refusal
        if self.info.externals:
            return "EXTERNAL GLOBALs live on the host"
        b = self.prog.find_block("NET_RECEIVE")
        if b is None:
            return ""
        body = list(ast.walk_stmts(b.body.stmts))
        calls = {x.name for st in body for e in _exprs(st) for x in ast.walk_expr(e)
                 if isinstance(x, ast.Call)}
        sent = sorted(calls & {"net_send", "net_event", "net_move"})
        if sent:
            return f"its NET_RECEIVE calls {sent[0]} (events stay on the host)"
        if self.low.watch or "fornetcon" in {sem for _, sem in self.info.dparam}:
            return "its NET_RECEIVE uses WATCH or FOR_NETCONS"
        written = {st.target.name for st in body if isinstance(st, ast.Assign)}
        ions = {v for ion in self.info.ions for v in list(ion.read) + list(ion.write)}
        if "v" in written or written & ions:
            return "its NET_RECEIVE writes v or an ion's value, which instances share"
        return ""

    @property
    def device_ready(self) -> bool:
        return not self.device_refusal

    def device_values(self) -> list[tuple[str, int]]:
        """(C name, doubles) of the type-wide values the instance loops read: GLOBAL
        parameters, usetable, and each TABLE's range and arrays. A device copy of the
        mechanism gets them from the host's after the TABLEs are built."""
        out = [(names.glob(n), dim) for n, (_, dim) in self.global_params.items()]
        if self.tables:
            out.append((names.glob("usetable"), 1))
        for name, t in self.tables.items():
            out += [(f"_tbl_{name}_tmin", 1), (f"_tbl_{name}_mfac", 1)]
            out += [(f"_tbl_{name}_{tg}", self._dim(tg) * (t.n + 1))
                    for tg in self._table_targets(name)]
        return out

    def _print_values(self) -> None:
        """The descriptor's values hook: device_values() by name, for the device copy."""
        if not self.device_ready:
            return
        self.emit("/* the values the instance loops read, by name, for a device copy of this")
        self.emit(" * mechanism: copied into out (at most n); returns their number, -1 unknown */")
        self.emit("static int _hook_values(const char *name, double *out, int n) {")
        self.emit("    const double *from = 0;")
        self.emit("    int count = 0;")
        for k, (cname, count) in enumerate(self.device_values()):
            head = "if" if k == 0 else "} else if"
            self.emit(f'    {head} (_pcn_named(name, "{cname}")) {{')
            self.emit(f"        from = (const double *)&{cname};")
            self.emit(f"        count = {count};")
        if self.device_values():
            self.emit("    }")
        self.emit("    if (from == 0) {")
        self.emit("        return -1;")
        self.emit("    }")
        self.emit("    for (int k = 0; k < count && k < n; k++) {")
        self.emit("        out[k] = from[k];")
        self.emit("    }")
        self.emit("    return count;")
        self.emit("}")
        self.emit()

    def _print_named(self) -> None:
        self.emit("static int _pcn_named(const char *x, const char *y) {")
        self.emit("    while (*x && *x == *y) {")
        self.emit("        x++;")
        self.emit("        y++;")
        self.emit("    }")
        self.emit("    return *x == *y;")
        self.emit("}")
        self.emit()

    def _print_layout(self) -> None:
        """The instance's field and dparam numbers, and the macros that index them."""
        info = self.info
        self.emit("/* fields (doubles) of an instance */")
        self.emit("enum {")
        if not self.fields:
            self.emit("    F_none_ = 0,")
        for n, (k, d) in self.fields.items():
            note = f"  /* [{d}] */" if d > 1 else ""
            self.emit(f"    {names.field_const(n)} = {k},{note}")
        self.emit("};")
        if info.dparam:
            self.emit("/* dparam slots */")
            self.emit("enum {")
            for k, (n, sem) in enumerate(info.dparam):
                self.emit(f"    {names.slot_const(n)} = {k},  /* {sem} */")
            self.emit("};")
        self.emit("#define FLD(k) (a->data[(k)*a->stride + id])")
        if any(d > 1 for _, d in info.variables):
            self.emit("#define ARR(k, dim, j) (a->data[(k)*a->stride + id*(dim) + (int)(j)])")
        self.emit("#define DPV(s) (a->dp_base[(s)][a->pdata[(s)*a->stride + id]])")
        if info.watch_count:
            self.emit("#define WATCH(k) (a->pdata[(S_watch0 + (k))*a->stride + id])")
        self.emit("#define STREAM(s) ((pcn_ran123_stream *)a->vdata[a->pdata[(s)*a->stride + id]])")
        self.emit()

    def _print_functions(self) -> None:
        """nrn_ghk, the PROCEDUREs and FUNCTIONs (and their TABLE lookups), the solvers' own
        functions, and the file's top-level VERBATIM."""
        if any(isinstance(x, ast.Call) and x.name == "nrn_ghk"
               for blk in self.prog.blocks for st in ast.walk_stmts(blk.body.stmts)
               for e in ast.stmt_exprs(st) for x in ast.walk_expr(e)):
            self._print_ghk()
        for b in self.prog.blocks:
            if b.kind in ("PROCEDURE", "FUNCTION"):
                tabled = b.name in self.tables
                inline = self._inline(b.name)
                self.emit(f"static {inline}{_ret_type(b, not tabled)} "
                          f"{names.func(self.mech, b.name)}({self._proto(b)});")
                if tabled:
                    self.emit(f"static {inline}{_ret_type(b, True)} "
                              f"{names.raw_table_func(b.name)}({self._proto(b)});")
                if b.name in self.tl_funcs:
                    self.emit(f"static {inline}{_ret_type(b, not tabled)} "
                              f"{names.func(self.mech, b.name)}_tl({self._proto(b)});")
        for lin in self.linear:
            self.emit(f"static int {names.linear_func(self.mech, lin)}(const pcn_mech_args *a,"
                      " int id, struct pcn_tv *tv, double v);")
        residual_fns = [names.deriv_func(self.mech, s.block) for s in self._newton_solves()]
        residual_fns += [names.nonlin_func(self.mech, s.block)
                         for s in self._newton_solves(NonlinearSolve)]
        for f in residual_fns:  # a SOLVE in a FUNCTION may come before their definitions
            self.emit(f"static void {f}(const pcn_mech_args *a, int id, struct pcn_tv *tv, "
                      "double v, const double *_save, double *_value);")
        self.emit()
        for block in self.prog.verbatim:  # top level: at file scope, in file order
            for line in self._verbatim(block, _Scope()):
                self.emit(line)
            self.emit()
        newtons = self._newton_solves()
        nonlins = self._newton_solves(NonlinearSolve)
        if newtons or nonlins:
            self._print_scop_newton()
        if self.linear:
            self._print_simeq()
            for m in self.linear.values():
                self._print_linear(m)
        for b in self.prog.blocks:
            if b.kind in ("PROCEDURE", "FUNCTION"):
                self._print_function(b)
        for b in self.prog.blocks:
            if b.kind in ("PROCEDURE", "FUNCTION") and b.name in self.tl_funcs:
                self._print_function_tl(b)
        for s in newtons:
            self._print_deriv_function(s)
        for s in nonlins:
            self._print_nonlin_function(s)

    def _print_ghk(self) -> None:
        """CoreNEURON's nrn_ghk (membfunc.hpp), same operations in the same order."""
        self.emit(f"static {self._inline()}double _pcn_nrn_ghk(double v, double ci, double co, "
                  "double z, double celsius) {")
        self.emit("    const double faraday = 1.602176634e-19 * 6.02214076e+23;")
        self.emit("    const double gasconstant = 1.380649e-23 * 6.02214076e+23;")
        self.emit("    double ktf = 1000. * gasconstant * (celsius + 273.15) / faraday;")
        self.emit("    double temp = z * v / ktf;")
        self.emit("    double x = +temp;")
        self.emit("    double eco = co * (fabs(x) < 1e-4 ? 1. - x / 2. : x / (pcn_exp(x) - 1.));")
        self.emit("    x = -temp;")
        self.emit("    double eci = ci * (fabs(x) < 1e-4 ? 1. - x / 2. : x / (pcn_exp(x) - 1.));")
        self.emit("    return .001 * z * faraday * (eci - eco);")
        self.emit("}")
        self.emit()

    def _proto(self, b: ast.CodeBlock) -> str:
        params = ["const pcn_mech_args *a", "int id", "struct pcn_tv *tv", "double v"]
        params += [f"double {names.local(p)}" for p in b.params]
        return ", ".join(params)

    def _print_globals(self) -> None:
        self.emit("/* GLOBAL parameters of this mechanism type, read-only while a run goes */")
        for n, (value, dim) in self.global_params.items():
            if dim > 1:
                self.emit(f"static double {names.glob(n)}[{dim}];")
            else:
                self.emit(f"static double {names.glob(n)} = {self._num(value)};")
        if self.tables:
            self.emit(f"static double {names.glob('usetable')} = 1.0;")
        for name, t in self.tables.items():
            targets = self._table_targets(name)
            self.emit(f"static int _tbl_{name}_built;")
            self.emit(f"static double _tbl_{name}_tmin, _tbl_{name}_mfac;")
            for dep in t.depend:
                self.emit(f"static double _tbl_{name}_dep_{dep};")
            for tg in targets:
                d = self._dim(tg)
                self.emit(f"static double _tbl_{name}_{tg}{f'[{d}]' if d > 1 else ''}"
                          f"[{t.n + 1}];")
        self.emit()

    def _print_thread_vars(self) -> None:
        self.emit("/* Thread variables (GLOBALs code writes, top-level LOCALs): the block's")
        self.emit(" * persistent copy in a->tvars, as NEURON keeps one per thread; doubles")
        self.emit(" * only, so the struct is laid out as the array the engine allocates */")
        self.emit("struct pcn_tv {")
        self.emit("    double _unused;")
        for n, d in self.thread_vars.items():
            self.emit(f"    double {n}{f'[{d}]' if d > 1 else ''};")
        self.emit("};")
        self.emit()

    @property
    def simd(self) -> bool:
        """nrn_cur's and nrn_state's loops run as SIMD loops (passes/simd.py)."""
        return not self.low.simd_refusal

    def _inline(self, function: str | None = None) -> str:
        """The qualifiers that inline a function into SIMD loops ('' where they stay scalar,
        or the function is recursive); function None: one of the printer's own."""
        if not self.simd or (function is not None and function not in self.low.inline):
            return ""
        return "inline __attribute__((always_inline)) "

    def _hook_args(self) -> None:
        """A SIMD hook works on a copy of its arguments: the compiler then knows that no store
        into the instances' data changes dt or celsius, and takes the loop-invariant pow of a
        Q10 factor out of the loop (a call it cannot vectorise)."""
        self.emit("    const pcn_mech_args _args = *a_in;")
        self.emit("    const pcn_mech_args *a = &_args;")

    def _hook_signature(self, name: str) -> str:
        return f"static void {name}(const pcn_mech_args *{'a_in' if self.simd else 'a'}) {{"

    def _tv_decl(self, ind: str) -> None:
        self.emit(f"{ind}struct pcn_tv tv_ = {{0}};")
        self.emit(f"{ind}struct pcn_tv *tv = a->tvars ? (struct pcn_tv *)a->tvars : &tv_;")

    def _dim(self, name: str) -> int:
        """Array length of a TABLE target (1 for a scalar or a FUNCTION's value)."""
        if name in self.fields:
            return self.fields[name][1]
        if name in self.thread_vars:
            return self.thread_vars[name]
        if name in self.global_params:
            return self.global_params[name][1]
        return 1

    def _table_targets(self, name: str) -> list[str]:
        b = self.procs[name]
        t = self.tables[name]
        return ["_ret"] if b.kind == "FUNCTION" else list(t.names)

    def _print_function_tl(self, b: ast.CodeBlock) -> None:
        """The copy of a function for the SIMD loops that run while usetable is on: a TABLE
        lookup without branches, or a function whose calls go to such copies."""
        self._call_suffix = "_tl"
        try:
            if b.name in self.tables:
                self._print_table_lookup_tl(b)
            else:
                self._print_function(b, suffix="_tl")
        finally:
            self._call_suffix = ""

    def _print_function(self, b: ast.CodeBlock, suffix: str = "") -> None:
        tabled = b.name in self.tables and not suffix
        fname = names.raw_table_func(b.name) if tabled else names.func(self.mech, b.name)
        fname += suffix
        self.emit(f"static {self._inline(b.name)}{_ret_type(b, True)} {fname}("
                  f"{self._proto(b)}) {{")
        sc = _Scope(locals=set(b.params), ret=b.name if b.kind == "FUNCTION" else None)
        if b.kind == "FUNCTION":
            self.emit("    double _ret = 0.0;")
        for line in self.stmts(b.body.stmts, sc, "    "):
            self.emit(line)
        if b.kind == "FUNCTION":
            self.emit("    return _ret;")
        else:
            self.emit("    return 0;")
        self.emit("}")
        self.emit()
        if tabled:
            self._print_table_lookup(b)

    def _print_table_lookup(self, b: ast.CodeBlock) -> None:
        name = b.name
        t = self.tables[name]
        x = names.local(b.params[0])
        ret = "double" if b.kind == "FUNCTION" else "void"
        targets = self._table_targets(name)
        sc = _Scope(locals=set(b.params))

        def target(tg: str) -> str:
            if tg == "_ret":
                return "_ret"
            return self.name(tg, sc, t.line, "_j" if self._dim(tg) > 1 else None)

        def each(tg: str, ind: str, text: str) -> None:
            """text (with {T} for the target, {A} for its table) for a scalar or every
            element of an array target (nocmodl loops over the elements)."""
            arr = f"_tbl_{name}_{tg}"
            d = self._dim(tg)
            if d > 1:
                self.emit(f"{ind}for (int _j = 0; _j < {d}; _j++) {{")
                self.emit(ind + "    " + text.format(T=target(tg), A=f"{arr}[_j]"))
                self.emit(f"{ind}}}")
            else:
                self.emit(ind + text.format(T=target(tg), A=arr))

        self.emit(f"/* TABLE lookup of {name} (numerics doc 12.5) */")
        self.emit(f"static {self._inline(name)}{ret} {names.func(self.mech, name)}("
                  f"{self._proto(b)}) {{")
        args = ", ".join(["a", "id", "tv", "v", x])
        if b.kind == "FUNCTION":
            self.emit("    double _ret;")
        self.emit(f"    if ({names.glob('usetable')} == 0.0) {{")
        if b.kind == "FUNCTION":
            self.emit(f"        return {names.raw_table_func(name)}({args});")
        else:
            self.emit(f"        {names.raw_table_func(name)}({args});")
            self.emit("        return;")
        self.emit("    }")
        self.emit(f"    double xi = _tbl_{name}_mfac * ({x} - _tbl_{name}_tmin);")
        self.emit("    if (isnan(xi)) {")
        for tg in targets:
            each(tg, "        ", "{T} = xi;")
        self.emit(f"        return{' _ret' if b.kind == 'FUNCTION' else ''};")
        self.emit("    }")
        self.emit(f"    if (xi <= 0. || xi >= {t.n}.) {{")
        self.emit(f"        int index = (xi <= 0.) ? 0 : {t.n};")
        for tg in targets:
            each(tg, "        ", "{T} = {A}[index];")
        self.emit(f"        return{' _ret' if b.kind == 'FUNCTION' else ''};")
        self.emit("    }")
        self.emit("    int i = (int)xi;")
        self.emit("    double theta = xi - (double)i;")
        for tg in targets:
            each(tg, "    ", "{T} = {A}[i] + theta*({A}[i+1]-{A}[i]);")
        if b.kind == "FUNCTION":
            self.emit("    return _ret;")
        self.emit("}")
        self.emit()

    def _print_table_lookup_tl(self, b: ast.CodeBlock) -> None:
        """_print_table_lookup's cases as selects, for SIMD loops (usetable is on there): the
        same value in each case (NaN: the NaN; beyond the ends: the end entry; inside: the
        interpolation), every table read at an index inside the table."""
        name = b.name
        t = self.tables[name]
        x = names.local(b.params[0])
        targets = self._table_targets(name)
        sc = _Scope(locals=set(b.params))
        ret = "double" if b.kind == "FUNCTION" else "void"
        self.emit(f"/* TABLE lookup of {name} without branches (SIMD loops, usetable on) */")
        self.emit(f"static {self._inline(name)}{ret} {names.func(self.mech, name)}_tl("
                  f"{self._proto(b)}) {{")
        if b.kind == "FUNCTION":
            self.emit("    double _ret;")
        self.emit(f"    const double xi = _tbl_{name}_mfac * ({x} - _tbl_{name}_tmin);")
        # i = (int)xi as the lookup computes it inside the table; elsewhere (NaN, beyond the
        # ends) the hardware's conversion gives some int, clamped into the table so that every
        # read is inside it, and the select below takes NEURON's value (the conversion must
        # come first: GCC does not vectorise a select that feeds it)
        self.emit("    int i = (int)xi;")
        self.emit("    i = i < 0 ? 0 : i;")
        self.emit(f"    i = i > {t.n - 1} ? {t.n - 1} : i;")
        self.emit("    const double theta = xi - (double)i;")
        for tg in targets:
            arr = f"_tbl_{name}_{tg}"
            d = self._dim(tg)
            target = "_ret" if tg == "_ret" else \
                self.name(tg, sc, t.line, "_j" if d > 1 else None)
            ind = "    "
            if d > 1:
                self.emit(f"    for (int _j = 0; _j < {d}; _j++) {{")
                arr += "[_j]"
                ind = "        "
            self.emit(f"{ind}{target} = isnan(xi) ? xi : (xi <= 0. || xi >= {t.n}.) ? "
                      f"(xi <= 0. ? {arr}[0] : {arr}[{t.n}]) : "
                      f"{arr}[i] + theta*({arr}[i+1]-{arr}[i]);")
            if d > 1:
                self.emit("    }")
        if b.kind == "FUNCTION":
            self.emit("    return _ret;")
        self.emit("}")
        self.emit()

    def _print_tables(self) -> None:
        self.emit("/* finitialize, once per type: (re)build the TABLEs whose DEPENDs changed */")
        self.emit("static void _hook_table(const pcn_mech_args *a_in, int id_in) {")
        if not self.tables:
            self.emit("    (void)a_in;")
            self.emit("    (void)id_in;")
            self.emit("}")
            self.emit()
            return
        self.emit(f"    if ({names.glob('usetable')} == 0.0) {{")
        self.emit("        return;")
        self.emit("    }")
        # NEURON builds from the data of one instance (the first of the first thread that has
        # the type) and the untabled code writes into it and into the thread's variables;
        # without an instance, a private one-instance scratch of zeros.
        self.emit(f"    double scratch[{max(self.info.data_size, 1)}] = {{0}};")
        self.emit("    pcn_mech_args s = *a_in;")
        self.emit("    int id = id_in;")
        self.emit("    if (id_in < 0) {")
        self.emit("        s.n = 1;")
        self.emit("        s.stride = 1;")
        self.emit("        s.data = scratch;")
        self.emit("        id = 0;")
        self.emit("    }")
        self.emit("    const pcn_mech_args *a = &s;")
        self._tv_decl("    ")
        self.emit("    double v = 0.0;")
        sc = _Scope()
        for name, t in self.tables.items():
            b = self.procs[name]
            deps = [(d, self.name(d, sc, t.line)) for d in t.depend]
            changed = " || ".join([f"!_tbl_{name}_built"] + [f"_tbl_{name}_dep_{d} != {e}"
                                                             for d, e in deps])
            self.emit(f"    if ({changed}) {{")
            self.emit(f"        _tbl_{name}_tmin = {self.expr(t.lo, sc)};")
            self.emit(f"        double tmax = {self.expr(t.hi, sc)};")
            self.emit(f"        double dx = (tmax - _tbl_{name}_tmin)/{t.n}.;")
            self.emit(f"        _tbl_{name}_mfac = 1./dx;")
            self.emit(f"        double x = _tbl_{name}_tmin;")
            self.emit(f"        for (int i = 0; i < {t.n + 1}; x += dx, i++) {{")
            call = f"{names.raw_table_func(name)}(a, id, tv, v, x)"
            if b.kind == "FUNCTION":
                self.emit(f"            _tbl_{name}__ret[i] = {call};")
            else:
                self.emit(f"            {call};")
                for tg in t.names:
                    d = self._dim(tg)
                    if d > 1:
                        self.emit(f"            for (int _j = 0; _j < {d}; _j++) {{")
                        self.emit(f"                _tbl_{name}_{tg}[_j][i] = "
                                  f"{self.name(tg, sc, t.line, '_j')};")
                        self.emit("            }")
                    else:
                        self.emit(f"            _tbl_{name}_{tg}[i] = "
                                  f"{self.name(tg, sc, t.line)};")
            self.emit("        }")
            for d, e in deps:
                self.emit(f"        _tbl_{name}_dep_{d} = {e};")
            self.emit(f"        _tbl_{name}_built = 1;")
            self.emit("    }")
        self.emit("}")
        self.emit()

    # ---- hooks --------------------------------------------------------------------------
    def _loop_head(self, with_v: bool = True) -> None:
        self._tv_decl("    ")
        self.emit("    (void)tv;")
        self._loop_open(False, with_v)

    def _loop_open(self, simd: bool, with_v: bool = True) -> None:
        if simd:
            self.emit("#pragma omp simd")
        self.emit("    for (int id = 0; id < a->n; id++) {")
        if self.info.kind == "artificial_cell" or not with_v:
            self.emit("        double v = 0.0;")
        else:
            self.emit("        double v = a->v[a->ni[id]];")
        self.emit("        (void)v;")

    def _loop_tail(self, ind: str) -> None:
        """Closes what _loop_head opened, concentrations written back to the ions first."""
        self._ion_conc_out(ind)
        self.emit("    }")
        self.emit("}")
        self.emit()

    def _ion_copy_in(self, ind: str) -> None:
        for ion in self.info.ions:
            wanted = list(ion.read) + [w for w in ion.write
                                       if ion_role(w, ion.name) in ("intra", "extra")]
            for var in dict.fromkeys(wanted):
                if var in self.fields:
                    self.emit(f"{ind}{self.field(var)} = {self.dparam(self.ion_slot(var))};")

    def _ion_conc_out(self, ind: str) -> None:
        for ion in self.info.ions:
            for w in ion.write:
                if ion_role(w, ion.name) in ("intra", "extra") and w in self.fields:
                    self.emit(f"{ind}{self.dparam(self.ion_slot(w))} = {self.field(w)};")

    def _print_init(self) -> None:
        self.emit("/* finitialize (t = 0, v set, ions initialised): INITIAL. The engine then")
        self.emit(" * recomputes erev of ions whose concentration this wrote (style 040). */")
        self.emit("static void _hook_init(const pcn_mech_args *a) {")
        self._loop_head()
        self._init_body()
        self._loop_tail("        ")

    def _init_body(self) -> None:
        """One instance's INITIAL (with the states' start values)."""
        ind = "        "
        if TSAVE_SLOT in self.fields:
            self.emit(f"{ind}{self.field(TSAVE_SLOT)} = -1e20;")
        self._ion_copy_in(ind)
        for s in self.state0:
            self.emit(f"{ind}{self.field(s)} = {self.name(s + '0', _Scope(), 0)};")
        b = self.prog.find_block("INITIAL")
        if b is not None:
            for line in self.stmts(b.body.stmts, _Scope(), ind):
                self.emit(line)

    def _body(self, kind: str) -> list[ast.Stmt]:
        b = self.prog.find_block(kind)
        return [] if b is None else b.body.stmts

    def _print_current_fn(self, suffix: str = "") -> None:
        body = self._body(NRN_CUR)
        self.emit("/* BREAKPOINT's currents at voltage v; sets the current variables */")
        self.emit(f"static {self._inline()}double _current{suffix}(const pcn_mech_args *a, "
                  "int id, struct pcn_tv *tv, double v) {")
        self.emit("    double current = 0.0;")
        self._call_suffix = suffix
        try:
            for line in self.stmts(body, _Scope(), "    "):
                self.emit(line)
        finally:
            self._call_suffix = ""
        for c in self.info.currents:
            self.emit(f"    current += {self.field(c)};")
        self.emit("    return current;")
        self.emit("}")
        self.emit()

    def _print_cur(self) -> None:
        info = self.info
        has_current = bool(info.currents) and "BREAKPOINT" in info.block_kinds
        tabled = has_current and NRN_CUR in self.low.tabled_loops
        if has_current:
            self._print_current_fn()
            if tabled:
                self._print_current_fn("_tl")
        self.emit("/* step D3 (t = t_n + dt/2): currents into rhs and d; ion currents summed */")
        if not has_current:
            self.emit("static void _hook_cur(const pcn_mech_args *a) {")
            self.emit("    (void)a;")
            self.emit("}")
            self.emit()
            return
        self.emit(self._hook_signature("_hook_cur"))
        if self.simd:
            self._hook_args()
        self._tv_decl("    ")
        self.emit("    (void)tv;")
        self._loops(tabled, self._cur_body)
        self.emit("}")
        self.emit()

    def _loops(self, tabled: bool, body: Callable[[str], None]) -> None:
        """The hook's loop over instances (a SIMD loop where the simd pass allows); with
        TABLE lookups, two: the SIMD one with branch-free lookups while usetable is on, the
        scalar one with the untabled functions otherwise."""
        if not tabled:
            self._loop_open(self.simd)
            body("")
            self.emit("    }")
            return
        self.emit("    if (_g_usetable != 0.0) {  /* TABLEs on: lookups without branches */")
        start = len(self.out)
        self._loop_open(True)
        body("_tl")
        self.emit("    }")
        self._indent(start)
        self.emit("    } else {")
        start = len(self.out)
        self._loop_open(False)
        body("")
        self.emit("    }")
        self._indent(start)
        self.emit("    }")

    def _indent(self, start: int) -> None:
        self.out[start:] = [line if line.startswith("#") or not line else "    " + line
                            for line in self.out[start:]]

    def _cur_body(self, suffix: str) -> None:
        info = self.info
        ind = "        "
        self.emit(f"{ind}int node = a->ni[id];")
        self._ion_copy_in(ind)
        ionic = [(ion, w) for ion in info.ions for w in ion.write
                 if ion_role(w, ion.name) == "current"]
        hints = self.low.conductance
        current = f"_current{suffix}"
        # point processes: NEURON scales g and rhs by 1.e2/area, ion currents and dI/dv by
        # "* 1.e2/ (_nd_area)" (left to right: other bits than * mfactor)
        per_area = " * 1.e2/a->area[node]" if info.is_point else ""
        if hints:  # nocmodl's conductance_cout: one evaluation, g from the hints
            self.emit(f"{ind}double rhs = {current}(a, id, tv, v);")
            g = " + ".join(self.name(h.name, _Scope(), h.line) for h in hints)
            self.emit(f"{ind}double g = {g};")
            for h in hints:
                if h.ion is not None:
                    self.emit(f"{ind}{self.dparam(f'ion_di{h.ion}dv')} += "
                              f"{self.name(h.name, _Scope(), h.line)}{per_area};")
        else:
            self.emit(f"{ind}double g = {current}(a, id, tv, v+0.001);")
            for _, w in ionic:
                self.emit(f"{ind}double d{w} = {self.field(w)};")
            self.emit(f"{ind}double rhs = {current}(a, id, tv, v);")
            self.emit(f"{ind}g = (g-rhs)/0.001;")
            for ion, w in ionic:
                self.emit(f"{ind}{self.dparam(f'ion_di{ion.name}dv')} += "
                          f"(d{w}-{self.field(w)})/0.001{per_area};")
        for _, w in ionic:
            self.emit(f"{ind}{self.dparam(self.ion_slot(w))} += {self.field(w)}{per_area};")
        if info.is_point:
            self.emit(f"{ind}double mfactor = 1.e2/a->area[node];")
            self.emit(f"{ind}g = g*mfactor;")
            self.emit(f"{ind}rhs = rhs*mfactor;")
        if G_SLOT in self.fields:
            self.emit(f"{ind}{self.field(G_SLOT)} = g;")
        if info.electrode:
            self.emit(f"{ind}a->rhs[node] += rhs;")
            self.emit(f"{ind}a->d[node] -= g;")
            self.emit(f"{ind}if (a->sav_rhs) {{")
            self.emit(f"{ind}    a->sav_rhs[node] += rhs;")
            self.emit(f"{ind}    a->sav_d[node] -= g;")
            self.emit(f"{ind}}}")
        else:
            self.emit(f"{ind}a->rhs[node] -= rhs;")
            self.emit(f"{ind}a->d[node] += g;")

    def _newton_solves(self, kind: type = NewtonSolve) -> list:
        """The derivimplicit (or NONLINEAR) solves, one per block solved."""
        found: dict[str, ast.Stmt] = {}
        for b in self.prog.blocks:
            for s in ast.walk_stmts(b.body.stmts):
                if isinstance(s, kind):
                    found.setdefault(s.block, s)
        return list(found.values())

    def _print_state(self) -> None:
        stmts = self._body(NRN_STATE)
        self.emit("/* step J (t = t_{n+1}, new v): the SOLVE blocks of BREAKPOINT (and, without")
        self.emit(" * currents, its other statements) */")
        if not stmts:
            self.emit("static void _hook_state(const pcn_mech_args *a) {")
            self.emit("    (void)a;")
            self.emit("}")
            self.emit()
            return
        if any(isinstance(st, (SparseSolve, NewtonSolve)) for st in stmts):
            # nocmodl's nrn_state with a sparse or derivimplicit solve: dt halved under
            # secondorder, for everything the hook runs
            self.emit("static void _hook_state(const pcn_mech_args *a) {")
            self.emit("    pcn_mech_args _half;")
            self.emit("    if (a->secondorder) { _half = *a; _half.dt *= 0.5; a = &_half; }")
        else:
            self.emit(self._hook_signature("_hook_state"))
            if self.simd:
                self._hook_args()
        self._tv_decl("    ")
        self.emit("    (void)tv;")
        self._loops(NRN_STATE in self.low.tabled_loops, self._state_body)
        self.emit("}")
        self.emit()

    def _state_body(self, suffix: str) -> None:
        """One instance's nrn_state (suffix _tl: with the branch-free TABLE lookups)."""
        ind = "        "
        self._ion_copy_in(ind)
        self._call_suffix = suffix
        try:
            for line in self.stmts(self._body(NRN_STATE), _Scope(), ind):
                self.emit(line)
        finally:
            self._call_suffix = ""
        self._ion_conc_out(ind)

    def _has_bbcore_write(self) -> bool:
        """Whether VERBATIM defines bbcore_write for CoreNEURON builds: published files often
        keep it under #if !NRNBBCORE (NEURON only), where the C compiler never sees it."""
        return any(_defined_for_coreneuron(b.text, "bbcore_write") for b in self.prog.verbatim)

    def _has_bbcore_read(self) -> bool:
        return any(re.search(r"\bbbcore_read\s*\(", b.text) for b in self.prog.verbatim)

    def _print_bbcore_read(self) -> None:
        """CoreNEURON's nrn_bbcore_read: the VERBATIM bbcore_read once per instance, in
        order, with running offsets into the record's doubles and ints."""
        if not self._has_bbcore_read():
            return
        self.emit("/* the dataset's BBCOREPOINTER record into the instances (bbcore_read) */")
        self.emit("static void _hook_bbcore_read(const pcn_mech_args *a, const double *x, "
                  "const int *ia) {")
        self._tv_decl("    ")
        self.emit("    int _xoff = 0, _ioff = 0;")
        self.emit("    for (int id = 0; id < a->n; id++) {")
        self.emit("        bbcore_read((double *)x, (int *)ia, &_xoff, &_ioff, a, id, tv, 0.0);")
        self.emit("    }")
        self.emit("}")
        self.emit()
        if not self._has_bbcore_write():
            return
        self.emit("/* checkpoints: the instances' BBCOREPOINTER state out (bbcore_write; NULL "
                  "arrays: count only) */")
        self.emit("static void _hook_bbcore_write(const pcn_mech_args *a, double *x, int *ia, "
                  "int *nx, int *ni) {")
        self._tv_decl("    ")
        self.emit("    int _xoff = 0, _ioff = 0;")
        self.emit("    for (int id = 0; id < a->n; id++) {")
        self.emit("        bbcore_write(x, ia, &_xoff, &_ioff, a, id, tv, 0.0);")
        self.emit("    }")
        self.emit("    *nx = _xoff;")
        self.emit("    *ni = _ioff;")
        self.emit("}")
        self.emit()

    def _ba_blocks(self, k: int) -> list[ast.CodeBlock]:
        return [b for b in self.prog.blocks if (b.kind, b.name) == BA_ORDER[k]]

    def _print_before_after(self) -> None:
        """BEFORE/AFTER blocks, one hook per kind (pcn_ba_when): each block of that kind, in
        file order, for every instance; v from the node and no ion copies, as nocmodl's _ba
        functions. CONSTRUCTOR and DESTRUCTOR run in NEURON when an instance is made or
        freed, so the dataset already holds what a CONSTRUCTOR set: nothing to print."""
        for k in range(len(BA_ORDER)):
            blocks = self._ba_blocks(k)
            if not blocks:
                continue
            when = " ".join(BA_ORDER[k])
            self.emit(f"/* {when} (NEURON's nrn_ba) */")
            self.emit(f"static void _hook_ba{k}(const pcn_mech_args *a) {{")
            for b in blocks:
                self.emit("  {")
                self._loop_head(with_v=self.info.kind != "artificial_cell")
                for line in self.stmts(b.body.stmts, _Scope(), "        "):
                    self.emit(line)
                self.emit("    }")
                self.emit("  }")
            self.emit("}")
            self.emit()

    def _print_net_receive(self) -> None:
        b = self.prog.find_block("NET_RECEIVE")
        if b is None:
            return
        self.emit("/* event delivery (t = event time): NET_RECEIVE of instance id */")
        self.emit("static void _hook_net_receive(const pcn_mech_args *a, int id, "
                  "int weight_index, double flag) {")
        self._tv_decl("    ")
        self.emit("    (void)tv;")
        self.emit("    (void)flag;")
        if self.info.kind == "artificial_cell":
            self.emit("    double v = 0.0;")
        else:
            self.emit("    double v = a->v[a->ni[id]];")
        self.emit("    (void)v;")
        self.emit(f"    {self.field(TSAVE_SLOT)} = a->t;")
        if self.info.watch_count:
            self.emit("    int watch_remove = 0;")
        # nocmodl: ion concentrations the block names are read from the ion on entry, and
        # those that are STATEs written back on exit; a v it assigns goes to the node (NEURON
        # applies it, CoreNEURON drops it).
        init = self.prog.find_block(NET_RECEIVE_INITIAL)
        body = list(ast.walk_stmts(b.body.stmts + ([] if init is None else init.body.stmts)))
        named = {x.name for st in body for e in _exprs(st) for x in ast.walk_expr(e)
                 if isinstance(x, (ast.Name, ast.Indexed))}
        states = set(self.state_names)
        conc = [(ion, var) for ion in self.info.ions for var in dict.fromkeys(
            list(ion.read) + list(ion.write))
            if var in named and var in self.fields and ion_role(var, ion.name) in
            ("intra", "extra")]
        for _, var in conc:
            self.emit(f"    {self.field(var)} = {self.dparam(self.ion_slot(var))};")
        sc = _Scope(net_receive_args={p: k for k, p in enumerate(b.params)},
                    in_net_receive=True)
        for line in self.stmts(b.body.stmts, sc, "    "):
            self.emit(line)
        for _, var in conc:
            if var in states:
                self.emit(f"    {self.dparam(self.ion_slot(var))} = {self.field(var)};")
        writes_v = any(isinstance(st, ast.Assign) and st.target.name == "v" for st in body)
        if writes_v and self.info.kind != "artificial_cell":
            self.emit("    a->v[a->ni[id]] = v;")
        self.emit("}")
        self.emit()
        if init is not None:
            self.emit("/* finitialize, once per NetCon onto instance id: NET_RECEIVE's INITIAL */")
            self.emit("static void _hook_net_init(const pcn_mech_args *a, int id, "
                      "int weight_index) {")
            self._tv_decl("    ")
            self.emit("    (void)tv;")
            self.emit("    double v = 0.0;")
            self.emit("    (void)v;")
            sc = _Scope(net_receive_args={p: k for k, p in enumerate(b.params)})
            for line in self.stmts(init.body.stmts, sc, "    "):
                self.emit(line)
            self.emit("}")
            self.emit()
        if self.low.watch:
            self._print_watch_check()

    def _print_watch_check(self) -> None:
        self.emit("/* step A (t = t_n): armed WATCH conditions; the first that became true sends")
        self.emit(" * a self event with its flag (CoreNEURON's nrn_watch_check) */")
        self.emit("static void _hook_watch_check(const pcn_mech_args *a) {")
        self._tv_decl("    ")
        self.emit("    (void)tv;")
        self.emit("    for (int id = 0; id < a->n; id++) {")
        if self.info.kind == "artificial_cell":
            self.emit("        double v = 0.0;")
        else:
            self.emit("        double v = a->v[a->ni[id]];")
        self.emit("        (void)v;")
        self.emit("        int untriggered = 1;")
        sc = _Scope()
        for w in self.low.watch:
            k, cond, flag = w.slot, w.cond, w.flag
            self.emit(f"        if ((WATCH({k}) & 2) && untriggered) {{")
            self.emit(f"            if ({self.expr(cond, sc)}) {{")
            self.emit(f"                if ((WATCH({k}) & 1) == 0) {{")
            self.emit("                    untriggered = 0;")
            self.emit(f"                    a->net_send(a, id, -1, a->t + 0.0, "
                      f"{self._flag(flag, cond.line)});")
            self.emit("                }")
            self.emit(f"                WATCH({k}) = 3;")
            self.emit("            } else {")
            self.emit(f"                WATCH({k}) = 2;")
            self.emit("            }")
            self.emit("        }")
        self.emit("    }")
        self.emit("}")
        self.emit()

    def _flag(self, flag: str, line: int) -> str:
        try:
            float(flag)
        except ValueError:
            return self.name(flag, _Scope(), line)
        return self._num(flag)

    def _print_descriptor(self) -> None:
        info = self.info
        sym = names.desc_symbol(self.mech)
        kind = {"density": "PCN_DENSITY", "point_process": "PCN_POINT_PROCESS",
                "artificial_cell": "PCN_ARTIFICIAL_CELL"}[info.kind]
        var_names = ", ".join(f'"{n}"' for n, _ in info.variables)
        var_dims = ", ".join(str(d) for _, d in info.variables)
        sems = ", ".join(f'"{s}"' for _, s in info.dparam) or "0"
        gl = [(n, v, d) for n, (v, d) in self.global_params.items() if d == 1]
        if self.tables:
            gl.append(("usetable", "1", 1))
        self.emit(f"static const char *const _var_names[] = {{{var_names}}};")
        self.emit(f"static const int _var_dims[] = {{{var_dims}}};")
        self.emit(f"static const char *const _dparam_semantics[] = {{{sems}}};")
        gnames = ", ".join(f'"{n}_{info.suffix}"' for n, _, _ in gl) or "0"
        gvals = ", ".join(f"&{names.glob(n)}" for n, _, _ in gl) or "0"
        self.emit(f"static const char *const _global_names[] = {{{gnames}}};")
        self.emit(f"static double *const _global_values[] = {{{gvals}}};")
        tg = list(info.thread_globals.values())
        if tg:
            tnames = ", ".join(f'"{g.name}_{info.suffix}"' for g in tg)
            toffs = ", ".join(f"(int)(offsetof(struct pcn_tv, {g.name})/sizeof(double))"
                              for g in tg)
            tdims = ", ".join(str(g.dim) for g in tg)
            self.emit(f"static const char *const _tvar_names[] = {{{tnames}}};")
            self.emit(f"static const int _tvar_offsets[] = {{{toffs}}};")
            self.emit(f"static const int _tvar_dims[] = {{{tdims}}};")
        if self._table_inputs():
            tin = ", ".join(f'"{n}"' for n in self._table_inputs())
            self.emit(f"static const char *const _table_inputs[] = {{{tin}}};")
        nr = "_hook_net_receive" if "NET_RECEIVE" in info.block_kinds else "0"
        if info.externals:
            names_ = ", ".join(f'"{n}"' for n in info.externals)
            self.emit(f"static const char *const _ext_names[] = {{{names_}}};")
        self.emit(f"const pcn_mech_desc {sym} = {{")
        self.emit("    PCN_MECH_ABI_VERSION,")
        self.emit(f'    "{self.mech}", {kind}, {info.data_size}, {len(info.dparam)},')
        self.emit(f"    {len(info.variables)}, _var_names, _var_dims, _dparam_semantics,")
        self.emit(f"    {len(gl)}, _global_names, _global_values,")
        nargs = info.net_receive_args if info.net_receive_args is not None else -1
        self.emit(f"    {nargs}, {1 if info.electrode else 0},")
        has_init = self.prog.find_block(NET_RECEIVE_INITIAL) is not None
        ni = "_hook_net_init" if has_init else "0"
        wc = "_hook_watch_check" if self.low.watch else "0"
        self.emit(f"    _hook_init, _hook_cur, _hook_state, {nr}, _hook_table, {ni}, {wc},")
        tg = list(info.thread_globals.values())
        self.emit(f"    (int)(sizeof(struct pcn_tv)/sizeof(double)), {len(tg)}, "
                  f"{'_tvar_names' if tg else '0'}, {'_tvar_offsets' if tg else '0'}, "
                  f"{'_tvar_dims' if tg else '0'},")
        self.emit(f"    {self._flags()}, {_c_string(self._order_note())},")
        self.emit(f"    {len(self._table_inputs())}, "
                  f"{'_table_inputs' if self._table_inputs() else '0'},")
        hooks = ", ".join(f"_hook_ba{k}" if self._ba_blocks(k) else "0"
                          for k in range(len(BA_ORDER)))
        self.emit(f"    {{{hooks}}},")
        self.emit(f"    {'_hook_bbcore_read' if self._has_bbcore_read() else '0'},")
        ext = self.info.externals
        self.emit(f"    {len(ext)}, {'_ext_names' if ext else '0'}, "
                  f"{'_ext_ptrs' if ext else '0'},")
        self.emit(f"    {'_hook_bbcore_write' if self._has_bbcore_write() else '0'},")
        self.emit(f"    {'_hook_values' if self.device_ready else '0'},")
        self.emit("};")

    def _table_inputs(self) -> list[str]:
        return sorted({n for ns in self.info.table_inputs.values() for n in ns})

    def _order_dependent(self) -> list:
        return [g for g in self.info.thread_globals.values() if g.order_dependent]

    def _flags(self) -> str:
        dep = self._order_dependent()
        flags = []
        if dep:
            flags.append("PCN_MECH_ORDER_DEPENDENT")
        if any(g.initial_matters for g in dep):
            flags.append("PCN_MECH_INITIAL_MATTERS")
        if self.info.table_recheck:
            flags.append("PCN_MECH_TABLE_RECHECK")
        return " | ".join(flags) or "0"

    def _order_note(self) -> str:
        dep = self._order_dependent()
        if not dep:
            return ""
        g = dep[0]
        hook, line = g.exposed_in[0]
        fn = _basename(self.fn)
        return (f"{fn}:{g.instance_write}: GLOBAL {g.name} is written from one instance's "
                f"values and read before it is written in {hook} ({fn}:{line})")


def _ret_type(b: ast.CodeBlock, body: bool) -> str:
    """FUNCTIONs return double; a PROCEDURE's own body returns int as nocmodl's do (VERBATIM
    code in published files says `return 0;`), its TABLE lookup nothing."""
    if b.kind == "FUNCTION":
        return "double"
    return "int" if body else "void"


def _c_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]




def _exprs(s: ast.Stmt) -> list[ast.Expr]:
    if isinstance(s, WatchArm):
        return [c for _, c in s.items]
    return list(ast.stmt_exprs(s))


def generate(low: Lowered) -> str:
    """The C source of one lowered mechanism."""
    return CPrinter(low).print_file()


_SCOP_CROUT = """\
static int _pcn_crout(int n, double *m, int *perm, double *rowmax) {
    int save_i = 0;
    for (int i = 0; i < n; i++) {
        perm[i] = i;
        int k = 0;
        for (int j = 1; j < n; j++) {
            if (fabs(m[i*n + j]) > fabs(m[i*n + k])) {
                k = j;
            }
        }
        rowmax[i] = m[i*n + k];
    }
    for (int r = 0; r < n; r++) {
        for (int i = r; i < n; i++) {
            int irow = perm[i];
            double sum = 0.0;
            for (int k = 0; k < r; k++) {
                sum += m[irow*n + k] * m[perm[k]*n + r];
            }
            m[irow*n + r] -= sum;
        }
        int pivot = perm[r];
        double equil_1 = fabs(m[pivot*n + r] / rowmax[pivot]);
        for (int i = r + 1; i < n; i++) {
            int irow = perm[i];
            double equil_2 = fabs(m[irow*n + r] / rowmax[irow]);
            if (equil_2 > equil_1) {
                pivot = irow;
                save_i = i;
                equil_1 = equil_2;
            }
        }
        if (pivot != perm[r]) {
            perm[save_i] = perm[r];
            perm[r] = pivot;
        }
        if (fabs(m[pivot*n + r]) < 1e-20) {
            return 2;
        }
        for (int j = r + 1; j < n; j++) {
            double sum = 0.0;
            for (int k = 0; k < r; k++) {
                sum += m[pivot*n + k] * m[perm[k]*n + j];
            }
            m[pivot*n + j] = (m[pivot*n + j] - sum) / m[pivot*n + r];
        }
    }
    return 0;
}

/* forward substitution with the pivots, then back substitution (unit upper diagonal) */
static void _pcn_crout_solve(int n, const double *m, const double *b, const int *perm,
                             double *p) {
    for (int i = 0; i < n; i++) {
        int pivot = perm[i];
        double sum = 0.0;
        for (int j = 0; j < i; j++) {
            sum += m[pivot*n + j] * p[j];
        }
        p[i] = (b[pivot] - sum) / m[pivot*n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
        int pivot = perm[i];
        double sum = 0.0;
        for (int j = i + 1; j < n; j++) {
            sum += m[pivot*n + j] * p[j];
        }
        p[i] -= sum;
    }
}
"""

_SCOP_NEWTON_BODY = """\
    double *jac = w, *dx = w + n*n, *high = dx + n, *low = high + n, *rowmax = low + n;
    int count = 0, error = 0;
    double change = 1.0;
    while (count++ < 50) {
        if (change > 0.05) {
            for (int j = 0; j < n; j++) {
                double inc = fmax(fabs(0.02 * (*x[j])), 1e-6);
                *x[j] += inc;
                f(a, id, tv, v, save, value);
                for (int i = 0; i < n; i++) {
                    high[i] = value[i];
                }
                *x[j] -= 2.0 * inc;
                f(a, id, tv, v, save, value);
                for (int i = 0; i < n; i++) {
                    low[i] = value[i];
                    jac[i*n + j] = (high[i] - low[i]) / (2.0 * inc);
                }
                *x[j] += inc;
                f(a, id, tv, v, save, value);
            }
            for (int i = 0; i < n; i++) {
                value[i] = -value[i];
            }
            if ((error = _pcn_crout(n, jac, perm, rowmax)) != 0) {
                break;
            }
        }
        _pcn_crout_solve(n, jac, value, perm, dx);
        change = 0.0;
        for (int i = 0; i < n; i++) {
            double temp;
            if (fabs(*x[i]) > 1e-8 && (temp = fabs(dx[i] / (*x[i]))) > change) {
                change = temp;
            }
            *x[i] += dx[i];
        }
        f(a, id, tv, v, save, value);
        double max_dev = 0.0;
        for (int i = 0; i < n; i++) {
            double temp;
            value[i] = -value[i];
            if ((temp = fabs(value[i])) > max_dev) {
                max_dev = temp;
            }
        }
        if (change <= 1e-6 && max_dev <= 1e-8) {
            break;
        }
        if (count == 50) {
            error = 1;
            break;
        }
    }
    return error;"""


def _defined_for_coreneuron(text: str, name: str) -> bool:
    """Whether C text defines function `name` outside the parts that #if !NRNBBCORE (and the
    like) keep from a CoreNEURON build, where NRNBBCORE is 1 (neuron_api.h)."""
    excluded: list[bool] = []  # per open #if: is its current branch left out?
    for line in text.splitlines():
        word = line.strip()
        if re.match(r"#\s*(if\s+!\s*NRNBBCORE\b|ifndef\s+NRNBBCORE\b)", word):
            excluded.append(True)
        elif re.match(r"#\s*(if\s+NRNBBCORE\b|ifdef\s+NRNBBCORE\b)", word):
            excluded.append(False)
        elif re.match(r"#\s*if", word):
            excluded.append(False)
        elif re.match(r"#\s*else\b", word) and excluded:
            excluded[-1] = not excluded[-1]
        elif re.match(r"#\s*endif\b", word) and excluded:
            excluded.pop()
        elif not any(excluded) and re.search(rf"\b{name}\s*\([^;]*$", line) and \
                re.match(r"\s*(static\s+)?void\b", line):
            return True
    return False
