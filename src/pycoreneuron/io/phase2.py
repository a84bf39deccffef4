"""<g>_2.dat: nodes, mechanisms, spike sources, NetCons, BBCOREPOINTER data and VecPlay
(format section 7), read straight into the layout of :mod:`.model` and validated.

Mechanism data and pdata arrive instance-major; they are transposed to field-major a chunk at a
time, so the only memory beyond the final arrays is one chunk.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DatasetError
from .catalogue import VDATA_SEMANTICS, MechInfo, match, semantics_kind
from .mech_dat import MechTable
from .model import VDATA_KINDS, Group, Mechanism, VecPlay
from .phase1 import Phase1
from .text import FileCursor, aligned_zeros, distinct, padded

_CHUNK_BYTES = 1 << 20  # transposition buffer: 1 MiB, whatever the model's size
_VECPLAY_CONTINUOUS = 4


def read_phase2(path: Path, group_id: int, p1: Phase1, table: MechTable,
                descriptors: Mapping[str, Mapping[str, Any]] | None) -> Group:
    with FileCursor(path, chkpnt=p1.chkpnt) as f:
        f.version()
        return _read(f, group_id, p1, table, descriptors)


def _read(f: FileCursor, group_id: int, p1: Phase1, table: MechTable,
          descriptors: Mapping[str, Mapping[str, Any]] | None) -> Group:
    n_presyn = len(p1.output_gid)
    n_netcon = len(p1.netcon_srcgid)

    # -- header ------------------------------------------------------------------------------
    n_real_cell = f.int("n_real_cell", minimum=0)
    ngid = f.int("ngid", minimum=0)
    n_real_gid = f.int("n_real_gid", minimum=0)
    nnode = f.int("nnode", minimum=0)
    ndiam = f.int("ndiam", minimum=0)
    nmech = f.int("nmech", minimum=0)
    if n_real_cell > nnode:
        raise f.error(f"n_real_cell {n_real_cell} exceeds nnode {nnode}")
    if n_real_gid > n_presyn:
        raise f.error(f"n_real_gid {n_real_gid} exceeds the {n_presyn} spike sources of "
                      f"{p1_name(f.path)}")
    if ndiam not in (0, nnode):
        raise f.error(f"ndiam must be 0 or nnode ({nnode}), found {ndiam}")
    infos: list[MechInfo] = []
    counts: list[int] = []
    seen: set[int] = set()
    for i in range(nmech):
        start = f.offset
        mtype = f.int(f"the type of mechanism {i + 1} of {nmech}")
        n = f.int(f"the instance count of mechanism {i + 1} of {nmech}", minimum=0)
        rec = table.get(mtype)
        if rec is None or mtype == 2:
            raise f.error(f"mechanism type {mtype} is not in {table.path.name} (types 3.."
                          f"{table.n_memb_func - 1})", start)
        if mtype in seen:
            raise f.error(f"mechanism {rec.name} (type {mtype}) is listed twice", start)
        seen.add(mtype)
        info = match(rec, descriptors, n, str(f.path))
        if info is None:  # listed with no instance and unknown to us: nothing to read for it
            info = MechInfo(rec, tuple((f"v{k}", d) for k, d in enumerate(rec.dims)),
                            tuple((f"p{k}", "unknown") for k in range(rec.dpsize)),
                            "artificial_cell" if rec.is_art else
                            "point_process" if rec.is_point else "density", None)
        infos.append(info)
        counts.append(n)
    nidata = f.int("nidata", minimum=0)
    if nidata != 0:
        raise f.error(f"nidata must be 0 in NEURON 9 datasets, found {nidata}")
    nvdata = f.int("nvdata", minimum=0)
    nweight = f.int("nweight", minimum=0)

    # -- nodes -------------------------------------------------------------------------------
    f.need(nnode * (4 + 8 * (4 + (1 if ndiam else 0))), f"the arrays of {nnode} nodes")
    pn = padded(nnode)
    parent_full = aligned_zeros(pn, np.int32)
    f.array(np.int32, nnode, "v_parent_index", out=parent_full)
    _check_tree(f, parent_full, n_real_cell, nnode, f.array_start)
    node_arrays = {}
    for name in ("a", "b", "area", "v") + (("diam",) if ndiam else ()):
        arr = aligned_zeros(pn, np.float64)
        f.array(np.float64, nnode, name, out=arr)
        bad = np.flatnonzero(~np.isfinite(arr[:nnode]))
        if bad.size:
            raise f.error(f"{name} of node {int(bad[0])} is {arr[bad[0]]}, not a finite number",
                          f.array_start + 8 * int(bad[0]))
        node_arrays[name] = arr
    diam = node_arrays.pop("diam", None)

    # -- mechanisms --------------------------------------------------------------------------
    mechs: list[Mechanism] = []
    pnt_count = 0
    for info, n in zip(infos, counts, strict=True):
        m = _read_mechanism(f, info, n, nnode)
        if info.record.is_point:
            m.pnt_offset = pnt_count
            pnt_count += n
        mechs.append(m)

    # -- spike sources -----------------------------------------------------------------------
    output_vindex = f.array(np.int32, n_presyn, "output_vindex")
    threshold = f.array(np.float64, n_real_gid, "output_threshold")
    # -- NetCons -----------------------------------------------------------------------------
    pnttype = f.array(np.int32, n_netcon, "netcon_pnttype")
    pntindex = f.array(np.int32, n_netcon, "netcon_pntindex")
    weights = f.array(np.float64, nweight, "weights")
    delay = f.array(np.float64, n_netcon, "delays")

    # -- BBCOREPOINTER -----------------------------------------------------------------------
    type_to_mech = {m.type: k for k, m in enumerate(mechs)}
    nbcp = f.int("the number of BBCOREPOINTER records", minimum=0)
    bbcp: list[tuple[int, np.ndarray, np.ndarray]] = []
    for r in range(nbcp):
        start = f.offset
        btype = f.int(f"the mechanism type of BBCOREPOINTER record {r + 1}")
        if btype not in type_to_mech:
            raise f.error(f"BBCOREPOINTER record for mechanism type {btype}, which this group "
                          "does not have", start)
        if any(k == type_to_mech[btype] for k, _, _ in bbcp):
            raise f.error(f"a second BBCOREPOINTER record for {mechs[type_to_mech[btype]].name}",
                          start)
        icnt = f.int("icnt", minimum=0)
        dcnt = f.int("dcnt", minimum=0)
        ia = f.array(np.int32, icnt, "BBCOREPOINTER integers") if icnt else np.zeros(0, np.int32)
        da = (f.array(np.float64, dcnt, "BBCOREPOINTER doubles") if dcnt
              else np.zeros(0, np.float64))
        bbcp.append((type_to_mech[btype], ia, da))

    # -- VecPlay -----------------------------------------------------------------------------
    nplay = f.int("the number of VecPlay instances", minimum=0)
    plays: list[VecPlay] = []
    for _ in range(nplay):
        start = f.offset
        vtype = f.int("the VecPlay type")
        if vtype != _VECPLAY_CONTINUOUS:
            raise f.error(f"VecPlay type {vtype}: only VecPlayContinuous (4) is supported",
                          start)
        start = f.offset
        mtype = f.int("the VecPlay mechanism type")
        if mtype not in type_to_mech:
            raise f.error(f"VecPlay into mechanism type {mtype}, which this group does not have",
                          start)
        target = mechs[type_to_mech[mtype]]
        start = f.offset
        ix = f.int("the VecPlay variable index")
        if not (0 <= ix < target.n * target.psize) or target.kind == "artificial_cell":
            raise f.error(f"VecPlay index {ix} is outside the data of {target.name} "
                          f"({target.n} x {target.psize})", start)
        sz = f.int("the VecPlay size", minimum=0)
        y = f.array(np.float64, sz, "VecPlay y values")
        t = f.array(np.float64, sz, "VecPlay t values")
        if not np.isfinite(t).all():
            raise f.error("VecPlay t values must be finite numbers")
        plays.append(VecPlay(type_to_mech[mtype], int(target.legacy_to_flat(ix)), y, t))
    f.expect_eof("the VecPlay records (a checkpoint's state section is not read)")

    # -- resolve and validate everything that refers to something else ------------------------
    _resolve_pdata(f, mechs, type_to_mech, nnode, ndiam)
    vdata_kind, vdata_mech, vdata_inst = _vdata_table(f, mechs, nvdata)
    presyn_mech, presyn_inst = _check_presyns(f, p1, output_vindex, threshold, n_real_gid,
                                              nnode, mechs, type_to_mech)
    if not (n_real_gid <= ngid <= n_presyn):
        raise f.error(f"ngid {ngid} must lie between n_real_gid {n_real_gid} and the "
                      f"{n_presyn} spike sources")
    target_mech, target_pnt, weight_index = _check_netcons(
        f, pnttype, pntindex, weights, delay, mechs, type_to_mech)

    return Group(
        id=group_id, n_real_cell=n_real_cell, ngid=ngid, n_real_gid=n_real_gid, nnode=nnode,
        parent=parent_full, a=node_arrays["a"], b=node_arrays["b"], area=node_arrays["area"],
        v=node_arrays["v"], diam=diam, mechanisms=mechs, nvdata=nvdata,
        vdata_kind=vdata_kind, vdata_mech=vdata_mech, vdata_instance=vdata_inst,
        output_gid=p1.output_gid, output_vindex=output_vindex, threshold=threshold,
        presyn_mech=presyn_mech, presyn_instance=presyn_inst,
        netcon_srcgid=p1.netcon_srcgid, netcon_pnttype=pnttype, netcon_pntindex=pntindex,
        netcon_target_mech=target_mech, netcon_target_pnt=target_pnt, weights=weights,
        weight_index=weight_index, delay=delay, bbcorepointer=bbcp, vecplay=plays)


def p1_name(path: Path) -> str:
    return path.name.replace("_2.dat", "_1.dat")


def _check_tree(f: FileCursor, parent: np.ndarray, ncell: int, nnode: int, start: int) -> None:
    """Every non-root node's parent is an earlier node: the nodes form a forest of cells."""
    idx = np.arange(ncell, nnode, dtype=np.int64)
    p = parent[ncell:nnode]
    bad = np.flatnonzero((p < 0) | (p >= idx))
    if bad.size:
        i = int(idx[bad[0]])
        raise f.error(
            f"v_parent_index: node {i} has parent {int(parent[i])}; every node after the "
            f"{ncell} roots needs a parent in 0..{i - 1} (not a tree)", start + 4 * i)


def _read_mechanism(f: FileCursor, info: MechInfo, n: int, nnode: int) -> Mechanism:
    rec = info.record
    name = rec.name
    psize, dpsize = rec.psize, rec.dpsize
    pn = padded(n)
    nodeindices = None
    if not rec.is_art:
        nodeindices = f.array(np.int32, n, f"the node indices of {name}")
        if n:
            bad = np.flatnonzero((nodeindices < 0) | (nodeindices >= nnode))
            if bad.size:
                raise f.error(f"{name} instance {int(bad[0])} is on node "
                              f"{int(nodeindices[bad[0]])}, outside 0..{nnode - 1}",
                              f.array_start + 4 * int(bad[0]))
            bad = np.flatnonzero(np.diff(nodeindices) < 0)
            if bad.size:
                raise f.error(f"the node indices of {name} decrease at instance "
                              f"{int(bad[0]) + 1}; NEURON writes them in ascending order",
                              f.array_start + 4 * (int(bad[0]) + 1))
    from .. import _core  # the compiled layout helpers

    f.need(n * (8 * psize + 4 * dpsize), f"the data of {n} instances of {name}")
    data = aligned_zeros(pn * psize, np.float64)
    dims = rec.dims
    offs = np.concatenate(([0], np.cumsum(dims)[:-1])).astype(int) if dims else []
    scalar_only = all(d == 1 for d in dims)
    per_chunk = max(1, _CHUNK_BYTES // max(1, 8 * psize))
    what = f"the data of {name}"
    for i0, piece in f.raw_chunks(np.float64, n * psize, what, per_chunk * psize):
        rows = piece.reshape(-1, psize) if psize else piece.reshape(0, 0)
        k = len(rows)
        inst0 = i0 // psize if psize else 0
        if scalar_only:  # transposed in C, NaNs found on the way
            bad = _core.fields_from_rows(np.ascontiguousarray(rows), data, pn, inst0)
        else:
            nans = np.flatnonzero(np.isnan(rows).ravel())
            bad = int(nans[0]) if nans.size else -1
        if bad >= 0:
            r, c = divmod(bad, psize)
            raise f.error(f"{name} instance {inst0 + r} has NaN in column {c} "
                          f"({_var_at(info, c)})", f.array_start + 8 * ((inst0 + r) * psize + c))
        if not scalar_only:
            for off, dim in zip(offs, dims, strict=True):
                block = data[pn * off : pn * (off + dim)].reshape(pn, dim)
                block[inst0 : inst0 + k] = rows[:, off : off + dim]
    pdata = aligned_zeros(pn * dpsize, np.int32).reshape(dpsize, pn)
    pointer_type = None
    nmodlrandom = None
    if dpsize:
        per_chunk = max(1, _CHUNK_BYTES // (4 * dpsize))
        for i0, piece in f.raw_chunks(np.int32, n * dpsize, f"the dparams of {name}",
                                      per_chunk * dpsize):
            rows = piece.reshape(-1, dpsize)
            pdata[:, i0 // dpsize : i0 // dpsize + len(rows)] = rows.T
        nptr_slots = sum(1 for _, s in info.dparam if s == "pointer")
        start = f.offset
        npointer = f.int(f"npointer of {name}", minimum=0)
        if npointer != n * nptr_slots:
            raise f.error(f"npointer of {name} is {npointer}, expected {n} instances x "
                          f"{nptr_slots} POINTER slots = {n * nptr_slots}", start)
        if npointer:
            p2t = f.array(np.int32, npointer, f"pointer2type of {name}")
            pointer_type = np.ascontiguousarray(p2t.reshape(n, nptr_slots).T)
        start = f.offset
        nrand = f.int(f"nmodlrandom of {name}", minimum=0)
        if nrand:
            nmodlrandom = f.array(np.uint32, nrand, f"nmodlrandom of {name}")
            _check_random(f, info, n, nmodlrandom, start)
        elif any(s == "random" for _, s in info.dparam) and n:
            raise f.error(f"{name} declares RANDOM variables but nmodlrandom is 0", start)
    return Mechanism(
        name=name, type=rec.type, kind=info.kind, n=n, padded=pn, psize=psize, dpsize=dpsize,
        variables=info.variables, semantics=tuple(s for _, s in info.dparam), data=data,
        pdata=pdata, nodeindices=nodeindices, pointer_type=pointer_type,
        nmodlrandom=nmodlrandom, net_receive_args=info.net_receive_args)


def _var_at(info: MechInfo, col: int) -> str:
    off = 0
    for name, dim in info.variables:
        if col < off + dim:
            return name if dim == 1 else f"{name}[{col - off}]"
        off += dim
    return "?"


def _check_random(f: FileCursor, info: MechInfo, n: int, r: np.ndarray, start: int) -> None:
    """nmodlrandom = R, R dparam slots, then 5 words per (variable, instance): 1 + R + 5Rn."""
    name = info.name
    nvar = int(r[0])
    slots = [k for k, (_, s) in enumerate(info.dparam) if s == "random"]
    if nvar != len(slots) or len(r) != 1 + nvar + 5 * nvar * n:
        raise f.error(f"nmodlrandom of {name} has {len(r)} words for {nvar} RANDOM variables "
                      f"and {n} instances; expected 1 + R + 5*R*n with R = {len(slots)}", start)
    if sorted(int(x) for x in r[1 : 1 + nvar]) != slots:
        raise f.error(f"nmodlrandom of {name} names dparam slots {list(r[1:1 + nvar])}, but "
                      f"its RANDOM slots are {slots}", start)


def _resolve_pdata(f: FileCursor, mechs: list[Mechanism], type_to_mech: dict[int, int],
                   nnode: int, ndiam: int) -> None:
    """Turn every dparam that designates data into an index into its final array."""
    where = f"{f.path}"
    for m in mechs:
        n = m.n
        if not n:
            continue
        art = m.kind == "artificial_cell" or m.nodeindices is None
        ptr_slot = 0
        for s, sem in enumerate(m.semantics):
            row = m.pdata[s, :n]
            kind = semantics_kind(sem)
            if kind == "area":
                if art:
                    continue  # -1: artificial cells have no node
                _in_range(where, m, s, row, 0, nnode, "node")
            elif kind == "diam":
                if not ndiam:
                    raise DatasetError(f"{where}: {m.name} has a diam dparam but the group has "
                                       "no diam array (ndiam 0)")
                _in_range(where, m, s, row, 0, nnode, "node")
            elif kind == "ion":
                ion_name = sem
                ion = next((x for x in mechs if x.name == ion_name), None)
                if ion is None or not ion.n:
                    raise DatasetError(f"{where}: {m.name} uses {ion_name} but the group has no "
                                       f"{ion_name} instances")
                if mechs.index(ion) > mechs.index(m):
                    # Mechanisms run in list order; an ion must be computed before its users.
                    raise DatasetError(f"{where}: {m.name} comes before {ion_name}, which it "
                                       "uses, in the mechanism list")
                _in_range(where, m, s, row, 0, ion.n * ion.psize, f"{ion_name} data index")
                inst = row // ion.psize
                if not art and ion.nodeindices is not None:
                    wrong = np.flatnonzero(ion.nodeindices[inst] != m.nodeindices)
                    if wrong.size:
                        i = int(wrong[0])
                        raise DatasetError(
                            f"{where}: {m.name} instance {i} (node {int(m.nodeindices[i])}) "
                            f"refers to {ion_name} instance {int(inst[i])} on node "
                            f"{int(ion.nodeindices[inst[i]])}; an ion is always on the same node")
                m.pdata[s, :n] = ion.legacy_to_flat(row)
            elif kind == "pointer":
                if m.pointer_type is None:
                    raise DatasetError(f"{where}: {m.name} has POINTER slots but no pointer2type")
                ptypes = m.pointer_type[ptr_slot]
                ptr_slot += 1
                out = row.astype(np.int64)
                for pt in distinct(ptypes):
                    sel = ptypes == pt
                    if pt in (-1, -2):
                        _in_range(where, m, s, row[sel], 0, nnode, "node")
                        continue
                    if int(pt) not in type_to_mech:
                        raise DatasetError(f"{where}: a POINTER of {m.name} points into mechanism "
                                           f"type {int(pt)}, which this group does not have")
                    tgt = mechs[type_to_mech[int(pt)]]
                    if tgt.kind == "artificial_cell":
                        raise DatasetError(f"{where}: a POINTER of {m.name} points into the "
                                           f"artificial cell {tgt.name}")
                    _in_range(where, m, s, row[sel], 0, tgt.n * tgt.psize,
                              f"{tgt.name} data index")
                    out[sel] = tgt.legacy_to_flat(row[sel])
                m.pdata[s, :n] = out
            elif kind in ("iontype", "ionstyle", "watch", "fornetcon"):
                continue  # values, or run-time state
            # vdata slots are checked by _vdata_table


def _in_range(where: str, m: Mechanism, slot: int, row: np.ndarray, lo: int, hi: int,
              what: str) -> None:
    bad = np.flatnonzero((row < lo) | (row >= hi))
    if bad.size:
        i = int(bad[0])
        raise DatasetError(
            f"{where}: dparam {slot} ({m.semantics[slot]}) of {m.name} instance {i} is "
            f"{int(row[i])}, outside the {what} range {lo}..{hi - 1}")


def _vdata_table(f: FileCursor, mechs: list[Mechanism], nvdata: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Who owns each vdata slot; every slot index in range and used at most once."""
    # NEURON hands out vdata slots densely, so their number is known from the mechanisms.
    expect = sum(m.n * sum(1 for s in m.semantics if s in VDATA_SEMANTICS) for m in mechs)
    if nvdata != expect:
        raise f.error(f"nvdata is {nvdata} but the mechanisms' pntproc, netsend, "
                      f"bbcorepointer and random slots number {expect}")
    kind = np.zeros(nvdata, np.int8)
    owner = np.full(nvdata, -1, np.int32)
    inst = np.full(nvdata, -1, np.int32)
    for k, m in enumerate(mechs):
        for s, sem in enumerate(m.semantics):
            if sem not in VDATA_SEMANTICS or not m.n:
                continue
            row = m.pdata[s, : m.n]
            _in_range(str(f.path), m, s, row, 0, nvdata, f"vdata slot (nvdata {nvdata})")
            taken = owner[row] != -1
            if taken.any() or np.bincount(row).max() > 1:
                if taken.any():
                    i = int(np.flatnonzero(taken)[0])
                else:  # the second instance holding a slot that an earlier one holds
                    dup = int(np.flatnonzero(np.bincount(row) > 1)[0])
                    i = int(np.flatnonzero(row == dup)[1])
                raise f.error(f"vdata slot {int(row[i])} of {m.name} instance {i} is used twice")
            kind[row] = VDATA_KINDS.index(sem)
            owner[row] = k
            inst[row] = np.arange(m.n, dtype=np.int32)
    return kind, owner, inst


def _check_presyns(f: FileCursor, p1: Phase1, vindex: np.ndarray, threshold: np.ndarray,
                   n_real_gid: int, nnode: int, mechs: list[Mechanism],
                   type_to_mech: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    n = len(vindex)
    pm = np.full(n, -1, np.int32)
    pi = vindex.copy()
    real = vindex[:n_real_gid]
    bad = np.flatnonzero((real < -1) | (real >= nnode))
    if bad.size:
        k = int(bad[0])
        raise f.error(f"output_vindex: voltage spike source {k} watches node {int(real[k])}, "
                      f"outside 0..{nnode - 1}")
    bad = np.flatnonzero(~np.isfinite(threshold))
    if bad.size:
        raise f.error(f"output_threshold of spike source {int(bad[0])} is "
                      f"{threshold[bad[0]]}, not a finite number")
    bad = np.flatnonzero((real >= 0) & (p1.output_gid[:n_real_gid] < 0))
    if bad.size:
        raise f.error(f"voltage spike source {int(bad[0])} has no gid "
                      f"({int(p1.output_gid[bad[0]])}) in {p1_name(f.path)}")
    art = vindex[n_real_gid:].astype(np.int64)
    if art.size:
        if (art >= 0).any():
            k = n_real_gid + int(np.flatnonzero(art >= 0)[0])
            raise f.error(f"output_vindex: spike source {k} comes after the {n_real_gid} voltage "
                          f"sources but names node {int(vindex[k])} instead of an artificial "
                          "cell")
        index, mtype = np.divmod(-art, 1000)
        for t in distinct(mtype):
            sel = np.flatnonzero(mtype == t)
            k0 = n_real_gid + int(sel[0])
            if int(t) not in type_to_mech:
                raise f.error(f"output_vindex: spike source {k0} belongs to mechanism type "
                              f"{int(t)}, which this group does not have")
            mk = type_to_mech[int(t)]
            m = mechs[mk]
            if m.pnt_offset < 0:
                raise f.error(f"output_vindex: spike source {k0} belongs to {m.name}, which is "
                              "not a point process")
            over = sel[index[sel] >= m.n]
            if over.size:
                k = n_real_gid + int(over[0])
                raise f.error(f"output_vindex: spike source {k} is {m.name} instance "
                              f"{int(index[over[0]])}, but there are {m.n}")
            pm[n_real_gid + sel] = mk
            pi[n_real_gid + sel] = index[sel]
        gids = p1.output_gid[n_real_gid:]
        bad = np.flatnonzero((gids < -1) & (gids != vindex[n_real_gid:]))
        if bad.size:
            k = n_real_gid + int(bad[0])
            raise f.error(f"spike source {k} has output_gid {int(p1.output_gid[k])} in "
                          f"{p1_name(f.path)} but output_vindex {int(vindex[k])}; they must agree")
    return pm, pi


def _check_netcons(f: FileCursor, pnttype: np.ndarray, pntindex: np.ndarray,
                   weights: np.ndarray, delay: np.ndarray, mechs: list[Mechanism],
                   type_to_mech: dict[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(pnttype)
    tm = np.full(n, -1, np.int32)
    tp = np.full(n, -1, np.int32)
    nrecv = np.ones(n, np.int64)  # a NetCon without target has one weight
    unknown: list[int] = []
    for t in distinct(pnttype):
        sel = np.flatnonzero(pnttype == t)
        if t == 0:
            continue
        if int(t) not in type_to_mech:
            raise f.error(f"NetCon {int(sel[0])} targets mechanism type {int(t)}, which this "
                          "group does not have")
        mk = type_to_mech[int(t)]
        m = mechs[mk]
        if m.pnt_offset < 0:
            raise f.error(f"NetCon {int(sel[0])} targets {m.name}, which is not a point process")
        idx = pntindex[sel]
        bad = np.flatnonzero((idx < 0) | (idx >= m.n))
        if bad.size:
            raise f.error(f"NetCon {int(sel[bad[0]])} targets {m.name} instance "
                          f"{int(idx[bad[0]])}, outside 0..{m.n - 1}")
        tm[sel] = mk
        tp[sel] = m.pnt_offset + idx
        if m.net_receive_args is None:
            unknown.append(mk)
        else:
            nrecv[sel] = m.net_receive_args
    if unknown:
        # NET_RECEIVE argument counts are not in the dataset. Without them from the
        # translator, the one unknown count that makes the weights add up is unique only when
        # a single target type lacks it.
        if len(unknown) > 1:
            names = ", ".join(mechs[k].name for k in unknown)
            raise DatasetError(f"{f.path}: the NET_RECEIVE argument counts of {names} are "
                               "needed to split the NetCon weights; the mechanism descriptors "
                               "lack 'net_receive_args'")
        mk = unknown[0]
        sel = tm == mk
        rest = len(weights) - int(nrecv[~sel].sum())
        cnt = int(sel.sum())
        if rest <= 0 or rest % cnt:
            raise f.error(f"{len(weights)} NetCon weights cannot be split among the NetCons "
                          f"({cnt} of them target {mechs[mk].name})")
        nrecv[sel] = rest // cnt
    weight_index = np.zeros(n, np.int32)
    if n:
        csum = np.cumsum(nrecv)
        weight_index[1:] = csum[:-1]
        total = int(csum[-1])
    else:
        total = 0
    if total != len(weights):
        raise f.error(f"the NetCons' targets take {total} weights but nweight is "
                      f"{len(weights)}")
    bad = np.flatnonzero(~np.isfinite(weights))
    if bad.size:
        raise f.error(f"NetCon weight {int(bad[0])} is {weights[bad[0]]}, not a finite number")
    bad = np.flatnonzero(~(np.isfinite(delay) & (delay >= 0)))
    if bad.size:
        raise f.error(f"the delay of NetCon {int(bad[0])} is {delay[bad[0]]}; it must be a "
                      "finite number >= 0")
    return tm, tp, weight_index
