"""What this build of pycoreneuron has: pycoreneuron.config()."""

from __future__ import annotations

import importlib.util
from typing import Any

from . import _build_info, _core
from ._version import __version__


def _cuda_info() -> dict[str, Any]:
    """Whether the CUDA module was built, the devices it sees now (name, memory, compute
    capability) and the CUDA runtime it was built against."""
    from .engine import device

    info: dict[str, Any] = {"built": bool(_build_info.CUDA_BUILT), "devices": 0, "runtime": None,
                            "device_list": []}
    if not info["built"]:
        return info
    error = device.load_error()
    lib = device.cuda_library()
    if error is not None or lib is None:  # built but not loadable here (no driver, say)
        info["error"] = error or "the CUDA module is missing"
        return info
    info["device_list"] = device.devices()
    info["devices"] = len(info["device_list"])
    info["runtime"] = int(lib.pcn_cuda_runtime_version())
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
