"""NEURON 9.0.2: a small model dumped with pc.nrnbbcore_write(argv[1]); its bbcore_mech.dat
lists every mechanism NEURON has, with NEURON's sizes."""

import sys

from neuron import h

h.load_file("stdrun.hoc")
pc = h.ParallelContext()
h.cvode.cache_efficient(1)
soma = h.Section(name="soma")
soma.insert("hh")
soma.insert("pas")
syn = h.ExpSyn(soma(0.5))
stim = h.NetStim()
pc.set_gid2node(0, pc.id())
source = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
pc.cell(0, source)
drive = h.NetCon(stim, syn)
h.finitialize(-65)
pc.nrnbbcore_write(sys.argv[1])
