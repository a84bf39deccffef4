"""Turn one group of a dataset into the arrays a C block runs on.

Everything here happens once, before the first step: resolving dparams into base pointers,
creating Random123 streams, grouping NetCons by their source. The C core then only follows
indices.
"""

from __future__ import annotations

import ctypes
from typing import Any

import numpy as np

from .. import _core
from ..errors import NotSupportedError
from ..io.model import Group, Mechanism
from ..io.text import distinct

KIND_CODES = {"density": 0, "point_process": 1, "artificial_cell": 2}
BUILTIN_NONE, BUILTIN_CAPACITANCE, BUILTIN_ION = 0, 1, 2

# NEURON's default initial concentrations [mM] (inside, outside), CoreNEURON's compiled ones.
# NEURON initialises from its hoc globals <ion>i0_<ion>_ion and <ion>o0_<ion>_ion, which
# globals.dat holds (a user may set them); CoreNEURON's file mode ignores those lines and uses
# these. NEURON is the reference: globals.dat wins (ion_initial_concentrations).
ION_INITIAL_CONCENTRATIONS = {"na": (10.0, 140.0), "k": (54.4, 2.5), "ca": (5e-5, 2.0)}


def ion_initial_concentrations(ion: str, globals_dat: Any = None) -> tuple[float, float]:
    """(inside, outside) initial concentration [mM] of ion (``ca``), as NEURON starts it."""
    ci, co = ION_INITIAL_CONCENTRATIONS.get(ion, (1.0, 1.0))
    if globals_dat is not None:
        ci = globals_dat.get(f"{ion}i0_{ion}_ion", ci)
        co = globals_dat.get(f"{ion}o0_{ion}_ion", co)
    return float(ci), float(co)

# dparam semantics whose slots the generated code reads through dp_base, and those it only
# uses as handles (vdata) or values.
HANDLE_SEMANTICS = {"pntproc", "netsend", "random", "bbcorepointer", "watch", "fornetcon",
                    "iontype"}


def _address(array: np.ndarray) -> int:
    return int(array.ctypes.data)


def _random_streams(mech: Mechanism, globalindex: int, vdata: np.ndarray,
                    keep: list[Any]) -> np.ndarray | None:
    """Create the mechanism's Random123 streams from its nmodlrandom block, into vdata;
    returns their storage (variable by variable, instance by instance), or None."""
    words = mech.nmodlrandom
    if words is None or len(words) == 0 or mech.n == 0:
        return None
    nvar = int(words[0])
    slots = [int(s) for s in words[1:1 + nvar]]
    size = _core.ran123_stream_size()
    storage = np.zeros(nvar * mech.n * size, dtype=np.uint8)
    keep.append(storage)
    base = _address(storage)
    position = 1 + nvar
    for r, slot in enumerate(slots):
        for i in range(mech.n):
            id1, id2, id3, seq, which = (int(x) for x in words[position:position + 5])
            position += 5
            address = base + (r * mech.n + i) * size
            _core.ran123_stream_init_at(address, id1, id2, id3, globalindex, seq, which)
            vdata[int(mech.pdata[slot, i])] = address
    return storage


def _bbcore_read(desc: Any, spec: dict[str, Any], ints: np.ndarray, doubles: np.ndarray,
                 globalindex: int, keep: list[Any]) -> None:
    """The mechanism's VERBATIM bbcore_read on its BBCOREPOINTER record (CoreNEURON's
    nrn_bbcore_read): fills the instances' vdata slots (Random123 streams, Vectors)."""

    if not desc.bbcore_read:
        raise NotSupportedError(f"{desc.name.decode()}: the dataset has BBCOREPOINTER data but "
                                "its MOD file defines no bbcore_read in VERBATIM")
    x = np.ascontiguousarray(doubles, dtype=np.float64)
    ia = np.ascontiguousarray(ints, dtype=np.int32)
    keep += [x, ia]
    a = mech_args(spec, globalindex)
    dp = ctypes.POINTER(ctypes.c_double)
    desc.bbcore_read(ctypes.byref(a), x.ctypes.data_as(dp),
                     ia.ctypes.data_as(ctypes.POINTER(ctypes.c_int)))


def mech_args(spec: dict[str, Any], globalindex: int) -> Any:
    """The hooks' parameter pack for a mechanism spec, for calls made from Python
    (bbcore_read and bbcore_write: the instances' data, dparams and vdata)."""
    from ..nmodl import library

    a = library.MechArgs()
    dp = ctypes.POINTER(ctypes.c_double)
    a.n, a.stride = spec["n"], spec["stride"]

    def address(name: str) -> int | None:
        array = spec.get(name)
        return None if array is None else int(array.ctypes.data)

    a.data = ctypes.cast(address("data"), dp)
    a.pdata = ctypes.cast(address("pdata"), ctypes.POINTER(ctypes.c_int))
    a.ni = ctypes.cast(address("ni"), ctypes.POINTER(ctypes.c_int))
    a.dp_base = ctypes.cast(address("dp_base"), ctypes.POINTER(dp))
    a.vdata = ctypes.cast(address("vdata"), ctypes.POINTER(ctypes.c_void_p))
    a.globalindex = globalindex
    return a


def _dparam_bases(group: Group, mech: Mechanism, ions: dict[str, Mechanism]) -> np.ndarray:
    bases = np.zeros(max(1, mech.dpsize), dtype=np.uintp)
    for s, semantics in enumerate(mech.semantics):
        if semantics == "area":
            bases[s] = _address(group.area)
        elif semantics == "diam":
            if group.diam is None:
                raise NotSupportedError(f"{mech.name} reads diam but the dataset has none")
            bases[s] = _address(group.diam)
        elif semantics.endswith("_ion") and not semantics.startswith("#"):
            bases[s] = _address(ions[semantics].data)
        elif semantics == "pointer":
            raise NotSupportedError(f"{mech.name}: POINTER variables are not supported yet")
        elif semantics in HANDLE_SEMANTICS or semantics.startswith("#"):
            pass
        else:
            raise NotSupportedError(f"{mech.name}: dparam {semantics!r} is not supported yet")
    return bases


def _grouped(members: np.ndarray, key: np.ndarray, nkeys: int) -> tuple[np.ndarray, np.ndarray]:
    """members ordered by key (stable: file order within a key) and the CSR starts."""
    order = members[np.argsort(key[members], kind="stable")]
    counts = np.bincount(key[order], minlength=nkeys) if order.size else \
        np.zeros(nkeys, dtype=np.int64)
    start = np.zeros(nkeys + 1, dtype=np.int32)
    start[1:] = np.cumsum(counts)
    return order, start


def gap_sources(groups: list[Group], specs: list[dict[str, Any]]
                ) -> tuple[np.ndarray, np.ndarray]:
    """(sids, addresses) of every gap-junction source in these groups."""
    sids, addresses = [], []
    for group, spec in zip(groups, specs, strict=True):
        if group.gap is None:
            continue
        for sid, stype, index in zip(group.gap.src_sid, group.gap.src_type,
                                     group.gap.src_index, strict=True):
            sids.append(int(sid))
            addresses.append(_value_address(group, spec, int(stype), int(index)))
    return np.array(sids, dtype=np.int64), np.array(addresses, dtype=np.uintp)


def connect_gap_junctions(groups: list[Group], specs: list[dict[str, Any]],
                          remote: Any = None) -> None:
    """Point every gap-junction target at its source (same sid): in one of these groups, else
    in `remote` (values from other ranks, see ranks.RemoteGapValues)."""
    sids, addresses = gap_sources(groups, specs)
    sources = {int(s): int(a) for s, a in zip(sids, addresses, strict=True)}
    for group, spec in zip(groups, specs, strict=True):
        if group.gap is None or len(group.gap.tar_sid) == 0:
            continue
        targets, origins = [], []
        for sid, ttype, index in zip(group.gap.tar_sid, group.gap.tar_type,
                                     group.gap.tar_index, strict=True):
            origin = sources.get(int(sid))
            if origin is None and remote is not None:
                origin = remote.address_of(int(sid))
            if origin is None:
                raise NotSupportedError(
                    f"gap junction target sid {int(sid)} has no source in the dataset")
            targets.append(_value_address(group, spec, int(ttype), int(index)))
            origins.append(origin)
        spec["gap_target"] = np.array(targets, dtype=np.uintp)
        spec["gap_source"] = np.array(origins, dtype=np.uintp)


def _value_address(group: Group, spec: dict[str, Any], mtype: int, index: int) -> int:
    """Address of a voltage (mtype -1: index is a node) or of a mechanism's double."""
    if mtype == -1:
        return _address(spec["v"]) + index * spec["v"].itemsize
    for mech in group.mechanisms:
        if mech.type == mtype:
            return _address(mech.data) + index * mech.data.itemsize
    raise NotSupportedError(f"gap junction value of mechanism type {mtype}, absent here")


def _fornetcons(group: Group, k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """FOR_NETCONS lists of mechanism k: per instance, the weight indices of the NetCons onto
    it in the dataset's order (the translator takes only loops whose result does not depend
    on that order)."""
    onto = np.flatnonzero(np.asarray(group.netcon_target_mech) == k)
    inst = np.asarray(group.netcon_pntindex, dtype=np.int64)[onto]
    order = onto[np.argsort(inst, kind="stable")]
    counts = np.bincount(inst, minlength=n)[:n]
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    weights = np.asarray(group.weight_index, dtype=np.int32)[order]
    return offsets, np.ascontiguousarray(weights, dtype=np.int32)


def group_spec(group: Group, group_index: int, descriptors: dict[Any, Any],
               charges: dict[str, float], dt: float, celsius: float, secondorder: int,
               globalindex: int, globals_dat: Any = None) -> dict[str, Any]:
    """The block specification (see _engine.pxi) of one whole group."""
    keep: list[Any] = []
    ions = {m.name: m for m in group.mechanisms if m.name in charges}
    vdata = np.zeros(max(1, group.nvdata), dtype=np.uintp)
    # Per-instance event arrays only where events can start (density mechanisms send none):
    # memory per compartment.
    presyn_of = {k: np.full(m.n, -1, dtype=np.int32) for k, m in enumerate(group.mechanisms)
                 if m.kind != "density"}
    for p in range(group.n_presyn):
        k = int(group.presyn_mech[p])
        if k >= 0:
            presyn_of[k][int(group.presyn_instance[p])] = p

    mechanisms = []
    for k, mech in enumerate(group.mechanisms):
        spec: dict[str, Any] = {
            "n": mech.n, "stride": mech.padded, "kind": KIND_CODES[mech.kind],
            "data": mech.data, "pdata": np.ascontiguousarray(mech.pdata).reshape(-1),
            "ni": mech.nodeindices, "vdata": vdata,
            "selfevent": None if mech.kind == "density" else np.full(mech.n, -1, np.int32),
            "presyn": presyn_of.get(k),
            "desc": 0, "builtin": BUILTIN_NONE, "dp_base": None,
        }
        if mech.name == "capacitance":
            spec["builtin"] = BUILTIN_CAPACITANCE
        elif mech.name in charges:
            conci0, conco0 = ion_initial_concentrations(mech.name[:-4], globals_dat)
            spec.update(builtin=BUILTIN_ION, ion_charge=charges[mech.name],
                        ion_conci0=conci0, ion_conco0=conco0)
        else:
            desc = descriptors[mech.name]
            spec["desc"] = ctypes.addressof(desc)
            spec["dp_base"] = _dparam_bases(group, mech, ions)
            spec["globalindex"] = globalindex
            spec["random_streams"] = _random_streams(mech, globalindex, vdata, keep)
            for index, ints, doubles in group.bbcorepointer:
                if index == k:
                    _bbcore_read(desc, spec, ints, doubles, globalindex, keep)
            if "fornetcon" in mech.semantics:
                spec["fornetcon_offsets"], spec["fornetcon_weights"] = \
                    _fornetcons(group, k, mech.n)
        mechanisms.append(spec)

    nvoltage = len(group.threshold)
    source_node = np.array(group.output_vindex[:nvoltage], dtype=np.int32)
    threshold = np.array(group.threshold[:nvoltage], dtype=np.float64)
    no_source = source_node < 0  # a cell without a spike source: never fires
    source_node[no_source] = 0
    threshold[no_source] = np.inf

    # NetCons driven by a PreSyn of this group, grouped by source in file order; NetCons
    # driven by another group's gid, grouped by that gid (inputs, received between windows).
    npresyn = group.n_presyn
    src_group = np.asarray(group.netcon_src_group)
    src_index = np.asarray(group.netcon_src_index, dtype=np.int64)
    order, netcon_start = _grouped(np.flatnonzero(src_group == group_index), src_index,
                                   npresyn)
    srcgid = np.asarray(group.netcon_srcgid, dtype=np.int64)
    other = np.flatnonzero(((src_group >= 0) & (src_group != group_index))
                           | ((src_group == -1) & (srcgid >= 0)))
    input_gid = distinct(srcgid[other]).astype(np.int32)
    input_order, input_start = _grouped(other, np.searchsorted(input_gid, srcgid),
                                        len(input_gid))

    plays = []
    for play in group.vecplay:
        mech = group.mechanisms[play.mech]
        target = _address(mech.data) + play.index * mech.data.itemsize
        plays.append((target, np.ascontiguousarray(play.t, dtype=np.float64),
                      np.ascontiguousarray(play.y, dtype=np.float64)))

    queue_capacity = 2 * (group.n_netcon + len(plays) + sum(m.n for m in group.mechanisms
                                               if m.kind == "artificial_cell")) + 64
    return {
        "nnode": group.nnode, "ncell": group.n_real_cell,
        "parent": group.parent, "a": group.a, "b": group.b, "area": group.area,
        # the block integrates the group's own voltages (no copy: memory is per compartment)
        "v": group.v, "rhs": np.zeros_like(group.v), "d": np.zeros_like(group.v),
        # the device layout's rows (--cell-permute 1), else None
        "cell_len": None if group.interleaved is None else group.interleaved[1],
        "row_start": None if group.interleaved is None else group.interleaved[0],
        "mechanisms": mechanisms,
        "npresyn": npresyn, "nvoltage": nvoltage,
        "source_node": source_node, "threshold": threshold,
        "above": np.zeros(max(1, nvoltage), dtype=np.uint8),
        "presyn_gid": np.ascontiguousarray(group.output_gid, dtype=np.int32),
        "fired": np.zeros(max(1, nvoltage), dtype=np.int32),
        "netcon_start": netcon_start,
        "netcon_list": order.astype(np.int32),
        "netcon_mech": np.ascontiguousarray(group.netcon_target_mech, dtype=np.int32),
        "netcon_instance": np.ascontiguousarray(group.netcon_pntindex, dtype=np.int32),
        "netcon_weight": np.ascontiguousarray(group.weight_index, dtype=np.int32),
        "netcon_delay": np.ascontiguousarray(group.delay, dtype=np.float64),
        "weights": group.weights.copy(),
        "plays": plays,
        "input_gid": input_gid, "input_netcon_start": input_start,
        "input_netcon_list": input_order.astype(np.int32),
        "dt": dt, "celsius": celsius, "secondorder": secondorder,
        "queue_capacity": queue_capacity, "keep": keep,
    }
