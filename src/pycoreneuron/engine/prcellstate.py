"""-g/--prcellgid GID: CoreNEURON's prcellstate files, one cell's whole state as text.

special-core writes ``<gid>_cpu_init.corenrn`` once the dataset is read, ``<gid>_cpu_t0.000000
.corenrn`` after finitialize, ``<gid>_fs.corenrn`` after a forward skip and ``<gid>_cpu_t<t>
.corenrn`` at the end, in the folder it runs in: the cell's nodes (parent, area, a, b, v),
every value of every mechanism instance on it (artificial cells left out), and the NetCons onto
its point processes with their current weights. The format (prcellstate.cpp of NEURON 9.0.2)
is followed line for line, numbers as printf's %.15g, so the files can be compared with
CoreNEURON's with diff.

The values come from the run's blocks gathered in the dataset's own order (the checkpoint
code's view of the state); the cell's structure from its group, read again from the dataset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..io.model import Group
from ..io.out_dat import write_atomically
from . import checkpoint as chk

PRECISION = 15


def _g(x: float) -> str:
    return f"{x:.{PRECISION}g}"


def file_name(gid: int, suffix: str) -> str:
    return f"{gid}_{suffix}.corenrn"


def time_suffix(t: float) -> str:
    """CoreNEURON's "cpu_t" + std::to_string(t) (printf's %f)."""
    return f"cpu_t{t:f}"


def find_group(blocks: list[Group], gid: int) -> int | None:
    """The id of the group whose spike sources include gid, or None (not on this rank)."""
    for block in blocks:
        if (np.asarray(block.output_gid) == gid).any():
            return block.id
    return None


def group_state(group_id: int, blocks: list[Group], specs: list[dict[str, Any]],
                runs: list[Any]) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
    """(v by node, each mechanism's values by instance, weights) of a group, in its order."""
    members = [(b, blocks[b], specs[b], runs[b]) for b in range(len(blocks))
               if blocks[b].id == group_id]
    _, arrays = chk._group_state(group_id, members)
    nmech = len(members[0][1].mechanisms)
    return arrays["v"], [arrays[f"m{k}_data"] for k in range(nmech)], arrays["weights"]


def as_read(group: Group) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
    """The same three, as the dataset holds them (before finitialize)."""
    rows = [chk._instance_rows(m, m.data) for m in group.mechanisms]
    return np.asarray(group.v)[: group.nnode].copy(), rows, np.asarray(group.weights)


def text(gid: int, t: float, celsius: float, group: Group, state: tuple,
         nargs: dict[str, int]) -> str:
    """The file's text. nargs: each mechanism's NET_RECEIVE argument count (-1: none)."""
    v, rows, weights = state
    lines = [f"gid = {gid}", f"t = {_g(t)}", f"celsius = {_g(celsius)}"]
    out_gid = np.asarray(group.output_gid)
    p = int(np.flatnonzero(out_gid == gid)[0])
    vindex = np.asarray(group.output_vindex)
    if p >= len(group.threshold) or vindex[p] < 0:  # an artificial cell: no cell state
        return "\n".join(lines) + "\n"
    lines += _cell(group, p, v, rows, weights, nargs)
    return "\n".join(lines) + "\n"


def _cell(group: Group, p: int, v: np.ndarray, rows: list[np.ndarray], weights: np.ndarray,
          nargs: dict[str, int]) -> list[str]:
    nnode, ncell = group.nnode, group.n_real_cell
    parent = np.asarray(group.parent, dtype=np.int64)[:nnode]
    inode = int(group.output_vindex[p])
    root = inode
    while root >= ncell:
        root = int(parent[root])
    cellnodes = np.full(nnode, -1, dtype=np.int64)
    cnt = 0
    cellnodes[root] = cnt
    cnt += 1
    for i in range(ncell, nnode):  # dataset order: a parent comes before its children
        if cellnodes[parent[i]] >= 0:
            cellnodes[i] = cnt
            cnt += 1
    out = [f"{cnt} nodes  {int(cellnodes[inode]) - 1} is the threshold node",
           f" threshold {_g(float(group.threshold[p]))}", "inode parent area a b"]
    area, a, b = (np.asarray(x) for x in (group.area, group.a, group.b))
    for i in np.flatnonzero(cellnodes >= 0).tolist():
        ip = int(parent[i])
        out.append(f"{cellnodes[i]} {cellnodes[ip] if ip >= 0 else -1} {_g(float(area[i]))} "
                   f"{_g(float(a[i]))} {_g(float(b[i]))}")
    out.append("inode v")
    out += [f"{cellnodes[i]} {_g(float(v[i]))}" for i in np.flatnonzero(cellnodes >= 0).tolist()]

    pnt_index: dict[tuple[int, int], int] = {}
    for k, m in enumerate(group.mechanisms):
        if m.kind == "artificial_cell" or m.n == 0:
            continue
        receives = nargs.get(m.name, -1) >= 0
        raw = _raw(m, rows[k])
        header = False
        for i in range(m.n):
            cix = int(cellnodes[int(m.nodeindices[i])])
            if cix < 0:
                continue
            if not header:
                header = True
                out.append(f"type={m.type} {m.name} size={m.psize}")
            if receives:
                out.append(f"{cix} nri {len(pnt_index)}")
                pnt_index[(k, i)] = len(pnt_index)
            out += [f" {cix} {j} {_g(float(raw[j * m.padded + i]))}" for j in range(m.psize)]
    if pnt_index:
        out += _netcons(group, pnt_index, weights, nargs)
    return out


def _raw(m: Any, rows: np.ndarray) -> np.ndarray:
    """The values in CoreNEURON's memory layout (field-major, padded rows; an array variable's
    elements side by side), which prcellstate prints as data[j*stride + i]."""
    raw = np.zeros(m.padded * m.psize, dtype=np.float64)
    off = 0
    for _, dim in m.variables:
        raw[m.padded * off : m.padded * (off + dim)].reshape(m.padded, dim)[: m.n] = \
            rows[:, off : off + dim]
        off += dim
    return raw


def _netcons(group: Group, pnt_index: dict[tuple[int, int], int], weights: np.ndarray,
             nargs: dict[str, int]) -> list[str]:
    lists: list[list[int]] = [[] for _ in pnt_index]
    tm = np.asarray(group.netcon_target_mech)
    ti = np.asarray(group.netcon_pntindex)
    for nc in range(group.n_netcon):
        where = pnt_index.get((int(tm[nc]), int(ti[nc])))
        if where is not None:
            lists[where].append(nc)
    out = [f"netcons {sum(len(x) for x in lists)}", " pntindex srcgid active delay weights"]
    srcgid = np.asarray(group.netcon_srcgid)
    src_group = np.asarray(group.netcon_src_group) if group.netcon_src_group is not None \
        else np.full(group.n_netcon, -1)
    src_index = np.asarray(group.netcon_src_index) if group.netcon_src_index is not None \
        else np.full(group.n_netcon, -1)
    start = np.asarray(group.weight_index, dtype=np.int64)
    for i, ncs in enumerate(lists):
        for nc in ncs:
            delay = _g(float(group.delay[nc]))
            if src_group[nc] >= 0:  # a spike source of this group (a PreSyn)
                ps = int(src_index[nc])
                gid = int(group.output_gid[ps])
                if gid < 0 and group.presyn_mech[ps] >= 0:
                    source = group.mechanisms[int(group.presyn_mech[ps])].name
                elif gid < 0 and int(group.output_vindex[ps]) > 0:
                    source = "v"
                else:
                    source = str(gid)
            elif srcgid[nc] >= 0:  # an input from elsewhere (an InputPreSyn)
                source = str(int(srcgid[nc]))
            else:  # no source CoreNEURON finds: its map gives 0
                source = "0"
            m = group.mechanisms[int(tm[nc])]
            w = weights[start[nc] : start[nc] + max(0, nargs.get(m.name, 0))]
            out.append(f"{i} {source} 1 {delay}" + "".join(f" {_g(float(x))}" for x in w))
    return out


def write(folder: Path, gid: int, suffix: str, body: str) -> Path:
    target = folder / file_name(gid, suffix)
    write_atomically(target, body)
    return target


__all__ = ["file_name", "find_group", "text", "time_suffix", "write"]


class CellPrinter:
    """The -g GID files of one run: on the rank whose groups hold the gid, nothing elsewhere
    (special-core writes nothing either for a gid it does not have)."""

    def __init__(self, gid: int, folder: Path, root: Any, filesdat: Any, mechanisms: Any,
                 groups: list[Group], nargs: dict[str, int], celsius: float) -> None:
        from ..io.dataset import read_dataset

        self.gid, self.folder, self.nargs, self.celsius = gid, folder, nargs, celsius
        self.group_id = find_group(groups, gid)
        self.group = None if self.group_id is None else \
            read_dataset(root, filesdat, mechanisms, groups=[self.group_id]).groups[0]

    def as_read(self) -> None:
        """special-core's <gid>_cpu_init.corenrn: the cell as the dataset holds it."""
        if self.group is not None:
            write(self.folder, self.gid, "cpu_init",
                  text(self.gid, 0.0, self.celsius, self.group, as_read(self.group), self.nargs))

    def now(self, suffix: str, blocks: list[Group], specs: list[dict[str, Any]], runs: list[Any],
            t: float) -> None:
        if self.group is not None:
            state = group_state(self.group_id, blocks, specs, runs)
            write(self.folder, self.gid, suffix,
                  text(self.gid, t, self.celsius, self.group, state, self.nargs))
