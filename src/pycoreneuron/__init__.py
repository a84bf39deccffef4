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


__all__ = [
    "__version__",
    "config",
    "DatasetError",
    "NotSupportedError",
    "PyCoreNeuronError",
    "read_dataset",
    "UsageError",
]
