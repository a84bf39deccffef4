"""Symbol pass: what each name of a MOD file is (declarations + NEURON block + usage).

Fills the parts of :class:`~pycoreneuron.nmodl.info.MechanismInfo` that later passes read:
kind, suffix, ions with their read/write lists, currents, RANGE/GLOBAL sets, pointers,
RANDOM variables, the per-name "definition order" (file order of PARAMETER/ASSIGNED/STATE
declarations, which decides NEURON's data layout) and what the code uses (net_send, WATCH,
diam, area, ...).
"""

from __future__ import annotations

from . import ast
from .errors import NmodlError
from .info import IonUse, MechanismInfo

# Simulator variables a MOD file may declare but that never live in the instance
# (nmodl's NEURON_VARIABLES).
NEURON_VARIABLES = frozenset({"t", "dt", "celsius", "v", "diam", "area", "pi", "secondorder"})


def _ion_of(var: str, ion: str) -> bool:
    """nmodl's test: eca, ica belong to ca (drop the first char), cai, cao too (drop the last)."""
    return var[1:] == ion or var[:-1] == ion


def ion_role(var: str, ion: str) -> str:
    """'current', 'erev', 'intra', 'extra' for an ion variable of ``ion``."""
    if var == "i" + ion:
        return "current"
    if var == "e" + ion:
        return "erev"
    if var == ion + "i":
        return "intra"
    if var == ion + "o":
        return "extra"
    return "other"


def _error(info: MechanismInfo, line: int, msg: str) -> NmodlError:
    return NmodlError(info.filename, line, msg)


def run(prog: ast.Program, info: MechanismInfo) -> None:
    """Collect the NEURON block and declarations of ``prog`` into ``info``."""
    currents_in_order: list[str] = []
    for st in prog.neuron:
        if isinstance(st, ast.Verbatim):  # nocmodl: "Illegal block"
            raise _error(info, st.line, "VERBATIM is not allowed in the NEURON block")
        if st.kind in ("SUFFIX", "POINT_PROCESS", "ARTIFICIAL_CELL"):
            info.suffix = st.names[0]
            info.kind = {"SUFFIX": "density", "POINT_PROCESS": "point_process",
                         "ARTIFICIAL_CELL": "artificial_cell"}[st.kind]
        elif st.kind == "USEION":
            ion = st.names[0]
            if any(i.name == ion for i in info.ions):  # nocmodl's words
                raise _error(info, st.line, f"USEION {ion} twice: merging of neuron models is "
                             "not supported (NEURON's nocmodl refuses it too)")
            for v in st.read + st.write:
                if not _ion_of(v, ion):
                    raise _error(info, st.line, f"USEION {ion}: {v} is not a variable of {ion}")
            info.ions.append(IonUse(ion, list(st.read), list(st.write), st.valence))
            currents_in_order += [w for w in st.write if ion_role(w, ion) == "current"]
        elif st.kind == "NONSPECIFIC_CURRENT":
            info.nonspecific += st.names
            currents_in_order += st.names
        elif st.kind == "ELECTRODE_CURRENT":
            info.electrode += st.names
            currents_in_order += st.names
        elif st.kind == "RANGE":
            info.range += st.names
        elif st.kind == "GLOBAL":
            info.globals += st.names
        elif st.kind == "POINTER":
            info.pointers += [(n, "pointer") for n in st.names]
            # nocmodl decides thread safety when it reads the statement: a THREADSAFE that
            # comes later in the NEURON block does not help.
            info.unsafe_before_threadsafe |= not info.threadsafe
        elif st.kind == "BBCOREPOINTER":
            info.pointers += [(n, "bbcorepointer") for n in st.names]
            info.unsafe_before_threadsafe |= not info.threadsafe
        elif st.kind == "RANDOM":
            info.randoms += st.names
        elif st.kind == "THREADSAFE":
            info.threadsafe = True
        elif st.kind == "EXTERNAL":  # GLOBALs of other mechanisms, by name_suffix
            info.externals += [n for n in st.names if n not in info.externals]
            info.unsafe_before_threadsafe |= not info.threadsafe
    if not info.suffix:
        # NEURON names a mechanism without SUFFIX after its file.
        from pathlib import Path
        info.suffix = Path(info.filename).stem
        info.kind = "density"
    info.name = info.suffix

    # Declarations, in file order (NEURON's definition order).
    # The parser kept the file order of all three blocks in declaration_order.
    order = 0
    by_name: dict[str, ast.VarDecl] = {}
    kind_of: dict[str, str] = {}
    for kind, decls in (("parameter", prog.parameters), ("assigned", prog.assigned),
                        ("state", prog.states)):
        for d in decls:
            by_name.setdefault(d.name, d)
            kind_of.setdefault(d.name, kind)
    for name in prog.declaration_order:
        if name not in info.definition_order:
            info.definition_order[name] = order
            order += 1
    info.declared = by_name
    info.decl_kind = kind_of
    info.constants = {c.name: c.value for c in prog.constants}
    for u in prog.unit_constants:
        info.unit_constants[u.name] = u

    # Currents in nocmodl's order (the order of the NEURON block's statements, nrn_list and
    # nrn_use append to one list), so that BREAKPOINT's sum rounds as NEURON's does; nmodl
    # (CoreNEURON) puts nonspecific and electrode currents first.
    info.currents = list(dict.fromkeys(currents_in_order))
    for ion in info.ions:
        for w in ion.write:
            if ion_role(w, ion.name) in ("intra", "extra"):
                ion.need_style = True

    for name in info.globals:
        if name in info.range:
            raise _error(info, _neuron_line(prog, name), f"{name} is both RANGE and GLOBAL")
    _check_definitions(prog, info)
    _check_declarations(prog, info)

    _scan_usage(prog, info)
    # nocmodl gives diam and area a dparam slot when the name occurs anywhere in the file
    # (nrndeclare: lookup("diam") finds any symbol the lexer installed), used or not.
    names = all_names(prog)
    info.diam_used = "diam" in names
    info.area_used = "area" in names
    info.has_verbatim = info.has_verbatim or bool(prog.verbatim)
    info.vectorize = _vectorized(prog, info)
    _check_v_range(prog, info)


def _neuron_line(prog: ast.Program, name: str, kinds: tuple[str, ...] = ()) -> int:
    """Line of the first NEURON-block statement naming ``name`` (0 if none)."""
    for st in prog.neuron:
        if isinstance(st, ast.NeuronStmt) and (not kinds or st.kind in kinds) and (
                name in st.names or name in st.read or name in st.write):
            return st.line
    return 0


# Declared as RANGE or STATE, nocmodl puts these in the instance as ordinary variables
# (parout's rangeparm/rangedep/rangestate lists do not look at NRNEXTRN), while our code
# reads NEURON's value: refused. ASSIGNED pi/secondorder are ordinary instance variables
# for nocmodl (only t, dt, celsius, v, diam, area are special there).
_SPECIAL = ("celsius", "dt", "pi", "secondorder")


# Named blocks: two with one name would be two C functions of one name.
_NAMED_BLOCKS = ("FUNCTION", "PROCEDURE", "DERIVATIVE", "KINETIC", "LINEAR", "NONLINEAR",
                 "FUNCTION_TABLE", "DISCRETE", "PARTIAL")


def _check_definitions(prog: ast.Program, info: MechanismInfo) -> None:
    """A FUNCTION, PROCEDURE or solved block defined twice (nocmodl: "... is already defined"),
    a variable called as a function, a current no block declares: refused at their line
    rather than by the C compiler."""
    variables = set(info.declared) | NEURON_VARIABLES
    for b in prog.blocks:
        for st in ast.walk_stmts(b.body.stmts):
            for e in ast.stmt_exprs(st):
                for x in ast.walk_expr(e):
                    if isinstance(x, ast.Call) and x.name in variables:
                        raise _error(info, getattr(x, "line", 0) or getattr(st, "line", 0)
                                     or b.line, f"{x.name} is a variable, not a function")
    for name in list(info.nonspecific) + list(info.electrode):
        if name not in info.declared:
            raise _error(info, _neuron_line(prog, name), f"the current {name} is not declared "
                         "(in ASSIGNED)")
    first: dict[str, ast.CodeBlock] = {}
    for b in sorted((b for b in prog.blocks if b.kind in _NAMED_BLOCKS and b.name),
                    key=lambda b: b.line):
        if b.name in first:
            was = first[b.name]
            raise _error(info, b.line, f"{b.kind} {b.name} is already defined ({was.kind} at "
                         f"line {was.line})")
        first[b.name] = b


def _check_declarations(prog: ast.Program, info: MechanismInfo) -> None:
    """Declarations nocmodl refuses, or lays out in a way our code cannot follow."""
    decls = sorted([(d, "PARAMETER") for d in prog.parameters]
                   + [(d, "ASSIGNED") for d in prog.assigned]
                   + [(d, "STATE") for d in prog.states], key=lambda dk: dk[0].line)
    seen: set[str] = set()
    for d, block in decls:
        if d.name in seen:  # nocmodl: "Multiple declaration of x"
            raise _error(info, d.line, f"multiple declaration of {d.name}")
        seen.add(d.name)
        if d.name == "t":  # nocmodl: "multiple uses for same variable"
            raise _error(info, d.line, "t is the independent variable (time) and cannot be "
                         f"declared in {block}")
        if block == "STATE" and d.name in NEURON_VARIABLES:
            raise NmodlError(info.filename, d.line, f"STATE {d.name}: a NEURON variable as a "
                             "STATE is not supported", not_supported=True)
        if d.name in _SPECIAL and d.name in info.range:
            raise NmodlError(info.filename, _neuron_line(prog, d.name, ("RANGE",)),
                             f"RANGE {d.name}: NEURON makes it an instance variable; "
                             "not supported", not_supported=True)
        if block == "ASSIGNED" and d.name in ("pi", "secondorder"):
            raise NmodlError(info.filename, d.line, f"ASSIGNED {d.name}: NEURON makes it an "
                             "instance variable; not supported", not_supported=True)
        if block == "ASSIGNED" and d.name == "usetable":
            raise NmodlError(info.filename, d.line, "ASSIGNED usetable: NEURON makes it the "
                             "global TABLE switch; not supported", not_supported=True)
    for name in ("diam", "area"):
        if name in info.range or name in info.globals:  # nocmodl's words
            raise _error(info, _neuron_line(prog, name, ("RANGE", "GLOBAL")),
                         f"{name} cannot be a RANGE or GLOBAL variable for this mechanism")
    for name in info.globals:
        if info.decl_kind.get(name) == "state":
            raise _error(info, _neuron_line(prog, name, ("GLOBAL",)),
                         f"{name} is a STATE variable and hence cannot be declared as GLOBAL")
    for name, _ in info.pointers:
        if name not in info.declared:  # nocmodl: "p does not have a proper declaration"
            raise _error(info, _neuron_line(prog, name, ("POINTER", "BBCOREPOINTER")),
                         f"POINTER {name} is not declared (in ASSIGNED)")
    for ion in info.ions:
        for v in ion.read + ion.write:
            if v not in info.declared:
                # nocmodl leaves it out of the instance and its C does not compile
                # ("Warning: ek undefined"), so NEURON cannot have a dataset of this file.
                raise _error(info, _neuron_line(prog, ion.name, ("USEION",)),
                             f"USEION {ion.name}: {v} is not declared in PARAMETER, ASSIGNED "
                             "or STATE (NEURON cannot build such a file)")


def _check_v_range(prog: ast.Program, info: MechanismInfo) -> None:
    # Not thread safe, nocmodl keeps a RANGE v in the instance (nrndeclare ORs NRNNOTP into
    # v's flags instead of replacing them); thread safe, it drops it, as we do.
    if not info.vectorize and "v" in info.range and "v" in info.declared:
        raise NmodlError(info.filename, _neuron_line(prog, "v", ("RANGE",)),
                         "RANGE v in a file that is not thread safe: NEURON puts v in the "
                         "instance; not supported", not_supported=True)


def all_names(prog: ast.Program) -> set[str]:
    """Every name the file mentions outside VERBATIM, comments and units (nocmodl's lexer
    installs a symbol for each)."""
    out: set[str] = set()
    for st in prog.neuron:
        if isinstance(st, ast.NeuronStmt):
            out.update(st.names, st.read, st.write)
    for d in prog.parameters + prog.assigned + prog.states + prog.constants:
        out.add(d.name)
    out.update(u.name for u in prog.unit_constants)
    out.update(prog.top_locals)
    for b in prog.blocks:
        if b.name:
            out.add(b.name)
        out.update(b.params)
        for s in ast.walk_stmts(b.body.stmts):
            if isinstance(s, ast.Local):
                out.update(n for n, _ in s.names)
            elif isinstance(s, ast.DiffEq):
                out.add(s.state)
            elif isinstance(s, ast.From):
                out.add(s.var)
            elif isinstance(s, ast.Solve):
                out.update(n for n in (s.block, s.method, s.steadystate) if n)
            elif isinstance(s, ast.Table):
                out.update(s.names + s.depend)
            elif isinstance(s, ast.Watch):
                out.update(f for _, f in s.items)
            for e in ast.stmt_exprs(s):
                for x in ast.walk_expr(e):
                    if isinstance(x, (ast.Name, ast.Indexed, ast.Call)):
                        out.add(x.name)
    return out


# nocmodl's EXTDEF5 functions: calling one makes a file not thread safe.
_NOT_THREADSAFE_CALLS = frozenset({
    "force", "deflate", "expfit", "derivs", "spline", "exprand", "gauss", "normrand",
    "poisrand", "poisson", "setseed", "scop_random", "boundary", "romberg", "invert",
    "stepforce", "schedule", "set_seed", "nrn_random_play"})


def _vectorized(prog: ast.Program, info: MechanismInfo) -> bool:
    """nocmodl's rule for a thread-safe ("vectorized") mechanism, which gets a `v` slot.

    nocmodl starts with ``vectorize = 1`` and clears it for good while it parses, so where a
    construct stands matters: a VERBATIM block (top level or inside any block, parse1.ypp's
    ``all VERBATIM`` and ``ostmt: VERBATIM`` rules), a call of one of scopmath's
    non-reentrant functions (``funccall``, EXTDEF5), a POINTER/BBCOREPOINTER/EXTERNAL
    statement (``nrn_list``) makes the file not thread safe unless THREADSAFE came *before*
    it in the file. Assignments to a GLOBAL outside PROTECT are checked after parsing
    (``chk_thread_safe``): any THREADSAFE covers them. Some constructs clear it whatever
    THREADSAFE says: SUFFIX nothing, a SOLVE of a LINEAR block, an ARTIFICIAL_CELL with
    thread data (a top-level LOCAL, or a SOLVE ... METHOD derivimplicit).
    """
    if info.suffix == "nothing":
        return False
    # nocmodl's solvhandler: a SOLVE of a LINEAR or NONLINEAR block sets vectorize = 0
    # whatever the NEURON block says (scopmath's simeq and newton work on static arrays).
    # VClamp has no `v` slot so.
    if info.solved & {b.name for b in prog.blocks if b.kind in ("LINEAR", "NONLINEAR")}:
        return False
    if info.kind == "artificial_cell":
        # parout: "ARTIFICIAL_CELL models that would require thread specific data are not
        # thread safe": top LOCALs, and derivimplicit's Newton space (deriv.cpp, only for an
        # explicit METHOD derivimplicit; cnexp and euler have none).
        if prog.top_locals or any(
                isinstance(s, ast.Solve) and s.method == "derivimplicit"
                for b in prog.blocks for s in ast.walk_stmts(b.body.stmts)):
            return False
    if info.unsafe_before_threadsafe:
        return False
    ts_line = next((st.line for st in prog.neuron
                    if isinstance(st, ast.NeuronStmt) and st.kind == "THREADSAFE"), None)
    if any(ts_line is None or line < ts_line for line in _unsafe_lines(prog)):
        return False
    if info.threadsafe:
        return True
    return not info.writes_globals


def _unsafe_lines(prog: ast.Program) -> list[int]:
    """Lines of the VERBATIM blocks and scopmath calls that nocmodl finds not thread safe."""
    out = [v.line for v in prog.verbatim]
    for b in prog.blocks:
        for s in ast.walk_stmts(b.body.stmts):
            if isinstance(s, ast.Verbatim):
                out.append(s.line)
            for e in ast.stmt_exprs(s):
                out += [x.line for x in ast.walk_expr(e)
                        if isinstance(x, ast.Call) and x.name in _NOT_THREADSAFE_CALLS]
    return out


def _scan_usage(prog: ast.Program, info: MechanismInfo) -> None:
    """What the code blocks use: names read/written, net_send, WATCH, net_event, ..."""
    written: set[str] = set()
    used: set[str] = set()
    # nocmodl's nrn_var_assigned: a GLOBAL assigned once under PROTECT is marked so for good
    # (assigned_to_ = 2) and does not make the file unsafe, whatever its other assignments
    protected: set[str] = set()
    unprotected: set[str] = set()
    for b in prog.blocks:
        info.block_kinds.add(b.kind)
        if b.kind == "NET_RECEIVE":
            info.net_receive_args = len(b.params)
        for s in ast.walk_stmts(b.body.stmts):
            if isinstance(s, ast.Unsupported):
                raise NmodlError(info.filename, s.line, f"{s.construct} is not supported yet",
                                 not_supported=True)
            if isinstance(s, (ast.Reaction, ast.Conserve, ast.Compartment)) \
                    and b.kind != "KINETIC":
                what = {ast.Reaction: "a reaction (~)", ast.Conserve: "CONSERVE",
                        ast.Compartment: "COMPARTMENT"}[type(s)]
                raise NmodlError(info.filename, s.line, f"{what} outside a KINETIC block")
            if isinstance(s, ast.Verbatim):
                info.has_verbatim = True
            if isinstance(s, ast.Watch):
                info.watch_count += len(s.items)
            if isinstance(s, ast.ForNetcons):
                info.fornetcons = True
            if isinstance(s, ast.Assign):
                written.add(s.target.name)
                if s.target.name in info.globals:
                    (protected if s.protected else unprotected).add(s.target.name)
            if isinstance(s, ast.Solve):
                info.solved.add(s.block)
                kind = {"sparse": "KINETIC", "derivimplicit": "DERIVATIVE"}.get(
                    s.steadystate or "")
                if s.steadystate is not None and (
                        kind is None or b.kind not in ("INITIAL", "PROCEDURE", "FUNCTION")
                        or prog.find_block(kind, s.block) is None):
                    raise NmodlError(info.filename, s.line, f"SOLVE {s.block} STEADYSTATE "
                                     f"{s.steadystate} is not supported yet (only STEADYSTATE "
                                     "sparse of a KINETIC block or derivimplicit of a "
                                     "DERIVATIVE block, in INITIAL, a PROCEDURE or a FUNCTION)",
                                     not_supported=True)
            if isinstance(s, ast.Solve) and s.method is not None:
                if s.method not in ("cnexp", "derivimplicit", "euler", "sparse", "after_cvode",
                                    "cvode_t", "cvode_t_v"):
                    raise NmodlError(info.filename, s.line,
                                     f"SOLVE METHOD {s.method} is not supported yet",
                                     not_supported=True)
            for e in ast.stmt_exprs(s):
                for x in ast.walk_expr(e):
                    if isinstance(x, (ast.Name, ast.Indexed)):
                        used.add(x.name)
                    elif isinstance(x, ast.Call):
                        info.calls.add(x.name)
    info.writes_globals = bool(unprotected - protected)
    info.globals_written = unprotected - protected
    info.names_used = used
    info.names_written = written
    info.net_send_used = bool(info.calls & {"net_send", "net_move"})
