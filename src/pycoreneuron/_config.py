"""What this build of pycoreneuron has: pycoreneuron.config()."""

from __future__ import annotations

import ctypes
import importlib.util
from pathlib import Path
from typing import Any

from . import _build_info, _core
from ._version import __version__


def _cuda_info() -> dict[str, Any]:
    """Whether the CUDA module was built, and how many devices it sees now."""
    info: dict[str, Any] = {"built": bool(_build_info.CUDA_BUILT), "devices": 0, "runtime": None}
    if not info["built"]:
        return info
    library = Path(__file__).with_name("libpcn_cuda.so")
    try:
        cuda = ctypes.CDLL(str(library))
    except OSError as exc:  # built but not loadable here (no driver library, say)
        info["error"] = str(exc)
        return info
    info["devices"] = int(cuda.pcn_cuda_device_count())
    info["runtime"] = int(cuda.pcn_cuda_runtime_version())
    return info


def _mpi_info() -> dict[str, Any]:
    """Whether mpi4py can be imported and which MPI library it is bound to."""
    if importlib.util.find_spec("mpi4py") is None:
        return {"mpi4py": False, "library": None}
    try:
        from mpi4py import MPI  # MPI_Get_library_version may be called before MPI_Init
    except Exception as exc:  # an mpi4py without a loadable MPI library
        return {"mpi4py": True, "library": None, "error": str(exc)}
    return {"mpi4py": True, "library": MPI.Get_library_version().splitlines()[0].strip()}


def config() -> dict[str, Any]:
    """Report what this build has: OpenMP, CUDA, MPI, native tuning and version."""
    return {
        "version": __version__,
        "openmp": {
            "enabled": _core.openmp_enabled(),
            "max_threads": _core.openmp_max_threads(),
        },
        "cuda": _cuda_info(),
        "mpi": _mpi_info(),
        "native_tuning": _core.native_tuning(),
        "c_compiler": _build_info.C_COMPILER,
        "c_flags": _build_info.C_FLAGS,
    }
