"""Layout pass: NEURON's order and count of the doubles and dparam slots of one instance.

The dataset carries NEURON's layout, so ours must be the same. The rules follow what
NEURON 9.0.2's translators do (nocmodl for the NEURON side that writes the dump; nmodl's
``get_float_variables``/``get_int_variables`` agree for thread-safe files):

doubles: RANGE PARAMETERs, RANGE ASSIGNEDs (NONSPECIFIC/ELECTRODE currents count as RANGE),
STATEs --
each in definition order, ion variables other than ionic currents left out -- then every
other instance variable (non-RANGE ASSIGNEDs, ion variables, a ``D<state>`` slot at its
state's position) in definition order, then ``v`` if vectorized, the conductance slot if there
is a BREAKPOINT and the last-event time if there is a NET_RECEIVE.

dparam: area and pntproc for point processes; per USEION its reads (with an implicit read of
Xo for Xi and vice versa), writes not yet listed, dI/dV if a current is written, erev and style
if a concentration is written; POINTER/BBCOREPOINTER; diam, area and RANDOM interleaved as
nocmodl sorts them (``_diam_area_random``), diam and area whenever the name occurs in the file;
the net_send queue item; WATCH slots (statements + 1). (nmodl differs from NEURON in two places
where the counts agree: it puts RANDOM before diam, and dI/dV after all written variables.)
"""

from __future__ import annotations

from .errors import NmodlError
from .info import MechanismInfo
from .symbols import NEURON_VARIABLES, ion_role

V_SLOT = "v_unused"
G_SLOT = "g_unused"
TSAVE_SLOT = "tsave"


def _ion_variables(info: MechanismInfo) -> list[str]:
    out: list[str] = []
    for ion in info.ions:
        for v in ion.read + ion.write:
            if v not in out:
                out.append(v)
    return out


def _is_ionic_current(info: MechanismInfo, name: str) -> bool:
    return any(ion_role(name, ion.name) == "current" for ion in info.ions)


def float_variables(info: MechanismInfo) -> list[tuple[str, int]]:
    ion_vars = _ion_variables(info)
    pointers = {n for n, _ in info.pointers}
    excluded = set(info.globals) | pointers | NEURON_VARIABLES | set(info.externals)
    # NEURON treats NONSPECIFIC and ELECTRODE currents as RANGE.
    ranged = set(info.range) | set(info.nonspecific) | set(info.electrode)
    order = info.definition_order

    def non_current_ion(n: str) -> bool:
        return n in ion_vars and not _is_ionic_current(info, n)

    def by_order(names):
        return sorted(names, key=lambda n: order.get(n, -1))

    declared = info.decl_kind
    range_params = by_order(n for n, k in declared.items()
                            if k == "parameter" and n in ranged and n not in excluded
                            and not non_current_ion(n))
    range_assigned = by_order(n for n, k in declared.items()
                              if k == "assigned" and n in ranged and n not in excluded
                              and not non_current_ion(n))
    states = by_order(n for n, k in declared.items() if k == "state" and n not in excluded)
    range_states = [n for n in states if not non_current_ion(n)]
    first = range_params + range_assigned + range_states

    # The rest: ASSIGNED/STATE declarations and ion variables (declared or not), plus D-slots.
    rest = [n for n in ion_vars if n not in declared and n not in excluded]
    rest += [n for n, k in declared.items() if k in ("assigned", "state") and n not in excluded]
    rest += [n for n in ion_vars if declared.get(n) == "parameter" and n not in excluded]
    seen: list[str] = []
    for n in rest:
        if n not in first and n not in seen:
            seen.append(n)
    # Sort key: (definition order, 0 for a variable, 1 for the D-slot of a state) keeps each
    # D-slot right after its state when the state itself is in this group (an ion STATE).
    keyed = [((order.get(n, -1), 0), n) for n in seen]
    keyed += [((order[s], 1), "D" + s) for s in states]
    rest_sorted = [n for _, n in sorted(keyed, key=lambda kn: kn[0])]

    def dim(n: str) -> int:
        if n.startswith("D") and n not in declared and n[1:] in declared:
            return declared_dim(info, n[1:])
        return declared_dim(info, n)

    out = [(n, dim(n)) for n in first + rest_sorted]
    if info.vectorize:
        out.append((V_SLOT, 1))
    if "BREAKPOINT" in info.block_kinds:
        out.append((G_SLOT, 1))
    if "NET_RECEIVE" in info.block_kinds:
        out.append((TSAVE_SLOT, 1))
    return out


def declared_dim(info: MechanismInfo, name: str) -> int:
    d = info.declared.get(name)
    return d.dim if d is not None else 1


def int_variables(info: MechanismInfo) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if info.is_point:
        out += [("node_area", "area"), ("point_process", "pntproc")]
    for ion in info.ions:
        sem = f"{ion.name}_ion"
        names = ion.read + ion.write
        has_in = f"{ion.name}i" in names
        has_out = f"{ion.name}o" in names
        ion.implicit_reads = []
        if has_in and not has_out:
            ion.implicit_reads.append(f"{ion.name}o")
        elif has_out and not has_in:
            ion.implicit_reads.append(f"{ion.name}i")
        listed: list[str] = []
        for v in ion.read + ion.implicit_reads:
            out.append((f"ion_{v}", sem))
            listed.append(v)
        for v in ion.write:
            if v not in listed:
                out.append((f"ion_{v}", sem))
                listed.append(v)
            if ion_role(v, ion.name) == "current":  # NEURON puts dI/dV right after it
                out.append((f"ion_di{ion.name}dv", sem))
        if ion.need_style:
            out.append((f"ion_{ion.name}_erev", sem))
            out.append((f"style_{ion.name}", f"#{ion.name}_ion"))
    for name, sem in info.pointers:
        if declared_dim(info, name) != 1:
            raise NmodlError(info.filename, 0, f"array POINTER {name} is not supported yet",
                             not_supported=True)
        out.append((name, sem))
    out += _diam_area_random(info)
    if info.net_send_used:
        out.append(("tqitem", "netsend"))
    if info.watch_count:
        out += [(f"watch{k}", "watch") for k in range(info.watch_count + 1)]
    if info.fornetcons:  # nocmodl: after the watch slots
        out.append(("fornetcon", "fornetcon"))
    return out


def _diam_area_random(info: MechanismInfo) -> list[tuple[str, str]]:
    """diam, area and RANDOM slots in the order of nocmodl's registration list.

    nocmodl numbers them from the same base b (ions, pointers and, for a point process,
    area/pntproc before it): diam at b, area at b + (1 if diam), the k-th RANDOM at b + k
    (nocpout.cpp: ``ppvar_semantics(ioncount + pointercount, "diam", ...)``, ``... +
    diamdec, "area"``, ``... + index, "random"``), and registers the fields sorted by (index,
    field text), where ``double*`` (diam, area) sorts before ``void*`` (RANDOM). With both
    RANDOM and diam or area the indices collide, so NEURON 9.0.2 itself reads the wrong slot;
    the dump still lists this order, which is what we must match. A point process's
    ``area`` here is a second area slot besides node_area.
    """
    keyed: list[tuple[tuple[int, int], tuple[str, str]]] = []
    if info.diam_used:
        keyed.append(((0, 0), ("diam", "diam")))
    if info.area_used:
        keyed.append(((int(info.diam_used), 0), ("area", "area")))
    keyed += [((k, 1), (name, "random")) for k, name in enumerate(info.randoms)]
    return [slot for _, slot in sorted(keyed, key=lambda ks: ks[0])]


def run(info: MechanismInfo) -> None:
    """Fill info.variables, info.dparam and the per-type globals."""
    info.dparam = int_variables(info)
    info.variables = float_variables(info)
    in_instance = {n for n, _ in info.variables}
    elsewhere = ({n for n, _ in info.pointers} | set(info.randoms) | NEURON_VARIABLES
                 | set(info.externals))
    for n, k in info.decl_kind.items():
        if n in in_instance or n in elsewhere:
            continue
        d = info.declared[n]
        if k == "parameter" and n not in info.globals_written:
            info.global_params.append((n, d.value if d.value is not None else "0", d.dim))
        elif k == "assigned" or k == "parameter":
            # nocmodl: a GLOBAL that code assigns (PARAMETER or not) is per thread; the
            # first thread's copy is hoc's, so globals.dat holds its value
            info.global_assigned.append((n, d.dim))
