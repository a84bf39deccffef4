"""Split a group into several blocks of whole cells, so that every thread has work even when
NEURON wrote the model as one group (issue 6).

A block is an ordinary :class:`~pycoreneuron.io.model.Group`, as the reader makes one, holding a
subset of the group's cells with every index renumbered. What must stay together stays together:

- a cell's nodes and every mechanism instance on them;
- cells joined by a gap junction inside the group, or by a POINTER into another cell;
- a spike source without a gid (a NetStim driving a synapse) and every NetCon target it drives,
  since spikes cross blocks only by gid, between windows;
- a NetCon's source and target when its delay is shorter than ``keep_together_below`` (one
  step): a spike must not have to cross blocks faster than a window.

An artificial cell with a gid joins the block of the first cell it drives, so its NetCons do
not shorten the window. The rest is balanced by cost (compartments plus mechanism instances),
largest first into the lightest block.

Bit-identity: blocks keep every ordering that the arithmetic depends on. Nodes are the block's
roots in the group's order, then its other nodes in the group's order, so each cell's node order
(and so the Hines elimination order) is unchanged; instances keep their order within each
mechanism, and mechanisms their list order, so every node sums its currents in the same order;
NetCons, spike sources, vdata slots and VecPlays keep their relative order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import NotSupportedError
from ..io.catalogue import VDATA_SEMANTICS, semantics_kind
from ..io.model import GapData, Group, Mechanism, VecPlay
from ..io.text import aligned_zeros, padded

# Artificial-cell spike sources are coded -(type + 1000 * instance) in output_vindex (and in
# output_gid and netcon_srcgid when they have no gid), as NEURON writes them.
_ART_CODE = 1000


def split_groups(groups: Sequence[Group], nblocks: int, *,
                 keep_together_below: float = 0.0) -> list[Group]:
    """Every group split into at most ``nblocks`` blocks of whole cells, in group order.

    ``groups`` are the groups read together (their ``netcon_src_group`` index this list); the
    result is a new such list: each NetCon's ``netcon_src_group``/``netcon_src_index`` name the
    block and spike source of its source when that source is in one of the blocks, and keep -1
    (an input from outside) or -2 (no source) otherwise. A group with one component (or
    ``nblocks`` 1) is kept as it is, the same object.
    """
    if nblocks < 1:
        raise ValueError(f"nblocks must be >= 1, got {nblocks}")
    parts = [_split(g, k, nblocks, keep_together_below) for k, g in enumerate(groups)]
    offsets = np.concatenate(([0], np.cumsum([len(p.blocks) for p in parts])))
    if offsets[-1] == len(groups):  # nothing split: the groups as they are
        return list(groups)
    out: list[Group] = []
    for p in parts:
        for block, netcons in zip(p.blocks, p.netcons, strict=True):
            if block is p.group:  # kept whole: a copy, so the caller's group is unchanged
                block = dataclasses.replace(block)
            if block.netcon_src_group is not None:
                _resolve_sources(block, netcons, p.group, parts, offsets)
            out.append(block)
    return out


def split_group(group: Group, nblocks: int, *, keep_together_below: float = 0.0) -> list[Group]:
    """One group read alone (its NetCon sources are in itself or outside) split into blocks."""
    src = group.netcon_src_group
    if src is not None and (np.asarray(src) > 0).any():
        raise ValueError("this group's NetCons have sources in other groups: use split_groups "
                         "with every group read")
    return split_groups([group], nblocks, keep_together_below=keep_together_below)


def blocks_per_group(nthreads: int, ngroups: int) -> int:
    """Blocks each group is split into so that ``nthreads`` threads all have work."""
    return max(1, -(-max(1, nthreads) // max(1, ngroups)))


# -- where everything goes ------------------------------------------------------------------------


@dataclass
class _Split:
    group: Group
    blocks: list[Group]
    netcons: list[np.ndarray]  # per block: the group's NetCons it holds, in order
    presyn_block: np.ndarray  # per spike source of the group: its block
    presyn_index: np.ndarray  # and its index there


class _Items:
    """Union-find over the units that cannot be divided: cells (0..ncell-1), then artificial
    cell instances (ncell + art_start[k] + i)."""

    def __init__(self, group: Group) -> None:
        self.ncell = group.n_real_cell
        self.art_start: dict[int, int] = {}
        total = self.ncell
        for k, m in enumerate(group.mechanisms):
            if m.nodeindices is None:
                self.art_start[k] = total
                total += m.n
        self.parent = np.arange(total, dtype=np.int64)
        self.cell_of_node = group.cell_of_node() if group.nnode else np.zeros(0, np.int32)
        self.mechs = group.mechanisms

    def __len__(self) -> int:
        return len(self.parent)

    def of_instance(self, k: int, inst: np.ndarray) -> np.ndarray:
        """The item of each instance of mechanism k."""
        inst = np.asarray(inst, dtype=np.int64)
        m = self.mechs[k]
        if m.nodeindices is None:
            return self.art_start[k] + inst
        return self.cell_of_node[m.nodeindices[inst]].astype(np.int64)

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = int(self.parent[root])
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, int(self.parent[x])
        return root

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(int(x)), self.find(int(y))
        if rx != ry:  # the smaller index stays the root: components named by their first item
            self.parent[max(rx, ry)] = min(rx, ry)

    def roots(self) -> np.ndarray:
        return np.array([self.find(i) for i in range(len(self))], dtype=np.int64)


def _instance_of_flat(m: Mechanism, flat: np.ndarray) -> np.ndarray:
    """The instance holding each flat (field-major) index into m.data."""
    flat = np.asarray(flat, dtype=np.int64)
    dims = np.array([d for _, d in m.variables], dtype=np.int64)
    starts = m.padded * m.offsets
    j = np.searchsorted(starts, flat, side="right") - 1
    return (flat - starts[j]) // dims[j]


def _presyn_items(group: Group, items: _Items) -> np.ndarray:
    """The item of every spike source (a real cell's source watches one of its nodes)."""
    out = np.zeros(group.n_presyn, dtype=np.int64)
    for p in range(group.n_presyn):
        k = int(group.presyn_mech[p])
        if k >= 0:
            out[p] = items.of_instance(k, np.array([group.presyn_instance[p]]))[0]
        elif group.output_vindex[p] >= 0:
            out[p] = items.cell_of_node[int(group.output_vindex[p])]
        else:  # a cell without a spike detector: NEURON writes cells and sources in one order
            out[p] = p if p < items.ncell else 0
    return out


def _netcon_target_items(group: Group, items: _Items) -> np.ndarray:
    """The item of every NetCon's target, -1 where it has none."""
    out = np.full(group.n_netcon, -1, dtype=np.int64)
    tm = np.asarray(group.netcon_target_mech)
    for k in np.unique(tm[tm >= 0]):
        sel = np.flatnonzero(tm == k)
        out[sel] = items.of_instance(int(k), group.netcon_pntindex[sel])
    return out


def _local_sources(group: Group, group_index: int) -> np.ndarray:
    """Each NetCon's spike source in this group, -1 where it is elsewhere or absent."""
    if group.netcon_src_group is not None:
        sg = np.asarray(group.netcon_src_group)
        si = np.asarray(group.netcon_src_index, dtype=np.int64)
        return np.where(sg == group_index, si, -1)
    # Not resolved across groups: match gids and gid-less codes among this group's sources.
    lookup = {int(g): p for p, g in enumerate(group.output_gid.tolist()) if g != -1}
    return np.array([lookup.get(int(s), -1) for s in group.netcon_srcgid.tolist()],
                    dtype=np.int64)


def _join(group: Group, items: _Items, presyn_item: np.ndarray, target_item: np.ndarray,
          source: np.ndarray, keep_together_below: float) -> None:
    """Union every pair of items that must share a block, then attach artificial cells."""
    by_type = {m.type: k for k, m in enumerate(group.mechanisms)}
    # Gap junctions with both sides in this group.
    if group.gap is not None and len(group.gap.src_sid) and len(group.gap.tar_sid):
        src_items = _gap_items(group, items, by_type, group.gap.src_type, group.gap.src_index)
        tar_items = _gap_items(group, items, by_type, group.gap.tar_type, group.gap.tar_index)
        where = dict(zip(group.gap.src_sid.tolist(), src_items.tolist(), strict=True))
        for sid, it in zip(group.gap.tar_sid.tolist(), tar_items.tolist(), strict=True):
            if sid in where:
                items.union(where[sid], it)
    # POINTERs into another cell's data or voltage.
    for k, m in enumerate(group.mechanisms):
        if m.pointer_type is None or not m.n:
            continue
        mine = items.of_instance(k, np.arange(m.n))
        slots = [s for s, sem in enumerate(m.semantics) if sem == "pointer"]
        for r, s in enumerate(slots):
            ptypes = m.pointer_type[r]
            row = m.pdata[s, : m.n].astype(np.int64)
            theirs = np.empty(m.n, np.int64)
            for pt in np.unique(ptypes):
                sel = ptypes == pt
                if pt in (-1, -2):
                    theirs[sel] = items.cell_of_node[row[sel]]
                else:
                    tk = by_type[int(pt)]
                    theirs[sel] = items.of_instance(tk, _instance_of_flat(
                        group.mechanisms[tk], row[sel]))
            for a, b in zip(mine.tolist(), theirs.tolist(), strict=True):
                items.union(a, b)
    # Gid-less sources with their targets; short NetCons with both ends.
    gids = np.asarray(group.output_gid, dtype=np.int64)
    for c in np.flatnonzero((source >= 0) & (target_item >= 0)).tolist():
        p = int(source[c])
        if gids[p] < 0 or group.delay[c] < keep_together_below:
            items.union(presyn_item[p], target_item[c])
    # An artificial cell with a gid, on its own so far, joins the first item it drives.
    roots = items.roots()
    sizes = np.bincount(roots, minlength=len(items))
    for c in np.flatnonzero((source >= 0) & (target_item >= 0)).tolist():
        it = int(presyn_item[source[c]])
        if it >= items.ncell and roots[it] == it and sizes[it] == 1:
            items.union(it, target_item[c])
            sizes[it] = 0  # attached once


def _gap_items(group: Group, items: _Items, by_type: dict[int, int], types: np.ndarray,
               index: np.ndarray) -> np.ndarray:
    out = np.empty(len(types), np.int64)
    for t in np.unique(types):
        sel = types == t
        if t == -1:
            out[sel] = items.cell_of_node[index[sel]]
        else:
            k = by_type[int(t)]
            out[sel] = items.of_instance(k, _instance_of_flat(group.mechanisms[k], index[sel]))
    return out


def _costs(group: Group, items: _Items) -> np.ndarray:
    """Compartments plus mechanism instances of each item."""
    cost = np.zeros(len(items), np.int64)
    if items.ncell:
        cost[: items.ncell] = np.bincount(items.cell_of_node, minlength=items.ncell)
    for k, m in enumerate(group.mechanisms):
        if m.n:
            cost += np.bincount(items.of_instance(k, np.arange(m.n)), minlength=len(items))
    return cost


def _assign(roots: np.ndarray, cost: np.ndarray, nblocks: int) -> tuple[np.ndarray, int]:
    """Components to blocks, largest first into the lightest (LPT); blocks numbered by their
    first item so that block 0 holds cell 0."""
    comps, inverse = np.unique(roots, return_inverse=True)
    comp_cost = np.bincount(inverse, weights=cost, minlength=len(comps))
    nb = min(nblocks, len(comps))
    load = np.zeros(nb)
    comp_block = np.zeros(len(comps), np.int64)
    for c in np.argsort(-comp_cost, kind="stable").tolist():
        b = int(np.argmin(load))
        comp_block[c] = b
        load[b] += comp_cost[c]
    block = comp_block[inverse]
    first = np.full(nb, len(roots), np.int64)
    np.minimum.at(first, block, np.arange(len(roots)))
    rank = np.empty(nb, np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(nb)
    return rank[block], nb


def _split(group: Group, group_index: int, nblocks: int, keep_together_below: float
           ) -> _Split:
    identity = _Split(group, [group], [np.arange(group.n_netcon)],
                      np.zeros(group.n_presyn, np.int64), np.arange(group.n_presyn))
    if nblocks == 1:
        return identity
    items = _Items(group)
    if len(items) < 2:
        return identity
    presyn_item = _presyn_items(group, items)
    target_item = _netcon_target_items(group, items)
    source = _local_sources(group, group_index)
    _join(group, items, presyn_item, target_item, source, keep_together_below)
    item_block, nb = _assign(items.roots(), _costs(group, items), nblocks)
    if nb < 2:
        return identity
    if group.bbcorepointer:
        raise NotSupportedError(f"group {group.id}: BBCOREPOINTER data cannot be split into "
                                "blocks")

    presyn_block = item_block[presyn_item]
    # NetCons go with their target; those without one with their source, else to block 0.
    netcon_block = np.where(target_item >= 0, item_block[np.maximum(target_item, 0)], 0)
    no_target = (target_item < 0) & (source >= 0)
    netcon_block[no_target] = presyn_block[source[no_target]]

    presyn_index = np.zeros(group.n_presyn, np.int64)
    for b in range(nb):
        sel = np.flatnonzero(presyn_block == b)
        presyn_index[sel] = np.arange(len(sel))
    builder = _BlockBuilder(group, items, item_block, presyn_block, presyn_index, source)
    blocks, netcons = [], []
    for b in range(nb):
        nc = np.flatnonzero(netcon_block == b)
        blocks.append(builder.build(b, nc))
        netcons.append(nc)
    return _Split(group, blocks, netcons, presyn_block, presyn_index)


def _resolve_sources(block: Group, netcons: np.ndarray, group: Group, parts: list[_Split],
                     offsets: np.ndarray) -> None:
    sg = np.asarray(group.netcon_src_group)[netcons].astype(np.int64)
    si = np.asarray(group.netcon_src_index)[netcons].astype(np.int64)
    new_g = sg.copy()
    new_i = si.copy()
    for g in np.unique(sg[sg >= 0]).tolist():
        sel = sg == g
        new_g[sel] = offsets[g] + parts[g].presyn_block[si[sel]]
        new_i[sel] = parts[g].presyn_index[si[sel]]
    block.netcon_src_group = new_g.astype(np.int32)
    block.netcon_src_index = new_i.astype(np.int32)


# -- building one block ---------------------------------------------------------------------------


def _padded_copy(values: np.ndarray, dtype: type) -> np.ndarray:
    out = aligned_zeros(padded(len(values)), dtype)
    out[: len(values)] = values
    return out


class _BlockBuilder:
    """Renumbers the group's nodes, instances, vdata slots and spike sources into block b."""

    def __init__(self, group: Group, items: _Items, item_block: np.ndarray,
                 presyn_block: np.ndarray, presyn_index: np.ndarray, source: np.ndarray) -> None:
        self.g = group
        self.items = items
        self.item_block = item_block
        self.presyn_block = presyn_block
        self.presyn_index = presyn_index
        self.source = source
        self.node_block = item_block[items.cell_of_node] if group.nnode else \
            np.zeros(0, np.int64)
        self.instance_block = [item_block[items.of_instance(k, np.arange(m.n))]
                               for k, m in enumerate(group.mechanisms)]
        self.by_type = {m.type: k for k, m in enumerate(group.mechanisms)}

    def build(self, b: int, netcons: np.ndarray) -> Group:
        g = self.g
        ncell = g.n_real_cell
        cells = np.flatnonzero(self.item_block[:ncell] == b)
        rest = ncell + np.flatnonzero(self.node_block[ncell : g.nnode] == b)
        nodes = np.concatenate((cells, rest)).astype(np.int64)
        node_new = np.full(g.nnode, -1, np.int64)
        node_new[nodes] = np.arange(len(nodes))
        self.node_new = node_new
        self.inst_new: list[np.ndarray] = []
        self.inst_sel: list[np.ndarray] = []
        for blk in self.instance_block:
            sel = np.flatnonzero(blk == b)
            new = np.full(len(blk), -1, np.int64)
            new[sel] = np.arange(len(sel))
            self.inst_sel.append(sel)
            self.inst_new.append(new)

        parent = g.parent[nodes].astype(np.int64)
        parent[len(cells):] = node_new[parent[len(cells):]]
        parent[: len(cells)] = np.minimum(parent[: len(cells)], 0)  # roots: as written (0)

        # vdata slots of the block's instances, in the group's slot order.
        owner = g.vdata_mech.astype(np.int64)
        inst = g.vdata_instance.astype(np.int64)
        slot_block = np.full(g.nvdata, -1, np.int64)
        used = owner >= 0
        for k in np.unique(owner[used]).tolist():
            sel = np.flatnonzero(owner == k)
            slot_block[sel] = self.instance_block[k][inst[sel]]
        slots = np.flatnonzero(slot_block == b)
        self.slot_new = np.full(g.nvdata, -1, np.int64)
        self.slot_new[slots] = np.arange(len(slots))
        vdata_instance = np.full(len(slots), -1, np.int32)
        for k in np.unique(owner[slots]).tolist():
            sel = owner[slots] == k
            vdata_instance[sel] = self.inst_new[k][inst[slots][sel]]

        mechanisms = []
        pnt = 0
        for k, m in enumerate(g.mechanisms):
            nm = self._mechanism(k, m)
            if m.pnt_offset >= 0:
                nm.pnt_offset = pnt
                pnt += nm.n
            mechanisms.append(nm)

        presyns = np.flatnonzero(self.presyn_block == b)
        fields = self._presyns(presyns, mechanisms)
        return Group(
            id=g.id, n_real_cell=len(cells),
            ngid=int(np.count_nonzero(presyns < g.ngid)),
            n_real_gid=int(np.count_nonzero(presyns < g.n_real_gid)), nnode=len(nodes),
            parent=_padded_copy(parent, np.int32), a=_padded_copy(g.a[nodes], np.float64),
            b=_padded_copy(g.b[nodes], np.float64),
            area=_padded_copy(g.area[nodes], np.float64),
            v=_padded_copy(g.v[nodes], np.float64),
            diam=None if g.diam is None else _padded_copy(g.diam[nodes], np.float64),
            mechanisms=mechanisms, nvdata=len(slots),
            vdata_kind=g.vdata_kind[slots].copy(), vdata_mech=g.vdata_mech[slots].copy(),
            vdata_instance=vdata_instance,
            **fields, **self._netcons(netcons, mechanisms, presyns),
            bbcorepointer=[], vecplay=self._vecplay(b), gap=self._gap(b))

    # Flat indices into mechanism data: (field j, instance i, element) keeps j and the element.
    def _flat(self, k: int, flat: np.ndarray) -> np.ndarray:
        m = self.g.mechanisms[k]
        flat = np.asarray(flat, dtype=np.int64)
        dims = np.array([d for _, d in m.variables], dtype=np.int64)
        offs = m.offsets.astype(np.int64)
        j = np.searchsorted(m.padded * offs, flat, side="right") - 1
        rem = flat - m.padded * offs[j]
        inst, elem = np.divmod(rem, dims[j])
        new = self.inst_new[k][inst]
        if (new < 0).any():
            raise AssertionError(f"{m.name}: an index into another block's instance")
        return padded(len(self.inst_sel[k])) * offs[j] + new * dims[j] + elem

    def _nodes(self, nodes: np.ndarray) -> np.ndarray:
        new = self.node_new[np.asarray(nodes, dtype=np.int64)]
        if (new < 0).any():
            raise AssertionError("a node of another block")
        return new

    def _mechanism(self, k: int, m: Mechanism) -> Mechanism:
        sel = self.inst_sel[k]
        n = len(sel)
        pn = padded(n)
        data = aligned_zeros(pn * m.psize, np.float64)
        off = 0
        for _, dim in m.variables:
            old = m.data[m.padded * off : m.padded * (off + dim)].reshape(m.padded, dim)
            data[pn * off : pn * (off + dim)].reshape(pn, dim)[:n] = old[sel]
            off += dim
        pdata = aligned_zeros(pn * m.dpsize, np.int32).reshape(m.dpsize, pn)
        ptr_slot = 0
        for s, sem in enumerate(m.semantics):
            row = m.pdata[s, sel].astype(np.int64)
            kind = semantics_kind(sem)
            if kind in ("area", "diam"):
                new = row if m.nodeindices is None else self._nodes(row)
            elif kind == "ion":
                new = self._flat(self.by_type_name(sem), row) if n else row
            elif sem in VDATA_SEMANTICS:
                new = self.slot_new[row]
            elif kind == "pointer":
                assert m.pointer_type is not None
                ptypes = m.pointer_type[ptr_slot, sel]
                ptr_slot += 1
                new = row.copy()
                for pt in np.unique(ptypes).tolist():
                    psel = ptypes == pt
                    new[psel] = self._nodes(row[psel]) if pt in (-1, -2) else \
                        self._flat(self.by_type[pt], row[psel])
            else:  # values (ion styles) and run-time state (watch, fornetcon)
                new = row
            pdata[s, :n] = new
        return Mechanism(
            name=m.name, type=m.type, kind=m.kind, n=n, padded=pn, psize=m.psize,
            dpsize=m.dpsize, variables=m.variables, semantics=m.semantics, data=data,
            pdata=pdata,
            nodeindices=None if m.nodeindices is None else
            self._nodes(m.nodeindices[sel]).astype(np.int32),
            pnt_offset=m.pnt_offset,
            pointer_type=None if m.pointer_type is None else
            np.ascontiguousarray(m.pointer_type[:, sel]),
            nmodlrandom=self._random(m, sel), net_receive_args=m.net_receive_args)

    def by_type_name(self, name: str) -> int:
        return next(k for k, m in enumerate(self.g.mechanisms) if m.name == name)

    @staticmethod
    def _random(m: Mechanism, sel: np.ndarray) -> np.ndarray | None:
        """nmodlrandom: R, the R slots, then 5 words per (variable, instance)."""
        words = m.nmodlrandom
        if words is None or len(words) == 0:
            return words
        nvar = int(words[0])
        head = words[: 1 + nvar]
        body = words[1 + nvar :].reshape(nvar, m.n, 5)[:, sel]
        return np.concatenate((head, body.reshape(-1))).astype(np.uint32)

    def _art_code(self, k: int, old_inst: int) -> int:
        return -(self.g.mechanisms[k].type + _ART_CODE * int(self.inst_new[k][old_inst]))

    def _presyns(self, presyns: np.ndarray, mechanisms: list[Mechanism]) -> dict:
        g = self.g
        out_gid = g.output_gid[presyns].astype(np.int32)
        vindex = g.output_vindex[presyns].astype(np.int32)
        pmech = g.presyn_mech[presyns].astype(np.int32)
        pinst = g.presyn_instance[presyns].astype(np.int32)
        for r, p in enumerate(presyns.tolist()):
            k = int(g.presyn_mech[p])
            if k >= 0:
                code = self._art_code(k, int(g.presyn_instance[p]))
                if g.output_gid[p] < -1:  # no gid: the code is its name in this group
                    out_gid[r] = code
                vindex[r] = code
                pinst[r] = self.inst_new[k][int(g.presyn_instance[p])]
            elif g.output_vindex[p] >= 0:
                vindex[r] = pinst[r] = self.node_new[int(g.output_vindex[p])]
        threshold = g.threshold[presyns[presyns < g.n_real_gid]].copy()
        return {"output_gid": out_gid, "output_vindex": vindex, "threshold": threshold,
                "presyn_mech": pmech, "presyn_instance": pinst}

    def _netcons(self, nc: np.ndarray, mechanisms: list[Mechanism],
                 presyns: np.ndarray) -> dict:
        g = self.g
        srcgid = g.netcon_srcgid[nc].astype(np.int32)
        for r, c in enumerate(nc.tolist()):
            p = int(self.source[c])
            if srcgid[r] < -1 and p >= 0:  # a gid-less source: renamed with its instance
                srcgid[r] = self._art_code(int(g.presyn_mech[p]), int(g.presyn_instance[p]))
        tm = g.netcon_target_mech[nc].astype(np.int32)
        pntindex = g.netcon_pntindex[nc].astype(np.int32)
        target_pnt = np.full(len(nc), -1, np.int32)
        for k in np.unique(tm[tm >= 0]).tolist():
            sel = tm == k
            pntindex[sel] = self.inst_new[k][pntindex[sel]]
            target_pnt[sel] = mechanisms[k].pnt_offset + pntindex[sel]
        nweight = np.diff(np.append(g.weight_index.astype(np.int64), len(g.weights)))
        counts = nweight[nc]
        weight_index = np.zeros(len(nc), np.int32)
        if len(nc):
            weight_index[1:] = np.cumsum(counts)[:-1]
        starts = g.weight_index[nc].astype(np.int64)
        take = (np.repeat(starts - weight_index, counts) + np.arange(int(counts.sum()))
                if len(nc) else np.zeros(0, np.int64))
        return {
            "netcon_srcgid": srcgid, "netcon_pnttype": g.netcon_pnttype[nc].astype(np.int32),
            "netcon_pntindex": pntindex, "netcon_target_mech": tm,
            "netcon_target_pnt": target_pnt, "weights": g.weights[take].copy(),
            "weight_index": weight_index, "delay": g.delay[nc].copy(),
            # resolved across blocks by split_groups
            "netcon_src_group": None if g.netcon_src_group is None else
            np.asarray(g.netcon_src_group)[nc].copy(),
            "netcon_src_index": None if g.netcon_src_index is None else
            np.asarray(g.netcon_src_index)[nc].copy(),
        }

    def _vecplay(self, b: int) -> list[VecPlay]:
        out = []
        for play in self.g.vecplay:
            m = self.g.mechanisms[play.mech]
            inst = int(_instance_of_flat(m, np.array([play.index]))[0])
            if self.instance_block[play.mech][inst] == b:
                index = int(self._flat(play.mech, np.array([play.index]))[0])
                out.append(VecPlay(play.mech, index, play.y, play.t))
        return out

    def _gap_side(self, b: int, types: np.ndarray, index: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
        """Which entries of one side are in block b, and their indices there."""
        blk = np.empty(len(types), np.int64)
        for t in np.unique(types).tolist():
            sel = types == t
            if t == -1:
                blk[sel] = self.node_block[index[sel]]
            else:
                k = self.by_type[t]
                blk[sel] = self.instance_block[k][_instance_of_flat(self.g.mechanisms[k],
                                                                     index[sel])]
        keep = np.flatnonzero(blk == b)
        new = np.empty(len(keep), np.int64)
        for t in np.unique(types[keep]).tolist():
            sel = types[keep] == t
            new[sel] = self._nodes(index[keep][sel]) if t == -1 else \
                self._flat(self.by_type[t], index[keep][sel])
        return keep, new.astype(np.int32)

    def _gap(self, b: int) -> GapData | None:
        gap = self.g.gap
        if gap is None:
            return None
        src, src_index = self._gap_side(b, gap.src_type, gap.src_index)
        tar, tar_index = self._gap_side(b, gap.tar_type, gap.tar_index)
        return GapData(gap.src_sid[src].copy(), gap.src_type[src].copy(), src_index,
                       gap.tar_sid[tar].copy(), gap.tar_type[tar].copy(), tar_index)


__all__ = ["blocks_per_group", "split_group", "split_groups"]
