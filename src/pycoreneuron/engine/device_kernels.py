"""The mechanisms' device kernels, built as C, in place of their CPU hooks in a whole run.

The CUDA printer (nmodl/printers/cuda.py) prints each mechanism's INITIAL, nrn_cur and
nrn_state as kernels in one single-source file; compiled as C, each kernel is a loop over
the instances (point processes: over the nodes, each node's instances in order). With
``simulate(..., device_kernels=True)`` the engine runs those in place of the C printer's
hooks (NET_RECEIVE of point processes too: each delivery pass's buffered calls, one run per
instance), on the device layout's blocks as on any: a whole-run check, on the CPU, of the code the
GPU is to run (tests/engine/test_device_kernels.py: the same spikes and voltages as the hooks,
bit for bit). Mechanisms the printer refuses keep their hooks.

The library is built once per set of MOD files and cached beside the mechanism libraries.
"""

from __future__ import annotations

import ctypes
import hashlib
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NotSupportedError
from ..nmodl.cache import cache_root, compile_flags, compiler, kernels_dir, translator_digest
from ..nmodl.catalogue import builtin_mod_dir, declared_name, mod_files
from ..nmodl.codegen import generate_device
from ..nmodl.errors import NmodlError
from ..nmodl.pipeline import analyse_file
from .mechlib import by_address

_LOADED: dict[str, ctypes.CDLL] = {}


def _sources(names: set[str], mod: Any) -> dict[str, Path]:
    """The MOD file of each mechanism named: the user's folder first, then the built-ins."""
    found: dict[str, Path] = {}
    for folder in ([Path(mod)] if mod is not None else []) + [builtin_mod_dir()]:
        for f in mod_files(folder):
            name = declared_name(f)
            if name in names and name not in found:
                found[name] = f
    return found


def _texts(names: set[str], mod: Any) -> tuple[dict[str, str], dict[str, str]]:
    """({mechanism: its device file}, {mechanism: why it has none})."""
    texts: dict[str, str] = {}
    kept: dict[str, str] = {}
    for name, path in sorted(_sources(names, mod).items()):
        try:
            prog, info = analyse_file(path)
            texts[name] = generate_device(prog, info)
        except NmodlError as exc:
            kept[name] = str(exc)
    return texts, kept


def _folder(kind: str, texts: dict[str, str], flags: list[str]) -> Path:
    """The cache folder of one library of these device files built with these flags."""
    key = hashlib.sha256(translator_digest().encode())
    for name, text in sorted(texts.items()):
        key.update(name.encode() + b"\0" + text.encode() + b"\0")
    key.update(" ".join(flags).encode())
    return cache_root().parent / kind / key.hexdigest()[:24]


def _load(target: Path) -> ctypes.CDLL:
    """A built library, loaded once per process."""
    if str(target) not in _LOADED:
        _LOADED[str(target)] = ctypes.CDLL(str(target))
    return _LOADED[str(target)]


# The CUDA module's architectures (Ampere, Hopper: CMakeLists.txt).
ARCHITECTURES = [f"-gencode=arch=compute_{a},code=sm_{a}" for a in ("80", "90")]


def nvcc_flags() -> list[str]:
    """nvcc's flags for the mechanisms' CUDA kernels: no fused multiply-adds, the pcn_exp of
    this process's libm bits."""
    from ..nmodl.cache import exp_variant

    return ["-x", "cu", "--fmad=false", "-O3", "-Xcompiler", "-fPIC", *ARCHITECTURES,
            f"-DPCN_EXP_VARIANT={exp_variant()}"]


def _nvcc(command: list[str]) -> str | None:
    """Run nvcc; None when it succeeded, else the end of what it said."""
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    return None if done.returncode == 0 else done.stderr.strip()[-300:]


# The library links its own CUDA runtime (static, as the CUDA module does): it chooses its
# device itself, the one the CUDA module chose (engine/device.py, select).
SELECT_SOURCE = """\
#include <cuda_runtime.h>
extern "C" int pcn_dev_select_device(int k) { return (int)cudaSetDevice(k); }
"""


def build_cuda(mod: Any = None, needed: set[str] | frozenset[str] = frozenset()
               ) -> ctypes.CDLL | None:
    """The CUDA kernels of every mechanism that has them, in mod and the built-ins (the same
    files as build's, by nvcc, once per set of MOD files: nrnivmodl's part for the GPU), as a
    library: each pcn_dev_<mech>_run and _net_receive launches on device memory. A file nvcc
    cannot compile is left out, unless its mechanism is needed (then refused with nvcc's
    words)."""
    import os
    import shutil
    from concurrent.futures import ThreadPoolExecutor

    nvcc = shutil.which("nvcc")
    if nvcc is None:
        raise NotSupportedError("--gpu: nvcc is not on the PATH (it compiles the mechanisms' "
                                "device kernels)")
    folders = ([Path(mod)] if mod is not None else []) + [builtin_mod_dir()]
    names = {declared_name(f) for folder in folders for f in mod_files(folder)}
    texts, _ = _texts(names, mod)
    if not texts:
        return None
    flags = nvcc_flags()
    folder = _folder("device-cuda", texts, flags)
    target = folder / "libdevice_cuda.so"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tag = f"{os.getpid()}.{id(texts)}"
        objects = []
        texts = {**texts, "_select": SELECT_SOURCE}
        for name, text in texts.items():
            (folder / f"{name}.cu").write_text(text)
            objects.append(folder / f".{name}.{tag}.o")
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            said = list(pool.map(_nvcc, [[nvcc, *flags, "-c", f"-I{kernels_dir()}", "-o",
                                          str(o), str(folder / f"{name}.cu")]
                                         for name, o in zip(texts, objects, strict=True)]))
        built = [o for o, words in zip(objects, said, strict=True) if words is None]
        (folder / "left-out.txt").write_text("".join(
            f"{name}: {' '.join(words.split())}\n"
            for name, words in zip(texts, said, strict=True) if words))
        scratch = folder / f".libdevice_cuda.{tag}.so"
        words = _nvcc([nvcc, "-shared", *ARCHITECTURES, "-o", str(scratch), *map(str, built)])
        if words is not None:
            raise NotSupportedError(f"the device kernels did not link with nvcc: {words}")
        scratch.replace(target)
        for o in objects:
            o.unlink(missing_ok=True)
    left_out = folder / "left-out.txt"
    for line in left_out.read_text().splitlines() if left_out.exists() else []:
        name, _, words = line.partition(": ")
        if name in needed:
            raise NotSupportedError(f"{name}: its device kernels did not compile with nvcc: "
                                    f"{words}")
    return _load(target)


def _address(lib: ctypes.CDLL, symbol: str) -> int:
    return ctypes.cast(getattr(lib, symbol), ctypes.c_void_p).value or 0


def cuda_kernels(spec: dict[str, Any], lib: ctypes.CDLL) -> tuple[list[int], list[int]]:
    """(runs, receives): per mechanism slot of the block, the address of its CUDA kernels'
    launchers in lib, the same kernels attach gave it built as C (0 where it has none)."""
    runs, receives = [], []
    for ms in spec["mechanisms"]:
        name = ms.get("dev_name")
        runs.append(_address(lib, f"pcn_dev_{name}_run") if name else 0)
        receives.append(_address(lib, f"pcn_dev_{name}_net_receive")
                        if name and ms.get("dev_net_receive") else 0)
    return runs, receives



def build(names: set[str], mod: Any = None) -> tuple[ctypes.CDLL | None, dict[str, str]]:
    """(library, {mechanism: why it keeps its hooks}) for the mechanisms named."""
    texts, kept = _texts(names, mod)
    if not texts:
        return None, kept
    folder = _folder("device-host", texts, compile_flags())
    target = folder / "libdevice_host.so"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        sources = []
        for name, text in texts.items():
            (folder / f"{name}.c").write_text(text)
            sources.append(str(folder / f"{name}.c"))
        scratch = folder / f".libdevice_host.{id(texts)}.so"
        done = subprocess.run([compiler(), *compile_flags(), "-shared", f"-I{kernels_dir()}",
                               "-o", str(scratch), *sources], capture_output=True, text=True,
                              timeout=900)
        if done.returncode != 0:
            raise NotSupportedError(f"the device kernels did not compile as C: "
                                    f"{done.stderr.strip()[-300:]}")
        scratch.replace(target)
    return _load(target), kept


def node_runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(run_start, order): the items grouped by key (a point process's node), each group in
    item order, as the kernels of printers/cuda.py take them."""
    keys = np.asarray(keys)
    order = np.argsort(keys, kind="stable").astype(np.int32)
    bounds = np.flatnonzero(np.diff(keys[order])) + 1
    return np.concatenate(([0], bounds, [len(keys)])).astype(np.int32), order


def attach(specs: list[dict[str, Any]], lib: ctypes.CDLL, descriptors: dict[Any, Any]) -> None:
    """Point each mechanism spec that has a device kernel at it, with its node runs (and
    its name: cuda_kernels finds the same kernels in the CUDA library by it)."""
    found = by_address(descriptors)
    for spec in specs:
        for ms in spec["mechanisms"]:
            desc = found.get(ms.get("desc"))
            if desc is None:  # the engine's own (capacitance, ions)
                continue
            run = getattr(lib, f"pcn_dev_{desc.name.decode()}_run", None)
            if run is None:
                continue
            ni = ms["ni"][: ms["n"]] if ms["ni"] is not None else np.zeros(ms["n"], np.int32)
            ms["dev_run_start"], ms["dev_order"] = node_runs(ni)
            ms["dev_run"] = ctypes.cast(run, ctypes.c_void_p).value
            ms["dev_name"] = desc.name.decode()
            if desc.net_receive_nargs >= 0 and ms["kind"] == 1:  # buffered point processes
                deliver = getattr(lib, f"pcn_dev_{desc.name.decode()}_net_receive")
                ms["dev_net_receive"] = ctypes.cast(deliver, ctypes.c_void_p).value


def fill(lib: ctypes.CDLL, descriptors: dict[Any, Any]) -> None:
    """The kernels' GLOBALs and TABLEs from the C library's (after its TABLEs are built)."""
    for name, desc in descriptors.items():
        if name is None or not desc.values:
            continue
        prefix = f"pcn_dev_{name}"
        if getattr(lib, f"{prefix}_run", None) is None:
            continue
        count = ctypes.c_int.in_dll(lib, f"{prefix}_nvalues").value
        listed = (ctypes.c_char_p * max(1, count)).in_dll(lib, f"{prefix}_names")
        sizes = (ctypes.c_int * max(1, count)).in_dll(lib, f"{prefix}_counts")
        put = getattr(lib, f"{prefix}_set")
        for k in range(count):
            values = np.zeros(sizes[k])
            pointer = values.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
            if desc.values(listed[k], pointer, sizes[k]) != sizes[k] or put(k, pointer) != 0:
                raise NotSupportedError(f"{name}: the device copy's {listed[k].decode()} "
                                        "does not match the C library's")


__all__ = ["attach", "build", "build_cuda", "cuda_kernels", "fill", "node_runs", "nvcc_flags"]
