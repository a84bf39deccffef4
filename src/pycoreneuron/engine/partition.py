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

Node order: a block's trees are walked breadth first (roots first, in the group's order;
then each level's nodes as the children of the level before, in their parents' order).
Consecutive nodes of one level belong to different cells or branches, so the Hines solve's
chain of divisions runs as many independent chains (vectorised, and overlapped by the
out-of-order core) instead of one per cell. Density mechanism instances follow their nodes,
so their node indices rise through the block.

Bit-identity: blocks keep every ordering that the arithmetic depends on. A node's children
are all one level deeper, and siblings stay in the group's order, so every
diagonal and right-hand side element receives its children's terms in the same order as
before, after its own; instances of point processes keep their order within each mechanism
(a node sums several in that order), mechanisms keep their list order; a density mechanism
has one instance per node, so its order sums nothing. NetCons, spike sources, vdata slots and
VecPlays keep their relative order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from .. import _core
from ..io.catalogue import VDATA_SEMANTICS, semantics_kind
from ..io.model import BlockOrigins, GapData, Group, Mechanism, VecPlay
from ..io.text import aligned_zeros, distinct, padded

# Artificial-cell spike sources are coded -(type + 1000 * instance) in output_vindex (and in
# output_gid and netcon_srcgid when they have no gid), as NEURON writes them.
_ART_CODE = 1000


def split_groups(groups: Sequence[Group], nblocks: int, *,
                 keep_together_below: float = 0.0, consume: bool = False,
                 sort_by_depth: bool = False, interleave: bool = False,
                 ordered: Collection[str] = (), keep_origins: bool = True) -> list[Group]:
    """Every group split into at most ``nblocks`` blocks of whole cells, in group order.

    keep_origins: each rebuilt block carries its items' indices in the group (``origins``,
    what checkpoints and prcellstate files need; a node index each, so off when unused).

    ``groups`` are the groups read together (their ``netcon_src_group`` index this list); the
    result is a new such list: each NetCon's ``netcon_src_group``/``netcon_src_index`` name the
    block and spike source of its source when that source is in one of the blocks, and keep -1
    (an input from outside) or -2 (no source) otherwise. A group with one component (or
    ``nblocks`` 1) is kept as it is, the same object, unless ``sort_by_depth``: then it
    becomes one block, renumbered like any block (nodes sorted by depth). A group with
    BBCOREPOINTER data is always kept whole (its records cannot be divided).

    consume: a group that is split gives up its node arrays (set to None) as soon as its
    blocks have their copies, so the model is held about once, not twice, while splitting.

    ordered: mechanisms whose results depend on the order their instances run in (a GLOBAL
    carried from one instance to the next, see nmodl/thread_globals.py): a group with any of
    them stays one block and keeps their instances in the group's order, as NEURON runs them.

    interleave: nodes in the device layout (cell_interleaved_positions) instead of breadth
    first; each block then carries its ``interleaved`` rows. Like ``sort_by_depth``, every
    group with cells becomes at least one renumbered block.
    """
    if nblocks < 1:
        raise ValueError(f"nblocks must be >= 1, got {nblocks}")
    parts = [_split(g, k, 1 if _has_any(g, ordered) else nblocks, keep_together_below,
                    consume, sort_by_depth, frozenset(ordered), interleave, keep_origins)
             for k, g in enumerate(groups)]
    offsets = np.concatenate(([0], np.cumsum([len(p.blocks) for p in parts])))
    if all(p.blocks[0] is p.group for p in parts):  # nothing rebuilt: the groups as they are
        return list(groups)
    out: list[Group] = []
    for k, p in enumerate(parts):
        for block, netcons in zip(p.blocks, p.netcons, strict=True):
            if block is p.group:  # kept whole: a copy, so the caller's group is unchanged
                block = dataclasses.replace(block)
            block.origin_group = k
            if block.netcon_src_group is not None:
                _resolve_sources(block, netcons, p.group, parts, offsets)
            out.append(block)
    return out


def _has_any(group: Group, names: Collection[str]) -> bool:
    return any(m.name in names and m.n > 0 for m in group.mechanisms)


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
    """The units that cannot be divided: cells (0..ncell-1), then artificial cell instances
    (ncell + art_start[k] + i)."""

    def __init__(self, group: Group) -> None:
        self.ncell = group.n_real_cell
        self.art_start: dict[int, int] = {}
        total = self.ncell
        for k, m in enumerate(group.mechanisms):
            if m.nodeindices is None:
                self.art_start[k] = total
                total += m.n
        self.count = total
        self.cell_of_node = group.cell_of_node() if group.nnode else np.zeros(0, np.int32)
        self.mechs = group.mechanisms

    def __len__(self) -> int:
        return self.count

    def of_instance(self, k: int, inst: np.ndarray) -> np.ndarray:
        """The item of each instance of mechanism k."""
        inst = np.asarray(inst, dtype=np.int64)
        m = self.mechs[k]
        if m.nodeindices is None:
            return self.art_start[k] + inst
        return self.cell_of_node[m.nodeindices[inst]].astype(np.int64)


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of n items joined by edges (a, b): each item's smallest member.

    Hook-and-compress in NumPy (Shiloach-Vishkin): every round hooks the larger root of each
    edge whose ends differ onto the smaller, then compresses every path to its root; the
    number of components with an edge out at least halves each round, so millions of edges
    cost a few dozen array passes and no Python loop per edge.
    """
    root = np.arange(n, dtype=np.int64)
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    while a.size:
        ra, rb = root[a], root[b]
        differ = ra != rb
        if not differ.any():
            break
        a, b, ra, rb = a[differ], b[differ], ra[differ], rb[differ]
        np.minimum.at(root, np.maximum(ra, rb), np.minimum(ra, rb))
        while True:  # compress: every item points at its root
            up = root[root]
            if np.array_equal(up, root):
                break
            root = up
    return root


def _instance_of_flat(m: Mechanism, flat: np.ndarray) -> np.ndarray:
    """The instance holding each flat (field-major) index into m.data."""
    flat = np.asarray(flat, dtype=np.int64)
    dims = np.array([d for _, d in m.variables], dtype=np.int64)
    starts = m.padded * m.offsets
    j = np.searchsorted(starts, flat, side="right") - 1
    return (flat - starts[j]) // dims[j]


def _presyn_items(group: Group, items: _Items) -> np.ndarray:
    """The item of every spike source (a real cell's source watches one of its nodes)."""
    n = group.n_presyn
    pm = np.asarray(group.presyn_mech, dtype=np.int64)
    vindex = np.asarray(group.output_vindex, dtype=np.int64)
    # A cell without a spike detector: NEURON writes cells and their sources in one order.
    out = np.where(np.arange(n) < items.ncell, np.arange(n), 0).astype(np.int64)
    real = (pm < 0) & (vindex >= 0)
    out[real] = items.cell_of_node[vindex[real]]
    for k in distinct(pm[pm >= 0]).tolist():
        sel = pm == k
        out[sel] = items.of_instance(k, group.presyn_instance[sel])
    return out


def _netcon_target_items(group: Group, items: _Items) -> np.ndarray:
    """The item of every NetCon's target, -1 where it has none."""
    out = np.full(group.n_netcon, -1, dtype=np.int64)
    tm = np.asarray(group.netcon_target_mech)
    for k in distinct(tm[tm >= 0]):
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
          source: np.ndarray, keep_together_below: float) -> np.ndarray:
    """The component of every item: what must share a block joined, then artificial cells
    attached to what they drive."""
    by_type = {m.type: k for k, m in enumerate(group.mechanisms)}
    edges: list[tuple[np.ndarray, np.ndarray]] = []
    # Gap junctions with both sides in this group.
    gap = group.gap
    if gap is not None and len(gap.src_sid) and len(gap.tar_sid):
        src_items = _gap_items(group, items, by_type, gap.src_type, gap.src_index)
        tar_items = _gap_items(group, items, by_type, gap.tar_type, gap.tar_index)
        order = np.argsort(gap.src_sid, kind="stable")
        pos = np.minimum(np.searchsorted(gap.src_sid[order], gap.tar_sid), len(order) - 1)
        here = gap.src_sid[order][pos] == gap.tar_sid
        edges.append((src_items[order][pos][here], tar_items[here]))
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
            for pt in distinct(ptypes).tolist():
                sel = ptypes == pt
                if pt in (-1, -2):
                    theirs[sel] = items.cell_of_node[row[sel]]
                else:
                    tk = by_type[pt]
                    theirs[sel] = items.of_instance(tk, _instance_of_flat(
                        group.mechanisms[tk], row[sel]))
            edges.append((mine, theirs))
    # Gid-less sources with their targets; NetCons shorter than a step with both ends.
    linked = (source >= 0) & (target_item >= 0)
    src = np.where(linked, source, 0)
    nameless = np.zeros(len(source), bool)  # a group may have no source at all: index safely
    nameless[linked] = np.asarray(group.output_gid, dtype=np.int64)[source[linked]] < 0
    must = linked & (nameless | (np.asarray(group.delay) < keep_together_below))
    edges.append((presyn_item[src[must]], target_item[must]))
    a = np.concatenate([e[0] for e in edges])
    b = np.concatenate([e[1] for e in edges])
    label = _components(len(items), a, b)
    # An artificial cell with a gid, alone so far, joins the first item it drives (file
    # order), so that its NetCons do not cross blocks and shorten the window.
    driver = presyn_item[src[linked]]
    first_driver, first = np.unique(driver, return_index=True)
    size = np.bincount(label, minlength=len(items))
    alone = (first_driver >= items.ncell) & (size[first_driver] == 1)
    if alone.any():
        targets = target_item[linked][first[alone]]
        label = _components(len(items), np.concatenate((a, first_driver[alone])),
                            np.concatenate((b, targets)))
    return label


def _gap_items(group: Group, items: _Items, by_type: dict[int, int], types: np.ndarray,
               index: np.ndarray) -> np.ndarray:
    out = np.empty(len(types), np.int64)
    for t in distinct(types):
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


def _split(group: Group, group_index: int, nblocks: int, keep_together_below: float,
           consume: bool = False, sort_by_depth: bool = False,
           ordered: frozenset[str] = frozenset(), interleave: bool = False,
           keep_origins: bool = True) -> _Split:
    identity = _Split(group, [group], [np.arange(group.n_netcon)],
                      np.zeros(group.n_presyn, np.int64), np.arange(group.n_presyn))
    if group.bbcorepointer:  # bbcore_read filled vdata for the group as read: keep it whole
        return identity
    whole = (sort_by_depth or interleave) and group.n_real_cell > 0
    if nblocks == 1 and not whole:
        return identity
    items = _Items(group)
    if len(items) < 2 and not whole:
        return identity
    presyn_item = _presyn_items(group, items)
    target_item = _netcon_target_items(group, items)
    source = _local_sources(group, group_index)
    if nblocks == 1:
        item_block, nb = np.zeros(len(items), np.int64), 1
    else:
        label = _join(group, items, presyn_item, target_item, source, keep_together_below)
        item_block, nb = _assign(label, _costs(group, items), nblocks)
        del label
    if nb < 2 and not whole:
        return identity

    presyn_block = item_block[presyn_item]
    # NetCons go with their target; those without one with their source, else to block 0.
    netcon_block = np.where(target_item >= 0, item_block[np.maximum(target_item, 0)], 0)
    no_target = (target_item < 0) & (source >= 0)
    netcon_block[no_target] = presyn_block[source[no_target]]

    presyn_index = _rank(presyn_block, nb)
    builder = _BlockBuilder(group, items, item_block, nb, presyn_block, presyn_index, source,
                            ordered, interleave)
    builder.keep_origins = keep_origins
    del items, target_item
    builder.take_node_arrays(consume)
    builder.take_mechanisms(consume)
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
    for g in distinct(sg[sg >= 0]).tolist():
        sel = sg == g
        new_g[sel] = offsets[g] + parts[g].presyn_block[si[sel]]
        new_i[sel] = parts[g].presyn_index[si[sel]]
    block.netcon_src_group = new_g.astype(np.int32)
    block.netcon_src_index = new_i.astype(np.int32)


# -- building one block ---------------------------------------------------------------------------


def _rank(block: np.ndarray, nb: int) -> np.ndarray:
    """Each element's position among the elements of its block, in the group's order."""
    block = np.asarray(block, dtype=np.int64)
    order = np.argsort(block, kind="stable")
    start = np.concatenate(([0], np.cumsum(np.bincount(block, minlength=nb))))
    rank = np.empty(len(block), np.int64)
    rank[order] = np.arange(len(block)) - start[block[order]]
    return rank


def _ranks_of(order: np.ndarray, block: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Each element's position within its block, given ``order`` (sorted by block, then the
    order wanted inside each block) and each block's ``start`` in it."""
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order)) - start[block[order]]
    return rank


def node_levels(group: Group) -> np.ndarray:
    """Each node's depth in its tree (roots 0), by pointer doubling over ``parent``: every
    round adds the depth of the current ancestor and jumps to that ancestor's ancestor."""
    n, ncell = group.nnode, group.n_real_cell
    anc = group.parent[:n].astype(np.int32)
    anc[:ncell] = np.arange(ncell)
    depth = np.ones(n, np.int32)
    depth[:ncell] = 0
    while True:
        nxt = anc[anc]
        if np.array_equal(nxt, anc):
            return depth
        depth += depth[anc]
        anc = nxt


def breadth_first_positions(group: Group, node_block: np.ndarray, nb: int) -> np.ndarray:
    """Each node's position in its block when every block's trees are walked breadth first:
    the roots in the group's order, then level by level the children of each node of the
    level before, in the order of those parents, each node's children in the group's order.

    So depth never decreases along a block (the engine's level-by-level solve), siblings
    are contiguous and in the group's order (every element receives its children's terms in
    the same order), and parents are non-decreasing, so the scatter into parents walks
    memory forwards. (Measured: 3% faster than a stable sort by depth at 813K compartments;
    pulling each node's children instead of scattering was slower, for its branches.)"""
    n = group.nnode
    levels = node_levels(group)
    by_level = np.argsort(levels, kind="stable").astype(np.int32)  # node order within a level
    bounds = np.searchsorted(levels[by_level], np.arange(int(levels.max(initial=0)) + 2))
    parent = group.parent[:n]
    pos = np.zeros(n, np.int32)
    placed = np.zeros(nb, np.int64)
    for k in range(len(bounds) - 1):
        nodes = by_level[bounds[k] : bounds[k + 1]]
        block = node_block[nodes]
        after = pos[parent[nodes]] if k else np.zeros(len(nodes), np.int32)
        order = np.lexsort((after, block))  # stable: the group's order among siblings
        nodes, block = nodes[order], block[order]
        count = np.bincount(block, minlength=nb)
        first = np.concatenate(([0], np.cumsum(count)[:-1]))
        pos[nodes] = placed[block] + np.arange(len(nodes)) - first[block]
        placed += count
    return pos


def cell_interleaved_positions(cell_of_node: np.ndarray, cell_block: np.ndarray,
                               nb: int) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """Each node's position in its block in the device layout (CoreNEURON's
    ``--cell-permute 1``, unpadded): a block's cells sorted by size, largest first (ties in
    the group's order), and node k of the block's c-th cell at ``row_start[k] + c``, k being
    the node's rank among its cell's nodes in the group's order (the root is k = 0).

    So the roots come first, row k holds one node of each cell that has more than k, and a
    thread per cell walks its rows with the stride of the block: consecutive threads touch
    consecutive nodes (coalesced on a GPU). Each cell keeps its nodes' order, so the Hines
    solve of one cell does NEURON's operations in NEURON's order.

    Returns the positions and, per block, ``row_start`` (rows + 1 entries) and ``cell_len``
    (per cell in the block's order, non-increasing)."""
    n = len(cell_of_node)
    ncell = len(cell_block)
    cell = cell_of_node.astype(np.int64)
    size = np.bincount(cell, minlength=ncell)
    by_cell = np.argsort(cell, kind="stable")
    first = np.concatenate(([0], np.cumsum(size)[:-1]))
    k = np.empty(n, np.int64)
    k[by_cell] = np.arange(n) - first[cell[by_cell]]
    order = np.lexsort((-size, cell_block))  # by block, then largest first, stable
    block_sorted = cell_block[order]
    start = np.searchsorted(block_sorted, np.arange(nb + 1))
    rank = np.empty(ncell, np.int64)
    rank[order] = np.arange(ncell) - start[block_sorted]
    pos = np.empty(n, np.int32)
    row_starts: list[np.ndarray] = []
    cell_lens: list[np.ndarray] = []
    node_block = cell_block[cell]
    for b in range(nb):
        lens = size[order[start[b] : start[b + 1]]]
        longest = int(lens[0]) if len(lens) else 0
        # cells with more than k nodes, k = 0..longest-1 (lens is non-increasing)
        per_row = np.searchsorted(-lens, -np.arange(longest), side="left")
        row_start = np.concatenate(([0], np.cumsum(per_row))).astype(np.int32)
        sel = node_block == b
        pos[sel] = row_start[k[sel]] + rank[cell[sel]]
        row_starts.append(row_start)
        cell_lens.append(lens.astype(np.int32))
    return pos, row_starts, cell_lens


def _padded_copy(values: np.ndarray, dtype: type) -> np.ndarray:
    out = aligned_zeros(padded(len(values)), dtype)
    out[: len(values)] = values
    return out


class _BlockBuilder:
    """The group's nodes, instances, vdata slots and spike sources renumbered block by block.

    Every renumbering is a rank within the block in the group's order, computed once for all
    blocks: ``node_new[i]`` is node i's index in its own block, and so on.
    """

    def __init__(self, group: Group, items: _Items, item_block: np.ndarray, nb: int,
                 presyn_block: np.ndarray, presyn_index: np.ndarray, source: np.ndarray,
                 ordered: frozenset[str] = frozenset(), interleave: bool = False) -> None:
        self.g = group
        self.ordered = ordered
        self.keep_origins = True  # items' indices in the group, for each block
        self.item_block = item_block
        self.presyn_block = presyn_block
        self.presyn_index = presyn_index
        self.source = source
        # Per-node index arrays are int32 (a node count fits), to keep set-up memory low.
        # Block numbers as int16 when they fit: per node and per instance, set-up memory.
        block_ids = item_block.astype(np.int16 if nb < 2**15 else np.int32)
        self.node_block = block_ids[items.cell_of_node] if group.nnode \
            else np.zeros(0, np.int32)
        # Per block: nodes in breadth-first order (see breadth_first_positions), or
        # interleaved by cell (cell_interleaved_positions: the device layout).
        self.interleaved: list[tuple[np.ndarray, np.ndarray]] | None = None
        if interleave:
            ncell = group.n_real_cell
            self.node_new, row_starts, cell_lens = cell_interleaved_positions(
                items.cell_of_node, item_block[:ncell], nb)
            self.interleaved = list(zip(row_starts, cell_lens, strict=True))
        else:
            self.node_new = breadth_first_positions(group, self.node_block, nb)
        self.node_order = np.argsort(self.node_block.astype(np.int64) * max(1, group.nnode)
                                     + self.node_new).astype(np.int32)
        self.node_start = np.concatenate(([0], np.cumsum(np.bincount(self.node_block,
                                                                     minlength=nb))))
        self.node_arrays: list[dict[str, np.ndarray | None]] = []
        self.instance_block = [block_ids[items.of_instance(k, np.arange(m.n))]
                               for k, m in enumerate(group.mechanisms)]
        self.inst_count = [np.bincount(blk, minlength=nb) for blk in self.instance_block]
        # Per mechanism: its instances block by block in their new order, and their ranks.
        self.inst_order: list[np.ndarray] = []
        self.inst_start: list[np.ndarray] = []
        self.inst_new: list[np.ndarray] = []
        for m, blk, count in zip(group.mechanisms, self.instance_block, self.inst_count,
                                 strict=True):
            order = self._instance_order(m, blk)
            start = np.concatenate(([0], np.cumsum(count)))
            self.inst_order.append(order)
            self.inst_start.append(start)
            self.inst_new.append(_ranks_of(order, blk, start).astype(np.int32))
        owner = group.vdata_mech.astype(np.int64)
        inst = group.vdata_instance.astype(np.int64)
        self.slot_block = np.full(group.nvdata, nb, np.int64)  # nb: an unused slot, dropped
        for k in distinct(owner[owner >= 0]).tolist():
            sel = owner == k
            self.slot_block[sel] = self.instance_block[k][inst[sel]]
        self.slot_new = _rank(self.slot_block, nb + 1)
        self.by_type = {m.type: k for k, m in enumerate(group.mechanisms)}
        self.by_name = {m.name: k for k, m in enumerate(group.mechanisms)}
        # Artificial-cell sources renamed by their instance in the block.
        pm = group.presyn_mech.astype(np.int64)
        self.code = np.zeros(group.n_presyn, np.int64)
        for k in distinct(pm[pm >= 0]).tolist():
            sel = pm == k
            new = self.inst_new[k][group.presyn_instance[sel]]
            self.code[sel] = -(group.mechanisms[k].type + _ART_CODE * new)

    def _instance_order(self, m: Mechanism, block: np.ndarray) -> np.ndarray:
        """The instances sorted by block; within a block, density instances in the order of
        their nodes there, point processes, artificial cells and order-dependent mechanisms
        in the group's order."""
        if m.nodeindices is None or m.pnt_offset >= 0 or not m.n or m.name in self.ordered:
            return np.argsort(block, kind="stable").astype(np.int32)
        return np.lexsort((self.node_new[m.nodeindices[: m.n]], block)).astype(np.int32)

    def take_node_arrays(self, consume: bool) -> None:
        """Every block's node arrays, one array of the group at a time; with ``consume`` the
        group's array is dropped as soon as the blocks have theirs."""
        g = self.g
        nb = len(self.node_start) - 1
        self.node_arrays = [{} for _ in range(nb)]
        self.node_origin = [self.node_order[self.node_start[b] : self.node_start[b + 1]]
                            if self.keep_origins else None for b in range(nb)]
        for name in ("parent", "a", "b", "area", "v", "diam"):
            values = getattr(g, name)
            for b in range(nb):
                self.b = b
                nodes = self.node_order[self.node_start[b] : self.node_start[b + 1]]
                self.node_arrays[b][name] = None if values is None else \
                    self._parent(values[nodes]) if name == "parent" else \
                    _padded_copy(values[nodes], np.float64)
            if consume:
                setattr(g, name, None)
        del self.node_order  # every block has its node arrays: the order is no longer needed

    def _parent(self, parent: np.ndarray) -> np.ndarray:
        """The block's parent array from the group's parents of its nodes (roots first)."""
        parent = parent.astype(np.int64)
        nc = int(np.count_nonzero(self.item_block[: self.g.n_real_cell] == self.b))
        parent[nc:] = self._nodes(parent[nc:])
        parent[:nc] = np.minimum(parent[:nc], 0)  # roots: as written (0)
        return _padded_copy(parent, np.int32)

    def take_mechanisms(self, consume: bool) -> None:
        """Every block's mechanisms, one mechanism of the group at a time; with ``consume``
        the group's data and dparams of a mechanism go as soon as the blocks have theirs."""
        nb = len(self.node_start) - 1
        self.block_mechanisms: list[list[Mechanism]] = [[] for _ in range(nb)]
        pnt = [0] * nb
        for k, m in enumerate(self.g.mechanisms):
            for b in range(nb):
                self.b = b
                nm = self._mechanism(k, m)
                if m.pnt_offset >= 0:
                    nm.pnt_offset = pnt[b]
                    pnt[b] += nm.n
                self.block_mechanisms[b].append(nm)
            self.inst_order[k] = np.empty(0, np.int32)  # every block has its instances
            if consume:
                m.data = None  # type: ignore[assignment]
                m.pdata = None  # type: ignore[assignment]

    def build(self, b: int, netcons: np.ndarray) -> Group:
        g = self.g
        self.b = b
        ncell = g.n_real_cell
        cells = np.flatnonzero(self.item_block[:ncell] == b)
        nnode = int(self.node_start[b + 1] - self.node_start[b])
        arrays, self.node_arrays[b] = self.node_arrays[b], {}

        slots = np.flatnonzero(self.slot_block == b)
        owner = g.vdata_mech[slots].astype(np.int64)
        vdata_instance = g.vdata_instance[slots].astype(np.int64)
        for k in distinct(owner).tolist():
            sel = owner == k
            vdata_instance[sel] = self.inst_new[k][vdata_instance[sel]]

        mechanisms, self.block_mechanisms[b] = self.block_mechanisms[b], []

        presyns = np.flatnonzero(self.presyn_block == b)
        plays = self._vecplay(b)
        origins = BlockOrigins(node=self.node_origin[b], netcon=netcons, presyn=presyns,
                               play=np.array([k for k, _ in plays], dtype=np.int64)) \
            if self.keep_origins else None
        self.node_origin[b] = None
        return Group(
            id=g.id, n_real_cell=len(cells),
            ngid=int(np.count_nonzero(presyns < g.ngid)),
            n_real_gid=int(np.count_nonzero(presyns < g.n_real_gid)), nnode=nnode,
            parent=arrays["parent"], a=arrays["a"], b=arrays["b"], area=arrays["area"],
            v=arrays["v"], diam=arrays["diam"], mechanisms=mechanisms, nvdata=len(slots),
            vdata_kind=g.vdata_kind[slots].copy(), vdata_mech=g.vdata_mech[slots].copy(),
            vdata_instance=vdata_instance.astype(np.int32),
            **self._presyns(presyns), **self._netcons(netcons, mechanisms),
            bbcorepointer=[], vecplay=[p for _, p in plays], gap=self._gap(b),
            interleaved=None if self.interleaved is None else self.interleaved[b],
            origins=origins)

    # Flat indices into mechanism data: (field j, instance i, element) keeps j and the element.
    def _flat(self, k: int, flat: np.ndarray) -> np.ndarray:
        m = self.g.mechanisms[k]
        flat = np.asarray(flat, dtype=np.int64)
        dims = np.array([d for _, d in m.variables], dtype=np.int64)
        offs = m.offsets.astype(np.int64)
        pn = padded(int(self.inst_count[k][self.b]))
        if len(flat) and len(dims):
            # the usual case: every index into one scalar field (an ion's ena, say)
            j0 = int(np.searchsorted(m.padded * offs, flat[0], side="right")) - 1
            inst = flat - m.padded * offs[j0]
            if dims[j0] == 1 and inst.min() >= 0 and inst.max() < m.padded:
                if (self.instance_block[k][inst] != self.b).any():
                    raise AssertionError(f"{m.name}: an index into another block's instance")
                return pn * offs[j0] + self.inst_new[k][inst]
        j = np.searchsorted(m.padded * offs, flat, side="right") - 1
        inst, elem = np.divmod(flat - m.padded * offs[j], dims[j])
        if (self.instance_block[k][inst] != self.b).any():
            raise AssertionError(f"{m.name}: an index into another block's instance")
        return pn * offs[j] + self.inst_new[k][inst] * dims[j] + elem

    def _nodes(self, nodes: np.ndarray) -> np.ndarray:
        nodes = np.asarray(nodes, dtype=np.int64)
        if (self.node_block[nodes] != self.b).any():
            raise AssertionError("a node of another block")
        return self.node_new[nodes]

    def _mechanism(self, k: int, m: Mechanism) -> Mechanism:
        sel = self.inst_order[k][self.inst_start[k][self.b] : self.inst_start[k][self.b + 1]]
        n = len(sel)
        pn = padded(n)
        data = aligned_zeros(pn * m.psize, np.float64)
        if all(dim == 1 for _, dim in m.variables):  # one gather of every field, in C
            _core.gather_fields(m.data, m.padded, np.ascontiguousarray(sel, dtype=np.int32),
                                m.psize, data, pn)
        else:
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
                new = self._flat(self.by_name[sem], row)
            elif sem in VDATA_SEMANTICS:
                new = self.slot_new[row]
            elif kind == "pointer":
                assert m.pointer_type is not None
                ptypes = m.pointer_type[ptr_slot, sel]
                ptr_slot += 1
                new = row.copy()
                for pt in distinct(ptypes).tolist():
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
            nmodlrandom=self._random(m, sel), net_receive_args=m.net_receive_args,
            origin=(sel if m.origin is None else m.origin[sel]).astype(np.int32))

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

    def _presyns(self, presyns: np.ndarray) -> dict:
        g = self.g
        out_gid = g.output_gid[presyns].astype(np.int32)
        vindex = g.output_vindex[presyns].astype(np.int64)
        pmech = g.presyn_mech[presyns].astype(np.int32)
        pinst = g.presyn_instance[presyns].astype(np.int64)
        art = pmech >= 0
        code = self.code[presyns]
        vindex[art] = code[art]
        nameless = art & (out_gid < -1)  # no gid: the code is its name in this group
        out_gid[nameless] = code[nameless]
        for k in distinct(pmech[art]).tolist():
            sel = pmech == k
            pinst[sel] = self.inst_new[k][pinst[sel]]
        real = ~art & (vindex >= 0)
        vindex[real] = pinst[real] = self._nodes(vindex[real])
        return {"output_gid": out_gid, "output_vindex": vindex.astype(np.int32),
                "threshold": g.threshold[presyns[presyns < g.n_real_gid]].copy(),
                "presyn_mech": pmech, "presyn_instance": pinst.astype(np.int32)}

    def _netcons(self, nc: np.ndarray, mechanisms: list[Mechanism]) -> dict:
        g = self.g
        srcgid = g.netcon_srcgid[nc].astype(np.int32)
        src = self.source[nc]
        renamed = (srcgid < -1) & (src >= 0)  # gid-less sources: renamed with their instance
        srcgid[renamed] = self.code[src[renamed]]
        tm = g.netcon_target_mech[nc].astype(np.int32)
        pntindex = g.netcon_pntindex[nc].astype(np.int32)
        target_pnt = np.full(len(nc), -1, np.int32)
        for k in distinct(tm[tm >= 0]).tolist():
            sel = tm == k
            pntindex[sel] = self.inst_new[k][pntindex[sel]]
            target_pnt[sel] = mechanisms[k].pnt_offset + pntindex[sel]
        nweight = np.diff(np.append(g.weight_index.astype(np.int64), len(g.weights)))
        counts = nweight[nc]
        weight_index = np.zeros(len(nc), np.int64)
        if len(nc):
            weight_index[1:] = np.cumsum(counts)[:-1]
        starts = g.weight_index[nc].astype(np.int64)
        take = np.repeat(starts - weight_index, counts) + np.arange(int(counts.sum()))
        return {
            "netcon_srcgid": srcgid, "netcon_pnttype": g.netcon_pnttype[nc].astype(np.int32),
            "netcon_pntindex": pntindex, "netcon_target_mech": tm,
            "netcon_target_pnt": target_pnt, "weights": g.weights[take].copy(),
            "weight_index": weight_index.astype(np.int32), "delay": g.delay[nc].copy(),
            # resolved across blocks by split_groups
            "netcon_src_group": None if g.netcon_src_group is None else
            np.asarray(g.netcon_src_group)[nc].copy(),
            "netcon_src_index": None if g.netcon_src_index is None else
            np.asarray(g.netcon_src_index)[nc].copy(),
        }

    def _vecplay(self, b: int) -> list[tuple[int, VecPlay]]:
        """The block's Vector.plays, each with its index in the group."""
        out = []
        for k, play in enumerate(self.g.vecplay):
            m = self.g.mechanisms[play.mech]
            inst = int(_instance_of_flat(m, np.array([play.index]))[0])
            if self.instance_block[play.mech][inst] == b:
                index = int(self._flat(play.mech, np.array([play.index]))[0])
                out.append((k, VecPlay(play.mech, index, play.y, play.t)))
        return out

    def _gap_side(self, b: int, types: np.ndarray, index: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
        """Which entries of one side are in block b, and their indices there."""
        blk = np.empty(len(types), np.int64)
        for t in distinct(types).tolist():
            sel = types == t
            if t == -1:
                blk[sel] = self.node_block[index[sel]]
            else:
                k = self.by_type[t]
                blk[sel] = self.instance_block[k][_instance_of_flat(self.g.mechanisms[k],
                                                                     index[sel])]
        keep = np.flatnonzero(blk == b)
        new = np.empty(len(keep), np.int64)
        for t in distinct(types[keep]).tolist():
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
