"""The CUDA module from Python: which devices there are, and the single-source device kernels
run on one (the GPU tests compare their bits with the host builds' in _core).

The module is our own shared library (src/kernels/cuda/, built when nvcc is found) loaded
with ctypes: three device queries and a few copy-run-copy entry points need no further
dependency (cuda-python would add one for what ctypes already does here).
"""

from __future__ import annotations

import ctypes
import functools
from pathlib import Path
from typing import Any

import numpy as np

from .. import _build_info, _core
from ..errors import NotSupportedError, PyCoreNeuronError, UsageError

# Beside the compiled bridge (an editable install keeps both in site-packages).
LIBRARY = Path(_core.__file__).with_name("libpcn_cuda.so")


class DeviceError(PyCoreNeuronError):
    """A CUDA call failed; the message is CUDA's own."""


@functools.cache
def _load() -> tuple[ctypes.CDLL | None, str | None]:
    """The CUDA module and why it does not load (None, None where this build has none)."""
    if not _build_info.CUDA_BUILT or not LIBRARY.exists():
        return None, None
    try:
        lib = ctypes.CDLL(str(LIBRARY))
    except OSError as exc:
        return None, str(exc)
    lib.pcn_cuda_error_string.restype = ctypes.c_char_p
    return lib, None


def cuda_library() -> ctypes.CDLL | None:
    """The CUDA module, or None where this build has none or it cannot load here."""
    return _load()[0]


def load_error() -> str | None:
    """Why the CUDA module does not load, or None when it does (or was not built)."""
    return _load()[1]


def devices() -> list[dict[str, Any]]:
    """The CUDA devices this process sees: name, memory [bytes], compute capability."""
    lib = cuda_library()
    if lib is None:
        return []
    found = []
    for k in range(int(lib.pcn_cuda_device_count())):
        name = ctypes.create_string_buffer(256)
        memory = ctypes.c_ulonglong(0)
        capability = ctypes.c_int(0)
        if lib.pcn_cuda_device_properties(k, name, 256, ctypes.byref(memory),
                                          ctypes.byref(capability)) == 0:
            found.append({"index": k, "name": name.value.decode(errors="replace"),
                          "memory": int(memory.value),
                          "capability": f"{capability.value // 10}.{capability.value % 10}"})
    return found


def check_gpu_run() -> None:
    """Refuse --gpu in one sentence where it cannot run: no CUDA module, or no device."""
    if not _build_info.CUDA_BUILT:
        raise NotSupportedError("--gpu: this pycoreneuron has no CUDA module (nvcc was not on "
                                "the PATH when it was installed); reinstall it with nvcc")
    error = load_error()
    if error is not None:
        raise UsageError(f"--gpu: the CUDA module does not load here: {error[:200]}")
    if not devices():
        raise UsageError("--gpu: no CUDA device is visible to this process (check "
                         "nvidia-smi and CUDA_VISIBLE_DEVICES)")


def select(rank: int = 0, num_gpus: int | None = None,
           kernels: ctypes.CDLL | None = None) -> tuple[int, int]:
    """Choose this process's device, rank % num_gpus (CoreNEURON's -n/--num-gpus; default
    every visible device), in the CUDA module and in the mechanisms' kernel library (each
    links its own CUDA runtime); return (memory, ops), the addresses of the CUDA module's
    tables for the device engine (device_target.h). The device engine then runs on this
    thread only (a CUDA runtime's device is per thread)."""
    lib = _library_or_error()
    count = len(devices())
    index = rank % min(num_gpus or count, count)
    _check(lib, lib.pcn_cuda_set_device(index))
    if kernels is not None:
        _check(lib, kernels.pcn_dev_select_device(index))
    return (ctypes.addressof(ctypes.c_char.in_dll(lib, "pcn_cuda_memory")),
            ctypes.addressof(ctypes.c_char.in_dll(lib, "pcn_cuda_ops")))


def _library_or_error() -> ctypes.CDLL:
    lib = cuda_library()
    if lib is None or not devices():
        raise UsageError("no CUDA device (or no CUDA module) in this process")
    return lib


def _check(lib: ctypes.CDLL, error: int) -> None:
    if error != 0:
        raise DeviceError(f"CUDA error {error}: {lib.pcn_cuda_error_string(error).decode()}")


def _ptr(array: np.ndarray) -> ctypes.c_void_p:
    return ctypes.c_void_p(array.ctypes.data)


def hines_interleaved(cell_len: np.ndarray, row_start: np.ndarray, parent: np.ndarray,
                      a: np.ndarray, b: np.ndarray, d: np.ndarray, rhs: np.ndarray,
                      repeats: int = 1) -> float | None:
    """_core.hines_interleaved on the device (d and rhs in place, int32 and float64 arrays).
    repeats > 1 also times the kernel: returns the mean ms of one solve (CUDA events)."""
    lib = _library_or_error()
    arrays = [np.ascontiguousarray(x, dtype=t) for x, t in
              ((cell_len, np.int32), (row_start, np.int32), (parent, np.int32),
               (a, np.float64), (b, np.float64))]
    for x in (d, rhs):
        if x.dtype != np.float64 or not x.flags.c_contiguous or len(x) != len(arrays[2]):
            raise ValueError("d and rhs must be C-contiguous float64 arrays, one per node")
    # the host build's check of the layout: the kernel's indices stay in the arrays
    _core.check_interleaved(arrays[0], arrays[1], arrays[2], len(arrays[0]), len(arrays[2]))
    ms = ctypes.c_float(0.0)
    _check(lib, lib.pcn_cuda_hines_interleaved(len(arrays[0]), len(arrays[2]),
                                               len(arrays[1]) - 1,
                                               *(_ptr(x) for x in arrays), _ptr(d), _ptr(rhs),
                                               max(1, repeats), ctypes.byref(ms)))
    return float(ms.value) if repeats > 1 else None


def cable_axial_cells(cell_len: np.ndarray, row_start: np.ndarray, parent: np.ndarray,
                      a: np.ndarray, b: np.ndarray, v: np.ndarray, rhs: np.ndarray,
                      d: np.ndarray) -> None:
    """_core.axial_cells on the device (rhs and d in place)."""
    lib = _library_or_error()
    arrays = [np.ascontiguousarray(x, dtype=t) for x, t in
              ((cell_len, np.int32), (row_start, np.int32), (parent, np.int32),
               (a, np.float64), (b, np.float64), (v, np.float64))]
    for x in (rhs, d):
        if x.dtype != np.float64 or not x.flags.c_contiguous or len(x) != len(arrays[2]):
            raise ValueError("rhs and d must be C-contiguous float64 arrays, one per node")
    _core.check_interleaved(arrays[0], arrays[1], arrays[2], len(arrays[0]), len(arrays[2]))
    _check(lib, lib.pcn_cuda_cable_axial_cells(len(arrays[0]), len(arrays[2]),
                                               len(arrays[1]) - 1,
                                               *(_ptr(x) for x in arrays), _ptr(rhs), _ptr(d)))


def detect_crossings(node: np.ndarray, threshold: np.ndarray, v: np.ndarray,
                     above: np.ndarray) -> np.ndarray:
    """Threshold detection on the device: updates above (uint8) and returns the fired flags."""
    lib = _library_or_error()
    node = np.ascontiguousarray(node, dtype=np.int32)
    threshold = np.ascontiguousarray(threshold, dtype=np.float64)
    v = np.ascontiguousarray(v, dtype=np.float64)
    if above.dtype != np.uint8 or not above.flags.c_contiguous or len(above) != len(node):
        raise ValueError("above must be a C-contiguous uint8 array, one per source")
    fired = np.zeros(len(node), np.uint8)
    _check(lib, lib.pcn_cuda_detect_crossings(len(node), len(v), _ptr(node), _ptr(threshold),
                                              _ptr(v), _ptr(above), _ptr(fired)))
    return fired


def exp(variant: int, x: np.ndarray) -> np.ndarray:
    """pcn_exp of glibc variant 1 (FMA build) or 2 (plain build), computed on the device."""
    if variant not in (1, 2):
        raise ValueError("variant must be 1 or 2")
    lib = _library_or_error()
    x = np.ascontiguousarray(x, dtype=np.float64)
    y = np.empty_like(x)
    _check(lib, lib.pcn_cuda_exp(variant, ctypes.c_int64(len(x)), _ptr(x), _ptr(y)))
    return y
