"""Splitting a group into blocks of whole cells changes nothing in the results (issue 6).

Each split run is compared with the unsplit run of the same dataset: out.dat byte for byte and
recorded voltages bit for bit. The split groups are also checked on their own: every node,
instance, spike source and NetCon once, trees ordered, every index resolved to the right block.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import pycoreneuron
from pycoreneuron import _core
from pycoreneuron.engine.partition import (
    _components,
    blocks_per_group,
    split_group,
    split_groups,
)
from pycoreneuron.io.catalogue import VDATA_SEMANTICS, semantics_kind
from pycoreneuron.io.dataset import read_dataset
from pycoreneuron.io.model import Group

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "ringtest" / "coredat"
RINGTEST_MOD = REPO / "examples" / "ringtest" / "mod"
VARIANTS = ["default", "rparm", "gap", "big", "nt2"]
# Shorter runs for the large model: equality needs spikes, not the whole 100 ms.
TSTOP = {"big": 30.0}


def out_dat(result: pycoreneuron.SimulationResult) -> str:
    return "".join(f"{t:.8g}\t{g}\n" for t, g in
                   zip(result.spike_times.tolist(), result.spike_gids.tolist(), strict=True))


def read(coredat: Path) -> list[Group]:
    return read_dataset(coredat, None, pycoreneuron.mechanisms(RINGTEST_MOD)).groups


# -- structure ------------------------------------------------------------------------------------


def _check_tree(block: Group) -> None:
    n, ncell = block.nnode, block.n_real_cell
    idx = np.arange(ncell, n)
    assert (block.parent[ncell:n] < idx).all() and (block.parent[ncell:n] >= 0).all()
    if ncell:  # sorted by depth, so the engine solves it level by level
        assert _core.hines_levels(ncell, np.ascontiguousarray(block.parent[:n])) is not None
    for name in ("parent", "a", "b", "area", "v"):
        arr = getattr(block, name)
        assert len(arr) % 8 == 0 and len(arr) >= n and arr.ctypes.data % 64 == 0
        assert not arr[n:].any(), f"{name} padding is not zero"


def _check_mechanisms(block: Group) -> None:
    by_name = {m.name: m for m in block.mechanisms}
    pnt = 0
    for m in block.mechanisms:
        assert m.padded == (m.n + 7) // 8 * 8 and m.data.shape == (m.padded * m.psize,)
        assert m.pdata.shape == (m.dpsize, m.padded)
        if m.nodeindices is not None:
            assert len(m.nodeindices) == m.n
            if m.pnt_offset < 0:  # density: one instance per node, in node order
                assert (np.diff(m.nodeindices) > 0).all()
            assert ((m.nodeindices >= 0) & (m.nodeindices < block.nnode)).all()
        if m.pnt_offset >= 0:
            assert m.pnt_offset == pnt
            pnt += m.n
        for s, sem in enumerate(m.semantics):
            row = m.pdata[s, : m.n]
            kind = semantics_kind(sem)
            if kind in ("area", "diam") and m.nodeindices is not None:
                assert (row == m.nodeindices).all()
            elif kind == "ion":
                ion = by_name[sem]
                inst = (row % ion.padded) if ion.padded else row
                assert (ion.nodeindices[inst] == m.nodeindices).all()
            elif sem in VDATA_SEMANTICS:
                assert ((row >= 0) & (row < block.nvdata)).all()
                k = block.mechanisms.index(m)
                assert (block.vdata_mech[row] == k).all()
                assert (block.vdata_instance[row] == np.arange(m.n)).all()
        if m.nmodlrandom is not None and len(m.nmodlrandom):
            nvar = int(m.nmodlrandom[0])
            assert len(m.nmodlrandom) == 1 + nvar + 5 * nvar * m.n


def _check_presyns_and_netcons(blocks: list[Group]) -> None:
    for k, block in enumerate(blocks):
        nvoltage = block.n_real_gid
        assert len(block.threshold) == nvoltage
        real = block.output_vindex[:nvoltage]
        assert ((real >= -1) & (real < block.nnode)).all()
        art = block.n_presyn - nvoltage
        if art:
            mech = block.presyn_mech[nvoltage:]
            inst = block.presyn_instance[nvoltage:]
            types = np.array([block.mechanisms[j].type for j in mech])
            assert (block.output_vindex[nvoltage:] == -(types + 1000 * inst)).all()
            for j, i in zip(mech.tolist(), inst.tolist(), strict=True):
                assert 0 <= i < block.mechanisms[j].n
        tm = block.netcon_target_mech
        for c in range(block.n_netcon):
            if tm[c] >= 0:
                m = block.mechanisms[tm[c]]
                assert 0 <= block.netcon_pntindex[c] < m.n
                assert block.netcon_target_pnt[c] == m.pnt_offset + block.netcon_pntindex[c]
            sg, si = int(block.netcon_src_group[c]), int(block.netcon_src_index[c])
            if sg >= 0:
                src = blocks[sg]
                assert src.output_gid[si] == block.netcon_srcgid[c]
                if block.netcon_srcgid[c] < 0:  # gid-less sources never cross blocks
                    assert sg == k
        if block.n_netcon:
            nweight = np.diff(np.append(block.weight_index, len(block.weights)))
            assert block.weight_index[0] == 0 and (nweight >= 1).all()


def check_split(groups: list[Group], blocks: list[Group]) -> None:
    """Every node, instance, source and NetCon of the groups once among the blocks."""
    for block in blocks:
        _check_tree(block)
        _check_mechanisms(block)
    _check_presyns_and_netcons(blocks)
    for attr in ("nnode", "n_real_cell", "n_real_gid", "ngid", "n_presyn", "n_netcon",
                 "nvdata"):
        assert sum(getattr(b, attr) for b in blocks) == sum(getattr(g, attr) for g in groups)
    # Node values as multisets (a node's a, b, area and v travel together).
    def nodes(gs: list[Group]) -> Counter:
        return Counter(tuple(r) for g in gs for r in
                       np.stack([g.a[: g.nnode], g.b[: g.nnode], g.area[: g.nnode],
                                 g.v[: g.nnode]], axis=1).tolist())
    assert nodes(blocks) == nodes(groups)
    for k, m in enumerate(groups[0].mechanisms):
        assert sum(b.mechanisms[k].n for b in blocks) == sum(g.mechanisms[k].n for g in groups)
        for name, _ in m.variables:
            mine = np.concatenate([b.mechanisms[k].field(name).reshape(-1) for b in blocks])
            theirs = np.concatenate([g.mechanisms[k].field(name).reshape(-1) for g in groups])
            assert np.array_equal(np.sort(mine), np.sort(theirs)), f"{m.name}.{name}"
    gids = [int(x) for b in blocks for x in b.output_gid if x >= 0]
    assert sorted(gids) == sorted(int(x) for g in groups for x in g.output_gid if x >= 0)
    assert len(set(gids)) == len(gids)

    def netcons(gs: list[Group]) -> Counter:
        out: Counter = Counter()
        for g in gs:
            nw = np.diff(np.append(g.weight_index, len(g.weights)))
            for c in range(g.n_netcon):
                w = g.weights[g.weight_index[c]: g.weight_index[c] + nw[c]]
                src = int(g.netcon_srcgid[c]) if g.netcon_srcgid[c] >= 0 else None
                out[(src, float(g.delay[c]), tuple(w.tolist()),
                     int(g.netcon_pnttype[c]))] += 1
        return out
    assert netcons(blocks) == netcons(groups)
    if groups[0].gap is not None and len(groups) == 1:
        for block in blocks:  # gap-coupled cells share their block
            assert set(block.gap.tar_sid.tolist()) <= set(block.gap.src_sid.tolist())
        assert sum(len(b.gap.src_sid) for b in blocks) == len(groups[0].gap.src_sid)
        assert sum(len(b.gap.tar_sid) for b in blocks) == len(groups[0].gap.tar_sid)


def test_blocks_per_group():
    assert blocks_per_group(1, 1) == 1
    assert blocks_per_group(4, 1) == 4
    assert blocks_per_group(4, 2) == 2
    assert blocks_per_group(3, 2) == 2
    assert blocks_per_group(2, 4) == 1


def _union_find(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
    return np.array([find(i) for i in range(n)])


@pytest.mark.parametrize("edges", [0, 1, 300, 1000, 3000])
def test_components_are_union_finds(edges):
    rng = np.random.default_rng(edges)
    n = 2000
    a, b = rng.integers(0, n, edges), rng.integers(0, n, edges)
    assert np.array_equal(_components(n, a, b), _union_find(n, a, b))


def test_components_of_a_long_chain_take_few_passes():
    # A gap-junction chain through every cell in shuffled order: one component, quickly.
    n = 100_000
    order = np.random.default_rng(0).permutation(n)
    assert (_components(n, order[:-1], order[1:]) == 0).all()


@pytest.mark.parametrize("nblocks", [2, 3, 4])
def test_bundled_example_splits_into_valid_blocks(nblocks):
    groups = read(EXAMPLE)
    blocks = split_group(groups[0], nblocks)
    assert len(blocks) == nblocks
    check_split(groups, blocks)
    # Balanced by cost: the ringtest's rings are alike, so blocks differ by one ring at most.
    sizes = [b.nnode for b in blocks]
    assert max(sizes) - min(sizes) <= groups[0].nnode // 16 + 1
    assert groups[0].n_netcon == sum(b.n_netcon for b in blocks)  # the input is not changed


def test_one_block_is_the_group_itself():
    groups = read(EXAMPLE)
    assert split_groups(groups, 1)[0] is groups[0]


def test_netcons_shorter_than_a_step_keep_both_ends_together():
    groups = read(EXAMPLE)
    group = groups[0]
    short = np.flatnonzero(group.netcon_srcgid >= 0)[::5]  # cell to cell, every fifth
    group.delay[short] = 0.01
    blocks = split_groups(groups, 4, keep_together_below=0.025)
    assert len(blocks) >= 2
    check_split(groups, blocks)
    for k, block in enumerate(blocks):
        crossing = (block.netcon_src_group >= 0) & (block.netcon_src_group != k)
        assert (block.delay[crossing] >= 0.025).all()
    apart = split_groups(groups, 4)  # without the bound they may cross: the window would be 0
    assert any(((b.netcon_src_group != k) & (b.delay < 0.025)).any()
               for k, b in enumerate(apart))


def test_array_variables_and_vecplay_targets_are_remapped():
    # hh's gl and el re-laid as one array variable of 2 (field-major: instance i's element k
    # at P*off + 2*i + k), unique values, and a Vector.play into one element of it.
    from pycoreneuron.io.model import VecPlay

    groups = read(EXAMPLE)
    group = groups[0]
    k = next(i for i, m in enumerate(group.mechanisms) if m.name == "hh")
    hh = group.mechanisms[k]
    names = [v for v, _ in hh.variables]
    off, pad = names.index("gl"), hh.padded
    pair = np.random.default_rng(0).random((hh.n, 2))
    hh.data[pad * off: pad * (off + 2)].reshape(pad, 2)[: hh.n] = pair
    hh.variables = (*hh.variables[:off], ("pair", 2), *hh.variables[off + 2:])
    targets = [(i, e) for i in (3, 40, hh.n - 1) for e in (0, 1)]
    group.vecplay = [VecPlay(k, pad * off + 2 * i + e, np.array([float(j)]), np.array([0.0]))
                     for j, (i, e) in enumerate(targets)]
    blocks = split_group(group, 3)
    assert len(blocks) == 3
    check_split(groups, blocks)
    rows = sorted(tuple(r) for b in blocks for r in b.mechanisms[k].field("pair").tolist())
    assert rows == sorted(tuple(r) for r in pair.tolist())
    played = {}
    for b in blocks:
        for play in b.vecplay:
            played[int(play.y[0])] = b.mechanisms[play.mech].data[play.index]
    assert played == {j: pair[i, e] for j, (i, e) in enumerate(targets)}


def test_pointers_join_cells_and_are_remapped():
    # ExpSyn given a POINTER slot: even instances point at a node's voltage (type -1) of the
    # partner cell (cells 2j and 2j+1), odd ones into the partner's hh data (state m).
    from pycoreneuron.io.text import aligned_zeros

    groups = read(EXAMPLE)
    group = groups[0]
    cell_of_node = group.cell_of_node()
    k = next(i for i, m in enumerate(group.mechanisms) if m.name == "ExpSyn")
    h = next(i for i, m in enumerate(group.mechanisms) if m.name == "hh")
    syn, hh = group.mechanisms[k], group.mechanisms[h]
    hh_cell = cell_of_node[hh.nodeindices]
    m_off = [v for v, _ in hh.variables].index("m")
    partner = cell_of_node[syn.nodeindices] ^ 1
    node_of_cell = {int(c): int(n) for n, c in enumerate(cell_of_node.tolist())
                    if n >= group.n_real_cell}  # some node of each cell
    target = np.empty(syn.n, np.int64)
    ptype = np.empty(syn.n, np.int32)
    for i in range(syn.n):
        if i % 2 == 0:
            target[i], ptype[i] = node_of_cell[int(partner[i])], -1
        else:
            inst = int(np.flatnonzero(hh_cell == partner[i])[0])
            target[i], ptype[i] = hh.padded * m_off + inst, hh.type
    pdata = aligned_zeros(syn.padded * (syn.dpsize + 1), np.int32).reshape(-1, syn.padded)
    pdata[: syn.dpsize] = syn.pdata
    pdata[syn.dpsize, : syn.n] = target
    syn.pdata, syn.dpsize = pdata, syn.dpsize + 1
    syn.semantics = (*syn.semantics, "pointer")
    syn.pointer_type = ptype.reshape(1, -1)
    hh.data[hh.padded * m_off: hh.padded * m_off + hh.n] = np.arange(hh.n) + 0.5
    group.a[: group.nnode] = np.arange(group.nnode) + 0.25  # a node's identity, to check

    blocks = split_group(group, 4)
    assert len(blocks) == 4
    check_split(groups, blocks)
    seen = 0
    for b in blocks:
        s = b.mechanisms[k]
        assert s.pointer_type is not None
        for i in range(s.n):
            where = int(s.pdata[s.dpsize - 1, i])
            if s.pointer_type[0, i] == -1:
                value = b.a[where]
                owner = int(value)  # the original node
            else:
                value = b.mechanisms[h].data[where]
                owner = int(hh.nodeindices[int(value)])
            mine = int(b.a[s.nodeindices[i]])  # the original node of the synapse
            assert cell_of_node[owner] == cell_of_node[mine] ^ 1
            seen += 1
    assert seen == syn.n


def test_a_group_of_inputs_only_splits():
    # Every NetCon listens to a source elsewhere (another rank) and the group has none itself.
    groups = read(EXAMPLE)
    group = groups[0]
    group.netcon_src_group = np.full(group.n_netcon, -1, np.int32)
    group.netcon_src_index = np.zeros(group.n_netcon, np.int32)
    for name in ("output_gid", "output_vindex", "presyn_mech", "presyn_instance", "threshold"):
        setattr(group, name, getattr(group, name)[:0])
    group.ngid = group.n_real_gid = 0
    blocks = split_group(group, 3)
    assert len(blocks) == 3
    check_split(groups, blocks)
    assert all((b.netcon_src_group == -1).all() for b in blocks)


def test_simulate_keeps_netcons_shorter_than_its_step_together(monkeypatch):
    import importlib

    module = importlib.import_module("pycoreneuron.engine.simulate")
    seen = {}

    def spy(groups, nblocks, **kwargs):
        seen.update(kwargs, nblocks=nblocks)
        return split_groups(groups, nblocks, **kwargs)

    monkeypatch.setattr(module, "split_groups", spy)
    pycoreneuron.simulate(EXAMPLE, 1.0, threads=2, dt=0.05)
    assert seen == {"nblocks": 2, "keep_together_below": 0.05, "consume": True,
                    "sort_by_depth": True, "interleave": False, "ordered": set(),
                    "keep_origins": False}  # no checkpoint asked: no index per node kept


def test_consuming_split_gives_the_same_blocks_and_drops_the_groups_arrays():
    kept = split_groups(read(EXAMPLE), 3)
    groups = read(EXAMPLE)
    consumed = split_groups(groups, 3, consume=True)
    assert groups[0].v is None and groups[0].a is None
    assert all(m.data is None for m in groups[0].mechanisms)
    for x, y in zip(kept, consumed, strict=True):
        for name in ("parent", "a", "b", "area", "v"):
            assert np.array_equal(getattr(x, name), getattr(y, name))
        for mx, my in zip(x.mechanisms, y.mechanisms, strict=True):
            assert np.array_equal(mx.data, my.data) and np.array_equal(mx.pdata, my.pdata)


def test_recording_nodes_keeps_the_group_whole():
    # Node indices are the group's: with record_nodes, threads run the group as one block.
    whole = pycoreneuron.simulate(EXAMPLE, 5.0, record_nodes=[0, 130])
    threaded = pycoreneuron.simulate(EXAMPLE, 5.0, record_nodes=[0, 130], threads=2)
    assert np.array_equal(threaded.voltages, whole.voltages)


@pytest.mark.parametrize("nblocks", [2, 3])
def test_bundled_example_split_gives_the_same_out_dat(nblocks):
    whole = pycoreneuron.simulate(EXAMPLE, 40.0, blocks=1)
    split = pycoreneuron.simulate(EXAMPLE, 40.0, blocks=nblocks)
    assert len(whole.spike_times) > 50
    assert out_dat(split) == out_dat(whole)


# -- against the unsplit run, on NEURON's datasets -----------------------------------------------


@pytest.fixture(scope="module")
def unsplit(ringtest_data) -> Callable[[str], str]:
    cache: dict[str, str] = {}

    def get(variant: str) -> str:
        if variant not in cache:
            coredat = ringtest_data(variant) / "coredat"
            cache[variant] = out_dat(pycoreneuron.simulate(
                coredat, TSTOP.get(variant, 100.0), mod=RINGTEST_MOD, blocks=1))
        return cache[variant]

    return get


@pytest.mark.neuron
@pytest.mark.parametrize("nblocks", [2, 3, 4])
@pytest.mark.parametrize("variant", VARIANTS)
def test_split_gives_the_unsplit_out_dat(ringtest_data, unsplit, variant, nblocks):
    coredat = ringtest_data(variant) / "coredat"
    groups = read(coredat)
    blocks = split_groups(groups, blocks_per_group(nblocks, len(groups)))
    assert len(blocks) >= nblocks  # really split
    if len(groups) == 1:
        check_split(groups, blocks)
    result = pycoreneuron.simulate(coredat, TSTOP.get(variant, 100.0), mod=RINGTEST_MOD,
                                   blocks=nblocks)
    reference = unsplit(variant)
    assert reference.count("\n") > 20
    assert out_dat(result) == reference


@pytest.mark.neuron
def test_split_of_several_groups_resolves_sources_across_them(ringtest_data):
    groups = read(ringtest_data("nt2") / "coredat")
    blocks = split_groups(groups, 2)
    assert len(blocks) == 4
    _check_presyns_and_netcons(blocks)
    crossing = sum(int(((b.netcon_src_group >= 0) & (b.netcon_src_group != k)).sum())
                   for k, b in enumerate(blocks))
    assert crossing > 0
    assert sum(b.n_netcon for b in blocks) == sum(g.n_netcon for g in groups)


@pytest.mark.neuron
@pytest.mark.parametrize("variant", ["default", "gap"])
def test_recorded_voltages_are_identical_split_and_unsplit(ringtest_data, variant):
    coredat = ringtest_data(variant) / "coredat"
    gids = [0, 1, 7, 8, 64, 127]
    kwargs = {"mod": RINGTEST_MOD, "record_gids": gids}
    whole = pycoreneuron.simulate(coredat, 20.0, blocks=1, **kwargs)
    split = pycoreneuron.simulate(coredat, 20.0, blocks=3, **kwargs)
    assert whole.voltages.shape == (len(gids), 801)
    assert np.array_equal(split.voltages, whole.voltages)
    assert np.array_equal(split.record_times, whole.record_times)


# Small networks using every built-in (tests/engine/neuron_models.py): artificial cells with
# and without gids, Random123 streams, VecPlay, NetCons without targets.
SMALL_MODELS = ["expsyn_exp2syn", "netstim", "netstim_noise", "seclamp", "vecplay", "passive",
                "netstim_edges", "intfire1", "intfire2", "intfire4", "apcount", "events_nt2",
                # Equal-time events from another block enter the target's queue at the window's
                # end, not when the spike was sent, so ties on one synapse can resolve in
                # another order. This model's ties (cell 2 after t = 3) came out differently
                # while spike sources walked their NetCons last to first (CoreNEURON's order);
                # walking them first to last as NEURON does, the window-end insertions happen
                # to land in NEURON's order here. The caveat itself remains (partition.md).
                "events"]


@pytest.mark.neuron
@pytest.mark.parametrize("model", SMALL_MODELS)
def test_small_models_split_give_the_same_spikes_and_voltages(neuron_model, model):
    folder, ref = neuron_model(model)
    coredat = folder / "coredat"
    groups = read_dataset(coredat, None, pycoreneuron.mechanisms(ref["mod"])).groups
    blocks = split_groups(groups, 3)
    if len(groups) == 1:
        check_split(groups, blocks)
    else:
        _check_presyns_and_netcons(blocks)
    kwargs = {"record_gids": ref["record_gids"], "record_interval": ref["dt"],
              "mod": ref["mod"], "voltage": ref["voltage"]}
    whole = pycoreneuron.simulate(coredat, ref["tstop"], blocks=1, **kwargs)
    split = pycoreneuron.simulate(coredat, ref["tstop"], blocks=3, **kwargs)
    assert out_dat(split) == out_dat(whole)
    assert np.array_equal(split.voltages, whole.voltages)


def test_one_block_sorted_by_depth_gives_the_same_bits_as_the_group_as_written():
    groups = read(EXAMPLE)
    sorted_blocks = split_groups(groups, 1, sort_by_depth=True)
    assert len(sorted_blocks) == 1 and sorted_blocks[0] is not groups[0]
    assert _core.hines_levels(groups[0].n_real_cell, groups[0].parent[: groups[0].nnode]) is None
    _check_tree(sorted_blocks[0])
    # record_nodes keeps the group as written; recording by gid lets it be sorted
    as_written = pycoreneuron.simulate(EXAMPLE, 40.0, record_nodes=[0], record_gids=[0, 5])
    by_depth = pycoreneuron.simulate(EXAMPLE, 40.0, record_gids=[0, 5])
    assert out_dat(as_written) == out_dat(by_depth)
    assert as_written.voltages[1:].tobytes() == by_depth.voltages.tobytes()
