"""pycoreneuron-ringtest: CoreNEURON's ringtest tutorial model, built with NEURON's Python API.

The model is the one of the public tutorial (github nrnhines/ringtest): ``nring`` rings of
``ncell`` ball-and-stick cells; cell i of a ring excites cell i+1 through an ExpSyn on its first
dendrite (or, with ``-gap``, through HalfGap gap junctions from soma to dendrite), and a NetStim
starts each ring at t = 0. Cells come in ``ntype`` random topologies drawn from Random123
streams, so the same flags give the same model, the same dataset and the same spikes on any
number of ranks. This builder reproduces the tutorial's cells, gids, parameters, random draws and
connections, writes the CoreNEURON dataset with ``pc.nrnbbcore_write`` and NEURON's own spikes
(``spk<nhost>.std``), and prints NEURON's run time.

NEURON is imported only when the model is built, never when pycoreneuron is imported.

Two departures from the tutorial, both invisible in the spikes: with ``-nt N`` each ring's
NetStim is located in its first cell's soma, so the NetStim and the cell it drives land in the
same NEURON thread and the model can be dumped (the tutorial's ``-nt 2`` cannot); and
``-secmapping`` registers the section-segment mapping (``<g>_3.dat``) before the dump.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# The tutorial draws each cell's topology from this Random123 stream id (type, TOPOLOGY_STREAM)
# and the gid-to-type shuffle from (0, SHUFFLE_STREAM).
TOPOLOGY_STREAM = 2
SHUFFLE_STREAM = 1
SYNAPSE_WEIGHT = 0.01  # uS, ring and stimulus NetCons
RING_DELAY = 1.0  # ms
THRESHOLD = 10.0  # mV, spike detection at soma(1)
GAP_CONDUCTANCE = 0.04  # uS, both halves of every gap junction

MOD_DIR = Path(__file__).with_name("mod")


def build_parser() -> argparse.ArgumentParser:
    """The tutorial's flags, with its defaults."""
    p = argparse.ArgumentParser(
        prog="pycoreneuron-ringtest",
        description="Build CoreNEURON's ringtest model with NEURON, write its dataset with "
        "nrnbbcore_write and NEURON's spikes to spk<nhost>.std.",
    )
    p.add_argument("-nring", type=int, default=16, metavar="N", help="number of rings (16)")
    p.add_argument("-ncell", type=int, default=8, metavar="N", help="cells per ring (8)")
    p.add_argument("-npt", type=int, default=8, metavar="N", help="cells per type (8)")
    p.add_argument("-branch", type=int, nargs=2, default=[10, 20], metavar="N",
                   help="range of dendritic branches per cell (10 20)")
    p.add_argument("-compart", type=int, nargs=2, default=[1, 1], metavar="N",
                   help="range of compartments per branch (1 1)")
    p.add_argument("-tstop", type=float, default=100.0, metavar="MS", help="stop time (100)")
    p.add_argument("-gran", type=int, default=0, metavar="N",
                   help="global Random123 index (0)")
    p.add_argument("-rparm", action="store_true", help="randomize parameters")
    p.add_argument("-secmapping", action="store_true",
                   help="register the section-segment mapping (writes <g>_3.dat)")
    p.add_argument("-gap", action="store_true", help="connect the rings by gap junctions")
    p.add_argument("-nt", type=int, default=1, metavar="N", help="NEURON threads (1)")
    p.add_argument("-coredat", default="coredat", metavar="DIR",
                   help="directory for the dataset (coredat)")
    p.add_argument("-show", action="store_true", help="print the cell topologies")
    p.add_argument("-mpi", action="store_true", help="run under mpiexec (NEURON's MPI)")
    return p


def _nrnivmodl_cache() -> Path:
    root = os.environ.get("PYCORENEURON_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pycoreneuron")
    return Path(root) / "nrnivmodl"


def compile_halfgap_for_neuron() -> Path:
    """NEURON's own build of halfgap.mod (nrnivmodl), cached by content; returns its folder."""
    source = MOD_DIR / "halfgap.mod"
    if not source.exists():  # running from a source tree: the file lives in examples/
        source = Path(__file__).parents[3] / "examples" / "ringtest" / "mod" / "halfgap.mod"
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    folder = _nrnivmodl_cache() / digest
    library = folder / "x86_64" / "libnrnmech.so"
    if library.exists():
        return folder
    scratch = folder.with_name(f"{digest}.tmp{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / "mod").mkdir(parents=True)
    shutil.copy(source, scratch / "mod" / "halfgap.mod")
    nrnivmodl = shutil.which("nrnivmodl") or str(Path(sys.executable).with_name("nrnivmodl"))
    result = subprocess.run([nrnivmodl, "mod"], cwd=scratch, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"nrnivmodl failed on {source}:\n{result.stdout}{result.stderr}")
    try:
        scratch.rename(folder)
    except OSError:  # another process got there first
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


class BallStick:
    """One ringtest cell: a soma with hh, a tree of passive dendrites, two ExpSyns on dend[0]."""

    def __init__(self, h: Any, gid: int, parent_of: Sequence[int], nseg_of: Sequence[int]):
        self.gid = gid
        nbranch = len(parent_of)
        self.soma = h.Section(name="soma", cell=self)
        self.dend = [h.Section(name=f"dend[{i}]", cell=self) for i in range(nbranch)]
        self._connect(parent_of)
        for sec, nseg in zip(self.dend, nseg_of, strict=True):
            sec.nseg = int(nseg)
        self.all = [self.soma, *self.dend]
        self._geometry()
        self._biophysics()
        self.synlist = self._synapses(h)

    def _connect(self, parent_of: Sequence[int]) -> None:
        self.dend[0].connect(self.soma(1), 0)
        for i in range(1, len(self.dend)):
            self.dend[i].connect(self.dend[int(parent_of[i])](1), 0)
        # The tutorial gives soma and dend[0] 3-d points before setting L and diam; areas are
        # then computed from those points, so do the same to get the same bits.
        for sec, x0, x1 in ((self.soma, 0, 15), (self.dend[0], 15, 105)):
            sec.pt3dclear()
            sec.pt3dadd(x0, 0, 0, 1)
            sec.pt3dadd(x1, 0, 0, 1)

    def _geometry(self) -> None:
        self.soma.L = self.soma.diam = 12.6157  # um, area about 500 um2
        self.dend[0].L = 200
        self.dend[0].diam = 1
        for sec in self.dend[1:]:
            sec.L = 10
            sec.diam = 1

    def _biophysics(self) -> None:
        for sec in self.all:
            sec.Ra = 100  # ohm cm
            sec.cm = 1  # uF/cm2
        self.soma.insert("hh")
        for seg in self.soma:
            seg.hh.gnabar = 0.12  # S/cm2
            seg.hh.gkbar = 0.036
            seg.hh.gl = 0.0003
            seg.hh.el = -54.3  # mV
        for sec in self.dend:
            sec.insert("pas")
            for seg in sec:
                seg.pas.g = 0.001  # S/cm2
                seg.pas.e = -65  # mV

    def _synapses(self, h: Any) -> list[Any]:
        excitatory = h.ExpSyn(self.dend[0](0.8))
        excitatory.tau = 2  # ms
        inhibitory = h.ExpSyn(self.dend[0](0.1))
        inhibitory.tau = 5
        inhibitory.e = -80  # mV
        return [excitatory, inhibitory]

    def spike_source(self, h: Any) -> Any:
        """A NetCon watching v at the soma's distal end (threshold set by pc.cell)."""
        nc = h.NetCon(self.soma(1)._ref_v, None, sec=self.soma)
        nc.threshold = THRESHOLD
        return nc


def cell_topology(h: Any, celltype: int, branch: Sequence[int], compart: Sequence[int]
                  ) -> tuple[list[int], list[int]]:
    """The parent branch and segment count of every dendrite of a cell type.

    Draws, from stream (celltype, 2): the branch count, then one segment count per branch, then
    for each branch after the first a parent among the open tips, so that no branch has more
    than two children.
    """
    r = h.Random()
    r.Random123(celltype, TOPOLOGY_STREAM)
    nbranch = int(r.discunif(branch[0], branch[1]))
    r.discunif(compart[0], compart[1])
    nseg_of = [int(r.repick()) for _ in range(nbranch)]
    parent_of = [0] * nbranch
    open_tips = [[0, 0]]  # [branch, children so far]
    for i in range(1, nbranch):
        k = int(r.discunif(0, len(open_tips) - 1))
        parent_of[i] = open_tips[k][0]
        open_tips[k][1] += 1
        if open_tips[k][1] > 1:  # the tip is full: the new branch replaces it as an open tip
            open_tips[k] = [i, 0]
        else:
            open_tips.append([i, 0])
    return parent_of, nseg_of


def shuffled_types(h: Any, ncell_total: int, ntype: int) -> list[int]:
    """Cell types of all gids: 0..ntype-1 repeated, shuffled by stream (0, 1)."""
    ran = h.Random()
    ran.Random123(0, SHUFFLE_STREAM)
    types = [i % ntype for i in range(ncell_total)]
    last = ncell_total - 1
    for i in range(ncell_total):
        j = int(ran.discunif(i, last))
        types[i], types[j] = types[j], types[i]
    return types


class Ring:
    """One ring of cells, the part of it that lives on this rank."""

    def __init__(self, h: Any, pc: Any, index: int, args: argparse.Namespace,
                 types: Sequence[int]):
        self.h, self.pc = h, pc
        self.gidstart = index * args.ncell
        self.ncell = args.ncell
        self.gap_dend_sid_offset = args.nring * args.ncell
        self.cells: list[BallStick] = []
        self.gids: list[int] = []
        self.nclist: list[Any] = []
        self.halfgaps: list[Any] = []
        rank, nhost = int(pc.id()), int(pc.nhost())
        for gid in range(self.gidstart, self.gidstart + args.ncell):
            if gid % nhost != rank:
                continue
            parent_of, nseg_of = cell_topology(h, types[gid], args.branch, args.compart)
            cell = BallStick(h, gid, parent_of, nseg_of)
            self.cells.append(cell)
            self.gids.append(gid)
            pc.set_gid2node(gid, rank)
            pc.cell(gid, cell.spike_source(h))
        for i in range(args.ncell):
            source = self.gidstart + i
            target = self.gidstart + (i + 1) % args.ncell
            if args.gap:
                self._gap_junction(source, target)
            else:
                self._synapse(source, target)
        self._stimulus(args.nt > 1)

    def _synapse(self, source: int, target: int) -> None:
        if not self.pc.gid_exists(target):
            return
        nc = self.pc.gid_connect(source, self.pc.gid2cell(target).synlist[0])
        nc.delay = RING_DELAY
        nc.weight[0] = SYNAPSE_WEIGHT
        self.nclist.append(nc)

    def _gap_junction(self, soma_gid: int, dend_gid: int) -> None:
        # Soma voltages are published under sid = gid, dendrite voltages under gid + ncell total.
        soma_sid = soma_gid
        dend_sid = dend_gid + self.gap_dend_sid_offset
        if self.pc.gid_exists(dend_gid):
            self._half_gap(self.pc.gid2cell(dend_gid).dend[0](0.5), dend_sid, soma_sid)
        if self.pc.gid_exists(soma_gid):
            self._half_gap(self.pc.gid2cell(soma_gid).soma(0.5), soma_sid, dend_sid)

    def _half_gap(self, seg: Any, own_sid: int, other_sid: int) -> None:
        self.pc.source_var(seg._ref_v, own_sid, sec=seg.sec)
        hg = self.h.HalfGap(seg)
        self.pc.target_var(hg, hg._ref_vgap, other_sid)
        hg.g = GAP_CONDUCTANCE
        self.halfgaps.append(hg)

    def _stimulus(self, threaded: bool) -> None:
        if not self.pc.gid_exists(self.gidstart):
            return
        first = self.pc.gid2cell(self.gidstart)
        # With several NEURON threads, locate the NetStim in its target's soma so both end up in
        # the same thread; a located ARTIFICIAL_CELL behaves exactly as an unlocated one.
        self.stim = self.h.NetStim(first.soma(0.5)) if threaded else self.h.NetStim()
        self.stim.number = 1
        self.stim.start = 0
        nc = self.h.NetCon(self.stim, first.synlist[0])
        nc.delay = RING_DELAY
        nc.weight[0] = SYNAPSE_WEIGHT
        self.nclist.append(nc)


def randomize_cell(h: Any, pc: Any, cell: BallStick, nclist: Sequence[Any]) -> None:
    """The tutorial's -rparm: scale every parameter of a cell by its own U(1, 1.1) draws.

    Stream (gid): section lengths, then per segment diam, cm, every density mechanism
    parameter and every point-process parameter (HalfGap excepted: both halves must agree),
    then the weight and delay of each NetCon onto the cell, then the threshold plus U(-9, 0).
    """
    r = h.Random()
    r.Random123(cell.gid)
    r.uniform(1.0, 1.1)
    name = h.ref("")
    for sec in cell.all:
        sec.L *= r.repick()
        for seg in sec:
            seg.diam *= r.repick()
            seg.cm *= r.repick()
            for mech in seg:
                ms = h.MechanismStandard(mech.name(), 1)
                for i in range(int(ms.count())):
                    ms.name(name, i)
                    setattr(seg, name[0], getattr(seg, name[0]) * r.repick())
            for pp in seg.point_processes():
                kind = pp.hname().split("[")[0]
                if kind == "HalfGap":
                    continue
                ms = h.MechanismStandard(kind, 1)
                for i in range(int(ms.count())):
                    ms.name(name, i)
                    setattr(pp, name[0], getattr(pp, name[0]) * r.repick())
    for nc in nclist:
        if nc.postcell() == cell:
            nc.weight[0] *= r.repick()
            nc.delay *= r.repick()
    pc.threshold(cell.gid, pc.threshold(cell.gid) + r.uniform(-9, 0))


def register_section_mapping(h: Any, pc: Any, cell: BallStick) -> None:
    """Register soma and dendrite segments (section id, node index) for <g>_3.dat."""
    for listname, sections, first_id in (("soma", [cell.soma], 0), ("dend", cell.dend, 1)):
        secvec, segvec = h.Vector(), h.Vector()
        for offset, sec in enumerate(sections):
            for seg in sec:
                secvec.append(first_id + offset)
                segvec.append(seg.node_index())
        pc.nrnbbcore_register_mapping(cell.gid, listname, secvec, segvec)


def partition_rings(h: Any, pc: Any, rings: Sequence[Ring], nthread: int) -> None:
    """Put ring r's cells in thread r % nthread, so each ring lives in one thread."""
    for thread in range(nthread):
        sections = h.SectionList()
        for r, ring in enumerate(rings):
            if r % nthread == thread:
                for cell in ring.cells:
                    sections.append(sec=cell.soma)
        pc.partition(thread, sections)


def write_spikes(pc: Any, tvec: Any, idvec: Any, folder: Path) -> int:
    """NEURON's spikes to folder/spk<nhost>.std ('%g %d', rank after rank, as the tutorial)."""
    rank, nhost = int(pc.id()), int(pc.nhost())
    path = folder / f"spk{nhost}.std"
    pc.barrier()
    for r in range(nhost):
        if r == rank:
            with open(path, "w" if r == 0 else "a") as out:
                for t, gid in zip(tvec, idvec, strict=True):
                    out.write(f"{t:g} {int(gid)}\n")
        pc.barrier()
    return int(pc.allreduce(tvec.size(), 1))


def point_neuron_at_pip_mpi() -> None:
    """Let NEURON's MPI find the MPICH that `pip install pycoreneuron[mpi]` brings.

    NEURON loads libmpi at run time and looks only in the usual system places, and the pip
    package's libmpi.so is a linker script that dlopen cannot load, so name the real library.
    """
    if os.environ.get("MPI_LIB_NRN_PATH"):
        return
    for library in sorted(Path(sys.prefix, "lib").glob("libmpi.so.*")):
        os.environ["MPI_LIB_NRN_PATH"] = str(library)
        return


def build_and_run(args: argparse.Namespace) -> None:
    """Build the model, dump it, run it in NEURON, write the spikes."""
    if args.mpi:
        point_neuron_at_pip_mpi()
    from neuron import h, load_mechanisms

    if args.mpi:
        h.nrnmpi_init()
    if args.gap and not hasattr(h, "HalfGap"):
        load_mechanisms(str(compile_halfgap_for_neuron()), warn_if_already_loaded=False)
    h.load_file("stdrun.hoc")
    pc = h.ParallelContext()
    rank = int(pc.id())
    h.Random().Random123_globalindex(args.gran)
    pc.nthread(args.nt, 1)

    ncell_total = args.nring * args.ncell
    ntype = (ncell_total - 1) // args.npt + 1
    types = shuffled_types(h, ncell_total, ntype)
    rings = [Ring(h, pc, i, args, types) for i in range(args.nring)]
    if args.rparm:
        for ring in rings:
            for cell in ring.cells:
                randomize_cell(h, pc, cell, ring.nclist)
    if args.nt > 1:
        partition_rings(h, pc, rings, args.nt)

    h.cvode.cache_efficient(1)
    tvec, idvec = h.Vector(), h.Vector()
    pc.spike_record(-1, tvec, idvec)
    if args.show and rank == 0:
        h.topology()
    if args.gap:
        pc.setup_transfer()
    pc.set_maxstep(10)
    h.stdinit()
    if args.secmapping:
        for ring in rings:
            for cell in ring.cells:
                register_section_mapping(h, pc, cell)
    pc.nrnbbcore_write(args.coredat)

    start = time.perf_counter()
    pc.psolve(args.tstop)
    runtime = pc.allreduce(time.perf_counter() - start, 2)
    nspike = write_spikes(pc, tvec, idvec, Path("."))
    if rank == 0:
        print(f"nring={args.nring} ncell={args.ncell} ntype={ntype} "
              f"nhost={int(pc.nhost())} nthread={args.nt}")
        print(f"wrote {args.coredat}/ and spk{int(pc.nhost())}.std ({nspike} spikes)")
        print(f"NEURON runtime={runtime:g} s")
    pc.barrier()
    if args.mpi:
        pc.done()
        h.quit()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of pycoreneuron-ringtest."""
    args = build_parser().parse_args(argv)
    try:
        import neuron  # noqa: F401
    except ImportError:
        print("pycoreneuron-ringtest: error: NEURON is not installed "
              "(pip install neuron==9.0.2, or pip install pycoreneuron[test])", file=sys.stderr)
        return 2
    build_and_run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
