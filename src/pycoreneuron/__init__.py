"""pycoreneuron: simulate NEURON models dumped with pc.nrnbbcore_write, as CoreNEURON does."""

import os
from typing import Any

# OpenMP threads that spin while they wait for the next window take the core from the thread
# they wait for on a machine where something else runs (2 threads were 3-7 times slower
# than 1 on a loaded 2-core machine): they sleep instead, unless the user chose otherwise.
# Set before the compiled engine loads the OpenMP runtime, which reads it once.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from ._neuron_mpi import point_neuron_at_mpi  # noqa: E402
from ._version import __version__  # noqa: E402
from .errors import DatasetError, NotSupportedError, PyCoreNeuronError, UsageError  # noqa: E402

# An MPI NEURON script finds the [mpi] extra's MPI library (the one mpi4py uses) when it
# imports pycoreneuron before h.nrnmpi_init(); a user's MPI_LIB_NRN_PATH wins. File names only.
point_neuron_at_mpi()


def config() -> dict[str, Any]:
    """Report what this build has: OpenMP (and max threads), CUDA, MPI, native tuning, version."""
    from ._config import config as _config  # imports the compiled module only when asked

    return _config()


def read_dataset(path: Any, filesdat: Any = None, mechanisms: Any = None) -> Any:
    """Read a coredat directory (pc.nrnbbcore_write) into a validated pycoreneuron.io.Dataset."""
    from .io import read_dataset as _read  # NumPy-heavy; imported on first use

    return _read(path, filesdat, mechanisms)


def mechanisms(mod: Any = None) -> list[dict[str, Any]]:
    """Descriptors of the mechanisms a run has: built-in MOD files, plus a user folder's.

    One dict per mechanism (name, kind, data_size, dparam_size, variables, dparam, ions,
    flags); a user file replaces a built-in of the same name, as in NEURON.
    """
    from .nmodl.catalogue import mechanisms as _mechanisms  # parses MOD files on first use

    return _mechanisms(mod)


def simulate(path: Any, tstop: float = 100.0, **options: Any) -> Any:
    """Simulate a dataset as CoreNEURON does; see pycoreneuron.engine.simulate for options."""
    from .engine.simulate import simulate as _simulate  # compiled engine, loaded on use

    return _simulate(path, tstop, **options)


def psolve(tstop: float, **options: Any) -> Any:
    """Run the NEURON model of this process from t = 0 to tstop with pycoreneuron, as NEURON's
    pc.psolve does in CoreNEURON mode; see pycoreneuron.neuron_bridge.psolve for options."""
    from .neuron_bridge import psolve as _psolve  # NEURON is imported by the caller's script

    return _psolve(tstop, **options)


def __getattr__(name: str) -> Any:
    """Report and ReportConf (SONATA reports) load with NumPy on first use, not on import."""
    if name in ("Report", "ReportConf", "read_report_conf"):
        from .io import report_conf

        return getattr(report_conf, name)
    raise AttributeError(f"module 'pycoreneuron' has no attribute {name!r}")


__all__ = [
    "__version__",
    "Report",
    "ReportConf",
    "read_report_conf",
    "config",
    "mechanisms",
    "DatasetError",
    "NotSupportedError",
    "PyCoreNeuronError",
    "point_neuron_at_mpi",
    "psolve",
    "read_dataset",
    "simulate",
    "UsageError",
]
