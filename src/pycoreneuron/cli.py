"""pycoreneuron-run: the command line, with CoreNEURON's special-core flag names and meanings.

The CLI is a thin shell: it parses flags into a RunOptions, refuses what this version cannot do
yet with one clear sentence, and hands the rest to the library. Every pycoreneuron error ends the
process with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import NoReturn

from ._version import __version__
from .errors import (
    NotSupportedError,
    PyCoreNeuronError,
    UsageError,
    one_line,
    quote,
)
from .limits import MAX_THREADS

# NumPy's OpenBLAS keeps a thread per core spinning after its first call. The engine makes no
# BLAS call that matters, and those threads would take cores from its OpenMP threads (and
# memory). Set before NumPy is imported; a user's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

PROG = "pycoreneuron-run"

# Exit codes: 0 success, 2 bad input or an unsupported request (as argparse uses for usage).
EXIT_ERROR = 2


@dataclass(frozen=True)
class RunOptions:
    """Every flag of pycoreneuron-run, with CoreNEURON's defaults."""

    tstop: float = 100.0
    datpath: str | None = None
    filesdat: str | None = None
    dt: float | None = None  # None: from globals.dat, else 0.025
    celsius: float | None = None  # None: from globals.dat, else 34
    voltage: float = -65.0  # 1000 keeps the dataset's voltages
    outpath: str = "."
    mpi: bool = False
    threading: bool = False
    threads: int | None = None
    gpu: bool = False
    cell_permute: int = 0
    mindelay: float = 10.0
    spikebuf: int = 100000
    prcellgid: int = -1  # -g: CoreNEURON's prcellstate files of this cell
    forwardskip: float = 0.0  # -k: ten steps of forwardskip/10 ms before the run
    pattern: str | None = None
    seed: int | None = None
    checkpoint: str | None = None
    restore: str | None = None
    report_conf: str | None = None
    report_buffer_size: int = 4  # [MB]
    dt_io: float = 0.1  # [ms] CoreNEURON reads it and uses it nowhere
    # special-core's tuning flags: accepted, each with a note of what it changes here
    multisend: bool = False
    binqueue: bool = False
    show: bool = False  # special-core's retired --show
    ms_phases: int | None = None
    ms_subintervals: int | None = None
    spkcompress: int | None = None
    skip_mpi_finalize: bool = False
    mpi_lib: str | None = None
    nwarp: int | None = None
    num_gpus: int | None = None
    cuda_interface: bool = False
    model_stats: bool = False
    verbose: int = 2
    mod: str | None = None
    plot: str | None = None  # a picture of the run (the [plot] extra)

    def thread_count(self) -> int:
        """Threads to run on: --threads N, else -c (OMP_NUM_THREADS or every core), else 1."""
        if self.threads is not None:
            return self.threads
        if self.threading:
            env = os.environ.get("OMP_NUM_THREADS", "")
            if env.strip().isdigit() and int(env) > 0:
                return min(int(env), MAX_THREADS)
            return os.cpu_count() or 1
        return 1


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: 'pycoreneuron-run: error: ...', exit 2."""

    def error(self, message: str) -> NoReturn:
        if _launcher_rank() != 0:  # under mpiexec: rank 0 says it, once
            self.exit(EXIT_ERROR)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {one_line(message)} (see --help)\n")


def _nonnegative_float(text: str) -> float:
    value = float(text)
    if not value >= 0.0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a finite number >= 0, got {quote(text)}")
    return value


def _positive_float(text: str) -> float:
    value = _nonnegative_float(text)
    if value == 0.0:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {quote(text)}")
    return value


def _finite_float(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {quote(text)}")
    return value


def _forwardskip(text: str) -> float:
    """special-core's range for -k: 0 to 1e9 ms."""
    value = _finite_float(text)
    if not 0.0 <= value <= 1e9:
        raise argparse.ArgumentTypeError(f"expected a time from 0 to 1e9 ms, got {quote(text)}")
    return value


def _dt_io(text: str) -> float:
    """special-core's range for --dt_io: -1000 to 1e9."""
    value = _finite_float(text)
    if not -1000.0 <= value <= 1e9:
        raise argparse.ArgumentTypeError(f"expected a number from -1000 to 1e9, got "
                                         f"{quote(text)}")
    return value


def _whole_number(low: int, high: int, why: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number in low..high (why: the reason for high)."""
    def parse(text: str) -> int:
        # digits only, as C's strtol reads them (Python's int() also takes 1_000)
        stripped = text.strip()
        digits = stripped[1:] if stripped[:1] in "+-" else stripped
        value = int(stripped) if digits.isdigit() and digits.isascii() and len(text) <= 40 \
            else None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {low} to {high}{why}, got {quote(text)}")
        return value
    return parse


_positive_int = _whole_number(1, 2**31 - 1)
_thread_count = _whole_number(1, MAX_THREADS)
# Random123's global index is a 32-bit unsigned integer
_seed = _whole_number(0, 2**32 - 1, " (Random123's global index is 32 bits)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, grouped as special-core --help groups its options."""
    p = _Parser(
        prog=PROG,
        description="Simulate a NEURON model dumped with pc.nrnbbcore_write(dir), as "
        "CoreNEURON's special-core does. Spikes go to OUTPATH/out.dat.",
        allow_abbrev=False,
    )
    p.add_argument("--version", action="version", version=f"pycoreneuron {__version__}")
    p.add_argument("-e", "--tstop", type=_nonnegative_float, default=100.0, metavar="MS",
                   help="stop time in ms (default 100)")
    p.add_argument("--dt", type=_positive_float, default=None, metavar="MS",
                   help="fixed time step; default from globals.dat, else 0.025")
    p.add_argument("--mpi", "-mpi", action="store_true",
                   help="run under mpiexec with mpi4py, one group set per rank")
    p.add_argument("--gpu", action="store_true", help="run on the GPU (CUDA module)")
    p.add_argument("--model-stats", action="store_true",
                   help="print the model's counts, instances per mechanism and memory")
    p.add_argument("--verbose", type=int, nargs="?", const=3, default=2, choices=range(4),
                   metavar="LEVEL", help="0 none, 1 errors, 2 info (default), 3 debug")

    gpu = p.add_argument_group("GPU", "Commands relative to GPU.")
    gpu.add_argument("-W", "--nwarp", type=_positive_int, default=None, metavar="N",
                     help="GPU warps of the Hines solve (accepted; no GPU run yet)")
    gpu.add_argument("-n", "--num-gpus", type=_positive_int, default=None, metavar="N",
                     help="GPUs per node (accepted; no GPU run yet)")
    gpu.add_argument("--cuda-interface", action="store_true",
                     help="CoreNEURON's CUDA branch (accepted; no GPU run yet)")
    gpu.add_argument("-R", "--cell-permute", type=int, default=0, choices=range(3),
                     metavar="{0,1,2}", help="node layout: 1 cells interleaved (the GPU's "
                     "layout), 0 and 2 nodes by depth (the CPU's default); same spikes")

    inp = p.add_argument_group("input", "Input dataset options.")
    inp.add_argument("-d", "--datpath", metavar="DIR",
                     help="directory holding the dataset written by nrnbbcore_write")
    inp.add_argument("-f", "--filesdat", metavar="FILE",
                     help="distribution file (default DATPATH/files.dat)")
    inp.add_argument("-p", "--pattern", metavar="FILE",
                     help="apply a PatternStim from this spike file")
    inp.add_argument("-s", "--seed", type=_seed, default=None, metavar="N",
                     help="seed for the random number generators (Random123 global index)")
    inp.add_argument("-v", "--voltage", type=_finite_float, default=-65.0, metavar="MV",
                     help="initial voltage (default -65); 1000 keeps the dataset's voltages")
    inp.add_argument("--restore", metavar="DIR", help="restore from a checkpoint directory")
    inp.add_argument("--report-conf", metavar="FILE",
                     help="SONATA reports and spikes as this report.conf asks (CoreNEURON's "
                     "file, as neurodamus writes it); needs h5py")
    inp.add_argument("--mod", metavar="DIR",
                     help="translate, compile (cached) and load the MOD files in DIR")

    par = p.add_argument_group("parallel", "Parallel processing options.")
    par.add_argument("-c", "--threading", action="store_true",
                     help="run on OpenMP threads: OMP_NUM_THREADS, else every core")
    par.add_argument("--threads", type=_thread_count, default=None, metavar="N",
                     help="run on N OpenMP threads, whatever the number of groups")
    p.add_argument("--show", action="store_true",
                   help="retired in special-core; accepted, no effect")
    par.add_argument("--binqueue", action="store_true",
                     help="CoreNEURON's bin queue (accepted; every event keeps its own time)")
    par.add_argument("--multisend", action="store_true",
                     help="CoreNEURON's multisend exchange (accepted; ours needs no tuning)")
    par.add_argument("--ms-phases", type=_whole_number(1, 2), default=None, metavar="N",
                     help="multisend phases (accepted; ours needs no tuning)")
    par.add_argument("--ms-subintervals", type=_whole_number(1, 2), default=None,
                     metavar="N", help="multisend subintervals (accepted; ours needs no "
                     "tuning)")
    par.add_argument("--spkcompress", type=_whole_number(0, 2**31 - 1), default=None,
                     metavar="N", help="spike compression (accepted; ours needs no tuning)")
    par.add_argument("--skip-mpi-finalize", action="store_true",
                     help="do not call MPI_Finalize at the end (for a caller that does)")
    par.add_argument("--mpi-lib", metavar="FILE",
                     help="CoreNEURON's MPI library to load (accepted; mpi4py uses its own)")

    cfg = p.add_argument_group("config", "Config options.")
    cfg.add_argument("--read-config", metavar="FILE",
                     help="read options from FILE (special-core's name=value lines); the "
                     "command line wins")
    cfg.add_argument("--write-config", metavar="FILE",
                     help="write the options given to FILE, then run")
    cfg.add_argument("-g", "--prcellgid", type=_whole_number(-1, 2000000000), default=-1,
                     metavar="GID", help="write the prcellstate files of cell GID into the "
                     "current folder (<gid>_cpu_init.corenrn, ..._cpu_t<t>.corenrn)")
    cfg.add_argument("-k", "--forwardskip", type=_forwardskip, default=0.0, metavar="MS",
                     help="after initialisation, ten steps of MS/10 ms from t = -1e9 whose "
                     "spikes are forgotten (CoreNEURON's forward skip)")
    cfg.add_argument("-b", "--spikebuf", type=_positive_int, default=100000, metavar="N",
                     help="spike buffer size (default 100000)")
    cfg.add_argument("--report-buffer-size", type=_whole_number(1, 128), default=4,
                     metavar="MB", help="report buffer size in MB (1-128, default 4): bounds "
                     "the samples held between two writes")
    cfg.add_argument("-l", "--celsius", type=_finite_float, default=None, metavar="DEGC",
                     help="temperature; default from globals.dat, else 34")
    cfg.add_argument("--mindelay", type=_positive_float, default=10.0, metavar="MS",
                     help="maximum integration interval, reduced to the minimum NetCon delay "
                     "(default 10)")

    out = p.add_argument_group("output", "Output configuration.")
    out.add_argument("-o", "--outpath", default=".", metavar="DIR",
                     help="directory for out.dat (default .), made if it does not exist")
    out.add_argument("--checkpoint", metavar="DIR", help="write a checkpoint to DIR at the end")
    out.add_argument("--plot", metavar="FILE", help="draw the spike raster (and any recorded "
                     "voltages) to FILE, .png, .pdf or .svg (needs pycoreneuron[plot])")
    out.add_argument("-i", "--dt_io", type=_dt_io, default=0.1, metavar="MS",
                     help="dt of I/O (default 0.1; CoreNEURON 9.0.2 uses it nowhere: reports "
                     "sample at their own dt)")
    return p


def parse_options(argv: Sequence[str] | None = None) -> RunOptions:
    """Parse command-line words into RunOptions (argparse exits 2 on a bad flag), with the
    options of --read-config FILE under them; --write-config FILE writes them out."""
    from .config_file import with_config, write_config

    parser = build_parser()
    words = sys.argv[1:] if argv is None else list(argv)
    try:
        words = with_config(words, parser)
    except UsageError as exc:
        parser.error(str(exc))
    ns = parser.parse_args(words)
    if ns.write_config is not None:
        try:
            write_config(ns.write_config, ns, parser)
        except UsageError as exc:
            parser.error(str(exc))
    values = {f.name: getattr(ns, f.name) for f in fields(RunOptions)}
    return RunOptions(**values)


# Flags whose feature is not built yet, with the words to name them. Each is refused before any
# work starts, never silently ignored. (None today.)
_NOT_YET: list[tuple[str, str]] = []


# Tuning flags of special-core that change nothing here, with why.
_EXCHANGE_NOTE = "our spike exchange (an all-gather of each window's spikes) needs no tuning"
_GPU_NOTE = "the device engine runs one thread per cell (the Hines solve) and per instance"
_NUM_GPUS_NOTE = "it takes effect with --gpu (rank r runs on device r % N)"
_NO_EFFECT: list[tuple[str, str, str]] = [
    ("multisend", "--multisend", _EXCHANGE_NOTE),
    ("show", "--show", "special-core has retired it"),
    ("binqueue", "--binqueue", "every event is delivered at its own time, as NEURON "
     "delivers it (CoreNEURON's bin queue moves NetCon events to the step they fall in)"),
    ("ms_phases", "--ms-phases", _EXCHANGE_NOTE),
    ("ms_subintervals", "--ms-subintervals", _EXCHANGE_NOTE),
    ("spkcompress", "--spkcompress", _EXCHANGE_NOTE),
    ("mpi_lib", "--mpi-lib", "mpi4py uses the MPI library it was built with"),
    ("nwarp", "-W/--nwarp", _GPU_NOTE),
    ("num_gpus", "-n/--num-gpus", _NUM_GPUS_NOTE),
    ("cuda_interface", "--cuda-interface", _GPU_NOTE),
    ("dt_io", "-i/--dt_io", "CoreNEURON 9.0.2 reads it and uses it nowhere (each report "
     "samples at the dt of its report.conf line)"),
]


def tuning_notes(options: RunOptions) -> list[str]:
    """One line per tuning flag given that changes nothing here: the spikes are the same."""
    defaults = RunOptions()
    return [f"{flag} changes nothing: {why}" for name, flag, why in _NO_EFFECT
            if getattr(options, name) != getattr(defaults, name)
            and not (name == "num_gpus" and options.gpu)]


def check_supported(options: RunOptions) -> None:
    """Refuse, with one sentence, any flag whose feature this version does not have yet."""
    defaults = RunOptions()
    for name, flag in _NOT_YET:
        if getattr(options, name) != getattr(defaults, name):
            raise NotSupportedError(f"{flag} is not supported yet by pycoreneuron {__version__}")


def run(options: RunOptions) -> None:
    """Carry out one pycoreneuron-run invocation."""
    if options.datpath is None:
        raise UsageError("no dataset given: pass -d/--datpath DIR (the directory that "
                         "pc.nrnbbcore_write wrote)")
    check_supported(options)
    for flag, path in (("-d", options.datpath), ("-o", options.outpath),
                       ("-f", options.filesdat), ("-p", options.pattern),
                       ("--mod", options.mod), ("--checkpoint", options.checkpoint),
                       ("--restore", options.restore), ("--report-conf", options.report_conf)):
        if path is not None and "\0" in path:  # no file has one; os calls raise ValueError
            raise UsageError(f"{flag}: the path {quote(path)} holds a NUL character")
        if path is not None:
            try:
                os.stat(path)
            except FileNotFoundError:
                pass  # said where the path is used, with what it should have been
            except OSError as exc:  # too long a name, a loop of links, no permission
                raise UsageError(f"{flag}: {quote(path)}: {exc.strerror}") from None
    if options.verbose >= 1 and (not options.mpi or _mpi_rank() == 0):
        for note in tuning_notes(options):
            print(f"{PROG}: note: {note}", file=sys.stderr)
    if options.gpu:
        from .engine.device import check_gpu_run

        check_gpu_run()  # one sentence: what stands in the way on this machine
    _require_directory(options.datpath, "dataset directory")
    if options.model_stats:
        # Read and validate the whole dataset, print CoreNEURON's counts; no simulation.
        from . import mechanisms
        from .io import read_dataset

        mechs = mechanisms(options.mod) if options.mod else None
        print(read_dataset(options.datpath, options.filesdat, mechs).model_stats_text())
        return
    if os.path.exists(options.outpath):  # else made when out.dat is written, as special-core
        _require_directory(options.outpath, "output directory")
    simulate_and_report(options)


def _require_directory(path: str, what: str) -> None:
    if not os.path.isdir(path):
        state = "is not a directory" if os.path.exists(path) else "does not exist"
        raise UsageError(f"{what} {quote(path)} {state}")


# Environment variables that MPI launchers (MPICH's hydra, Open MPI, PMIx, Slurm) set.
_LAUNCHER_VARIABLES = ("PMI_RANK", "PMI_SIZE", "PMIX_RANK", "OMPI_COMM_WORLD_SIZE",
                       "MPI_LOCALNRANKS", "SLURM_PROCID")


def mpi_world(finalize: bool = True):
    """mpi4py's COMM_WORLD for -mpi, or one clear sentence why not; finalize False leaves
    MPI_Finalize to the caller (--skip-mpi-finalize)."""
    try:
        import mpi4py

        mpi4py.rc.finalize = finalize
        from mpi4py import MPI
    except ImportError as exc:
        raise UsageError("-mpi needs mpi4py and an MPI library: pip install "
                         "'pycoreneuron[mpi]'") from exc
    if not any(name in os.environ for name in _LAUNCHER_VARIABLES):
        raise UsageError("-mpi needs to be started by an MPI launcher: "
                         "mpiexec -n N pycoreneuron-run -mpi ...")
    return MPI.COMM_WORLD


def _mpi_rank() -> int:
    """This process's MPI rank when MPI is up (errors are printed by rank 0 only), else 0.

    Errors that reach main() before the run's collective check are the same on every rank
    (flags, output directory); errors found by one rank alone are reported through RankFailed.
    """
    mpi = sys.modules.get("mpi4py.MPI")
    if mpi is None or not mpi.Is_initialized():
        return _launcher_rank()
    return mpi.COMM_WORLD.Get_rank()


# Where MPI launchers put a process's rank, read before MPI is up (an error in the flags is
# then printed by rank 0 alone, as every later one).
_RANK_VARIABLES = ("PMI_RANK", "PMIX_RANK", "OMPI_COMM_WORLD_RANK", "SLURM_PROCID")


def _launcher_rank() -> int:
    for name in _RANK_VARIABLES:
        value = os.environ.get(name, "")
        if value.isdigit():
            return int(value)
    return 0


def simulate_and_report(options: RunOptions) -> None:
    """The main job: simulate, write OUTPATH/out.dat, print CoreNEURON's closing lines."""
    from .engine.ranks import agree
    from .engine.simulate import progress_bar, simulate
    from .io.dataset import STAT_LABELS
    from .io.out_dat import check_writable, write_out_dat

    comm = mpi_world(not options.skip_mpi_finalize) if options.mpi else None
    rank0 = comm is None or comm.Get_rank() == 0
    failure = None
    try:
        if rank0:
            check_writable(options.outpath)  # before the run, not after it
            if options.plot is not None:
                from .plot import check_target

                check_target(options.plot)  # matplotlib, file type, folder: before the run
    except PyCoreNeuronError as exc:
        failure = exc
    agree(comm, failure)
    reports = None
    if options.report_conf is not None:  # every rank reads it: the same answer everywhere
        from .io.report_conf import read_report_conf

        reports = read_report_conf(options.report_conf)
        reports.buffer_size = options.report_buffer_size
        if rank0 and options.verbose >= 1:
            for note in reports.skipped:
                print(f"{PROG}: warning: {note}", file=sys.stderr)
    result = simulate(
        options.datpath, options.tstop, dt=options.dt, celsius=options.celsius,
        voltage=options.voltage, filesdat=options.filesdat, mod=options.mod,
        seed=options.seed, mindelay=options.mindelay, threads=options.thread_count(),
        pattern=options.pattern, cell_permute=options.cell_permute,
        device="cuda" if options.gpu else None, num_gpus=options.num_gpus,
        checkpoint=options.checkpoint, restore=options.restore, comm=comm,
        prcellgid=options.prcellgid if options.prcellgid >= 0 else None,
        forwardskip=options.forwardskip,
        progress=progress_bar() if options.verbose >= 2 and rank0 else None,
        reports=reports if reports is not None else (), report_dir=options.outpath)
    if rank0:
        write_out_dat(options.outpath, result.spike_times, result.spike_gids)
        if options.plot is not None:
            from .plot import write_figure

            write_figure(result, options.plot)
    if options.verbose >= 2 and rank0:
        lines = [f"Solver Time : {result.solver_time:g}", "", "", " Simulation Statistics"]
        lines += [f" {label}: {result.stats[key]}" for key, label in STAT_LABELS]
        nspike = len(result.spike_gids)
        lines += [f" Number of spikes: {nspike}",
                  f" Number of spikes with non negative gid-s: {nspike}"]
        print("\n".join(lines))


def _return_freed_arrays_to_the_system() -> None:
    """glibc serves large allocations from the heap once big blocks have been freed (its
    mmap threshold grows), and the heap rarely shrinks: set-up's temporary arrays would then
    stay resident for the whole run. A fixed threshold keeps every large array in its own
    mapping, returned to the system when freed."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 1 << 16)  # M_MMAP_THRESHOLD: 64 KiB
    except (OSError, AttributeError):
        pass  # not glibc: nothing to tune


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of pycoreneuron-run; returns the process exit code."""
    _return_freed_arrays_to_the_system()
    options = parse_options(argv)
    if options.mpi:  # SIGTERM (a job's time limit, kill) ends the job as Ctrl-C does
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        run(options)
    except PyCoreNeuronError as exc:
        if getattr(exc, "report", True) and (not options.mpi or _mpi_rank() == 0):
            print(f"{PROG}: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        if options.mpi:
            _abort_all(130)  # the other ranks may wait in a collective call: end them too
        return 130
    except Exception as exc:
        if not options.mpi:
            raise
        # One rank failed while the others run: end them all now rather than let them wait.
        print(f"{PROG}: error: {one_line(str(exc))}", file=sys.stderr)
        _abort_all(EXIT_ERROR)
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _abort_all(code: int) -> None:
    """End every rank of the job now (MPI_Abort), when mpi4py is running."""
    try:
        from mpi4py import MPI
    except ImportError:
        return
    if MPI.Is_initialized() and not MPI.Is_finalized():
        MPI.COMM_WORLD.Abort(code)


if __name__ == "__main__":
    sys.exit(main())
