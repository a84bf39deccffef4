"""A small NEURON model driven by a spike raster, for the PatternStim tests.

Run as ``python pattern_model.py OUTDIR`` with NEURON 9.0.2: three hh cells whose ExpSyns listen
to gids 1000..1003, which no cell owns. Writes OUTDIR/coredat (after finitialize),
OUTDIR/pattern.dat (the raster, CoreNEURON's format) and OUTDIR/spk1.std: NEURON's own spikes
with the raster replayed by NEURON's PatternStim.

``python pattern_model.py OUTDIR nt2``: the same on 2 NEURON threads (a dataset of 2 groups,
for runs on 2 MPI ranks).

``python pattern_model.py OUTDIR order``: a model where the order of two events of equal time
decides whether a cell fires. NetStim gid 0 (start -1: off) gets +1 (switch on) from input gid
1000 (raster spike at 52 ms, delay 1) and -1 (switch off) from NetStim gid 1 (fires at 49 ms,
delay 4): both arrive at 53 ms. PatternStim sends the raster in groups of at least 102 entries
(padding: gid 2000, which nothing listens to, every 0.5 ms), so the group holding the 52 ms
entry goes out at 51 ms, after the -1 was queued: -1 comes first, +1 then switches gid 0 on,
and it fires at 53, 58 and 63 ms. A replay that queued every raster spike at the start would
deliver +1 first and -1 would switch gid 0 off before its first spike. A passive cell (gid 2)
gives thread 0 a compartment: without one, CoreNEURON makes no PatternStim at all.
"""

import sys
from pathlib import Path


def order_model(outdir: Path) -> None:
    from neuron import h

    h.load_file("stdrun.hoc")
    pc = h.ParallelContext()
    cell = h.NetStim()
    cell.start, cell.number, cell.interval, cell.noise = -1, 3, 5.0, 0
    stim = h.NetStim()
    stim.start, stim.number, stim.noise = 49.0, 1, 0
    pc.set_gid2node(0, 0)
    pc.cell(0, h.NetCon(cell, None))
    pc.set_gid2node(1, 0)
    pc.cell(1, h.NetCon(stim, None))
    switch_off = pc.gid_connect(1, cell)
    switch_off.delay, switch_off.weight[0] = 4.0, -1.0
    switch_on = pc.gid_connect(1000, cell)
    switch_on.delay, switch_on.weight[0] = 1.0, 1.0
    raster = sorted([(0.5 * k, 2000) for k in range(200)] + [(52.0, 1000)])
    (outdir / "pattern.dat").write_text(
        "scatter\n" + "".join(f"{t:.17g} {g}\n" for t, g in raster))
    tvec = h.Vector([t for t, _ in raster])
    gvec = h.Vector([g for _, g in raster])
    pattern = h.PatternStim()
    pattern.play(tvec, gvec)
    # a cell with compartments: CoreNEURON makes no PatternStim when thread 0 has none
    soma = h.Section(name="soma")
    soma.insert("pas")
    pc.set_gid2node(2, 0)
    pc.cell(2, h.NetCon(soma(0.5)._ref_v, None, sec=soma))
    run_and_write(pc, h, outdir, [cell, stim, switch_off, switch_on, pattern, tvec, gvec, soma])


def run_and_write(pc, h, outdir: Path, keep: list) -> None:
    """Dump the dataset after finitialize, run NEURON to 100 ms, write its spikes."""
    h.cvode.cache_efficient(1)
    times, gids = h.Vector(), h.Vector()
    pc.spike_record(-1, times, gids)
    pc.set_maxstep(10)
    h.finitialize(-65)
    pc.nrnbbcore_write(str(outdir / "coredat"))
    pc.psolve(100.0)
    with open(outdir / "spk1.std", "w") as out:
        for t, g in zip(times, gids, strict=True):
            out.write(f"{t:.17g} {int(g)}\n")
    del keep


def main(outdir: Path, nthread: int = 1) -> None:
    from neuron import h

    h.load_file("stdrun.hoc")
    pc = h.ParallelContext()
    keep = []
    for gid in range(3):
        soma = h.Section(name=f"soma{gid}")
        soma.L = soma.diam = 20
        soma.insert("hh")
        syn = h.ExpSyn(soma(0.5))
        syn.tau = 2.0
        pc.set_gid2node(gid, 0)
        pc.cell(gid, h.NetCon(soma(0.5)._ref_v, None, sec=soma))
        for k, source in enumerate((1000 + gid, 1003)):
            nc = pc.gid_connect(source, syn)
            nc.delay = 1.0 + 0.5 * k
            nc.weight[0] = 0.02
            keep.append(nc)
        keep += [soma, syn]
    # The raster: input gids firing, some at equal times, one past tstop.
    raster = sorted({(round(2.0 + 3.7 * i, 3), 1000 + i % 4) for i in range(40)}
                    | {(5.0, 1001), (5.0, 1003), (150.0, 1000)})
    (outdir / "pattern.dat").write_text(
        "scatter\n" + "".join(f"{t:.17g} {g}\n" for t, g in raster))
    tvec = h.Vector([t for t, _ in raster])
    gvec = h.Vector([g for _, g in raster])
    stim = h.PatternStim()
    stim.play(tvec, gvec)
    if nthread > 1:  # cells spread over NEURON threads: one group each in the dataset
        pc.nthread(nthread)
    run_and_write(pc, h, outdir, [keep, stim, tvec, gvec])


if __name__ == "__main__":
    if sys.argv[2:] == ["order"]:
        order_model(Path(sys.argv[1]))
    elif sys.argv[2:] == ["nt2"]:
        main(Path(sys.argv[1]), nthread=2)
    else:
        main(Path(sys.argv[1]))
