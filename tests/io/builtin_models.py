"""Small NEURON models that together use every built-in mechanism NEURON 9 puts in a dataset.

Run as ``python builtin_models.py OUTDIR MODEL`` with NEURON installed: builds MODEL, runs
``finitialize``, writes ``OUTDIR/coredat`` with ``pc.nrnbbcore_write`` and ``OUTDIR/neuron.json``
with counts NEURON itself reports (instances per mechanism, nodes, NetCons), for the tests to
compare with. MODEL is

- ``coreneuron``: what CoreNEURON's special-core can load (hh, pas, IClamp, ExpSyn, Exp2Syn,
  SEClamp, NetStim, a Vector.play into IClamp.amp), so the counts are compared with it;
- ``coreneuron_extra``: AlphaSynapse, OClamp, IntFire1, IntFire2, IntFire4, which special-core
  loads once their MOD files are compiled into it;
- ``neuron_only``: AlphaSynapse, VClamp, OClamp, APCount, IntFire1, IntFire2, IntFire4 (which
  CoreNEURON does not ship) and a PatternStim (which the writer leaves out of every dataset);
- ``zoo``: our test mechanisms of tests/io/zoo_mod (POINTER to v and to hh's m, diam, an array
  RANGE with a Vector.play into one element, a written concentration, BBCOREPOINTER, WATCH,
  net_send); give the folder nrnivmodl compiled them in as a third argument.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def build(model: str) -> tuple[list, dict]:
    from neuron import h

    h.load_file("stdrun.hoc")
    pc = h.ParallelContext()
    keep: list = []
    cells = []
    for i in range(3):
        soma = h.Section(name=f"soma{i}")
        soma.L = soma.diam = 20
        soma.insert("hh")
        dend = h.Section(name=f"dend{i}")
        dend.L, dend.diam, dend.nseg = 200, 2, 5
        dend.insert("pas")
        dend.connect(soma(1))
        pc.set_gid2node(i, pc.id())
        nc = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
        pc.cell(i, nc)
        cells.append((soma, dend))
        keep += [soma, dend, nc]

    def connect(src_gid: int, target, delay: float = 2.0, weight: float = 0.01):
        nc = pc.gid_connect(src_gid, target)
        nc.delay, nc.weight[0] = delay, weight
        keep.append(nc)

    if model == "coreneuron":
        stim = h.IClamp(cells[0][0](0.5))
        stim.dur, stim.amp = 1e9, 0.0
        tvec, yvec = h.Vector([0, 1, 2, 50]), h.Vector([0, 0.3, 0.3, 0])
        yvec.play(stim._ref_amp, tvec, 1)
        e1 = h.ExpSyn(cells[1][1](0.3))
        e2 = h.Exp2Syn(cells[2][1](0.7))
        e3 = h.ExpSyn(cells[2][1](0.7))
        clamp = h.SEClamp(cells[2][0](0.5))
        clamp.dur1, clamp.amp1 = 0.5, -65
        ns = h.NetStim()
        ns.start, ns.number, ns.interval, ns.noise = 1, 5, 7, 0.5
        ns2 = h.NetStim()
        ns2.start, ns2.number = 3, 2
        pc.set_gid2node(10, pc.id())
        pc.cell(10, h.NetCon(ns, None))
        connect(0, e1)
        connect(1, e2)
        connect(10, e3)
        nc = h.NetCon(ns2, e1)  # a source without gid
        nc.weight[0], nc.delay = 0.02, 1
        keep += [stim, tvec, yvec, e1, e2, e3, clamp, ns, ns2, nc]
    elif model == "coreneuron_extra":
        # NEURON built-ins that special-core gets when their MOD files are compiled into it.
        alpha = h.AlphaSynapse(cells[0][1](0.5))
        alpha.onset, alpha.gmax = 2, 0.01
        oc = h.OClamp(cells[2][0](0.5))
        f1, f2, f4 = h.IntFire1(), h.IntFire2(), h.IntFire4()
        for gid, art in ((20, f1), (21, f2), (22, f4)):
            pc.set_gid2node(gid, pc.id())
            pc.cell(gid, h.NetCon(art, None))
        connect(0, f1)
        connect(1, f2)
        connect(20, f4)
        connect(21, f4)
        f4b = h.IntFire4()
        nc = h.NetCon(f4b, f1)  # artificial source without gid
        nc.delay = 1
        keep += [alpha, oc, f1, f2, f4, f4b, nc]
    elif model == "neuron_only":
        alpha = h.AlphaSynapse(cells[0][1](0.5))
        alpha.onset, alpha.gmax = 2, 0.01
        vc = h.VClamp(cells[1][0](0.5))
        vc.dur[0], vc.amp[0] = 1, -65
        oc = h.OClamp(cells[2][0](0.5))
        ap = h.APCount(cells[0][0](0.5))
        f1, f2, f4 = h.IntFire1(), h.IntFire2(), h.IntFire4()
        for gid, art in ((20, f1), (21, f2), (22, f4)):
            pc.set_gid2node(gid, pc.id())
            pc.cell(gid, h.NetCon(art, None))
        connect(0, f1)
        connect(1, f2)
        connect(20, f4)
        connect(2, f4)
        f4b = h.IntFire4()
        nc = h.NetCon(f4b, f1)  # artificial source without gid
        nc.delay = 1
        pat = h.PatternStim()
        pat.play(h.Vector([1.0, 2.0]), h.Vector([0, 1]))
        keep += [alpha, vc, oc, ap, f1, f2, f4, f4b, nc, pat]
    elif model == "zoo":
        # Our test mechanisms (tests/io/zoo_mod, compiled for NEURON by the caller).
        s0, d1 = cells[0][0], cells[1][1]
        for sec in (s0, d1):
            sec.insert("zoo")
            for seg in sec:
                if sec == s0:
                    h.setpointer(seg._ref_v, "pz", seg.zoo)
                else:
                    h.setpointer(cells[1][0](0.5)._ref_m_hh, "pz", seg.zoo)
        tvec, yvec = h.Vector([0, 5]), h.Vector([1, 2])
        yvec.play(d1(0.5).zoo._ref_arr[2], tvec, 1)
        k0, k1 = h.Keeper(s0(0.5)), h.Keeper(cells[1][0](0.5))
        ns = h.NetStim()
        ns.start, ns.number = 1, 3
        nc0, nc1 = h.NetCon(ns, k0), h.NetCon(ns, k1)
        keep += [tvec, yvec, k0, k1, ns, nc0, nc1]
    else:
        raise SystemExit(f"unknown model {model}")
    return keep, {}


def main() -> None:
    out, model = Path(sys.argv[1]), sys.argv[2]
    import neuron
    from neuron import h

    if len(sys.argv) > 3:  # a folder compiled by nrnivmodl
        neuron.load_mechanisms(sys.argv[3])
    keep, facts = build(model)
    pc = h.ParallelContext()
    h.cvode.cache_efficient(1)
    h.finitialize(-65)
    out.mkdir(parents=True, exist_ok=True)
    pc.nrnbbcore_write(str(out / "coredat"))
    # What NEURON itself reports, for the tests to compare with.
    counts = {}
    mt = h.MechanismType(0)
    name = h.ref("")
    for i in range(int(mt.count())):
        mt.select(i)
        mt.selected(name)
        n = sum(1 for sec in h.allsec() for seg in sec if hasattr(seg, name[0]))
        if n:
            counts[name[0]] = n
    mt = h.MechanismType(1)
    for i in range(int(mt.count())):
        mt.select(i)
        mt.selected(name)
        n = int(h.List(name[0]).count())
        if n:
            counts[name[0]] = n
    roots = [sec for sec in h.allsec() if sec.parentseg() is None]
    nnode = 1 + max(max(seg.node_index() for sec in h.allsec() for seg in sec.allseg()),
                    len(roots) - 1)
    if model == "zoo":  # where NEURON's pointers point and its values after finitialize
        secs = {sec.name(): sec for sec in h.allsec()}
        facts["v_pointer_nodes"] = [seg.node_index() for seg in secs["soma0"]]
        facts["m_hh_value"] = secs["soma1"](0.5).m_hh
        facts["zoo_diams"] = sorted(seg.diam for name in ("soma0", "dend1")
                                    for seg in secs[name])
    info = {**facts, "instances": counts, "cells": len(roots), "compartments": nnode,
            "netcons": int(h.List("NetCon").count()),
            "sections_nseg": sum(sec.nseg for sec in h.allsec())}
    (out / "neuron.json").write_text(json.dumps(info, indent=1))
    del keep


if __name__ == "__main__":
    main()
