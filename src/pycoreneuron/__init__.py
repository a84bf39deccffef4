"""pycoreneuron: simulate NEURON models dumped with pc.nrnbbcore_write, as CoreNEURON does."""

from typing import Any

from ._version import __version__
from .errors import DatasetError, NotSupportedError, PyCoreNeuronError, UsageError


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


__all__ = [
    "__version__",
    "config",
    "mechanisms",
    "DatasetError",
    "NotSupportedError",
    "PyCoreNeuronError",
    "read_dataset",
    "simulate",
    "UsageError",
]
