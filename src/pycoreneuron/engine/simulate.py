"""pycoreneuron.simulate: read a dataset, assemble it, run it window by window, return spikes."""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import _core
from ..errors import NotSupportedError, PyCoreNeuronError, UsageError
from ..io.dataset import Dataset, read_dataset
from ..io.files_dat import read_files_dat
from ..io.out_dat import sort_spikes
from ..io.pattern import read_pattern
from ..io.report_conf import Report, ReportConf
from ..io.sonata import write_spikes_h5
from ..limits import MAX_STEPS, MAX_THREADS, MIN_DT
from ..nmodl import library
from . import checkpoint as chk
from . import device_windows, patternstim, thread_vars
from .assemble import connect_gap_junctions, gap_sources, group_spec
from .forward_skip import forward_skip
from .mechlib import load_library
from .partition import blocks_per_group, split_groups
from .prcellstate import CellPrinter, time_suffix
from .ranks import (
    RemoteGapValues,
    agree,
    assign_groups,
    gather_spikes,
    global_max,
    global_min,
    refuse_duplicate_gids,
    sum_stats,
)
from .reports import ReportSink, check_outdir, plan, record_every
from .windows import Exchange, SpikeExchange, gap_step_count, run, window_steps

DEFAULT_DT = 0.025  # ms, when neither the flags nor globals.dat give one
DEFAULT_CELSIUS = 34.0  # degC, CoreNEURON's default
# A block stays in the core's L2 cache for a whole window at about this many compartments
# (~70 bytes each, measured 8.2 against 13.4 ns per compartment-step at 813K compartments).
BLOCK_COMPARTMENTS = 16384
BLOCK_BYTES = 2 << 20  # measured: 1.5-2 MiB blocks are fastest on the channel-dense family


def default_blocks(groups: Sequence, threads: int) -> int:
    """Blocks per group: enough for every thread, and small enough to stay in cache: at most
    BLOCK_COMPARTMENTS nodes and BLOCK_BYTES of the group's data (a channel-dense cell carries
    twenty times a passive one's doubles per compartment)."""
    largest = max((g.nnode for g in groups), default=0)
    heaviest = max((g.nbytes for g in groups), default=0)
    return max(blocks_per_group(threads, len(groups)), -(-largest // BLOCK_COMPARTMENTS),
               -(-heaviest // BLOCK_BYTES))


@dataclass
class SimulationResult:
    """Spikes (sorted by time, then gid) and what the run did."""

    spike_times: np.ndarray
    spike_gids: np.ndarray
    tstop: float
    t: float  # the time reached (accumulated as NEURON accumulates it)
    steps: int
    dt: float
    celsius: float
    setup_time: float  # s, reading and assembling
    solver_time: float  # s, initialisation and stepping (without copy_time)
    stats: dict[str, int] = field(default_factory=dict)
    copy_time: float = 0.0  # s, the model to the device and its state back (device runs)
    # Recorded voltages [mV]: one row per recorded node (record_nodes, then record_gids),
    # column 0 right after initialisation, then one every record_interval.
    voltages: np.ndarray = field(default_factory=lambda: np.empty((0, 0)))
    record_times: np.ndarray = field(default_factory=lambda: np.empty(0))

    def plot_raster(self, ax: Any = None) -> Any:
        """The spike raster (matplotlib, the [plot] extra); see pycoreneuron.plot."""
        from ..plot import plot_raster

        return plot_raster(self, ax)

    def plot_voltages(self, ax: Any = None, labels: Sequence[str] | None = None) -> Any:
        """The recorded voltage traces (matplotlib, the [plot] extra); see pycoreneuron.plot."""
        from ..plot import plot_voltages

        return plot_voltages(self, ax, labels)


def _print_to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _refuse_unsupported(dataset: Dataset) -> None:
    """Nothing the reader takes is refused here any more (BBCOREPOINTER data goes to the
    mechanisms' bbcore_read when the groups are assembled)."""


def _set_mechanism_globals(descriptors: dict, dataset: Dataset) -> None:
    """GLOBAL parameters from globals.dat (usetable_hh, ...) into the compiled mechanisms."""
    for name, desc in descriptors.items():
        if name is None:
            continue
        for global_name in library.globals_of(desc):
            value = dataset.globals.get(global_name)
            if value is not None:
                library.set_global(desc, global_name, value)
        # EXTERNAL: the other mechanism's GLOBAL, which may have no instances in this run
        for k, global_name in enumerate(library.externals(desc)):
            value = dataset.globals.get(global_name)
            if value is not None:
                desc.external_ptrs[k].contents.value = value


def simulate(path: str | os.PathLike[str], tstop: float = 100.0, *, dt: float | None = None,
             celsius: float | None = None, voltage: float = -65.0,
             filesdat: str | os.PathLike[str] | None = None,
             mod: str | os.PathLike[str] | None = None, seed: int | None = None,
             mindelay: float = 10.0, threads: int = 1, comm: Any = None,
             blocks: int | None = None, pattern: str | os.PathLike[str] | None = None,
             record_nodes: Sequence[int] = (), record_gids: Sequence[int] = (),
             record_interval: float | None = None, cell_permute: int = 0,
             checkpoint: str | os.PathLike[str] | None = None,
             restore: str | os.PathLike[str] | None = None,
             prcellgid: int | None = None, forwardskip: float = 0.0,
             device_kernels: bool = False, device: str | None = None,
             num_gpus: int | None = None,
             progress: Callable[[float, float], None] | None = None,
             reports: Sequence[Report] | ReportConf = (),
             report_dir: str | os.PathLike[str] | None = None) -> SimulationResult:
    """Simulate a NEURON dataset from t = 0 to tstop as CoreNEURON does; return its spikes.

    dt and celsius default to globals.dat's values; voltage 1000 keeps the dataset's voltages;
    mod is a folder of the user's MOD files; seed replaces Random123's global index.
    blocks: split the groups into at least this many blocks of whole cells (default:
    threads; record_nodes keeps them whole).
    pattern: a spike raster file replayed as CoreNEURON's PatternStim (-p).
    threads: OpenMP threads over the blocks of a window. comm: an mpi4py communicator; each
    rank then reads its share of the groups and every rank gets all spikes.
    record_nodes (node indices) and record_gids (each cell's spike-source node) are recorded
    every record_interval (default dt, rounded to whole steps). progress(t, tstop) is called
    after every window.
    cell_permute: CoreNEURON's -R. 1 lays each block out as the GPU does (cells interleaved,
    one cell per thread in the Hines solve); 0 and 2 sort nodes by depth (CoreNEURON's
    "parent adjacency", our CPU default). Every layout gives the same spikes.
    checkpoint: a folder to write the run's whole state to at its end (made if need be);
    restore: a checkpoint folder to continue from, on any number of threads or ranks: the
    run goes from the checkpoint's t to tstop and returns the spikes of that part only.
    prcellgid: write special-core's prcellstate files of that cell (-g) into the current
    folder: as read, after finitialize (or the restore) and at the end.
    forwardskip: CoreNEURON's -k: after finitialize, ten steps of forwardskip/10 ms from
    t = -1e9, whose spikes are forgotten, then the run from t = 0 (forward_skip.py).
    device_kernels: run each mechanism's device kernels (the CUDA printer's, built as C) in
    place of its CPU hooks, where it has them: a check of the GPU's code on the CPU.
    device: "host" runs the device engine (whole windows of the device kernels, events kept
    by the host between windows; device_window.h) with the kernels built for the host: the
    GPU's run, checked on the CPU. "copy" runs them on copies of the model in separate
    memory, as on a GPU (device_target.h), with the host's copies set to NaN meanwhile: the
    check of the copies. "cuda" runs them on the GPU (CoreNEURON's --gpu; num_gpus: -n,
    rank r on device r % num_gpus). Each implies cell_permute 1 and device_kernels.
    """
    if device not in (None, "host", "copy", "cuda"):
        raise UsageError(f"device must be None, 'host', 'copy' or 'cuda', got {device!r}")
    if device == "cuda":
        from .device import check_gpu_run

        check_gpu_run()  # one sentence where this process has no CUDA module or device
    if device is not None:
        if forwardskip > 0:
            raise NotSupportedError("-k/--forwardskip is not on the device engine yet")
        cell_permute, device_kernels = 1, True
    if not (math.isfinite(forwardskip) and forwardskip >= 0):
        raise UsageError(f"forwardskip must be a finite time >= 0 ms, got {forwardskip}")
    if not tstop >= 0:
        raise UsageError(f"tstop must be >= 0, got {tstop}")
    conf = reports if isinstance(reports, ReportConf) else \
        ReportConf(reports=list(reports), spikes_file=None)
    sonata = bool(conf.reports) or conf.spikes_file is not None
    if sonata and restore is not None:
        raise NotSupportedError("SONATA reports of a restored run are not supported yet")
    outdir = check_outdir(conf, report_dir) if sonata else None  # h5py there, folder made
    if not 1 <= threads <= MAX_THREADS:
        raise UsageError(f"threads must be from 1 to {MAX_THREADS}, got {threads}")
    if seed is not None and not 0 <= seed < 2**32:
        raise UsageError(f"seed must be from 0 to {2**32 - 1} (Random123's global index is 32 "
                         f"bits), got {seed}")
    if not math.isfinite(tstop):
        raise UsageError(f"tstop must be finite, got {tstop}")
    if cell_permute not in (0, 1, 2):
        raise UsageError(f"cell_permute must be 0, 1 or 2, got {cell_permute}")
    if cell_permute == 1 and record_nodes:
        raise UsageError("record_nodes names the dataset's node numbers, which cell_permute 1 "
                         "renumbers: record cells by gid instead")
    start = time.perf_counter()
    from ..nmodl.catalogue import run_mechanisms

    failure: PyCoreNeuronError | None = None
    try:  # everything a rank does on its own before the first collective call
        my_groups = None
        if comm is not None:
            root = Path(path)
            files = read_files_dat(Path(filesdat) if filesdat is not None
                                   else root / "files.dat")
            my_groups = assign_groups(files, root, comm.Get_size())[comm.Get_rank()]
        dataset = read_dataset(path, filesdat, run_mechanisms(mod), groups=my_groups)
        _refuse_unsupported(dataset)
        stats = dataset.stats()
        groups = dataset.groups
        # -p: CoreNEURON's PatternStim lives in thread 0 (our first group), if it has cells
        stim_here = pattern is not None and patternstim.has_host(groups[0] if groups else None)
        charges = {r.name: float(r.charge) for r in dataset.mech_table.records
                   if r is not None and r.is_ion and r.charge is not None}
        used = {m.name for g in groups for m in g.mechanisms
                if m.n > 0 and m.name != "capacitance" and m.name not in charges}
        if stim_here:
            used.add(patternstim.NAME)
        rank0 = comm is None or comm.Get_rank() == 0
        descriptors = load_library(used, mod, warn=_print_to_stderr if rank0 else None)
        ngroups = sum(1 for e in dataset.files.entries if e >= 0)
        thread_vars.refuse_ambiguous_start(descriptors, used, ngroups)
        nblocks = blocks if blocks is not None else (
            1 if record_nodes else default_blocks(groups, threads))
        if nblocks > 1 or not record_nodes:
            # Whole cells per block: every thread has work, each block in cache; nodes sorted
            # by depth (record_nodes names the group's own node numbers: kept as they are).
            # NetCons shorter than a step keep both ends in one block (a window is >= 1 step).
            step = dt if dt is not None else dataset.globals.get("dt", DEFAULT_DT)
            # consume: each group's arrays go as soon as its blocks have copies
            groups = split_groups(groups, nblocks, keep_together_below=step, consume=True,
                                  sort_by_depth=not record_nodes,
                                  interleave=cell_permute == 1,
                                  # the group's node numbers: checkpoints, -g, reports
                                  keep_origins=checkpoint is not None or restore is not None
                                  or prcellgid is not None or sonata,
                                  ordered=thread_vars.ordered_mechanisms(descriptors))
            dataset.groups = groups  # the unsplit arrays can go: one copy of the model
        _set_mechanism_globals(descriptors, dataset)
        dt = dt if dt is not None else dataset.globals.get("dt", DEFAULT_DT)
        celsius = celsius if celsius is not None else dataset.globals.get("celsius",
                                                                           DEFAULT_CELSIUS)
        if not dt >= MIN_DT:
            raise UsageError(f"dt must be at least {MIN_DT:g} ms, got {dt:g}")
        if not tstop / dt <= MAX_STEPS:
            raise UsageError(f"tstop {tstop:g} ms with dt {dt:g} ms is {tstop / dt:.3g} steps; "
                             f"pycoreneuron runs at most {MAX_STEPS} ({MAX_STEPS:.2g})")
        globalindex = seed if seed is not None else dataset.globals.random123_globalindex
        # A checkpoint's PatternStim goes on past tstop: its raster is not cut there.
        replay = read_pattern(pattern, math.inf if checkpoint is not None else tstop) \
            if pattern is not None else None
        specs = [group_spec(g, k, descriptors, charges, dt, celsius,
                            dataset.globals.secondorder, globalindex, dataset.globals)
                 for k, g in enumerate(groups)]
        thread_vars.attach(groups, specs, descriptors, dataset.globals, ngroups)
        resume = _checkpoint_setup(path, filesdat, groups, descriptors, pattern, mod,
                                   checkpoint, restore,
                                   chk.RunPoint(0.0, 0, dt, celsius, dataset.globals.secondorder,
                                                globalindex), comm)
        printer = None
        if prcellgid is not None and prcellgid >= 0:
            nargs = {name: d.net_receive_nargs for name, d in descriptors.items()
                     if name is not None}
            printer = CellPrinter(prcellgid, Path.cwd(), path, filesdat, run_mechanisms(mod),
                                  groups, nargs, celsius)
            printer.as_read()
        dev_lib = cuda_lib = cuda_tables = None
        if device_kernels:  # the translator's printers: imported only for this check
            from . import device_kernels as devk

            dev_lib, kept = devk.build(used, mod)
            if dev_lib is not None:
                devk.attach(specs, dev_lib, descriptors)
            if device is not None:
                device_windows.prepare(specs, descriptors, kept, dt)
                if device != "host" and thread_vars.tables_recheck(descriptors):
                    raise NotSupportedError("a TABLE that depends on a variable INITIAL "
                                            "writes is not on the device engine yet")
                if device == "cuda":
                    from .device import select

                    cuda_lib = devk.build_cuda(mod, needed=used)
                    # before the GLOBALs go to the device: the device of this rank
                    cuda_tables = select(comm.Get_rank() if comm is not None else 0,
                                         num_gpus, cuda_lib)
        stim_spec = None
        if replay is not None and stim_here:  # appended to thread 0's list, as CoreNEURON does
            stim_spec = patternstim.instance_spec(descriptors[patternstim.NAME])
            specs[0]["mechanisms"].append(stim_spec)
    except PyCoreNeuronError as exc:
        failure = exc
    agree(comm, failure)  # every rank learns whether any rank failed, so none waits forever
    if comm is not None and comm.Get_size() > 1:
        refuse_duplicate_gids(comm, _source_gids(groups), str(path))
    if voltage != 1000:  # gap sources elsewhere are read before their own block's init
        for spec in specs:
            spec["v"][:] = voltage
    remote_gaps = None
    if dataset.has_gaps and comm is not None and comm.Get_size() > 1:
        remote_gaps = RemoteGapValues(comm, *gap_sources(groups, specs))
    try:  # the second phase of a rank's own set-up, agreed on as the first
        if dataset.has_gaps:
            connect_gap_junctions(groups, specs, remote_gaps)
            if device is not None:
                device_windows.refuse_gaps_between_blocks(specs, remote_gaps is not None)
        # CoreNEURON with --mpi integrates to tstop*(1 + 1e-11) (numerics §5).
        tstop_run = tstop * (1 + 1e-11) if comm is not None else tstop
        nsteps = int((tstop_run - 0.0) / dt + 1e-9)
        single_step = dataset.has_gaps or nsteps <= 3
        if single_step:
            nsteps = gap_step_count(tstop_run, dt)
        if resume.manifest is not None:  # the steps the checkpoint's run has taken
            nsteps = max(0, nsteps - int(resume.manifest["steps"]))
        recorded = _add_recording(specs, groups, record_nodes, record_gids, record_interval,
                                  dt, nsteps, conf, dataset.mapping, tstop)
        if device is not None:
            device_windows.refuse_recorded_artificial(specs)
    except PyCoreNeuronError as exc:
        failure = exc
    agree(comm, failure)
    # the device engine transfers gap junctions inside its blocks itself: whole windows
    stepwise = dataset.has_gaps and device is None
    window = 1 if single_step and device is None else window_steps(
        _min_crossing_delay(groups, mindelay, comm), dt)
    sink = None
    if recorded["planned"]:  # collective: checks across ranks, rank 0 opens the files
        sink = ReportSink(recorded["planned"], conf, outdir, recorded["every"], comm)
        # the record buffers hold one window's samples: shorter windows when they are small
        cap = recorded["max_window"]
        window = min(window, global_min(comm, cap) if comm is not None else cap)
    blocks = [_core.Block(spec) for spec in specs]
    block_set = _core.BlockSet(blocks)
    spike_exchange = SpikeExchange(blocks, comm)
    exchange: Exchange = spike_exchange
    stim = None
    if stim_spec is not None and replay is not None:
        raster = patternstim.attach(stim_spec, blocks[0], *replay,
                                    patternstim.input_flags(replay[1], groups), len(blocks))
        exchange = patternstim.PatternRelay(raster, block_set, exchange)
        stim = (stim_spec, raster)
    setup_time = time.perf_counter() - start

    start = time.perf_counter()
    if remote_gaps is not None:
        remote_gaps.exchange()  # initial voltages of other ranks' gap sources
    for block in blocks:  # NEURON checks every type's TABLEs before any INITIAL
        block.build_tables()
    if dev_lib is not None:
        devk.fill(dev_lib, descriptors)
    if cuda_lib is not None:  # the GPU's copies of the GLOBALs and TABLEs
        devk.fill(cuda_lib, descriptors)
    if resume.manifest is None:
        for block in blocks:
            block.initialize(voltage, voltage == 1000, tables=False)
    else:  # the checkpoint's state in place of finitialize
        try:
            chk.restore(Path(restore), resume.manifest, resume.states, groups, specs, blocks,
                        stim, descriptors)
            # no sample at the restore: the first is the next step the whole run sampled
            every = recorded["every"]
            recorded["first_step"] = (int(resume.manifest["steps"]) // every + 1) * every
        except PyCoreNeuronError as exc:
            failure = exc
        agree(comm, failure)
    first = blocks[0] if blocks else None
    if printer is not None:
        printer.now(time_suffix(first.t if first is not None else 0.0), groups, specs, blocks,
                    first.t if first is not None else 0.0)
    recheck = None
    if thread_vars.tables_recheck(descriptors):
        def recheck() -> None:
            for block in blocks:
                block.build_tables()
            if dev_lib is not None:
                devk.fill(dev_lib, descriptors)
    if forwardskip > 0:
        def tables() -> None:
            for block in blocks:
                block.build_tables()

        def forget() -> None:
            spike_exchange.marks = [0] * len(blocks)

        forward_skip(blocks, block_set, exchange, forget, forwardskip, dt, dataset.has_gaps,
                     min(threads, max(1, len(blocks))),
                     remote_gaps.exchange if remote_gaps is not None else None, tables,
                     None if printer is None else
                     lambda t: printer.now("fs", groups, specs, blocks, t))
    # no more OpenMP threads than blocks: more would idle (and each costs a stack)
    each_window = progress
    if sink is not None:
        def each_window(t: float, stop: float) -> None:
            _drain(blocks, specs, recorded, sink, t, dt)
            if progress is not None:
                progress(t, stop)
        _drain(blocks, specs, recorded, sink, 0.0, dt)  # the sample at initialisation
    copy_time = 0.0
    copies = device in ("copy", "cuda")  # the model in other memory than the blocks' arrays
    if copies:  # after finitialize or the restore
        copy_start = time.perf_counter()
        try:
            device_windows.to_device(blocks, specs, device, cuda_lib, cuda_tables)
        except PyCoreNeuronError as exc:
            failure = exc
        agree(comm, failure)  # every rank stops if one could not copy its model
        copy_time = time.perf_counter() - copy_start
    try:
        # on the GPU, the calling thread only: the device is chosen per thread
        run(block_set, exchange, nsteps, window, stepwise,
            1 if device == "cuda" else min(threads, max(1, len(blocks))),
            (lambda: first.t) if first is not None else (lambda: tstop), tstop, each_window,
            remote_gaps.exchange if remote_gaps is not None else None, recheck)
    except BaseException:
        if sink is not None:
            sink.abort()  # nothing partial left
        if copies:  # the run failed: its state is not wanted
            device_windows.from_device(blocks, keep=False)
        raise
    if copies:  # the run's state back in the blocks' arrays
        copy_start = time.perf_counter()
        device_windows.from_device(blocks, keep=True)
        copy_time += time.perf_counter() - copy_start
    solver_time = time.perf_counter() - start - copy_time
    if printer is not None and first is not None:
        printer.now(time_suffix(first.t), groups, specs, blocks, first.t)
    if checkpoint is not None:
        reached = chk.RunPoint(first.t if first is not None else float("nan"),
                               first.steps if first is not None else 0, dt, celsius,
                               dataset.globals.secondorder, globalindex)
        chk.save(Path(checkpoint), groups, specs, blocks, reached, resume.digests, stim,
                 descriptors, comm)

    parts = [block.spikes() for block in blocks]
    times = np.concatenate([p[0] for p in parts]) if parts else np.empty(0)
    gids = np.concatenate([p[1] for p in parts]) if parts else np.empty(0, np.int32)
    if comm is not None:
        times, gids = gather_spikes(comm, times, gids)
        stats = sum_stats(comm, stats)
        solver_time = global_max(comm, solver_time)
    times, gids = sort_spikes(times, gids)
    if sonata:
        _write_sonata(conf, outdir, sink, times, gids, comm)
    voltages, record_times = _collect_recording(blocks, specs, recorded, dt)
    t_final = blocks[0].t if blocks else float("nan")
    steps = blocks[0].steps if blocks else nsteps
    return SimulationResult(
        spike_times=times, spike_gids=gids.astype(np.int32), tstop=tstop, t=t_final,
        steps=steps, dt=dt, celsius=celsius, setup_time=setup_time, solver_time=solver_time,
        stats=stats, voltages=voltages, record_times=record_times, copy_time=copy_time)


@dataclass
class _Resume:
    """What --checkpoint and --restore need: the dataset's digests, and the checkpoint read."""

    digests: dict[str, Any] = field(default_factory=dict)
    manifest: dict[str, Any] | None = None
    states: dict[int, Any] = field(default_factory=dict)


def _checkpoint_setup(path: str | os.PathLike[str], filesdat: Any, groups: list,
                      descriptors: dict[Any, Any], pattern: Any, mod: Any, checkpoint: Any,
                      restore: Any, point: chk.RunPoint, comm: Any) -> _Resume:
    """Digest the dataset this rank reads, make the checkpoint folder, read the checkpoint
    to restore and check it is of this dataset and run; all before the run starts."""
    from ..io import checkpoint_files as files

    out = _Resume()
    if checkpoint is None and restore is None:
        return out
    chk.refuse_unsaveable(groups, descriptors)
    root = Path(path)
    out.digests = {
        "dataset": files.dataset_digest(root, Path(filesdat) if filesdat is not None
                                        else root / "files.dat"),
        # once per group, not per block: a group's files are read whole
        "groups": {gid: files.group_digest(root, gid) for gid in sorted({g.id for g in groups})},
        "pattern": files.file_digest(Path(pattern)) if pattern is not None else "",
        "mod": files.mod_digest(mod)}
    if checkpoint is not None and (comm is None or comm.Get_rank() == 0):
        files.prepare_folder(Path(checkpoint))
    if restore is not None:
        folder = Path(restore)
        out.manifest = files.read_manifest(folder)
        chk.check_manifest(out.manifest, point, out.digests, folder, pattern is not None)
        out.states = chk.load_groups(folder, out.manifest, sorted(out.digests["groups"]))
    return out


def _source_gids(groups: list) -> np.ndarray:
    """The gids (>= 0) of this rank's spike sources."""
    parts = [np.asarray(g.output_gid)[np.asarray(g.output_gid) >= 0] for g in groups]
    return np.concatenate(parts) if parts else np.empty(0, np.int64)


def _min_crossing_delay(groups: list, mindelay: float, comm: Any) -> float:
    """mindelay capped by the smallest delay of a NetCon whose source is in another block or
    on another rank (CoreNEURON's set_mindelay), the same on every rank."""
    delays = [np.asarray(g.delay)[((np.asarray(g.netcon_src_group) >= 0)
                                   & (np.asarray(g.netcon_src_group) != k))
                                  | ((np.asarray(g.netcon_src_group) == -1)
                                     & (np.asarray(g.netcon_srcgid) >= 0))]
              for k, g in enumerate(groups)]
    cross = np.concatenate(delays) if delays else np.empty(0)
    value = min([mindelay, *cross.tolist()])
    if comm is not None:
        value = global_min(comm, value)
    return value


def _add_recording(specs: list[dict], groups: list, record_nodes: Sequence[int],
                   record_gids: Sequence[int], record_interval: float | None, dt: float,
                   nsteps: int, conf: ReportConf | None = None, mappings: Sequence = (),
                   tstop: float = 0.0) -> dict:
    """Put the recording arrays into the block specs: the addresses of the doubles each block
    records (record_nodes, record_gids, then every report's elements) and its buffer; returns
    what _collect_recording and _drain need: the steps between samples and, per requested
    row, (block, row within that block)."""
    rows: list[tuple[int, int]] = []
    per_block: list[list[int]] = [[] for _ in groups]  # addresses
    if record_nodes and len(groups) != 1:
        raise UsageError("record_nodes needs a single-group dataset; record cells by gid")

    def v_address(k: int, node: int) -> int:
        return int(specs[k]["v"].ctypes.data) + 8 * node

    for node in record_nodes:
        if not 0 <= int(node) < groups[0].nnode:
            raise UsageError(
                f"cannot record node {node}: the model has nodes 0..{groups[0].nnode - 1}")
        rows.append((0, len(per_block[0])))
        per_block[0].append(v_address(0, int(node)))
    for gid in record_gids:
        for k, g in enumerate(groups):
            nvoltage = len(g.threshold)
            where = np.flatnonzero(np.asarray(g.output_gid[:nvoltage]) == int(gid))
            if where.size and g.output_vindex[where[0]] >= 0:
                rows.append((k, len(per_block[k])))
                per_block[k].append(v_address(k, int(g.output_vindex[where[0]])))
                break
        else:
            raise UsageError(f"cannot record gid {gid}: no cell with that gid watches a voltage")
    interval = dt if record_interval is None else record_interval
    legacy = max(1, int(interval / dt + 1e-9))
    planned = plan(conf.reports, groups, specs, list(mappings), dt, tstop, nsteps) \
        if conf is not None and conf.reports else []
    every = record_every(planned, legacy if rows else None)
    for p in planned:
        for cell in p.cells:
            for k, address in cell:
                p.columns.append((k, len(per_block[k])))
                per_block[k].append(address)
    capacity = nsteps // every + 1
    max_window = nsteps
    if planned:  # drained between windows: a buffer of conf.buffer_size MB bounds a window
        widest = max(1, max(len(x) for x in per_block))
        capacity = max(3, (conf.buffer_size << 20) // (8 * widest))
        max_window = (capacity - 2) * every
    for spec, addresses in zip(specs, per_block, strict=True):
        if addresses:
            spec.update(record_ptr=np.array(addresses, dtype=np.uintp), record_every=every,
                        record_capacity=capacity,
                        record_v=np.zeros(capacity * len(addresses), dtype=np.float64))
    return {"every": every, "rows": rows, "legacy": legacy, "planned": planned,
            "max_window": max(1, max_window), "kept": [], "base": 0}


def _drain(blocks: list, specs: list[dict], recorded: dict, sink: ReportSink, t: float,
           dt: float) -> None:
    """Between windows: the samples in the record buffers go to the report files (and, for
    record_nodes/record_gids, to a list kept for the result); the buffers are emptied."""
    steps = blocks[0].steps if blocks else round(t / dt)
    n = steps // recorded["every"] + 1 - recorded["base"]
    buffers = []
    for block, spec in zip(blocks, specs, strict=True):
        width = len(spec.get("record_ptr", ()))
        if not width:
            buffers.append(None)
            continue
        if block.samples != n:
            raise AssertionError(f"a block recorded {block.samples} samples, {n} expected")
        buffers.append(spec["record_v"][: n * width].reshape(n, width))
    if recorded["rows"] and n:
        sel = (recorded["base"] + np.arange(n)) * recorded["every"] % recorded["legacy"] == 0
        recorded["kept"].append(np.stack([buffers[k][sel, row] for k, row in recorded["rows"]]))
    sink.drain(buffers, n)
    recorded["base"] += n
    for block in blocks:
        block.drain_samples()


def _write_sonata(conf: ReportConf, outdir: Path | None, sink: ReportSink | None,
                  times: np.ndarray, gids: np.ndarray, comm: Any) -> None:
    """Rank 0: the spike file, then the reports renamed into place."""
    failure: PyCoreNeuronError | None = None
    if comm is None or comm.Get_rank() == 0:
        try:
            if conf.spikes_file is not None and outdir is not None:
                write_spikes_h5(outdir / conf.spikes_file, times, gids, conf.populations,
                                conf.zero_based_gids)
            if sink is not None:
                sink.commit()
        except PyCoreNeuronError as exc:
            failure = exc
    if sink is not None and failure is not None:
        sink.abort()
    agree(comm, failure)


def _collect_recording(blocks: list, specs: list[dict], recorded: dict,
                       dt: float) -> tuple[np.ndarray, np.ndarray]:
    rows = recorded["rows"]
    if not rows:
        return np.empty((0, 0)), np.empty(0)
    if recorded["planned"]:  # drained window by window
        out = np.concatenate(recorded["kept"], axis=1) if recorded["kept"] else \
            np.empty((len(rows), 0))
        return out, np.arange(out.shape[1]) * (recorded["legacy"] * dt)
    nsample = min(blocks[k].samples for k, _ in rows)
    out = np.empty((len(rows), nsample))
    for r, (k, row) in enumerate(rows):
        n = len(specs[k]["record_ptr"])
        out[r] = specs[k]["record_v"][: nsample * n].reshape(nsample, n)[:, row]
    first = recorded.get("first_step", 0)  # a restored run: its first sampled step
    return out, (first + np.arange(nsample) * recorded["every"]) * dt


def progress_bar(stream=sys.stderr) -> Callable[[float, float], None] | None:
    """A one-line progress report (simulated time and ETA) when stream is a terminal."""
    if not stream.isatty():
        return None
    began = time.perf_counter()
    last = [0.0]

    def report(t: float, tstop: float) -> None:
        now = time.perf_counter()
        if now - began < 2.0 or now - last[0] < 0.2:
            return
        last[0] = now
        fraction = min(1.0, t / tstop) if tstop > 0 else 1.0
        eta = (now - began) * (1.0 - fraction) / fraction if fraction > 0 else float("inf")
        width = 30
        bar = "#" * int(width * fraction)
        stream.write(f"\r[{bar:<{width}}] t = {t:.3f} / {tstop:g} ms  ETA {eta:5.1f} s")
        if fraction >= 1.0:
            stream.write("\n")
        stream.flush()

    return report


__all__ = ["SimulationResult", "simulate", "progress_bar"]
