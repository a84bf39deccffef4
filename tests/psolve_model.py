"""NEURON scripts that call pycoreneuron.psolve, for tests/test_psolve.py.

``python psolve_model.py ring [RINGTEST FLAGS]``: the ringtest (pycoreneuron.models.ringtest's
cells and connections), initialised once; pycoreneuron.psolve with spike_record vectors, then
NEURON's own pc.psolve from the same initialisation into pc.spike_record(-1) vectors. With
``-mpi`` under mpiexec (h.nrnmpi_init). With ``-gap`` the HalfGap mechanism comes from a
nrnivmodl library that NEURON loads, so psolve finds the user's MOD file by itself.

``python psolve_model.py ties``: six hh cells that fire at the same times, their gids not in the
order the cells were made: NEURON records ties in the order it checks thresholds.

``python psolve_model.py errors``: the one-sentence errors of psolve's misuses.

Each rank writes its values to ``result.<rank>.json`` in the working directory.
"""

import json
import os
import sys


def report(pc, **values) -> None:
    """values to result.<rank>.json in the working directory (ranks' printed lines would
    interleave)."""
    rank = int(pc.id())
    with open(f"result.{rank}.json", "w") as out:
        json.dump({"rank": rank, **values}, out)


def ring(flags: list[str]) -> None:
    import pycoreneuron  # before nrnmpi_init: NEURON's MPI is the [mpi] extra's
    from pycoreneuron.models import ringtest as rt

    args = rt.build_parser().parse_args(flags)
    from neuron import h, load_mechanisms

    if args.mpi:
        h.nrnmpi_init()
    if args.gap:
        load_mechanisms(str(rt.compile_halfgap_for_neuron()), warn_if_already_loaded=False)
    h.load_file("stdrun.hoc")
    pc = h.ParallelContext()
    h.Random().Random123_globalindex(args.gran)
    ncell = args.nring * args.ncell
    types = rt.shuffled_types(h, ncell, (ncell - 1) // args.npt + 1)
    rings = [rt.Ring(h, pc, i, args, types) for i in range(args.nring)]
    theirs = h.Vector(), h.Vector()
    pc.spike_record(-1, *theirs)
    if args.gap:
        pc.setup_transfer()
    pc.set_maxstep(10)
    h.stdinit()
    ours = h.Vector(), h.Vector()
    folder = os.environ.get("PSOLVE_FOLDER")
    result = pycoreneuron.psolve(args.tstop, spike_record=ours, folder=folder)
    t_after = h.t
    h.stdinit()
    pc.psolve(args.tstop)
    report(pc, ours=[list(v) for v in ours], neuron=[list(v) for v in theirs],
           result=[result.spike_times.tolist(), result.spike_gids.tolist()],
           t_after=t_after, mpi_lib=os.environ.get("MPI_LIB_NRN_PATH"))
    del rings
    if args.mpi:
        pc.barrier()
        pc.done()
        h.quit()


def ties() -> None:
    from neuron import h

    import pycoreneuron

    h.load_file("stdrun.hoc")
    pc = h.ParallelContext()
    keep = []
    for i, gid in enumerate([3, 0, 5, 1, 4, 2]):
        soma = h.Section(name=f"soma{i}")
        soma.L = soma.diam = 20
        soma.insert("hh")
        syn = h.ExpSyn(soma(0.5))
        stim = h.NetStim()
        stim.start, stim.number, stim.interval, stim.noise = 5, 5, 10, 0
        nc = h.NetCon(stim, syn)
        nc.weight[0], nc.delay = 0.05, 1.0
        pc.set_gid2node(gid, 0)
        pc.cell(gid, h.NetCon(soma(0.5)._ref_v, None, sec=soma))
        keep += [soma, syn, stim, nc]
    theirs = h.Vector(), h.Vector()
    pc.spike_record(-1, *theirs)
    pc.set_maxstep(10)
    h.finitialize(-65)
    ours = h.Vector(), h.Vector()
    pycoreneuron.psolve(60.0, spike_record=ours)
    h.finitialize(-65)
    pc.psolve(60.0)
    report(pc, ours=[list(v) for v in ours], neuron=[list(v) for v in theirs])


def errors() -> None:
    import pycoreneuron

    messages = {}
    try:
        pycoreneuron.psolve(10.0)
    except pycoreneuron.UsageError as exc:
        messages["no_neuron"] = str(exc)
    from neuron import h

    h.load_file("stdrun.hoc")
    pc = h.ParallelContext()
    soma = h.Section(name="soma")
    soma.insert("hh")
    pc.set_gid2node(0, 0)
    pc.cell(0, h.NetCon(soma(0.5)._ref_v, None, sec=soma))
    for name, call in [
        ("not_initialised", lambda: pycoreneuron.psolve(10.0)),
        ("bad_vectors", lambda: pycoreneuron.psolve(10.0, spike_record=(h.Vector(), [1]))),
        ("own_option", lambda: pycoreneuron.psolve(10.0, comm=None)),
    ]:
        try:
            call()
        except pycoreneuron.UsageError as exc:
            messages[name] = str(exc)
    h.finitialize(-65)
    h.fadvance()
    try:
        pycoreneuron.psolve(10.0)
    except pycoreneuron.UsageError as exc:
        messages["not_at_zero"] = str(exc)
    h.CVode().active(1)
    h.finitialize(-65)
    try:
        pycoreneuron.psolve(10.0)
    except pycoreneuron.NotSupportedError as exc:
        messages["cvode"] = str(exc)
    report(pc, messages=messages)


if __name__ == "__main__":
    what, rest = sys.argv[1], sys.argv[2:]
    {"ring": lambda: ring(rest), "ties": ties, "errors": errors}[what]()
