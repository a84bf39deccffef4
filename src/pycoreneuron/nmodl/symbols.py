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
    for st in prog.neuron:
        if st.kind in ("SUFFIX", "POINT_PROCESS", "ARTIFICIAL_CELL"):
            info.suffix = st.names[0]
            info.kind = {"SUFFIX": "density", "POINT_PROCESS": "point_process",
                         "ARTIFICIAL_CELL": "artificial_cell"}[st.kind]
        elif st.kind == "USEION":
            ion = st.names[0]
            for v in st.read + st.write:
                if not _ion_of(v, ion):
                    raise _error(info, st.line, f"USEION {ion}: {v} is not a variable of {ion}")
            info.ions.append(IonUse(ion, list(st.read), list(st.write), st.valence))
        elif st.kind == "NONSPECIFIC_CURRENT":
            info.nonspecific += st.names
        elif st.kind == "ELECTRODE_CURRENT":
            info.electrode += st.names
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
        elif st.kind == "EXTERNAL":
            raise NmodlError(info.filename, st.line, "EXTERNAL is not supported yet",
                             not_supported=True)
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

    # Ion currents written, in nmodl's order: nonspecific, electrode, then ionic (USEION order).
    info.currents = list(info.nonspecific) + list(info.electrode)
    for ion in info.ions:
        for w in ion.write:
            if ion_role(w, ion.name) == "current":
                info.currents.append(w)
            if ion_role(w, ion.name) in ("intra", "extra"):
                ion.need_style = True

    for name in info.globals:
        if name in info.range:
            raise _error(info, 0, f"{name} is both RANGE and GLOBAL")

    _scan_usage(prog, info)
    info.has_verbatim = info.has_verbatim or bool(prog.verbatim)
    info.vectorize = _vectorized(prog, info)


# nocmodl's EXTDEF5 functions: calling one makes a file not thread safe.
_NOT_THREADSAFE_CALLS = frozenset({
    "force", "deflate", "expfit", "derivs", "spline", "exprand", "gauss", "normrand",
    "poisrand", "poisson", "setseed", "scop_random", "boundary", "romberg", "invert",
    "stepforce", "schedule", "set_seed", "nrn_random_play"})


def _vectorized(prog: ast.Program, info: MechanismInfo) -> bool:
    """nocmodl's rule for a thread-safe ("vectorized") mechanism, which gets a `v` slot.

    Without THREADSAFE, any VERBATIM, POINTER, BBCOREPOINTER or a call to one of scopmath's
    non-reentrant functions, or an assignment to a GLOBAL outside PROTECT, makes it not
    thread safe.
    """
    if info.suffix == "nothing":
        return False
    # nocmodl's solvhandler: a SOLVE of a LINEAR block sets vectorize = 0 whatever the NEURON
    # block says (scopmath's simeq works on one static matrix). VClamp has no `v` slot so.
    if info.solved & {b.name for b in prog.blocks if b.kind == "LINEAR"}:
        return False
    if info.kind == "artificial_cell" and prog.top_locals:
        return False
    if info.unsafe_before_threadsafe:
        return False
    if info.threadsafe:
        return True
    if (info.has_verbatim or info.pointers or info.writes_globals
            or info.calls & _NOT_THREADSAFE_CALLS):
        return False
    return True


def _scan_usage(prog: ast.Program, info: MechanismInfo) -> None:
    """What the code blocks use: names read/written, net_send, WATCH, net_event, ..."""
    written: set[str] = set()
    used: set[str] = set()
    for b in prog.blocks:
        info.block_kinds.add(b.kind)
        if b.kind == "NET_RECEIVE":
            info.net_receive_args = len(b.params)
        for s in ast.walk_stmts(b.body.stmts):
            if isinstance(s, ast.Unsupported):
                raise NmodlError(info.filename, s.line, f"{s.construct} is not supported yet",
                                 not_supported=True)
            if isinstance(s, ast.Verbatim):
                info.has_verbatim = True
            if isinstance(s, ast.Watch):
                info.watch_count += len(s.items)
            if isinstance(s, ast.Assign):
                written.add(s.target.name)
                if s.target.name in info.globals and not s.protected:
                    info.writes_globals = True
            if isinstance(s, ast.Solve):
                info.solved.add(s.block)
            if isinstance(s, ast.Solve) and s.method is not None:
                if s.method not in ("cnexp", "derivimplicit", "euler", "after_cvode", "cvode_t",
                                    "cvode_t_v"):
                    raise NmodlError(info.filename, s.line,
                                     f"SOLVE METHOD {s.method} is not supported yet",
                                     not_supported=True)
            for e in ast.stmt_exprs(s):
                for x in ast.walk_expr(e):
                    if isinstance(x, (ast.Name, ast.Indexed)):
                        used.add(x.name)
                    elif isinstance(x, ast.Call):
                        info.calls.add(x.name)
    info.names_used = used
    info.names_written = written
    info.net_send_used = bool(info.calls & {"net_send", "net_move"})
    info.area_used = "area" in used
    info.diam_used = "diam" in used
