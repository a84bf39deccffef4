"""pycoreneuron: simulate NEURON models dumped with pc.nrnbbcore_write, as CoreNEURON does."""

from typing import Any

from ._version import __version__
from .errors import DatasetError, NotSupportedError, PyCoreNeuronError, UsageError


def config() -> dict[str, Any]:
    """Report what this build has: OpenMP (and max threads), CUDA, MPI, native tuning, version."""
    from ._config import config as _config  # imports the compiled module only when asked

    return _config()


__all__ = [
    "__version__",
    "config",
    "DatasetError",
    "NotSupportedError",
    "PyCoreNeuronError",
    "UsageError",
]
