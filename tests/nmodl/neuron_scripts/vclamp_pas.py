"""NEURON 9.0.2: a passive soma + dendrite under a VClamp (three levels, tau2 and fac set so
that every term of its LINEAR system counts), dumped after finitialize(-65) and run 20 ms.

Usage: vclamp_pas.py FOLDER. Writes FOLDER/coredat (the dump) and FOLDER/ref.json: the
voltages of soma(0.5) and dend(0.7) every step from t = 0, their node indices, VClamp.i.
Only pas and VClamp: NEURON sums no other currents, so its v is comparable bit for bit.
"""

import json
import sys
from pathlib import Path

from neuron import h

h.load_file("stdrun.hoc")
pc = h.ParallelContext()
out = Path(sys.argv[1])
h.cvode.cache_efficient(1)
soma = h.Section(name="soma")
soma.L = soma.diam = 20
soma.insert("pas")
dend = h.Section(name="dend")
dend.L, dend.diam, dend.nseg = 200, 2, 5
dend.insert("pas")
dend.connect(soma(1))
vc = h.VClamp(soma(0.5))
for j, (dur, amp) in enumerate(((2.0, -65.0), (10.0, -20.0), (5.0, -70.0))):
    vc.dur[j], vc.amp[j] = dur, amp
vc.tau2, vc.fac, vc.gain = 0.01, 0.5, 1e4
pc.set_gid2node(0, 0)
nc = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
pc.cell(0, nc)
h.dt = 0.025
h.finitialize(-65)
(out / "coredat").mkdir(parents=True, exist_ok=True)
pc.nrnbbcore_write(str(out / "coredat"))
rec = [h.Vector().record(soma(0.5)._ref_v), h.Vector().record(dend(0.7)._ref_v)]
current = h.Vector().record(vc._ref_i)
h.finitialize(-65)
h.continuerun(20.0)
(out / "ref.json").write_text(json.dumps({
    "v": [list(r) for r in rec], "nodes": [soma(0.5).node_index(), dend(0.7).node_index()],
    "i": list(current), "t_end": h.t}))
