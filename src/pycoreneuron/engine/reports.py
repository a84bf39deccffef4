"""SONATA reports during a run: what each report records, when, and its file.

CoreNEURON (NEURON 9.0.2, io/reports/) samples a report at the end of the steps that are
whole multiples of the report's dt after its start (step 0 is the state right after
initialisation), ``ceil((stop - start) / dt)`` rows, stop capped at tstop; each element is
one segment of a section (its element id the section id of the dataset's section mapping):
the centre segment of every section of the chosen section list, or every segment. Here the
blocks record the addresses of those doubles (v, or a mechanism instance's RANGE variable)
into their record buffers; between windows the samples are drained, gathered to rank 0 and
appended to the file, so a report is never held whole in memory.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NotSupportedError, PyCoreNeuronError, UsageError, quote
from ..io.out_dat import check_writable
from ..io.phase3 import Mapping, find_cell, section_nodes
from ..io.report_conf import Report, ReportConf
from ..io.sonata import ReportFile, require_h5py


@dataclass
class Planned:
    """One report on this rank: its schedule and its local elements."""

    report: Report
    first: int  # step of the first row
    period: int  # steps between rows
    nrows: int
    time: tuple[float, float, float]  # start, stop, dt [ms], libsonatareport's mapping/time
    gids: list[int] = field(default_factory=list)  # local nodes (cells), in target order
    elements: list[np.ndarray] = field(default_factory=list)  # section ids per local node
    cells: list[list[tuple[int, int]]] = field(default_factory=list)  # (block, address)
    columns: list[tuple[int, int]] = field(default_factory=list)  # (block, record row)


def schedule(report: Report, dt: float, tstop: float, nsteps: int) -> tuple[int, int, int,
                                                                            tuple[float, ...]]:
    """(first step, period in steps, rows, mapping/time) of a report, as CoreNEURON times
    it; a dt that is not a whole number of steps is refused (CoreNEURON would truncate it
    and label the samples with the wrong times)."""
    at = f"{report.where}: " if report.where else ""
    period = round(report.dt / dt)
    if period < 1 or abs(period * dt - report.dt) > 1e-9 * max(1.0, report.dt):
        raise UsageError(f"{at}report {report.name}: its dt {report.dt:g} ms must be a whole "
                         f"number of steps of dt {dt:g} ms")
    start = report.start
    stop = min(report.stop, tstop)
    first = math.ceil(start / dt - 1e-9)
    start_r = round(start / report.dt) * report.dt
    nrows = max(0, math.ceil((stop - start_r) / report.dt - 1e-9))
    # rows beyond the last step run (a stop past tstop's last step) are never sampled
    nrows = min(nrows, max(0, (nsteps - first) // period + 1)) if first <= nsteps else 0
    return first, period, nrows, (start_r, stop, report.dt)


def _variable(name: str, mechanisms: set[str]) -> tuple[str, str]:
    """(mechanism or "v", variable) of a report variable: ``v``, ``mech.var`` or NEURON's
    ``var_mech`` and ion names (``ina``)."""
    if name == "v":
        return "v", "v"
    if name.startswith("i_membrane"):
        raise NotSupportedError("i_membrane reports are not supported yet (no fast_imem)")
    if "." in name:
        mech, var = name.split(".", 1)
        return mech, var
    base, _, suffix = name.rpartition("_")
    if base and suffix in mechanisms:
        return suffix, base
    for ion in sorted(m for m in mechanisms if m.endswith("_ion")):
        if name in (f"e{ion[:-4]}", f"{ion[:-4]}i", f"{ion[:-4]}o", f"i{ion[:-4]}"):
            return ion, name
    return "", name


def _node_maps(blocks: list, nblocks_of_group: dict[int, list[int]]) -> dict[int, tuple]:
    """Per group index: (block of each group node, its index in that block)."""
    out: dict[int, tuple] = {}
    for k, members in nblocks_of_group.items():
        total = sum(blocks[b].nnode for b in members)
        owner = np.full(total, -1, np.int32)
        index = np.full(total, -1, np.int64)
        for b in members:
            origins = getattr(blocks[b], "origins", None)
            nodes = np.arange(blocks[b].nnode) if origins is None else origins.node
            owner[nodes] = b
            index[nodes] = np.arange(len(nodes))
        out[k] = (owner, index)
    return out


def plan(reports: list[Report], blocks: list, specs: list[dict], mappings: list[Mapping],
         dt: float, tstop: float, nsteps: int) -> list[Planned]:
    """Each report's schedule and the addresses of its elements in this rank's blocks."""
    groups: dict[int, list[int]] = {}
    for b, block in enumerate(blocks):
        groups.setdefault(block.origin_group if block.origin_group >= 0 else b, []).append(b)
    node_maps = _node_maps(blocks, groups) if mappings else {}
    cells: dict[int, tuple[int, int]] = {}  # gid -> (block, spike-source node)
    for b, block in enumerate(blocks):
        nvoltage = len(block.threshold)
        for p, gid in enumerate(np.asarray(block.output_gid[:nvoltage]).tolist()):
            if gid >= 0 and block.output_vindex[p] >= 0:
                cells[int(gid)] = (b, int(block.output_vindex[p]))
    names = {m.name for block in blocks for m in block.mechanisms}
    out = []
    for report in reports:
        at = f"{report.where}: " if report.where else ""
        first, period, nrows, time = schedule(report, dt, tstop, nsteps)
        mech, var = _variable(report.variable, names)
        if mech != "v" and mech not in names:
            raise UsageError(f"{at}report {report.name}: unknown variable "
                             f"{quote(report.variable)} (no mechanism "
                             f"{quote(mech or report.variable)} in the model)")
        planned = Planned(report, first, period, nrows, time)
        targets = sorted(cells) if report.gids is None else list(dict.fromkeys(report.gids))
        for gid in targets:
            if gid not in cells:
                continue  # on another rank, or missing: checked across ranks later
            b, source = cells[gid]
            if find_cell(mappings, gid) is None:
                if report.sections.lower() != "soma":
                    raise UsageError(f"{at}report {report.name} records {report.sections} of "
                                     f"gid {gid}, which has no section mapping (the dataset "
                                     "needs pc.nrnbbcore_register_mapping, as ringtest "
                                     "-secmapping); only soma reports work without it")
                segs = [(0, b, source)]  # the spike-source node, section 0
            else:
                segs = []
                owner, index = node_maps[blocks[b].origin_group if blocks[b].origin_group >= 0
                                         else b]
                for sec, nodes in section_nodes(mappings, gid, report.sections):
                    if report.compartments.lower() == "center":
                        if len(nodes) % 2 == 0:
                            raise UsageError(f"{at}report {report.name}: section {sec} of gid "
                                             f"{gid} has {len(nodes)} segments, no centre one")
                        nodes = nodes[len(nodes) // 2:len(nodes) // 2 + 1]
                    for node in nodes.tolist():
                        if not 0 <= node < len(owner) or owner[node] < 0:
                            raise UsageError(f"gid {gid}: its section mapping names node "
                                             f"{node}, not a node of its group")
                        segs.append((sec, int(owner[node]), int(index[node])))
                if not segs:
                    continue  # CoreNEURON leaves out a cell without that section list
            addresses = [(bb, _address(blocks[bb], specs[bb], mech, var, node, gid, report))
                         for _, bb, node in segs]
            planned.gids.append(gid)
            planned.elements.append(np.array([s for s, _, _ in segs], np.uint32))
            planned.cells.append(addresses)
        out.append(planned)
    return out


def _address(block: Any, spec: dict, mech: str, var: str, node: int, gid: int,
             report: Report) -> int:
    """Address of v at a block node, or of mech's variable at the instance on that node."""
    if mech == "v":
        return int(spec["v"].ctypes.data) + 8 * node
    at = f"{report.where}: " if report.where else ""
    for m in block.mechanisms:
        if m.name != mech or m.nodeindices is None:
            continue
        names = [n for n, _ in m.variables]
        j = next((names.index(c) for c in (var, f"{var}_{mech}",
                                           var.removesuffix(f"_{mech}")) if c in names), None)
        if j is None:
            raise UsageError(f"{at}report {report.name}: {mech} has no variable {quote(var)}")
        if m.variables[j][1] != 1:
            raise NotSupportedError(f"{at}report {report.name}: {mech}.{var} is an array")
        where = np.flatnonzero(np.asarray(m.nodeindices[:m.n]) == node)
        if len(where) > 1:
            raise UsageError(f"{at}report {report.name}: {mech} has {len(where)} instances "
                             f"on one segment of gid {gid}; a compartment report needs one")
        if len(where) == 1:
            return int(m.data.ctypes.data) + 8 * (m.padded * int(m.offsets[j]) +
                                                  int(where[0]))
    raise UsageError(f"{at}report {report.name}: no {mech} on a segment of gid {gid} it "
                     "records")


class ReportSink:
    """The reports of a run: drained between windows, gathered to rank 0, written there."""

    def __init__(self, planned: list[Planned], conf: ReportConf, outdir: Path, every: int,
                 comm: Any) -> None:
        self.planned, self.conf, self.every, self.comm = planned, conf, every, comm
        self.rank0 = comm is None or comm.Get_rank() == 0
        self.base = 0  # global index of the first sample in the buffers
        self.files: list[ReportFile | None] = []
        self.order: list[np.ndarray] = []  # per report: file column of each gathered column
        mine = [[(g, len(e), e) for g, e in zip(p.gids, p.elements, strict=True)]
                for p in planned]
        everyone = comm.allgather(mine) if comm is not None else [mine]
        failure: PyCoreNeuronError | None = None
        layouts = []
        try:
            for r, p in enumerate(planned):
                nodes = [n for rank in everyone for n in rank[r]]
                found = {g for g, _, _ in nodes}
                missing = [g for g in (p.report.gids or []) if g not in found]
                if missing:
                    at = f"{p.report.where}: " if p.report.where else ""
                    raise UsageError(f"{at}report {p.report.name} names gid {missing[0]}, "
                                     "not a cell of the model")
                if not nodes:
                    at = f"{p.report.where}: " if p.report.where else ""
                    raise UsageError(f"{at}report {p.report.name} has no element: no target "
                                     f"cell has a {p.report.sections} section list")
                order, layout = self._layout(nodes)
                self.order.append(order)
                layouts.append(layout)
            if self.rank0:  # every check passed: now the folder and the files
                make_folder(outdir)
                for p, layout in zip(planned, layouts, strict=True):
                    self.files.append(ReportFile(outdir / p.report.name, layout, p.nrows,
                                                 p.time, p.report.unit))
        except PyCoreNeuronError as exc:
            failure = exc
        self._agree(failure)

    def _layout(self, nodes: list) -> tuple[np.ndarray, list]:
        """Columns gathered rank after rank, put in libsonatareport's order: population by
        population, nodes by ascending gid; and (rank 0) the file's populations."""
        pops = [self.conf.population_of(g) for g, _, _ in nodes]
        names = list(dict.fromkeys(sorted(pops, key=lambda x: x[1])))
        key = [(names.index(pops[i]), g) for i, (g, _, _) in enumerate(nodes)]
        node_order = sorted(range(len(nodes)), key=lambda i: key[i])
        starts = np.concatenate(([0], np.cumsum([n for _, n, _ in nodes])))
        column = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in node_order])
        order = np.empty_like(column)
        order[column] = np.arange(len(column))
        layout = []
        if self.rank0:
            for k, pop in enumerate(names):
                mine = [i for i in node_order if key[i][0] == k]
                ids = np.array([self.conf.node_id(nodes[i][0], pop[1]) for i in mine], np.int64)
                if (ids < 0).any():
                    raise UsageError(f"gid {nodes[mine[int(np.argmax(ids < 0))]][0]} has no "
                                     f"SONATA node id in population {pop[0]} (offset {pop[1]})"
                                     ": node ids are gid - offset - 1 unless "
                                     "LIBSONATA_ZERO_BASED_GIDS is set")
                layout.append((pop[0], ids, np.array([nodes[i][1] for i in mine], np.int64),
                               np.concatenate([nodes[i][2] for i in mine])))
        return order, layout

    def _agree(self, failure: PyCoreNeuronError | None) -> None:
        from .ranks import agree

        if failure is not None or self.comm is not None:
            try:
                agree(self.comm, failure)
            except BaseException:
                self.abort()
                raise

    def drain(self, buffers: list[np.ndarray | None], nsample: int) -> None:
        """The samples base .. base + nsample - 1 of every block (buffers[b]: nsample x rows),
        appended to the files; collective under MPI."""
        failure: PyCoreNeuronError | None = None
        steps = (self.base + np.arange(nsample)) * self.every
        for r, p in enumerate(self.planned):
            rows = (steps >= p.first) & ((steps - p.first) % p.period == 0)
            rows &= (steps - p.first) // p.period < p.nrows
            sel = np.flatnonzero(rows)
            local = np.empty((len(sel), len(p.columns)), np.float64)
            for c, (b, row) in enumerate(p.columns):
                buf = buffers[b]
                assert buf is not None
                local[:, c] = buf[sel, row]
            parts = self.comm.gather(local, root=0) if self.comm is not None else [local]
            if self.rank0 and len(sel):
                try:
                    gathered = np.concatenate(parts, axis=1)
                    f = self.files[r]
                    assert f is not None
                    out = np.empty_like(gathered)
                    out[:, self.order[r]] = gathered
                    f.append(out)
                except PyCoreNeuronError as exc:
                    failure = failure or exc
        self.base += nsample
        if self.comm is not None or failure is not None:
            self._agree(failure)

    def commit(self) -> list[Path]:
        """Rename every complete file into place (rank 0)."""
        done = []
        try:
            for f in self.files:
                if f is not None:
                    done.append(f.commit())
        except BaseException:
            self.abort()
            raise
        self.files = []
        return done

    def abort(self) -> None:
        for f in self.files:
            if f is not None:
                f.abort()
        self.files = []


def record_every(planned: list[Planned], legacy: int | None) -> int:
    """Steps between recorded samples: every report's rows (and the record_interval of
    record_nodes/record_gids) fall on a multiple of it."""
    every = 0 if legacy is None else legacy
    for p in planned:
        every = math.gcd(every, p.period)
        every = math.gcd(every, p.first) if p.first else every
    return max(1, every)


def check_outdir(conf: ReportConf, outdir: str | os.PathLike[str] | None) -> Path:
    """The folder the files will go to, probed (made only when the files are), h5py
    present: both refused before any work."""
    require_h5py()
    folder = Path(outdir if outdir is not None else ".")
    check_writable(folder)
    return folder


def make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the output directory {quote(str(folder))}: "
                         f"{exc.strerror}") from None


__all__ = ["Planned", "ReportSink", "check_outdir", "plan", "record_every", "schedule"]
