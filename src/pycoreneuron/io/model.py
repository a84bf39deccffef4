"""The in-memory model of one group (one NEURON thread of one rank), as the engine uses it.

Everything is a NumPy array; no Python object per cell, compartment or synapse. Arrays that the
kernels stream over are 64-byte aligned and padded to whole rows of 8 doubles
(``text.padded``), zero in the padding.

Mechanism data is field-major ("SoAoS", as CoreNEURON lays it out): variable j of a mechanism
with ``n`` instances occupies ``data[P*off_j : P*(off_j + dim_j)]`` with ``P = padded(n)``, and
instance i's element k of it is at ``P*off_j + i*dim_j + k``. dparams are ``pdata[slot, i]``,
resolved by the reader to what they designate (see :class:`Mechanism`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Mechanism:
    """All instances of one mechanism type in one group.

    ``pdata[s, i]`` for slot ``s`` of instance ``i`` holds, by ``semantics[s]``:

    - ``area``, ``diam``: a node index (``area`` is -1 for artificial cells);
    - ``xx_ion``: a flat index into the ``data`` of mechanism ``xx_ion`` of the same group;
    - ``#xx_ion``, ``iontype``: the ion's style bit field (a value);
    - ``pntproc``, ``netsend``, ``bbcorepointer``, ``random``: a slot of the group's vdata table;
    - ``pointer``: a node index when ``pointer_type`` is -1 (v) or -2 (i_membrane_), else a
      flat index into the ``data`` of the mechanism whose type number is ``pointer_type``;
    - ``watch``, ``fornetcon``: 0, run-time state.
    """

    name: str
    type: int  # NEURON's type number in this dataset
    kind: str  # "density" | "point_process" | "artificial_cell"
    n: int
    padded: int  # padded(n): the row length of every field and dparam slot
    psize: int
    dpsize: int
    variables: tuple[tuple[str, int], ...]
    semantics: tuple[str, ...]
    data: np.ndarray  # float64[padded(n) * psize], field-major
    pdata: np.ndarray  # int32[dpsize, padded(n)]
    nodeindices: np.ndarray | None  # int32[n]; None for artificial cells
    pnt_offset: int = -1  # first Point_process number of this type in the group, -1 if none
    pointer_type: np.ndarray | None = None  # int32[pointer slots, n]
    nmodlrandom: np.ndarray | None = None  # uint32, Random123 stream states, format 9.5
    net_receive_args: int | None = None
    # In a block made by partition: each instance's index in its group (None: the group's own).
    origin: np.ndarray | None = None

    @property
    def offsets(self) -> np.ndarray:
        dims = np.array([d for _, d in self.variables], dtype=np.int64)
        return np.concatenate(([0], np.cumsum(dims)[:-1])) if len(dims) else dims

    def field(self, name: str) -> np.ndarray:
        """A view of one variable: shape (n,) for scalars, (n, dim) for arrays."""
        off = 0
        pad = self.padded
        for vname, dim in self.variables:
            if vname == name:
                block = self.data[pad * off : pad * (off + dim)]
                return block[: self.n] if dim == 1 else block.reshape(pad, dim)[: self.n]
            off += dim
        raise KeyError(f"{self.name} has no variable {name!r}")

    def legacy_to_flat(self, legacy: np.ndarray) -> np.ndarray:
        """NEURON's row-major index (instance*psize + column) -> index into ``data``."""
        legacy = np.asarray(legacy, dtype=np.int64)
        dims = np.array([d for _, d in self.variables], dtype=np.int64)
        offs = self.offsets
        inst, col = np.divmod(legacy, self.psize)
        j = np.searchsorted(offs, col, side="right") - 1
        k = col - offs[j]
        return self.padded * offs[j] + inst * dims[j] + k

    @property
    def nbytes(self) -> int:
        total = self.data.nbytes + self.pdata.nbytes
        for a in (self.nodeindices, self.pointer_type, self.nmodlrandom):
            if a is not None:
                total += a.nbytes
        return total


@dataclass
class VecPlay:
    """One Vector.play(var, tvec, continuous): y(t) written into mechanism data each step."""

    mech: int  # index into Group.mechanisms
    index: int  # flat index into that mechanism's data
    y: np.ndarray
    t: np.ndarray


@dataclass
class GapData:
    """<g>_gap.dat: values copied each step from sources to targets with the same sid."""

    src_sid: np.ndarray  # int32 or int64
    src_type: np.ndarray  # -1 voltage, else mechanism type
    src_index: np.ndarray  # node index, or flat index into that mechanism's data
    tar_sid: np.ndarray
    tar_type: np.ndarray
    tar_index: np.ndarray  # flat index into the target mechanism's data

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.src_sid, self.src_type, self.src_index,
                                      self.tar_sid, self.tar_type, self.tar_index))


@dataclass
class BlockOrigins:
    """Where a block's items came from in its group (partition.split_groups): the group's index
    of each of its nodes, NetCons, spike sources and Vector.plays, in the block's order.
    Mechanism instances carry theirs in Mechanism.origin. Checkpoints are kept in group terms
    through these, so a run can resume on another number of threads or ranks."""

    node: np.ndarray  # int32[nnode]
    netcon: np.ndarray  # int64[n_netcon]
    presyn: np.ndarray  # int64[n_presyn]
    play: np.ndarray  # int64[len(vecplay)]


@dataclass
class Group:
    """One <g>_1.dat + <g>_2.dat pair (and <g>_gap.dat): one NEURON thread of one rank."""

    id: int
    n_real_cell: int
    ngid: int
    n_real_gid: int
    nnode: int
    # Nodes, each padded(nnode) long; nodes 0..n_real_cell-1 are the cells' roots.
    parent: np.ndarray  # int32; parent[i] < i for every non-root node
    a: np.ndarray  # effect of node i on its parent's equation
    b: np.ndarray  # effect of the parent on node i's equation
    area: np.ndarray  # um2 (100 for nodes without membrane)
    v: np.ndarray  # mV at write time
    diam: np.ndarray | None  # um, only when a mechanism has a diam dparam
    mechanisms: list[Mechanism]  # in the dataset's (execution) order
    nvdata: int
    # vdata table: what each slot holds and whose it is.
    vdata_kind: np.ndarray  # int8[nvdata]: index into VDATA_KINDS (0: unused)
    vdata_mech: np.ndarray  # int32[nvdata]: index into mechanisms, -1 if unused
    vdata_instance: np.ndarray  # int32[nvdata]
    # Spike sources (PreSyn), n_presyn of them; the first n_real_gid watch a node's voltage.
    output_gid: np.ndarray  # int32: gid >= 0, -1 none, or a group-local negative code
    output_vindex: np.ndarray  # int32: node index, or -(type + 1000*instance)
    threshold: np.ndarray  # float64[n_real_gid]
    presyn_mech: np.ndarray  # int32: index into mechanisms for artificial sources, else -1
    presyn_instance: np.ndarray  # int32: instance of that mechanism, or the node index
    # NetCons, n_netcon of them, in NEURON's order.
    netcon_srcgid: np.ndarray  # int32, as in <g>_1.dat
    netcon_pnttype: np.ndarray  # int32: target mechanism type, 0 = no target
    netcon_pntindex: np.ndarray  # int32: target instance, -1 = no target
    netcon_target_mech: np.ndarray  # int32: index into mechanisms, -1 = no target
    netcon_target_pnt: np.ndarray  # int32: Point_process number in the group, -1 = no target
    weights: np.ndarray  # float64[nweight], NetCon weight vectors concatenated
    weight_index: np.ndarray  # int32[n_netcon]: first weight of each NetCon
    delay: np.ndarray  # float64[n_netcon], ms
    bbcorepointer: list[tuple[int, np.ndarray, np.ndarray]]  # (mech index, ints, doubles)
    vecplay: list[VecPlay]
    gap: GapData | None = None
    # NetCon sources, resolved across all groups read together (Dataset): the group holding
    # the source PreSyn (-1: an input from outside the dataset's groups read here, -2: none)
    # and the PreSyn's index in it (or the index into Dataset.input_gids).
    netcon_src_group: np.ndarray | None = None
    netcon_src_index: np.ndarray | None = None
    # A block made by partition: the index of the group it came from (-1: a group as read).
    origin_group: int = -1
    # A block in the device layout (partition.cell_interleaved_positions): its row_start and
    # cell_len arrays; None for any other node order.
    interleaved: tuple[np.ndarray, np.ndarray] | None = None
    # A block made by partition: its items' indices in the group; None: the group's own order.
    origins: BlockOrigins | None = None

    @property
    def n_presyn(self) -> int:
        return len(self.output_gid)

    @property
    def n_netcon(self) -> int:
        return len(self.netcon_srcgid)

    @property
    def n_pntproc(self) -> int:
        return sum(m.n for m in self.mechanisms if m.pnt_offset >= 0)

    def mechanism(self, name: str) -> Mechanism | None:
        for m in self.mechanisms:
            if m.name == name:
                return m
        return None

    def cell_of_node(self) -> np.ndarray:
        """The cell (root index) of every node, by pointer doubling over ``parent``."""
        n = self.nnode
        anc = self.parent[:n].astype(np.int64)
        anc[: self.n_real_cell] = np.arange(self.n_real_cell)
        while True:
            nxt = anc[anc]
            if np.array_equal(nxt, anc):
                return anc.astype(np.int32)
            anc = nxt

    @property
    def nbytes(self) -> int:
        arrays = [self.parent, self.a, self.b, self.area, self.v, self.diam, self.vdata_kind,
                  self.vdata_mech, self.vdata_instance, self.output_gid, self.output_vindex,
                  self.threshold, self.presyn_mech, self.presyn_instance, self.netcon_srcgid,
                  self.netcon_pnttype, self.netcon_pntindex, self.netcon_target_mech,
                  self.netcon_target_pnt, self.weights, self.weight_index, self.delay,
                  self.netcon_src_group, self.netcon_src_index]
        total = sum(a.nbytes for a in arrays if a is not None)
        total += sum(m.nbytes for m in self.mechanisms)
        total += sum(i.nbytes + d.nbytes for _, i, d in self.bbcorepointer)
        total += sum(p.y.nbytes + p.t.nbytes for p in self.vecplay)
        if self.gap is not None:
            total += self.gap.nbytes
        return total


VDATA_KINDS = ("", "pntproc", "netsend", "bbcorepointer", "random")
