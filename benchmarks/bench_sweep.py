"""Whole simulations of both size sweeps (the ringtest, the channel-dense family):
CoreNEURON and pycoreneuron side by side.

For each size and layout (sweep.LAYOUTS: 1 thread; 2 threads on the 2-group dataset; 2 threads
on the 1-group dataset, pycoreneuron only; 2 MPI ranks on the 2-rank dataset, ringtest only),
CoreNEURON's special-core and pycoreneuron-run each run the same NEURON-made dataset in fresh
processes, `--rounds` times (2 by default); the best figures (solver time, wall time, ns per
compartment-step, peak memory) go into the benchmark's extra_info, and
`python benchmarks/report.py RESULT.json` turns them into the README's tables.

bench_coreneuron times CoreNEURON alone. bench_pycoreneuron times pycoreneuron and, just before
each of its runs (untimed), CoreNEURON on the same dataset ("coreneuron_paired"), so that the
two sides of a row saw the same load on a shared machine; the report's ratios use those.
Spikes: on the ringtest, pycoreneuron's out.dat must equal CoreNEURON's byte for byte (and
CoreNEURON's equals NEURON's, tests/); on the channel-dense family it must equal NEURON's own
spikes (dense_model.py writes them as out.dat holds them), and whether CoreNEURON's do is
recorded beside the figures."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from coreneuron_runner import (
    Measurement,
    best,
    coreneuron_mpi,
    mpiexec_path,
    run_pycoreneuron,
    run_special_core,
)
from sweep import LAYOUTS, SIZES, Layout, count_compartments, runs

DT = 0.025  # ms, both families' step
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ringtest" / "coredat"


def figures(measurements: list[Measurement], loads: list[float], ncompartment: int,
            tstop: float) -> dict:
    """The best of repeated runs, with every run's solver and wall time kept beside it."""
    nstep = int(tstop / DT + 1e-9)
    measurement = best(measurements)
    return {
        "rounds": len(measurements),
        "solver_s": measurement.solver_s,
        "wall_s": measurement.wall_s,
        "peak_rss_mb": measurement.peak_rss_mb,
        "ns_per_compartment_step": measurement.per_compartment_step_ns(ncompartment, nstep),
        "solver_s_each": [m.solver_s for m in measurements],
        "wall_s_each": [m.wall_s for m in measurements],
        "load_1min_each": loads,  # the machine's load average before each run
    }


def record(benchmark, measurements: list[Measurement], loads: list[float], ncompartment: int,
           tstop: float, simulator: str, layout_id: str, size: str) -> None:
    layout = LAYOUTS[layout_id]
    benchmark.extra_info.update({
        "family": SIZES[size].family,
        "simulator": simulator,
        "layout": layout_id,
        "threads": layout.threads,
        "ranks": layout.ranks,
        "groups": layout.groups * layout.ranks,
        "compartments": ncompartment,
        "tstop_ms": tstop,
        **figures(measurements, loads, ncompartment, tstop),
    })


def dataset(model_size, size: str, layout_id: str):
    if not runs(size, layout_id):
        pytest.skip(f"the {SIZES[size].family} family does not run this layout")
    layout = LAYOUTS[layout_id]
    return model_size(size, layout.groups, layout.ranks)


def skip_without_mpi(layout: Layout) -> None:
    if layout.ranks > 1:
        if mpiexec_path() is None:
            pytest.skip("no mpiexec (pip install .[mpi])")
        pytest.importorskip("mpi4py", reason="MPI runs need mpi4py (pip install .[mpi])")


def layouts(coreneuron: bool) -> list:
    """Layout ids to parametrize with; those on several ranks carry the `mpi` marker."""
    return [pytest.param(k, marks=pytest.mark.mpi) if v.ranks > 1 else k
            for k, v in LAYOUTS.items() if v.coreneuron_runs_it or not coreneuron]


@pytest.fixture(scope="session")
def coreneuron_out() -> dict[Path, str]:
    """CoreNEURON's out.dat per dataset, kept for the session (filled by bench_coreneuron's
    single-process runs, or by one run of special-core here when missing)."""
    return {}


def reference_out(special_core: Path, cache: dict[Path, str], coredat: Path, tstop: float,
                  scratch: Path) -> str:
    if coredat not in cache:
        run_special_core(special_core, coredat, tstop, scratch)
        cache[coredat] = (scratch / "out.dat").read_text()
    return cache[coredat]


@pytest.fixture(scope="session")
def pycoreneuron_ready(tmp_path_factory) -> Callable[[Path], None]:
    """Compile a folder of MOD files into pycoreneuron's cache once, before any timing."""
    pytest.importorskip("pycoreneuron")
    import pycoreneuron

    # Byte code as pip's install writes it (an editable install under PYTHONDONTWRITEBYTECODE
    # would compile every module in every timed run)
    subprocess.run([sys.executable, "-m", "compileall", "-q",
                    str(Path(pycoreneuron.__file__).parent)], check=False)
    done: set[Path] = set()

    def warm(mod: Path) -> None:
        if mod not in done:
            run_pycoreneuron(EXAMPLE, 0.0, tmp_path_factory.mktemp("warmup"), mod=mod)
            done.add(mod)

    return warm


def sorted_lines(text: str) -> list[str]:
    return sorted(text.splitlines(), key=lambda line: (float(line.split()[0]),
                                                       int(line.split()[1])))


@pytest.mark.parametrize("layout_id", layouts(coreneuron=True))
@pytest.mark.parametrize("size", list(SIZES))
def bench_coreneuron(benchmark, model_size, special_core_of, coreneuron_out, rounds, tmp_path,
                     size, layout_id):
    layout = LAYOUTS[layout_id]
    skip_without_mpi(layout)
    model = dataset(model_size, size, layout_id)
    coredat, tstop = model.coredat, model.tstop
    special_core = special_core_of(model.mod)
    mpi = None
    if layout.ranks > 1:
        mpi = coreneuron_mpi()
        if mpi is None:
            pytest.skip("special-core --mpi needs the wheel's libcorenrnmpi_mpich.so and "
                        "pip's mpich (pip install .[mpi])")
    measurements: list[Measurement] = []
    loads: list[float] = []

    def run() -> None:
        outdir = tmp_path / f"out{len(measurements)}"
        loads.append(os.getloadavg()[0])
        measurements.append(run_special_core(special_core, coredat, tstop, outdir,
                                             layout.threads, layout.ranks, mpi))

    benchmark.pedantic(run, rounds=rounds, iterations=1)
    out = (tmp_path / "out0" / "out.dat").read_text()
    if layout.ranks == 1:
        coreneuron_out.setdefault(coredat, out)
    else:  # CoreNEURON on 2 ranks: the same spikes as on one
        reference = reference_out(special_core, coreneuron_out, coredat, tstop,
                                  tmp_path / "single")
        assert sorted_lines(out) == sorted_lines(reference)
    if model.neuron_spikes is not None:
        benchmark.extra_info["spikes_equal_neurons"] = \
            sorted_lines(out) == sorted_lines(model.neuron_spikes.read_text())
    record(benchmark, measurements, loads, count_compartments(coredat), tstop, "coreneuron",
           layout_id, size)


@pytest.mark.parametrize("layout_id", layouts(coreneuron=False))
@pytest.mark.parametrize("size", list(SIZES))
def bench_pycoreneuron(benchmark, model_size, special_core_of, coreneuron_out,
                       pycoreneuron_ready, rounds, tmp_path, size, layout_id):
    """pycoreneuron-run on the dataset; before each of its runs (untimed by pytest-benchmark),
    CoreNEURON on the same dataset, so that both sides of a row see the same load. On the
    1-group dataset with 2 threads, CoreNEURON's side is its 1-thread run (one per group)."""
    layout = LAYOUTS[layout_id]
    skip_without_mpi(layout)
    model = dataset(model_size, size, layout_id)
    coredat, tstop = model.coredat, model.tstop
    special_core = special_core_of(model.mod)
    pycoreneuron_ready(model.mod)
    mpiexec = mpiexec_path()
    core_threads = layout.threads if layout.coreneuron_runs_it else 1
    core_mpi = coreneuron_mpi() if layout.ranks > 1 else None
    paired = layout.ranks == 1 or core_mpi is not None
    measurements: list[Measurement] = []
    loads: list[float] = []
    core_measurements: list[Measurement] = []
    core_loads: list[float] = []

    def run_coreneuron() -> None:
        if paired:
            core_loads.append(os.getloadavg()[0])
            core_measurements.append(run_special_core(
                special_core, coredat, tstop, tmp_path / f"core{len(core_measurements)}",
                core_threads, layout.ranks, core_mpi))

    def run() -> None:
        outdir = tmp_path / f"out{len(measurements)}"
        loads.append(os.getloadavg()[0])
        measurements.append(run_pycoreneuron(coredat, tstop, outdir, layout.threads,
                                             layout.ranks, model.mod, mpiexec))

    benchmark.pedantic(run, setup=run_coreneuron, rounds=rounds, iterations=1)
    if model.neuron_spikes is None:  # the ringtest: CoreNEURON's out.dat, byte for byte
        reference = reference_out(special_core, coreneuron_out, coredat, tstop,
                                  tmp_path / "core")
        what = "CoreNEURON's"
    else:  # NEURON's own spikes
        reference = model.neuron_spikes.read_text()
        what = "NEURON's spikes"
    for i in range(len(measurements)):
        assert (tmp_path / f"out{i}" / "out.dat").read_text() == reference, (
            f"pycoreneuron's out.dat differs from {what} on {coredat}")
    core_outs = [sorted_lines((tmp_path / f"core{i}" / "out.dat").read_text())
                 for i in range(len(core_measurements))]
    if model.neuron_spikes is None:
        assert all(out == sorted_lines(reference) for out in core_outs)
    else:
        benchmark.extra_info["coreneuron_spikes_equal_neurons"] = \
            all(out == sorted_lines(reference) for out in core_outs)
    ncompartment = count_compartments(coredat)
    record(benchmark, measurements, loads, ncompartment, tstop, "pycoreneuron", layout_id,
           size)
    if paired:
        benchmark.extra_info["coreneuron_paired"] = {
            "threads": core_threads,
            **figures(core_measurements, core_loads, ncompartment, tstop)}
