"""The device engine's pieces: the single-source kernels' host builds against the CPU engine's
functions (here, in CI), the same kernels on a CUDA device against the host builds (marked
gpu: skipped without a device; benchmarks/gpu_check.sh runs them on one), and --gpu's answer.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import pycoreneuron
from pycoreneuron import _core
from pycoreneuron.engine import device

from .test_hines import interleaved_order, random_forest, renumber

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ringtest" / "coredat"


def has_device() -> bool:
    return bool(device.devices())


def require_device() -> None:
    if not has_device():
        pytest.skip("no CUDA device here (benchmarks/gpu_check.sh runs these on one)")


def interleaved_forest(seed: int, ncell: int, nnode: int):
    rng = np.random.default_rng(seed)
    parent, a, b, d, rhs = random_forest(rng, ncell, nnode)
    order, row_start, cell_len = interleaved_order(parent, ncell)
    return (cell_len, row_start, *renumber(order, parent, ncell, a, b, d, rhs))


def random_sources(seed: int, n: int, nnode: int):
    rng = np.random.default_rng(seed)
    node = rng.integers(0, nnode, n).astype(np.int32)
    threshold = rng.choice([-20.0, 0.0, 10.0], n)
    v = rng.choice([-65.0, -20.0, 0.0, 10.0, 30.0], nnode)  # equal to a threshold too
    above = rng.integers(0, 2, n).astype(np.uint8)
    return node, threshold, v, above


@pytest.mark.parametrize("seed", range(5))
def test_threshold_kernel_flags_what_the_engine_lists(seed):
    node, threshold, v, above = random_sources(seed, 300, 50)
    engine_above = above.copy()
    listed = _core.detect_spikes(node, threshold, v, engine_above)
    kernel_above = above.copy()
    fired = _core.detect_crossings(node, threshold, v, kernel_above)
    assert np.array_equal(np.flatnonzero(fired), np.asarray(listed))
    assert np.array_equal(kernel_above, engine_above)
    assert 0 < fired.sum() < len(fired)  # the case tests both outcomes


@pytest.mark.parametrize("ncell,nnode,seed", [(1, 40, 1), (7, 300, 2), (40, 3000, 3)])
def test_axial_kernel_one_thread_per_cell_gives_the_engines_bits(ncell, nnode, seed):
    # The device kernel (host build) walks each cell's rows; the engine's cable_axial walks
    # the nodes in storage order: every node must get its terms in the same order.
    cell_len, row_start, parent, a, b, d, rhs = interleaved_forest(seed, ncell, nnode)
    v = np.random.default_rng(seed).uniform(-80.0, 40.0, len(parent))
    # the engine's loops need a node's parent before it: storage order is row by row
    assert (parent[ncell:] < np.arange(ncell, len(parent))).all()
    er, ed = rhs.copy(), d.copy()
    _core.axial_terms(ncell, parent, a, b, v, er, ed)
    _core.axial_cells(cell_len, row_start, parent, a, b, v, rhs, d)
    assert rhs.tobytes() == er.tobytes() and d.tobytes() == ed.tobytes()


def test_config_reports_the_devices_it_sees():
    cuda = pycoreneuron.config()["cuda"]
    assert cuda["devices"] == len(cuda["device_list"])
    for d in cuda["device_list"]:
        assert d["name"] and d["memory"] > 0 and d["capability"][0].isdigit()


@pytest.mark.skipif(shutil.which("nvcc") is None, reason="no nvcc on the PATH")
def test_with_nvcc_on_the_path_the_cuda_module_is_built():
    # pip install . compiled the CUDA sources (src/kernels/cuda/*.cu) with nvcc
    cuda = pycoreneuron.config()["cuda"]
    assert cuda["built"] and device.LIBRARY.exists() and "error" not in cuda
    assert cuda["runtime"] >= 11000


def test_without_a_device_gpu_answers_in_one_line_and_writes_nothing(tmp_path):
    if has_device():
        pytest.skip("this machine has a CUDA device: --gpu runs (test_gpu_run_is_the_cpu_run)")
    result = subprocess.run([sys.executable, "-m", "pycoreneuron", "--gpu", "-e", "5", "-d",
                             str(EXAMPLE), "-o", str(tmp_path)], capture_output=True,
                            text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pycoreneuron-run: error: --gpu: ")
    assert "Traceback" not in result.stderr and list(tmp_path.iterdir()) == []
    if not pycoreneuron.config()["cuda"]["built"]:
        assert "no CUDA module" in lines[0]
    elif not has_device():
        assert "no CUDA device" in lines[0]


def test_nvcc_builds_the_mechanisms_device_kernels_as_a_library(tmp_path, monkeypatch):
    """--gpu's part of nrnivmodl: every mechanism with device kernels (the built-ins and the
    ringtest's), compiled by nvcc into one library that exports their launchers."""
    if shutil.which("nvcc") is None:
        pytest.skip("nvcc is not on the PATH")
    from pycoreneuron.engine import device_kernels

    monkeypatch.setenv("PYCORENEURON_CACHE", str(tmp_path / "mechanisms"))
    lib = device_kernels.build_cuda(EXAMPLE.parent / "mod")
    for name in ("hh", "pas", "ExpSyn", "IClamp", "Exp2Syn"):
        assert getattr(lib, f"pcn_dev_{name}_run") is not None
    assert lib.pcn_dev_ExpSyn_net_receive is not None
    assert not hasattr(lib, "pcn_dev_NetStim_run")  # artificial cells stay on the host
    # a block's slots: hh, ExpSyn (with events), a built-in (no kernels)
    spec = {"mechanisms": [{"dev_name": "hh"}, {"dev_name": "ExpSyn", "dev_net_receive": 1},
                           {}]}
    runs, receives = device_kernels.cuda_kernels(spec, lib)
    assert runs[0] and runs[1] and not runs[2] and receives == [0, receives[1], 0]
    assert receives[1] and len(set(runs[:2])) == 2


# ---- on a device ------------------------------------------------------------------------


@pytest.mark.gpu
def test_gpu_run_is_the_cpu_run(tmp_path):
    """pycoreneuron-run --gpu on the bundled example: CoreNEURON's out.dat, the CPU run's."""
    require_device()
    for flags, out in (([], "cpu"), (["--gpu"], "gpu")):
        result = subprocess.run([sys.executable, "-m", "pycoreneuron", *flags, "-e", "100",
                                 "-d", str(EXAMPLE), "-o", str(tmp_path / out)],
                                capture_output=True, text=True, timeout=600, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    gpu = (tmp_path / "gpu" / "out.dat").read_text()
    assert gpu == (tmp_path / "cpu" / "out.dat").read_text() and gpu.count("\n") > 500


@pytest.mark.gpu
@pytest.mark.parametrize("ncell,nnode,seed", [(1, 40, 1), (40, 3000, 2), (1000, 100000, 3)])
def test_device_hines_gives_the_host_bits(ncell, nnode, seed):
    require_device()
    cell_len, row_start, parent, a, b, d, rhs = interleaved_forest(seed, ncell, nnode)
    hd, hrhs = d.copy(), rhs.copy()
    _core.hines_interleaved(cell_len, row_start, parent, a, b, hd, hrhs)
    device.hines_interleaved(cell_len, row_start, parent, a, b, d, rhs)
    assert d.tobytes() == hd.tobytes() and rhs.tobytes() == hrhs.tobytes()


@pytest.mark.gpu
@pytest.mark.parametrize("ncell,nnode,seed", [(1, 40, 1), (40, 3000, 2), (1000, 100000, 3)])
def test_device_axial_terms_give_the_host_bits(ncell, nnode, seed):
    require_device()
    cell_len, row_start, parent, a, b, d, rhs = interleaved_forest(seed, ncell, nnode)
    v = np.random.default_rng(seed).uniform(-80.0, 40.0, len(parent))
    hd, hrhs = d.copy(), rhs.copy()
    _core.axial_cells(cell_len, row_start, parent, a, b, v, hrhs, hd)
    device.cable_axial_cells(cell_len, row_start, parent, a, b, v, rhs, d)
    assert d.tobytes() == hd.tobytes() and rhs.tobytes() == hrhs.tobytes()


@pytest.mark.gpu
@pytest.mark.parametrize("seed", range(3))
def test_device_threshold_gives_the_host_flags(seed):
    require_device()
    node, threshold, v, above = random_sources(seed, 100000, 5000)
    host_above = above.copy()
    host = _core.detect_crossings(node, threshold, v, host_above)
    fired = device.detect_crossings(node, threshold, v, above)
    assert np.array_equal(fired, host) and np.array_equal(above, host_above)


@pytest.mark.gpu
@pytest.mark.parametrize("lo,hi", [(-50.0, 50.0), (-745.2, 709.8), (-1100.0, 1100.0)])
def test_device_exp_gives_libms_bits(lo, hi):
    # The same glibc variant the CPU's mechanisms use (exp_check.c found it for this libm).
    require_device()
    variant = _core.exp_variant()
    if variant not in (1, 2):
        pytest.skip("this libm's exp is neither glibc build: no device variant to compare")
    x = np.random.default_rng(7).uniform(lo, hi, 2_000_000)
    x[:4] = [0.0, -0.0, np.inf, -np.inf]
    x[4] = np.nan
    assert device.exp(variant, x).tobytes() == _core.libm_exp(x).tobytes()


def test_libm_exp_is_libms():
    # the reference of the device exp test (NumPy's own exp is not libm's)
    x = np.array([0.0, 1.0, -1.0, 709.0, -745.0, 1e3])
    assert _core.libm_exp(x).tolist() == [math.exp(t) for t in x[:5]] + [math.inf]
