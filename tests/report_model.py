"""A small NEURON model for the report tests: two ball-and-stick cells (gids 1 and 2, numbered
from 1 as neurodamus numbers them), hh everywhere, a NetStim driving cell 1 and cell 1 driving
cell 2. Writes the dataset twice (coredat_nomap/ without, coredat/ with the section mapping),
runs NEURON and prints, on a line starting with JSON, NEURON's spikes and the values recorded
with Vector.record at every step: v of every segment, m_hh and ina of every segment, and each
segment's node index.

Run in an empty folder: python report_model.py TSTOP
"""

import json
import sys

from neuron import h

h.load_file("stdrun.hoc")
pc = h.ParallelContext()
tstop = float(sys.argv[1])


class Cell:
    def __init__(self, gid):
        self.gid = gid
        self.soma = h.Section(name=f"soma{gid}")
        self.dend = h.Section(name=f"dend{gid}")
        self.dend.connect(self.soma(1))
        self.soma.L = self.soma.diam = 12.6157
        self.dend.L, self.dend.diam, self.dend.nseg = 200.0, 1.0, 3
        for sec in (self.soma, self.dend):
            sec.insert("hh")
        for seg in self.dend:
            seg.hh.gnabar, seg.hh.gkbar = 0.06, 0.018
        self.syn = h.ExpSyn(self.dend(0.5))
        self.syn.tau = 2.0
        pc.set_gid2node(gid, pc.id())
        nc = h.NetCon(self.soma(0.5)._ref_v, None, sec=self.soma)
        nc.threshold = 0.0
        pc.cell(gid, nc)

    def segments(self):
        """(list name, section id, segment) in the mapping's order."""
        return [("soma", 0, self.soma(0.5))] + [("dend", 1, seg) for seg in self.dend]


cells = [Cell(1), Cell(2)]
stim = h.NetStim()
stim.start, stim.interval, stim.number, stim.noise = 2.0, 7.0, 100, 0
drive = h.NetCon(stim, cells[0].syn)
drive.weight[0], drive.delay = 0.02, 1.0
link = pc.gid_connect(1, cells[1].syn)
link.weight[0], link.delay = 0.02, 2.0

h.cvode.cache_efficient(1)
tvec, idvec = h.Vector(), h.Vector()
pc.spike_record(-1, tvec, idvec)
traces = {}
for cell in cells:
    for _, sec, seg in cell.segments():
        key = f"{cell.gid}:{sec}:{seg.x:.6f}"
        traces[key] = {v: h.Vector().record(getattr(seg, f"_ref_{v}"))
                       for v in ("v", "m_hh", "ina")}
pc.set_maxstep(10)
h.stdinit()
pc.nrnbbcore_write("coredat_nomap")
for cell in cells:
    for listname in ("soma", "dend"):
        secvec, segvec = h.Vector(), h.Vector()
        for name, sec, seg in cell.segments():
            if name == listname:
                secvec.append(sec)
                segvec.append(seg.node_index())
        pc.nrnbbcore_register_mapping(cell.gid, listname, secvec, segvec)
pc.nrnbbcore_write("coredat")
pc.psolve(tstop)
out = {
    "dt": h.dt,
    "spikes": [[t, int(g)] for t, g in zip(tvec, idvec, strict=True)],
    "nodes": {f"{c.gid}:{sec}:{seg.x:.6f}": int(seg.node_index())
              for c in cells for _, sec, seg in c.segments()},
    "traces": {k: {v: list(vec) for v, vec in d.items()} for k, d in traces.items()},
}
print("JSON" + json.dumps(out))
