"""read_dataset: a whole coredat directory, every group, cross-checked, into a Dataset."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DatasetError
from .catalogue import default_mechanisms, normalise
from .files_dat import FilesDat, read_files_dat
from .gap import read_gap
from .globals_dat import Globals, read_globals_dat
from .mech_dat import MechTable, read_mech_dat
from .model import Group
from .phase1 import Phase1, read_phase1
from .phase2 import read_phase2
from .phase3 import Mapping as SecMapping
from .phase3 import read_phase3
from .text import distinct

# The labels of CoreNEURON's "Simulation Statistics" block, in its order.
STAT_LABELS = (
    ("cells", "Number of cells"),
    ("compartments", "Number of compartments"),
    ("presyns", "Number of presyns"),
    ("input_presyns", "Number of input presyns"),
    ("synapses", "Number of synapses"),
    ("point_processes", "Number of point processes"),
    ("transfer_sources", "Number of transfer sources"),
    ("transfer_targets", "Number of transfer targets"),
)


@dataclass
class Dataset:
    """A NEURON dataset read into memory: its groups, mechanism table and globals."""

    path: Path
    files: FilesDat
    mech_table: MechTable
    globals: Globals
    groups: list[Group]
    input_gids: np.ndarray  # gids that NetCons listen to but no group read here outputs
    mapping: list[SecMapping] = field(default_factory=list)

    @property
    def has_gaps(self) -> bool:
        return self.files.has_gaps

    @property
    def nbytes(self) -> int:
        """Bytes held by the model's arrays."""
        return (sum(g.nbytes for g in self.groups) + self.input_gids.nbytes
                + sum(m.nbytes for m in self.mapping))

    def stats(self, nranks: int = 1) -> dict[str, int]:
        """The counts of CoreNEURON's "Simulation Statistics", summed over ``nranks`` ranks
        (files.dat entry i read by rank i % nranks; input presyns are counted per rank)."""
        by_id = {g.id: g for g in self.groups}
        out = dict.fromkeys((k for k, _ in STAT_LABELS), 0)
        for rank in range(nranks):
            groups = [by_id[i] for i in self.files.groups_for_rank(rank, nranks) if i in by_id]
            outputs: set[int] = set()
            for g in groups:
                outputs.update(int(x) for x in g.output_gid[g.output_gid >= 0])
            inputs: set[int] = set()
            for g in groups:
                src = g.netcon_srcgid
                inputs.update(int(x) for x in distinct(src[src >= 0]) if int(x) not in outputs)
                out["cells"] += g.n_real_cell
                out["compartments"] += g.nnode
                out["presyns"] += g.n_presyn
                out["synapses"] += g.n_netcon
                out["point_processes"] += g.n_pntproc
                if self.has_gaps:
                    out["transfer_sources"] += len(g.gap.src_sid) if g.gap else 0
                    out["transfer_targets"] += len(g.gap.tar_sid) if g.gap else 0
            out["input_presyns"] += len(inputs)
        return out

    def mechanism_counts(self) -> list[tuple[int, str, int, int]]:
        """(type, name, instances, bytes) of every mechanism with instances, by type number."""
        acc: dict[int, list[Any]] = {}
        for g in self.groups:
            for m in g.mechanisms:
                e = acc.setdefault(m.type, [m.name, 0, 0])
                e[1] += m.n
                e[2] += m.nbytes
        return [(t, e[0], e[1], e[2]) for t, e in sorted(acc.items()) if e[1] > 0]

    def model_stats_text(self, nranks: int = 1) -> str:
        """CoreNEURON's --model-stats blocks: statistics, mechanisms, model size."""
        s = self.stats(nranks)
        lines = ["", " Simulation Statistics"]
        lines += [f" {label}: {s[key]}" for key, label in STAT_LABELS]
        lines += ["", "============== MECHANISMS COUNT AND SIZE BY TYPE =============",
                  f"{'Id':>4} {'Name':>20} {'Count':>10} {'Total memory size (KiB)':>25}"]
        for t, name, n, nbytes in self.mechanism_counts():
            lines.append(f"{t:>4} {name:>20} {n:>10} {nbytes / 1024:>25.2f}")
        lines.append("==============================================================")
        lines.append(f" Model size   : {_human(self.nbytes)}")
        return "\n".join(lines)

    def summary(self) -> str:
        """A short human-readable description of the dataset."""
        s = self.stats()
        lines = [f"coredat dataset {self.path} (version 1.8): {len(self.groups)} group(s) "
                 f"{[g.id for g in self.groups]}" + (", gap junctions" if self.has_gaps else "")]
        lines += [f"  {label}: {s[key]}" for key, label in STAT_LABELS]
        lines.append("  mechanisms (type, name, instances, memory):")
        for t, name, n, nbytes in self.mechanism_counts():
            lines.append(f"    {t:>4} {name:<20} {n:>10} {_human(nbytes):>12}")
        plays = sum(len(g.vecplay) for g in self.groups)
        bbcp = sum(len(g.bbcorepointer) for g in self.groups)
        if plays or bbcp:
            lines.append(f"  VecPlay: {plays}, BBCOREPOINTER records: {bbcp}")
        if self.mapping:
            lines.append(f"  section mapping: {sum(len(m.gid) for m in self.mapping)} cells")
        celsius = self.globals.get("celsius")
        dt = self.globals.get("dt")
        lines.append(f"  celsius {celsius}, dt {dt}, secondorder {self.globals.secondorder}")
        lines.append(f"  memory: {_human(self.nbytes)}")
        return "\n".join(lines)


def _human(nbytes: int) -> str:
    if nbytes < 1024:
        return f"{nbytes} bytes"
    if nbytes < 1024**2:
        return f"{nbytes / 1024:.2f} kB"
    if nbytes < 1024**3:
        return f"{nbytes / 1024**2:.2f} MB"
    return f"{nbytes / 1024**3:.2f} GB"


def read_dataset(path: str | Path, filesdat: str | Path | None = None,
                 mechanisms: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]]
                 | None = None, groups: Iterable[int] | None = None) -> Dataset:
    """Read a directory written by ``pc.nrnbbcore_write`` (coredat format 1.8).

    ``filesdat`` replaces ``path/files.dat`` (group files are still found in ``path``).
    ``mechanisms`` describes the mechanisms this run has (name -> descriptor, or a list of
    descriptors); by default ``pycoreneuron.mechanisms()``. Every file is validated; any
    problem raises :class:`pycoreneuron.DatasetError` naming the file. ``groups`` reads only
    those group ids (one MPI rank's share); NetCon sources in other groups are then inputs.
    """
    root = Path(path)
    if not root.exists():
        raise DatasetError(f"dataset directory {root} does not exist")
    if not root.is_dir():
        raise DatasetError(f"{root} is not a directory (pass the directory that "
                           "pc.nrnbbcore_write wrote)")
    descriptors = normalise(mechanisms) if mechanisms is not None else default_mechanisms()
    files = read_files_dat(Path(filesdat) if filesdat is not None else root / "files.dat")
    table = read_mech_dat(root / "bbcore_mech.dat")
    glob = read_globals_dat(root / "globals.dat")
    ids = files.groups_for_rank(0, 1)
    groups_subset = groups
    if groups is not None:
        wanted = [int(g) for g in groups]
        unknown = [g for g in wanted if g not in ids]
        if unknown:
            raise DatasetError(f"{files.path}: group {unknown[0]} is not listed")
        ids = wanted

    # Phase 1 of every group first: the set of output gids decides which sources are local.
    p1s: dict[int, Phase1] = {gid: read_phase1(root / f"{gid}_1.dat") for gid in ids}
    outputs = _OutputGids(root, ids, [p1s[gid].output_gid for gid in ids])

    groups = [read_phase2(root / f"{gid}_2.dat", gid, p1s[gid], table, descriptors)
              for gid in ids]

    # NetCon sources, resolved as CoreNEURON does for one rank reading every group: a gid is
    # looked up among all groups' outputs, else it is an input; a negative code only among
    # its own group's artificial-cell sources.
    pending = [g.netcon_srcgid[~outputs.find(g.netcon_srcgid)[0] & (g.netcon_srcgid >= 0)]
               for g in groups]
    input_gids = distinct(np.concatenate(pending)) if pending else np.zeros(0, np.int32)
    input_gids = input_gids.astype(np.int32)
    for gi, g in enumerate(groups):
        src = g.netcon_srcgid
        sg = np.full(len(src), -2, np.int32)
        si = np.full(len(src), -1, np.int32)
        found, grp, idx = outputs.find(src)
        sg[found], si[found] = grp[found], idx[found]
        remote = (src >= 0) & ~found
        sg[remote] = -1
        si[remote] = np.searchsorted(input_gids, src[remote])
        neg = np.flatnonzero(src < -1)
        if neg.size:
            codes = g.output_gid
            k = np.flatnonzero(codes < -1)
            order = np.argsort(codes[k], kind="stable")
            sorted_codes = codes[k][order]
            pos = np.searchsorted(sorted_codes, src[neg])
            pos_c = np.minimum(pos, max(len(sorted_codes) - 1, 0))
            ok = (pos < len(sorted_codes)) & (sorted_codes[pos_c] == src[neg]) \
                if len(sorted_codes) else np.zeros(len(neg), bool)
            if not ok.all():
                i = int(neg[np.flatnonzero(~ok)[0]])
                raise DatasetError(
                    f"{root / f'{g.id}_1.dat'}: NetCon {i} has source {int(src[i])}, which no "
                    "spike source of this group has")
            sg[neg] = gi
            si[neg] = k[order][pos]
        g.netcon_src_group, g.netcon_src_index = sg, si

    if files.has_gaps:
        for g in groups:
            gap_path = root / f"{g.id}_gap.dat"
            if gap_path.exists():
                g.gap = read_gap(gap_path, g)
        # A subset of the groups (one MPI rank's) may have targets whose sources are elsewhere.
        _check_gap_ids(root, groups, complete=groups_subset is None)

    mapping = []
    for gid in ids:
        p3 = root / f"{gid}_3.dat"
        if p3.exists():
            mp = read_phase3(p3)
            _check_mapping(p3, mp, groups, outputs)
            mapping.append(mp)

    return Dataset(root, files, table, glob, groups, input_gids, mapping)


class _OutputGids:
    """Every output gid (>= 0) of the groups read together, with its group and PreSyn index;
    a gid may be the output of one PreSyn only."""

    def __init__(self, root: Path, ids: list[int], output_gids: list[np.ndarray]) -> None:
        gids, grp, idx = [], [], []
        for gi, out in enumerate(output_gids):
            k = np.flatnonzero(out >= 0)
            gids.append(out[k].astype(np.int64))
            grp.append(np.full(len(k), gi, np.int32))
            idx.append(k.astype(np.int32))
        allg = np.concatenate(gids) if gids else np.zeros(0, np.int64)
        order = np.argsort(allg, kind="stable")
        self.gids = allg[order]
        self.group = (np.concatenate(grp) if grp else np.zeros(0, np.int32))[order]
        self.index = (np.concatenate(idx) if idx else np.zeros(0, np.int32))[order]
        dup = np.flatnonzero(self.gids[1:] == self.gids[:-1])
        if dup.size:
            d = int(dup[0])
            first, second = ids[self.group[d]], ids[self.group[d + 1]]
            raise DatasetError(
                f"{root / f'{second}_1.dat'}: gid {int(self.gids[d])} is already the output of "
                f"{'this group' if first == second else f'group {first}'}; gids must be unique")

    def find(self, gids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(found, group, index) for each gid; group and index are -1 where not found."""
        gids = np.asarray(gids, dtype=np.int64)
        n = len(self.gids)
        pos = np.searchsorted(self.gids, gids)
        pos_c = np.minimum(pos, max(n - 1, 0))
        found = (pos < n) & (self.gids[pos_c] == gids) & (gids >= 0) if n else \
            np.zeros(len(gids), bool)
        grp = np.where(found, self.group[pos_c] if n else -1, -1).astype(np.int32)
        idx = np.where(found, self.index[pos_c] if n else -1, -1).astype(np.int32)
        return found, grp, idx


def _check_gap_ids(root: Path, groups: list[Group], complete: bool = True) -> None:
    seen: dict[int, int] = {}
    for g in groups:
        if g.gap is None:
            continue
        for sid in g.gap.src_sid.tolist():
            if sid in seen:
                raise DatasetError(f"{root / f'{g.id}_gap.dat'}: source id {sid} is also a "
                                   f"source in group {seen[sid]}; source ids must be unique")
            seen[sid] = g.id
    for g in groups:
        if g.gap is None or not complete:
            continue
        missing = [s for s in distinct(g.gap.tar_sid).tolist() if s not in seen]
        if missing:
            raise DatasetError(f"{root / f'{g.id}_gap.dat'}: target id {missing[0]} has no "
                               "source in any group")


def _check_mapping(path: Path, mp: SecMapping, groups: list[Group],
                   outputs: _OutputGids) -> None:
    found, grp, _ = outputs.find(mp.gid)
    for c, gid in enumerate(mp.gid.tolist()):
        if not found[c]:
            raise DatasetError(f"{path}: mapping for gid {gid}, which no group outputs")
        nnode = groups[grp[c]].nnode
        lists = np.flatnonzero(mp.list_cell == c)
        for j in lists:
            segs = mp.segments[mp.list_seg_start[j] : mp.list_seg_start[j + 1]]
            bad = np.flatnonzero((segs < 0) | (segs >= nnode))
            if bad.size:
                raise DatasetError(f"{path}: segment {int(bad[0])} of section list "
                                   f"{mp.list_name[j]} of gid {gid} is node {int(segs[bad[0]])},"
                                   f" outside 0..{nnode - 1}")
