"""A small NEURON model driven by a spike raster, for the PatternStim tests.

Run as ``python pattern_model.py OUTDIR`` with NEURON 9.0.2: three hh cells whose ExpSyns listen
to gids 1000..1003, which no cell owns. Writes OUTDIR/coredat (after finitialize),
OUTDIR/pattern.dat (the raster, CoreNEURON's format) and OUTDIR/spk1.std: NEURON's own spikes
with the raster replayed by NEURON's PatternStim.
"""

import sys
from pathlib import Path


def main(outdir: Path) -> None:
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


if __name__ == "__main__":
    main(Path(sys.argv[1]))
