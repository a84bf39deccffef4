"""The channel-dense benchmark family: rings of Allen Cell Types cells, built with NEURON.

Every compartment of every cell carries the perisomatic channel set of the Allen Institute's
cell-type models, from the MOD files that bmtk ships (tests/data/third_party/bmtk, BSD): ten
active channel types (NaTs, Nap, K_P, K_T, Kv3_1, SK, Ca_HVA, Ca_LVA, Ih, Im), calcium dynamics
(CaDynamics, which writes cai, so the calcium reversal potential is recomputed every step) and
a leak (pas). The mechanisms, not the cable, cost the time: per compartment and step they
evaluate some 40 exponentials and a power, against the ringtest's one passive conductance.

Connectivity is the ringtest's: ``nring`` rings of ``ncell`` cells, cell i exciting cell i+1 of
its ring through a short-term-plasticity synapse (bmtk's stp2syn) on its soma after 1 ms, a
NetStim starting each ring; every cell has a gid. A cell is a soma and ``ndend`` dendrites of
``nseg`` compartments each (defaults 4 x 31: 125 compartments, so 8 cells make 1,000).

    python benchmarks/dense_model.py -nring 10 -tstop 100 -coredat coredat

writes the dataset (``pc.nrnbbcore_write``), NEURON's spikes as ``out.dat`` would hold them
(``spikes.std``: "%.8g\\t%d", by time then gid), and NEURON's run time. The MOD files are
compiled for NEURON by nrnivmodl into ``-moddir`` (the caller passes a folder holding exactly
the files of ``MOD_FILES``, see ``mod_folder``).

CoreNEURON 9.0.2 cannot build two of bmtk's files (NaV.mod: nmodl's Crout is defined twice;
vecevent.mod: NEURON-only VERBATIM), so the family leaves them out; pycoreneuron runs NaV
(tests/engine and benchmarks/fidelity cover it against NEURON).
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

BMTK = Path(__file__).resolve().parents[1] / "tests" / "data" / "third_party" / "bmtk"

# Active channels and their peak conductance at the soma [S/cm2] (values of the order of the
# Allen perisomatic models'); dendrites carry the same channels at DENDRITE_SCALE of these.
CHANNELS: dict[str, float] = {
    "NaTs": 1.0,
    "Nap": 5e-4,
    "K_P": 0.03,
    "K_T": 6e-4,
    "Kv3_1": 0.6,
    "SK": 1e-3,
    "Ca_HVA": 3e-4,
    "Ca_LVA": 3e-3,
    "Ih": 6e-5,
    "Im": 1e-3,
}
DENDRITE_SCALE = 0.1
SYNAPSE = "stp2syn"
MOD_FILES = [*CHANNELS, "CaDynamics", SYNAPSE]

CELSIUS = 34.0  # degC, as the Allen models run
V_INIT = -65.0  # mV: CoreNEURON and pycoreneuron-run start from -65 by default
SYNAPSE_WEIGHT = 0.3  # uS: one spike in the target cell
RING_DELAY = 1.0  # ms
THRESHOLD = 0.0  # mV, spike detection at the soma's centre


def mod_folder(root: Path) -> Path:
    """A folder holding the family's MOD files (copied from bmtk), keyed by their content."""
    texts = {f"{name}.mod": (BMTK / f"{name}.mod").read_bytes() for name in MOD_FILES}
    digest = hashlib.sha256(b"".join(k.encode() + b"\0" + v for k, v in texts.items()))
    folder = root / "dense-mod" / digest.hexdigest()[:16]
    if not folder.exists():
        scratch = folder.with_name(f"{folder.name}.tmp{os.getpid()}")
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        for name, text in texts.items():
            (scratch / name).write_bytes(text)
        try:
            scratch.rename(folder)
        except OSError:  # another process got there first
            shutil.rmtree(scratch, ignore_errors=True)
    return folder


def compile_for_neuron(moddir: Path) -> Path:
    """NEURON's nrnivmodl on moddir (once); returns the library to load."""
    library = moddir / "neuron" / "x86_64" / "libnrnmech.so"
    if library.exists():
        return library
    scratch = moddir / f"neuron.tmp{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / "mod").mkdir(parents=True)
    for mod in moddir.glob("*.mod"):
        shutil.copy(mod, scratch / "mod" / mod.name)
    nrnivmodl = shutil.which("nrnivmodl") or str(Path(sys.executable).with_name("nrnivmodl"))
    result = subprocess.run([nrnivmodl, "mod"], cwd=scratch, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"nrnivmodl failed on {moddir}:\n{result.stdout}{result.stderr}")
    try:
        scratch.rename(moddir / "neuron")
    except OSError:
        shutil.rmtree(scratch, ignore_errors=True)
    return library


class DenseCell:
    """A soma and ndend dendrites, every compartment with the whole channel set."""

    def __init__(self, h: Any, gid: int, ndend: int, nseg: int):
        self.gid = gid
        self.soma = h.Section(name="soma", cell=self)
        self.soma.L = self.soma.diam = 20  # um
        self.dend = [h.Section(name=f"dend[{i}]", cell=self) for i in range(ndend)]
        for sec in self.dend:
            sec.connect(self.soma(1), 0)
            sec.L = 300  # um
            sec.diam = 1.5
            sec.nseg = nseg
        self.all = [self.soma, *self.dend]
        for sec in self.all:
            self._biophysics(sec, 1.0 if sec is self.soma else DENDRITE_SCALE)
        self.synapse = getattr(h, SYNAPSE)(self.soma(0.5))
        self.synapse.tau_1 = 2  # ms

    @staticmethod
    def _biophysics(sec: Any, scale: float) -> None:
        sec.Ra = 100  # ohm cm
        sec.cm = 1  # uF/cm2
        for name in (*CHANNELS, "CaDynamics", "pas"):
            sec.insert(name)
        for seg in sec:
            for name, gbar in CHANNELS.items():
                getattr(seg, name).gbar = gbar * scale
            seg.pas.g = 3e-5  # S/cm2
            seg.pas.e = -90  # mV
            seg.CaDynamics.gamma = 0.002
            seg.CaDynamics.decay = 500  # ms
        sec.ena = 53  # mV
        sec.ek = -107

    def spike_source(self, h: Any) -> Any:
        nc = h.NetCon(self.soma(0.5)._ref_v, None, sec=self.soma)
        nc.threshold = THRESHOLD
        return nc


class Ring:
    """One ring's cells on this rank, its connections and its NetStim."""

    def __init__(self, h: Any, pc: Any, index: int, args: argparse.Namespace):
        self.cells: list[DenseCell] = []
        self.nclist: list[Any] = []
        first = index * args.ncell
        rank, nhost = int(pc.id()), int(pc.nhost())
        for gid in range(first, first + args.ncell):
            if gid % nhost != rank:
                continue
            cell = DenseCell(h, gid, args.ndend, args.nseg)
            self.cells.append(cell)
            pc.set_gid2node(gid, rank)
            pc.cell(gid, cell.spike_source(h))
        for i in range(args.ncell):
            target = first + (i + 1) % args.ncell
            if pc.gid_exists(target):
                nc = pc.gid_connect(first + i, pc.gid2cell(target).synapse)
                nc.delay = RING_DELAY
                nc.weight[0] = SYNAPSE_WEIGHT
                self.nclist.append(nc)
        if pc.gid_exists(first):
            cell = pc.gid2cell(first)
            # located in its target's soma, so both land in the same NEURON thread
            self.stim = h.NetStim(cell.soma(0.5))
            self.stim.number = 1
            self.stim.start = 0
            nc = h.NetCon(self.stim, cell.synapse)
            nc.delay = RING_DELAY
            nc.weight[0] = SYNAPSE_WEIGHT
            self.nclist.append(nc)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-nring", type=int, default=1, help="rings (1)")
    p.add_argument("-ncell", type=int, default=8, help="cells per ring (8)")
    p.add_argument("-ndend", type=int, default=4, help="dendrites per cell (4)")
    p.add_argument("-nseg", type=int, default=31, help="compartments per dendrite (31)")
    p.add_argument("-tstop", type=float, default=100.0, help="NEURON's run, ms (100)")
    p.add_argument("-nt", type=int, default=1, help="NEURON threads: dataset groups (1)")
    p.add_argument("-coredat", default="coredat", help="dataset folder (coredat)")
    p.add_argument("-moddir", required=True, help="folder with the MOD files (mod_folder)")
    p.add_argument("-mpi", action="store_true", help="under mpiexec (NEURON's MPI)")
    return p


def write_spikes(pc: Any, tvec: Any, idvec: Any, path: Path) -> int:
    """NEURON's spikes of every rank as out.dat holds them: '%.8g\\t%d', by time then gid."""
    pairs = pc.py_gather([(t, int(g)) for t, g in zip(tvec, idvec, strict=True)], 0)
    if int(pc.id()) != 0:
        return 0
    spikes = sorted(p for part in pairs for p in part)
    path.write_text("".join(f"{t:.8g}\t{g}\n" for t, g in spikes))
    return len(spikes)


def build_and_run(args: argparse.Namespace) -> None:
    if args.mpi:
        from pycoreneuron.models.ringtest import point_neuron_at_pip_mpi

        point_neuron_at_pip_mpi()
    library = compile_for_neuron(Path(args.moddir).resolve())
    from neuron import h

    if args.mpi:
        h.nrnmpi_init()
    h.nrn_load_dll(str(library))
    h.load_file("stdrun.hoc")
    pc = h.ParallelContext()
    pc.nthread(args.nt, 1)
    h.celsius = CELSIUS
    rings = [Ring(h, pc, i, args) for i in range(args.nring)]
    if args.nt > 1:  # ring r in thread r % nt
        for thread in range(args.nt):
            sections = h.SectionList()
            for r, ring in enumerate(rings):
                if r % args.nt == thread:
                    for cell in ring.cells:
                        sections.append(sec=cell.soma)
            pc.partition(thread, sections)
    h.cvode.cache_efficient(1)
    tvec, idvec = h.Vector(), h.Vector()
    pc.spike_record(-1, tvec, idvec)
    pc.set_maxstep(10)
    h.finitialize(V_INIT)
    pc.nrnbbcore_write(args.coredat)
    start = time.perf_counter()
    pc.psolve(args.tstop)
    runtime = pc.allreduce(time.perf_counter() - start, 2)
    nspike = write_spikes(pc, tvec, idvec, Path("spikes.std"))
    if int(pc.id()) == 0:
        ncomp = sum(sec.nseg for sec in h.allsec())
        print(f"nring={args.nring} ncell={args.ncell} segments per rank 0: {ncomp}")
        print(f"wrote {args.coredat}/ and spikes.std ({nspike} spikes)")
        print(f"NEURON runtime={runtime:g} s")
    pc.barrier()
    if args.mpi:
        pc.done()
        h.quit()


def main(argv: Sequence[str] | None = None) -> int:
    build_and_run(build_parser().parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
