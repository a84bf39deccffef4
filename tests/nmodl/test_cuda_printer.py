"""printers/cuda.py: mechanism kernels for the GPU, checked on the CPU and by nvcc.

The CUDA printer's file is single source. Compiled as C, each kernel is a loop over the
instances; here it runs on the same instances as the C printer's hooks (the library the CPU
engine loads), after the device copy's GLOBALs and TABLEs are filled from the C library's
(its descriptor's values hook, as the device engine fills them), and every double it writes
must equal the hook's, bit for bit: INITIAL, nrn_cur (with TABLEs on and off), nrn_state and
NET_RECEIVE (point processes five to a node). The same
files must compile with nvcc (--fmad=false) where nvcc is on the PATH (the project's machines
have it; no GPU is needed to compile).

Mechanisms: our hh and pas, and bmtk's published channels (tests/data/third_party/bmtk).
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import pycoreneuron
from pycoreneuron.engine.device_kernels import fill, node_runs
from pycoreneuron.nmodl.cache import compile_flags, compiler, kernels_dir
from pycoreneuron.nmodl.codegen import generate_device
from pycoreneuron.nmodl.errors import NmodlError
from pycoreneuron.nmodl.pipeline import analyse_file

from .harness import Block, load_folder

REPO = Path(__file__).resolve().parents[2]
BMTK = REPO / "tests" / "data" / "third_party" / "bmtk"
MODS = [REPO / "mod" / "hh.mod", REPO / "mod" / "pas.mod",
        *(BMTK / f"{n}.mod" for n in ("NaTs", "NaTa", "Nap", "Ih", "Im", "K_P", "K_T", "Kd",
                                      "Kv2like", "Kv3_1", "SK", "Ca_HVA", "Ca_LVA",
                                      "CaDynamics")),
        # point processes: several on one node, run by node on the device
        *(REPO / "mod" / f"{n}.mod" for n in ("expsyn", "exp2syn", "stim", "syn", "svclmp",
                                              "oclmp")),
        *(BMTK / f"{n}.mod" for n in ("exp1syn", "exp1isyn", "stp1syn", "stp2syn", "stp3syn",
                                      "stp4syn", "stp5syn", "stp5isyn"))]


def _device_source(mod: Path) -> tuple[str, str]:
    prog, info = analyse_file(mod)
    return info.name, generate_device(prog, info)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(C library, its descriptors, mechanism dicts, device library built as C, names)."""
    folder = tmp_path_factory.mktemp("mods")
    for f in MODS:
        shutil.copy(f, folder)
    lib, descs = load_folder(folder, tmp_path_factory.mktemp("cache"))
    py = {d["name"]: d for d in pycoreneuron.mechanisms(mod=folder)}
    out = tmp_path_factory.mktemp("device")
    sources, names = [], []
    for f in MODS:
        name, text = _device_source(f)
        (out / f"{name}.c").write_text(text)
        sources.append(str(out / f"{name}.c"))
        names.append(name)
    target = out / "libdevice_host.so"
    r = subprocess.run([compiler(), *compile_flags(), "-shared", f"-I{kernels_dir()}", "-o",
                        str(target), *sources], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return lib, descs, py, ctypes.CDLL(str(target)), names


def _state(b: Block) -> bytes:
    return b"".join(x.tobytes() for x in (b.data, b.rhs, b.d, b.v, b.weights,
                                          *b.ions.values()))


def _ptr(array: np.ndarray, ctype: type) -> object:
    return array.ctypes.data_as(ctypes.POINTER(ctype))


def _pair(built, mod: Path, name: str, n: int = 37) -> tuple[Block, Block]:
    """Two blocks of the same instances: the MOD file's PARAMETER values (as NEURON's
    dataset holds them), varied voltages and ion values; point processes five to a node."""
    lib, descs, py, _, _ = built
    prog, _ = analyse_file(mod)
    blocks = []
    rng = np.random.default_rng(7)
    v = rng.uniform(-90.0, 40.0, n)
    ion_values = {}
    for _ in range(2):
        b = Block(descs[name], n)
        b.wire([nm for nm, _ in py[name]["dparam"]], lib)
        for p in prog.parameters:
            if p.name in b.offsets and p.value is not None and p.dim == 1:
                b.set(p.name, float(p.value))
        b.v[:] = v
        if descs[name].kind != 0:
            b.ni[:] = np.arange(n) % 5
            b.weights = rng.uniform(0.0, 0.02, 64) if not blocks else blocks[0].weights.copy()
        for ion, arr in b.ions.items():
            if ion not in ion_values:
                ion_values[ion] = rng.uniform(0.5, 2.0, arr.shape) * \
                    np.array([50.0, 1e-4, 2.0, 0.0, 0.0])[:, None]
            arr[:] = ion_values[ion]
        blocks.append(b)
    return blocks[0], blocks[1]


# every file with its TABLEs on (the default), and hh (which has one) with them off too
CASES = [(m, 1.0) for m in MODS] + [(MODS[0], 0.0)]


@pytest.mark.parametrize("mod,usetable", CASES,
                         ids=[f"{m.stem}-usetable{int(u)}" for m, u in CASES])
def test_device_kernels_run_as_c_equal_the_hooks(built, mod, usetable):
    lib, descs, _, dev, _ = built
    name, _ = _device_source(mod)
    desc = descs[name]
    host, device = _pair(built, mod, name)
    glob = f"usetable_{name}"
    globals_here = [desc.global_names[k].decode() for k in range(desc.nglobals)]
    if glob in globals_here:
        desc.global_values[globals_here.index(glob)].contents.value = usetable
    else:
        assert usetable == 1.0, f"{name} has no TABLE to turn off"
    try:
        run = getattr(dev, f"pcn_dev_{name}_run")
        run.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
                        ctypes.c_void_p, ctypes.c_int]
        run_start, order = node_runs(device.ni)
        nrun = len(run_start) - 1
        host.table()  # the C library builds the TABLEs (and writes instance 0's values)
        device.table()
        fill(dev, {name: desc})  # the device copy's GLOBALs and TABLEs, as the engine fills them
        assert _state(host) == _state(device)
        steps = [(0, "init", 0.0), (1, "cur", 0.0125), (2, "state", 0.025), (3, "events", 0.03),
                 (1, "cur", 0.0375), (2, "state", 0.05)]
        for hook, call, t in steps:
            if call == "events":
                _events(built, dev, name, host, device, t)
            else:
                getattr(host, call)(t) if call != "init" else host.desc.init(host._pack(0.0))
                got = run(hook, ctypes.cast(device._pack(t), ctypes.c_void_p), nrun,
                          ctypes.cast(_ptr(run_start, ctypes.c_int), ctypes.c_void_p),
                          ctypes.cast(_ptr(order, ctypes.c_int), ctypes.c_void_p), 0)
                assert got in (0, -1)
            assert _state(host) == _state(device), f"{name}: {call} at t = {t}"
        assert np.isfinite(host.data).all()
    finally:
        if glob in globals_here:
            desc.global_values[globals_here.index(glob)].contents.value = 1.0


def _events(built, dev, name: str, host: Block, device: Block, t: float) -> None:
    """A few events onto some instances: the C hook called in the CPU engine's order (by
    instance, then arrival), the device's kernel with one run per instance."""
    _, descs, _, _, _ = built
    nargs = descs[name].net_receive_nargs
    if nargs < 0:
        return
    rng = np.random.default_rng(11)
    k = 12
    instance = rng.integers(0, host.n, k).astype(np.int32)
    weight = (rng.integers(0, 16, k) * max(1, nargs)).astype(np.int32)
    times = t - rng.uniform(0.0, 0.0125, k)
    flag = np.zeros(k)
    arrival = np.lexsort((np.arange(k), instance))
    instance, weight, times, flag = (x[arrival] for x in (instance, weight, times, flag))
    for i, w, te, f in zip(instance.tolist(), weight.tolist(), times.tolist(), flag.tolist(),
                           strict=True):
        host.net_receive(i, te, w, f)
    run_start, _ = node_runs(instance)
    deliver = getattr(dev, f"pcn_dev_{name}_net_receive")
    deliver.argtypes = [ctypes.c_void_p, ctypes.c_int] + [ctypes.c_void_p] * 5 + [ctypes.c_int]
    assert deliver(ctypes.cast(device._pack(t), ctypes.c_void_p), len(run_start) - 1,
                   *(ctypes.cast(_ptr(x, c), ctypes.c_void_p) for x, c in (
                       (run_start, ctypes.c_int), (instance, ctypes.c_int),
                       (weight, ctypes.c_int), (times, ctypes.c_double),
                       (flag, ctypes.c_double))), 0) == 0


def test_what_cannot_run_on_the_device_is_refused_with_the_reason():
    for mod, why in ((REPO / "mod" / "netstim.mod", "an artificial cell"),
                     (BMTK / "NaV.mod", "an implicit solve"),
                     (REPO / "mod" / "vclmp.mod", "an implicit solve")):
        with pytest.raises(NmodlError, match=f"cannot run on the GPU yet: {why}"):
            _device_source(mod)


def test_the_device_files_compile_with_nvcc(built, tmp_path):
    nvcc = shutil.which("nvcc")
    if nvcc is None:
        pytest.skip("nvcc is not on the PATH")
    for mod in [*MODS[:3], REPO / "mod" / "expsyn.mod"]:  # a few seconds each
        name, text = _device_source(mod)
        source = tmp_path / f"{name}.cu"
        source.write_text(text)
        r = subprocess.run([nvcc, "-c", "--fmad=false", "-arch=sm_80", f"-I{kernels_dir()}",
                            "-o", str(tmp_path / f"{name}.o"), str(source)],
                           capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stdout + r.stderr
        assert (tmp_path / f"{name}.o").stat().st_size > 0
