"""Small NEURON networks for the engine's per-mechanism tests, run by NEURON itself.

Run as ``python neuron_models.py OUTDIR MODEL [MECHDIR]`` with NEURON 9.0.2 installed (MECHDIR:
a folder nrnivmodl compiled, for models with a MOD file of their own): builds MODEL on one
NEURON thread, records spikes (``pc.spike_record``) and the voltages of a few chosen segments
(``Vector.record``), calls ``cvode.cache_efficient(1)`` and ``finitialize(-65)``, dumps
``OUTDIR/coredat`` with ``pc.nrnbbcore_write``, runs ``pc.psolve(tstop)`` and writes
``OUTDIR/neuron.json``: spikes, recorded node indices (``seg.node_index()``), their areas,
traces, the gids whose spike-source voltage was recorded, and mechanism values at the end.
Floats travel as JSON numbers (Python's repr: exact).

Together the models use every built-in mechanism; each model has a few, so that a failure
names its mechanism. ``MODELS`` says which ones CoreNEURON's special-core can run as well.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Model:
    tstop: float  # ms
    mechanisms: tuple[str, ...]  # the built-ins it is there to test (all are in its dataset)
    coreneuron: bool = False  # special-core (stock mechanisms only) can run it too
    build: str = ""  # the network of another model, run with other settings
    settings: tuple[tuple[str, float], ...] = ()  # NEURON globals set before finitialize
    hh: str = "hh"  # the suffix of the soma's channels (hh_ordered: our hh, il's line first)
    # Start from other voltages: each node's v set by hand, then finitialize() without a
    # value; the engine keeps the dataset's v (voltage 1000, CoreNEURON's -v 1000).
    keep_v: bool = False
    nthread: int = 1  # NEURON threads: one dataset group each (voltages not compared)


MODELS: dict[str, Model] = {
    "hh_pas_iclamp": Model(50.0, ("hh", "pas", "IClamp"), coreneuron=True),
    "expsyn_exp2syn": Model(60.0, ("ExpSyn", "Exp2Syn", "NetStim"), coreneuron=True),
    "netstim": Model(60.0, ("NetStim", "ExpSyn"), coreneuron=True),
    "netstim_noise": Model(80.0, ("NetStim", "ExpSyn"), coreneuron=True),
    "seclamp": Model(50.0, ("SEClamp", "IClamp"), coreneuron=True),
    "vecplay": Model(40.0, ("IClamp", "VecPlay"), coreneuron=True),
    # Without hh every current sum has one term, so NEURON's v is matched bit for bit.
    "passive": Model(40.0, ("pas", "IClamp", "ExpSyn", "Exp2Syn", "SEClamp", "NetStim",
                            "VecPlay"), coreneuron=True),
    # Vector.play into density RANGE variables (pas g, e) and other point-process variables.
    "vecplay_targets": Model(30.0, ("pas", "SEClamp", "ExpSyn", "NetStim", "VecPlay"),
                             coreneuron=True),
    "passive_neuron_only": Model(60.0, ("pas", "AlphaSynapse", "OClamp", "APCount",
                                        "IntFire1", "IntFire2", "IntFire4", "ExpSyn",
                                        "NetStim")),
    # Equal-time events whose order shows in the last bits of ExpSyn's g (numerics §6.2), a
    # dendritic spike source with its own threshold, a cell without gid; the recorded nodes
    # include a root (soma(0)) and a zero-area node (dend(1)).
    "events": Model(30.0, ("pas", "ExpSyn", "NetStim", "IClamp"), coreneuron=True),
    # NetStim corners: interval <= 0 (0.01 ms, several spikes a step), a fractional number,
    # noise clamped from above and below, noise with start 0, a restart by NetCon input while
    # on and after the end, delays of 0 and below dt.
    "netstim_edges": Model(40.0, ("NetStim", "ExpSyn", "pas"), coreneuron=True),
    "keep_v": Model(50.0, ("hh", "pas", "IClamp"), True, "hh_pas_iclamp", keep_v=True),
    # Networks split over two NEURON threads (two groups): spikes only.
    "hh_pas_iclamp_nt2": Model(50.0, ("hh",), True, "hh_pas_iclamp", nthread=2),
    "events_nt2": Model(30.0, ("ExpSyn", "NetStim"), True, "events", nthread=2),
    "intfire2_nt2": Model(100.0, ("IntFire2",), build="intfire2", nthread=2),
    "passive_neuron_only_nt2": Model(60.0, ("IntFire1", "IntFire4", "AlphaSynapse"),
                                     build="passive_neuron_only", nthread=2),
    # NEURON's PatternStim into NetCons from gids nobody owns; pycoreneuron and special-core
    # get its spikes as a pattern file (-p), with more than 102 entries per send group.
    "patternstim": Model(40.0, ("pas", "ExpSyn", "PatternStim"), coreneuron=True),
    # A recurrent network of everything CoreNEURON has, 200 ms; hh_ordered sums il first.
    "network": Model(200.0, ("hh", "ExpSyn", "Exp2Syn", "NetStim", "IntFire4"), build="network"),
    "network_ordered": Model(200.0, ("hh_ordered", "ExpSyn", "Exp2Syn", "IntFire4"),
                             build="network", hh="hh_ordered"),
    # Random123's global index (globals.dat) in the noise streams' key.
    "netstim_globalindex": Model(40.0, ("NetStim",), True, "netstim_edges",
                                 (("Random123_globalindex", 7),)),
    "alphasynapse": Model(40.0, ("AlphaSynapse",)),
    "oclamp": Model(40.0, ("OClamp",)),
    "apcount": Model(40.0, ("APCount",)),
    "vclamp": Model(30.0, ("VClamp",)),
    # VClamp (its LINEAR block) on passive cells, bit for bit; a clamped cell spikes.
    "vclamp_passive": Model(30.0, ("VClamp", "pas")),
    "intfire1": Model(60.0, ("IntFire1", "NetStim", "ExpSyn")),
    "intfire2": Model(100.0, ("IntFire2", "NetStim", "ExpSyn")),
    "intfire4": Model(100.0, ("IntFire4", "NetStim", "ExpSyn")),
    # The hh network at another temperature (q10, TABLE rebuilt), without hh's TABLE, with
    # Crank-Nicolson (secondorder 2: ion currents corrected) and with another dt.
    "hh_celsius": Model(50.0, ("hh",), True, "hh_pas_iclamp", (("celsius", 10.0),)),
    "hh_no_table": Model(50.0, ("hh",), True, "hh_pas_iclamp", (("usetable_hh", 0),)),
    "secondorder": Model(60.0, ("hh", "ExpSyn"), True, "expsyn_exp2syn",
                         (("secondorder", 2),)),
    "dt": Model(50.0, ("hh",), True, "hh_pas_iclamp", (("dt", 0.01),)),
    # hh with NONSPECIFIC_CURRENT il first in its NEURON block: nocmodl sums il + ina + ik
    # (numerics §4.1's order), where plain hh gives ina + ik + il; both bit for bit.
    # The MOD file is made from our mod/hh.mod by the test (hh_ordered_mod), SUFFIX hh_ordered.
    "hh_ordered": Model(50.0, ("hh_ordered", "pas", "IClamp"), build="hh_pas_iclamp",
                        hh="hh_ordered"),
    # ... and so at another temperature, without its TABLE, with secondorder 2 (the ion
    # currents corrected by dcurdv*dv), 1, and with dt 0.01: every variant bit for bit.
    **{f"hh_ordered_{name}": Model(50.0, ("hh_ordered",), build="hh_pas_iclamp",
                                   settings=((setting, value),), hh="hh_ordered")
       for name, setting, value in (("celsius", "celsius", 10.0),
                                    ("no_table", "usetable_hh_ordered", 0),
                                    ("secondorder2", "secondorder", 2),
                                    ("secondorder1", "secondorder", 1),
                                    ("dt", "dt", 0.01))},
}


class Net:
    """Cells (hh soma + passive dendrite, spike source at soma(0.5)), gids and NetCons."""

    def __init__(self, hh: str = "hh") -> None:
        from neuron import h

        self.hh = hh
        self.h = h
        self.pc = h.ParallelContext()
        self.keep: list = []
        self.cells: list = []
        self.record: list = []  # (label, segment)
        self.record_gids: list[int] = []
        self.values: dict = {}  # label -> callable giving a mechanism value at the end
        self.sources: dict = {}  # gid -> the segment whose voltage it watches
        self.pattern: list[tuple[float, int]] = []  # what a PatternStim plays

    def cell(self, soma_pas: bool = False, passive: bool = False, source: str | None = "soma",
             threshold: float = 10.0) -> tuple:
        """A cell with gid = its index, watching soma(0.5) or dend(0.9), or no gid at all."""
        h, i = self.h, len(self.cells)
        soma = h.Section(name=f"soma{i}")
        soma.L = soma.diam = 20
        if not passive:
            soma.insert(self.hh)
        if soma_pas or passive:  # with hh: two density mechanisms on one node
            soma.insert("pas")
            soma.g_pas, soma.e_pas = 1e-4, -60
        dend = h.Section(name=f"dend{i}")
        dend.L, dend.diam, dend.nseg = 200, 2, 5
        dend.insert("pas")
        dend.e_pas = -65
        for k, seg in enumerate(dend):
            seg.g_pas = 2e-4 * (1 + 0.1 * k)
        dend.connect(soma(1))
        if source is not None:
            seg = soma(0.5) if source == "soma" else dend(0.9)
            nc = h.NetCon(seg._ref_v, None, sec=seg.sec)
            nc.threshold = threshold
            self.gid(i, nc)
            self.sources[i] = seg
        self.cells.append((soma, dend))
        self.keep += [soma, dend]
        return soma, dend

    def gid(self, gid: int, source) -> None:
        self.pc.set_gid2node(gid, self.pc.id())
        self.pc.cell(gid, source)
        self.keep.append(source)

    def artificial(self, gid: int, cell) -> None:
        self.gid(gid, self.h.NetCon(cell, None))
        self.keep.append(cell)

    def connect(self, src_gid: int, target, weight: float, delay: float = 1.0) -> None:
        nc = self.pc.gid_connect(src_gid, target)
        nc.weight[0], nc.delay = weight, delay
        self.keep.append(nc)

    def netstim(self, gid: int | None, start: float, interval: float, number: float,
                noise: float = 0.0):
        ns = self.h.NetStim()
        ns.start, ns.interval, ns.number, ns.noise = start, interval, number, noise
        if gid is None:
            self.keep.append(ns)
        else:
            self.artificial(gid, ns)
        return ns

    def point(self, name: str, seg, **params):
        pp = getattr(self.h, name)(seg)
        for key, value in params.items():
            setattr(pp, key, value)
        self.keep.append(pp)
        return pp

    def watch(self, label: str, seg) -> None:
        self.record.append((label, seg))


def build(model: str, hh: str = "hh") -> Net:
    net = Net(hh)
    h = net.h
    if model == "hh_pas_iclamp":
        s0, d0 = net.cell()
        s1, d1 = net.cell()
        s2, d2 = net.cell(soma_pas=True)
        net.point("IClamp", s0(0.5), delay=1.0, dur=40.0, amp=0.2)
        net.point("IClamp", d1(0.9), delay=5.0, dur=30.0, amp=0.5)
        # Two IClamps on one node, the second ending mid-step.
        net.point("IClamp", s2(0.5), delay=0.0, dur=1e9, amp=0.05)
        net.point("IClamp", s2(0.5), delay=10.0, dur=25.0125, amp=0.15)
        for label, seg in (("soma0", s0(0.5)), ("dend0_0.9", d0(0.9)), ("soma1", s1(0.5)),
                           ("dend1_0.9", d1(0.9)), ("dend1_0.1", d1(0.1)), ("soma2", s2(0.5))):
            net.watch(label, seg)
        net.record_gids = [0, 2]
    elif model == "expsyn_exp2syn":
        s0, d0 = net.cell()
        s1, d1 = net.cell()
        s2, d2 = net.cell()
        net.netstim(10, start=1.0, interval=6.0, number=6)
        e0 = net.point("ExpSyn", d0(0.5), tau=2.0, e=0.0)
        x1 = net.point("Exp2Syn", s1(0.5), tau1=0.5, tau2=3.0, e=0.0)
        e2 = net.point("ExpSyn", s2(0.5), tau=1.0, e=0.0)
        i2 = net.point("Exp2Syn", d2(0.3), tau1=1.0, tau2=1.0, e=-80.0)  # tau1 clamped
        net.connect(10, e0, 0.05)
        net.connect(10, x1, 0.02, delay=2.0)
        net.connect(0, e2, 0.03, delay=2.0)
        net.connect(1, e2, 0.03, delay=1.0)  # may arrive with 0's events at equal times
        net.connect(0, i2, 0.01, delay=3.0)
        net.connect(10, i2, 0.005, delay=0.5)
        for label, seg in (("soma0", s0(0.5)), ("dend0_0.5", d0(0.5)), ("soma1", s1(0.5)),
                           ("soma2", s2(0.5)), ("dend2_0.3", d2(0.3))):
            net.watch(label, seg)
        net.record_gids = [1]
    elif model == "netstim":
        s0, d0 = net.cell()
        net.netstim(10, start=0.0, interval=5.0, number=4)  # fires at exactly 0
        net.netstim(11, start=0.33, interval=7.3, number=5)
        late = net.netstim(12, start=-1.0, interval=3.0, number=3)  # started by an input
        endless = net.netstim(13, start=2.0, interval=2.5, number=1e9)
        syn = net.point("ExpSyn", s0(0.5), tau=2.0)
        net.connect(10, syn, 0.03)
        net.connect(13, syn, 0.01)
        net.connect(11, late, 1.0, delay=4.0)
        net.connect(12, syn, 0.03)
        net.connect(11, endless, -1.0, delay=20.0)  # a negative weight stops gid 13
        net.watch("soma0", s0(0.5))
        net.record_gids = [0]
    elif model == "netstim_noise":
        s0, d0 = net.cell()
        s1, d1 = net.cell()
        net.netstim(10, start=2.0, interval=3.0, number=20, noise=0.5)
        net.netstim(11, start=1.0, interval=4.0, number=15, noise=1.0)
        quiet = net.netstim(12, start=-1.0, interval=2.0, number=6, noise=0.3)
        picked = net.netstim(13, start=5.0, interval=5.0, number=10, noise=0.8)
        picked.noiseFromRandom123(3, 4, 5)
        e0 = net.point("ExpSyn", s0(0.5), tau=2.0)
        e1 = net.point("ExpSyn", d1(0.7), tau=3.0)
        net.connect(10, e0, 0.01)
        net.connect(11, e1, 0.03)
        net.connect(11, quiet, 1.0, delay=10.0)
        net.connect(12, e0, 0.02, delay=0.5)
        net.connect(13, e1, 0.02, delay=1.5)
        net.connect(0, e1, 0.01, delay=2.0)
        for label, seg in (("soma0", s0(0.5)), ("soma1", s1(0.5)), ("dend1_0.7", d1(0.7))):
            net.watch(label, seg)
    elif model == "seclamp":
        s0, d0 = net.cell()
        s1, d1 = net.cell()
        net.point("SEClamp", s0(0.5), rs=0.5, dur1=5.0, amp1=-65.0, dur2=10.0, amp2=-20.0,
                  dur3=10.0, amp3=-80.0)
        net.point("SEClamp", d1(0.5), rs=2.0, dur1=3.0125, amp1=0.0, dur2=0.0, amp2=0.0,
                  dur3=0.0, amp3=0.0)
        net.point("IClamp", s1(0.5), delay=20.0, dur=5.0, amp=0.3)
        for label, seg in (("soma0", s0(0.5)), ("dend0_0.5", d0(0.5)), ("soma1", s1(0.5)),
                           ("dend1_0.5", d1(0.5))):
            net.watch(label, seg)
        net.record_gids = [0, 1]
    elif model == "vecplay":
        s0, d0 = net.cell()
        s1, d1 = net.cell()
        c0 = net.point("IClamp", s0(0.5), delay=0.0, dur=1e9, amp=0.0)
        c1 = net.point("IClamp", d1(0.3), delay=0.0, dur=1e9, amp=0.0)
        # A discontinuity at t = 10 (repeated time), points on and off the step grid.
        t0, y0 = h.Vector([0, 1, 2, 10, 10, 20, 30]), h.Vector([0, 0.3, 0.3, 0.1, 0.5, 0.5, 0])
        t1, y1 = h.Vector([3.3, 7.71, 15.05]), h.Vector([0.0, 0.6, 0.2])
        y0.play(c0._ref_amp, t0, 1)
        y1.play(c1._ref_amp, t1, 1)
        net.keep += [t0, y0, t1, y1]
        for label, seg in (("soma0", s0(0.5)), ("soma1", s1(0.5)), ("dend1_0.3", d1(0.3))):
            net.watch(label, seg)
    elif model == "passive":
        s0, d0 = net.cell(passive=True)
        s1, d1 = net.cell(passive=True)
        net.point("IClamp", s0(0.5), delay=2.0, dur=10.0, amp=0.5)  # crosses 10 mV
        played = net.point("IClamp", d0(0.1), delay=0.0, dur=1e9, amp=0.0)
        tvec, yvec = h.Vector([0.0, 4.99, 5.0, 12.3, 30.0]), h.Vector([0.0, 0.2, -0.1, 0.3, 0])
        yvec.play(played._ref_amp, tvec, 1)
        net.keep += [tvec, yvec]
        net.point("SEClamp", d1(0.9), rs=1.0, dur1=5.0, amp1=-50.0, dur2=5.0, amp2=20.0,
                  dur3=0.0, amp3=0.0)
        net.netstim(10, start=1.0, interval=4.0, number=8)
        e0 = net.point("ExpSyn", d0(0.5), tau=2.0)
        x1 = net.point("Exp2Syn", s1(0.5), tau1=0.5, tau2=3.0)
        net.connect(10, e0, 0.01)
        net.connect(10, x1, 0.01, delay=2.0)
        net.connect(0, x1, 0.05, delay=1.0)
        for label, seg in (("soma0", s0(0.5)), ("dend0_0.5", d0(0.5)), ("soma1", s1(0.5)),
                           ("dend1_0.9", d1(0.9))):
            net.watch(label, seg)
        net.record_gids = [1]
    elif model == "events":
        s0, d0 = net.cell(passive=True)
        s1, d1 = net.cell(passive=True, source="dend", threshold=-30.0)
        s2, d2 = net.cell(passive=True, source=None)
        net.point("IClamp", s1(0.5), delay=1.0, dur=3.0, amp=0.3)
        # NetStims with default interval 10 spike at exactly `start`.
        for gid, start in ((10, 1.0), (11, 1.0), (12, 1.5), (13, 2.5)):
            net.netstim(gid, start=start, interval=10.0, number=2)
        syn0 = net.point("ExpSyn", s0(0.5), tau=2.0)
        syn2 = net.point("ExpSyn", d2(0.5), tau=3.0)
        syn2b = net.point("ExpSyn", d2(0.5), tau=1.0)  # same node, other instance
        # At t = 3: 10's two events go in (the second is least), then 11's 2.5 event displaces
        # the least behind 11's own t = 3 event; 12 and 13 add more events at t = 3.
        net.connect(10, syn0, 0.1, delay=2.0)
        net.connect(10, syn0, 0.2, delay=2.0)
        net.connect(11, syn0, 0.3, delay=1.5)
        net.connect(11, syn0, 0.7, delay=2.0)
        net.connect(12, syn0, 0.011, delay=1.5)
        net.connect(13, syn0, 0.013, delay=0.5)
        net.connect(13, syn0, 0.017, delay=0.5)
        for k, (gid, delay) in enumerate(((10, 2.0), (11, 2.0), (12, 1.5), (1, 1.0))):
            net.connect(gid, syn2, 0.01 * (k + 1) / 3, delay=delay)
            net.connect(gid, syn2b, 0.02 * (k + 1) / 7, delay=delay)
        for label, seg in (("soma0", s0(0.5)), ("root0", s0(0)), ("dend0_end", d0(1)),
                           ("dend2_0.5", d2(0.5)), ("soma2", s2(0.5))):
            net.watch(label, seg)
        net.record_gids = [0, 1]
    elif model == "vecplay_targets":
        s0, d0 = net.cell(passive=True)
        s1, d1 = net.cell(passive=True)
        clamp = net.point("SEClamp", d1(0.9), rs=3.0, dur1=1e9, amp1=-65.0)
        syn = net.point("ExpSyn", s0(0.5), tau=2.0)
        net.netstim(10, start=1.0, interval=1.5, number=15)
        net.connect(10, syn, 0.02)
        plays = ((d0(0.5)._ref_g_pas, [0, 5, 10], [1e-4, 1e-3, 2e-4]),
                 (s0(0.5)._ref_e_pas, [0, 2, 4, 4, 12.345], [-70, -60, -65, -50, -58]),
                 (d1(0.1)._ref_g_pas, [1.0, 20.0], [5e-4, 5e-5]),
                 (clamp._ref_amp1, [0, 7.5, 15], [-65, -30, -80]),
                 (syn._ref_e, [0, 10, 20], [0, -40, 10]))
        for ref, times, values in plays:
            tvec, yvec = h.Vector(times), h.Vector(values)
            yvec.play(ref, tvec, 1)
            net.keep += [tvec, yvec]
        for label, seg in (("soma0", s0(0.5)), ("dend0_0.5", d0(0.5)), ("soma1", s1(0.5)),
                           ("dend1_0.9", d1(0.9))):
            net.watch(label, seg)
    elif model == "network":
        import random

        rng = random.Random(5)
        ncell = 12
        cells = [net.cell() for _ in range(ncell)]
        net.netstim(100, start=1.0, interval=4.0, number=1e9, noise=0.7)
        net.netstim(101, start=0.0, interval=9.0, number=1e9, noise=0.2)
        fires = [h.IntFire4() for _ in range(3)]
        for k, cell in enumerate(fires):
            net.artificial(200 + k, cell)
            net.connect(100 + k % 2, cell, 0.3 + 0.1 * k, delay=0.5)
        for i, (soma, dend) in enumerate(cells):
            excite = net.point("ExpSyn", dend(0.3), tau=2.0)
            slow = net.point("Exp2Syn", soma(0.5), tau1=0.5, tau2=4.0, e=0.0)
            inhibit = net.point("ExpSyn", dend(0.8), tau=5.0, e=-80.0)
            net.connect(100 + i % 2, excite, 0.02 + 0.002 * i)
            net.connect(200 + i % 3, slow, 0.004, delay=1.0)
            for j in rng.sample(range(ncell), 3):
                if j != i:
                    net.connect(j, rng.choice((excite, slow, inhibit)),
                                rng.uniform(0.002, 0.02), delay=rng.uniform(1.0, 5.0))
        for k in (0, 5, 11):
            net.watch(f"soma{k}", cells[k][0](0.5))
        net.watch("dend3_0.3", cells[3][1](0.3))
        net.record_gids = [7]
    elif model == "patternstim":
        s0, d0 = net.cell(passive=True, threshold=-60.0)
        s1, d1 = net.cell(passive=True, threshold=-62.0)
        syns = [net.point("ExpSyn", s0(0.5), tau=2.0), net.point("ExpSyn", d1(0.5), tau=1.0)]
        for k, gid in enumerate((1000, 1001, 1002)):
            net.connect(gid, syns[k % 2], 0.002 * (k + 1), delay=0.5 * (k + 1))
        net.connect(1002, syns[1], 0.003, delay=0.3)
        # 250 spikes, sorted by time; bursts of equal times and a dense stretch.
        times = [round(0.3 + 0.11 * k, 4) for k in range(200)] + [5.0] * 30 + [12.5] * 20
        net.pattern = sorted((t, 1000 + k % 3) for k, t in enumerate(times))
        tvec = h.Vector([t for t, _ in net.pattern])
        gidvec = h.Vector([g for _, g in net.pattern])
        pattern = h.PatternStim()
        pattern.play(tvec, gidvec)
        net.keep += [tvec, gidvec, pattern]
        for label, seg in (("soma0", s0(0.5)), ("dend1_0.5", d1(0.5))):
            net.watch(label, seg)
        net.record_gids = [0, 1]
    elif model == "netstim_edges":
        s0, d0 = net.cell(passive=True)
        syn = net.point("ExpSyn", s0(0.5), tau=2.0)
        syn_d = net.point("ExpSyn", d0(0.3), tau=1.5)
        burst = net.netstim(10, start=2.0, interval=0.0, number=5)
        net.netstim(11, start=1.0, interval=1.3, number=3.5)
        net.netstim(12, start=0.0, interval=2.0, number=6, noise=1.7)  # noise becomes 1
        net.netstim(13, start=3.0, interval=1.1, number=8, noise=-0.5)  # noise becomes 0
        net.netstim(14, start=0.0, interval=0.7, number=10, noise=0.9)
        restarted = net.netstim(15, start=-1.0, interval=0.9, number=4, noise=0.4)
        for k, gid in enumerate(range(10, 16)):
            net.connect(gid, syn if k % 2 else syn_d, 0.004 * (k + 1), delay=0.5 + 0.25 * k)
        net.connect(11, restarted, 1.0, delay=0.0)  # on at 1.0, then while on, after the end
        net.connect(13, restarted, 1.0, delay=0.01)
        net.connect(14, burst, 1.0, delay=0.0)  # inputs while it runs
        net.connect(10, syn, 0.01, delay=0.0)
        net.connect(15, syn_d, 0.02, delay=0.02)
        for label, seg in (("soma0", s0(0.5)), ("dend0_0.3", d0(0.3))):
            net.watch(label, seg)
    elif model == "passive_neuron_only":
        s0, d0 = net.cell(passive=True)
        s1, d1 = net.cell(passive=True)
        net.point("AlphaSynapse", s0(0.5), onset=2.0, tau=1.0, gmax=0.05, e=0.0)
        net.point("AlphaSynapse", d0(0.9), onset=7.0125, tau=0.5, gmax=0.02, e=-80.0)
        net.point("OClamp", s1(0.5), on=5.0, off=15.0, vc=-20.0, rs=1.0, switched_on=1)
        a0 = net.point("APCount", s0(0.5), thresh=-60.0)
        net.values = {"APCount[0].n": lambda: a0.n, "APCount[0].time": lambda: a0.time}
        net.netstim(10, start=1.0, interval=2.0, number=25, noise=0.3)
        net.netstim(11, start=3.3, interval=3.7, number=12)
        syn = net.point("ExpSyn", d1(0.5), tau=2.0)
        fires = [h.IntFire1(), h.IntFire2(), h.IntFire4()]
        fires[1].ib = 0.8
        for k, cell in enumerate(fires):
            net.artificial(20 + k, cell)
            net.connect(10, cell, 0.35, delay=0.5 + k)
            net.connect(11, cell, -0.1)
            net.connect(20 + k, syn, 0.01 * (k + 1), delay=1.0)
        for label, seg in (("soma0", s0(0.5)), ("dend0_0.9", d0(0.9)), ("soma1", s1(0.5)),
                           ("dend1_0.5", d1(0.5))):
            net.watch(label, seg)
    elif model == "alphasynapse":
        s0, d0 = net.cell()
        s1, d1 = net.cell()
        net.point("AlphaSynapse", s0(0.5), onset=2.0, tau=1.0, gmax=0.05, e=0.0)
        net.point("AlphaSynapse", s0(0.5), onset=15.0125, tau=0.5, gmax=0.02, e=-80.0)
        net.point("AlphaSynapse", d1(0.9), onset=5.0, tau=2.0, gmax=0.03, e=0.0)
        for label, seg in (("soma0", s0(0.5)), ("soma1", s1(0.5)), ("dend1_0.9", d1(0.9))):
            net.watch(label, seg)
    elif model == "oclamp":
        s0, d0 = net.cell()
        s1, d1 = net.cell()
        net.point("OClamp", s0(0.5), on=5.0, off=15.0, vc=-20.0, rs=1.0, switched_on=1)
        net.point("OClamp", d1(0.5), on=2.0, off=30.0, vc=20.0, rs=5.0, switched_on=0)
        net.point("OClamp", s1(0.5), on=20.0, off=22.0, vc=10.0, rs=2.0, switched_on=1)
        for label, seg in (("soma0", s0(0.5)), ("soma1", s1(0.5)), ("dend1_0.5", d1(0.5))):
            net.watch(label, seg)
    elif model == "apcount":
        s0, d0 = net.cell()
        net.point("IClamp", s0(0.5), delay=2.0, dur=30.0, amp=0.3)
        a0 = net.point("APCount", s0(0.5), thresh=-20.0)
        a1 = net.point("APCount", d0(0.9), thresh=-40.0)
        net.values = {"APCount[0].n": lambda: a0.n, "APCount[0].time": lambda: a0.time,
                      "APCount[1].n": lambda: a1.n, "APCount[1].time": lambda: a1.time}
        net.watch("soma0", s0(0.5))
        net.watch("dend0_0.9", d0(0.9))
    elif model == "vclamp":
        s0, d0 = net.cell()
        vc = net.point("VClamp", s0(0.5))
        for j, (dur, amp) in enumerate(((5.0, -65.0), (10.0, -20.0), (5.0, -70.0))):
            vc.dur[j], vc.amp[j] = dur, amp
        net.watch("soma0", s0(0.5))
        net.watch("dend0_0.5", d0(0.5))
    elif model == "vclamp_passive":
        s0, d0 = net.cell(passive=True, threshold=-30.0)
        s1, d1 = net.cell(passive=True)
        vc = net.point("VClamp", s0(0.5), gain=1e4, rstim=2.0, tau1=0.01, tau2=0.05)
        for j, (dur, amp) in enumerate(((5.0, -65.0), (10.0, -20.0), (5.0, -70.0))):
            vc.dur[j], vc.amp[j] = dur, amp
        vd = net.point("VClamp", d1(0.7))  # defaults: fac 0, tau2 0
        for j, (dur, amp) in enumerate(((2.0, -60.0), (3.0125, -10.0), (1.0, -80.0))):
            vd.dur[j], vd.amp[j] = dur, amp
        for label, seg in (("soma0", s0(0.5)), ("dend0_0.5", d0(0.5)), ("soma1", s1(0.5)),
                           ("dend1_0.7", d1(0.7))):
            net.watch(label, seg)
        net.record_gids = [0]
    elif model in ("intfire1", "intfire2", "intfire4"):
        s0, d0 = net.cell()
        s1, d1 = net.cell()
        net.point("IClamp", s0(0.5), delay=5.0, dur=40.0, amp=0.3)
        net.netstim(10, start=1.0, interval=2.0, number=40)
        net.netstim(11, start=3.3, interval=3.7, number=20)
        syn = net.point("ExpSyn", s1(0.5), tau=2.0)
        kind = {"intfire1": "IntFire1", "intfire2": "IntFire2", "intfire4": "IntFire4"}[model]
        cells = [getattr(h, kind)() for _ in range(3)]
        if model == "intfire1":
            cells[0].tau, cells[0].refrac = 10.0, 5.0
            cells[1].tau, cells[1].refrac = 4.0, 1.0
        elif model == "intfire2":
            cells[0].taus, cells[0].taum, cells[0].ib = 20.0, 10.0, 0.0
            cells[1].taus, cells[1].taum, cells[1].ib = 5.0, 10.0, 1.2  # taus raised
            cells[2].ib = 0.5
        else:
            cells[1].taue, cells[1].taui1, cells[1].taui2, cells[1].taum = 3.0, 5.0, 8.0, 20.0
        for k, cell in enumerate(cells):
            net.artificial(20 + k, cell)
        net.connect(10, cells[0], 0.3)
        net.connect(11, cells[0], -0.2, delay=0.5)
        net.connect(0, cells[0], 0.5, delay=2.0)
        net.connect(20, cells[1], 1.1)
        net.connect(11, cells[1], 0.4, delay=1.0)
        net.connect(10, cells[2], 0.25, delay=1.5)
        net.connect(21, cells[2], 0.5)
        net.connect(20, syn, 0.02)
        net.connect(22, syn, 0.02, delay=2.0)
        net.watch("soma0", s0(0.5))
        net.watch("soma1", s1(0.5))
    else:
        raise SystemExit(f"unknown model {model}")
    return net


def instance_counts(h) -> dict[str, int]:
    """Instances of every density mechanism and point process in the model, by name."""
    counts = {}
    name = h.ref("")
    for kind in (0, 1):
        mt = h.MechanismType(kind)
        for i in range(int(mt.count())):
            mt.select(i)
            mt.selected(name)
            if kind == 0:
                n = sum(1 for sec in h.allsec() for seg in sec if hasattr(seg, name[0]))
            else:
                n = int(h.List(name[0]).count())
            if n:
                counts[name[0]] = n
    return counts


def main() -> None:
    out, model = Path(sys.argv[1]), sys.argv[2]
    import neuron
    from neuron import h

    if len(sys.argv) > 3:  # a folder nrnivmodl compiled
        neuron.load_mechanisms(sys.argv[3])
    h.load_file("stdrun.hoc")
    spec = MODELS[model]
    net = build(spec.build or model, spec.hh)
    pc = net.pc
    if spec.nthread > 1:
        pc.nthread(spec.nthread)
    h.dt = 0.025
    for name, value in spec.settings:
        if name == "Random123_globalindex":  # a method of any Random
            h.Random().Random123_globalindex(value)
        else:
            setattr(h, name, value)
    tstop = spec.tstop
    h.cvode.cache_efficient(1)
    spike_t, spike_gid = h.Vector(), h.Vector()
    pc.spike_record(-1, spike_t, spike_gid)
    segments = [seg for _, seg in net.record]
    for gid in net.record_gids:
        segments.append(net.sources[gid])
    traces = [h.Vector().record(seg._ref_v) for seg in segments]
    times = h.Vector().record(h._ref_t)
    if spec.keep_v:
        for k, seg in enumerate(seg for sec in h.allsec() for seg in sec.allseg()):
            seg.v = -75.0 + 0.7 * (k % 19)
        h.finitialize()
    else:
        h.finitialize(-65)
    out.mkdir(parents=True, exist_ok=True)
    pc.nrnbbcore_write(str(out / "coredat"))
    pc.set_maxstep(10)
    pc.psolve(tstop)
    info = {
        "model": model, "tstop": tstop, "dt": h.dt, "celsius": h.celsius, "t_end": h.t,
        "secondorder": int(h.secondorder), "nthread": int(pc.nthread()),
        "voltage": 1000.0 if spec.keep_v else -65.0,
        "spikes": [[t, int(g)] for t, g in zip(spike_t, spike_gid, strict=True)],
        "labels": [label for label, _ in net.record],
        "record_nodes": [int(seg.node_index()) for seg, _ in
                         zip(segments, net.record, strict=False)],
        "record_gids": net.record_gids,
        "areas": [seg.area() for seg in segments],
        "voltages": [list(v) for v in traces],
        "record_times": list(times),
        "values": {label: float(get()) for label, get in net.values.items()},
        "instances": instance_counts(h),
        "vecplays": sum(1 for v in net.keep if hasattr(v, "hname")
                        and v.hname().startswith("Vector")) // 2,
    }
    if net.pattern:  # the spikes NEURON's PatternStim played, as a file for -p
        lines = "".join(f"{t!r}\t{g}\n" for t, g in net.pattern)
        (out / "pattern.dat").write_text("scatter\n" + lines)
    info["pattern"] = bool(net.pattern)
    (out / "neuron.json").write_text(json.dumps(info))


if __name__ == "__main__":
    main()
