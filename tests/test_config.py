"""pycoreneuron.config() reports what this build has."""

import importlib.metadata
import importlib.util

import pycoreneuron


def test_config_reports_version_openmp_cuda_mpi_and_tuning():
    cfg = pycoreneuron.config()
    assert cfg["version"] == importlib.metadata.version("pycoreneuron") == pycoreneuron.__version__
    assert isinstance(cfg["openmp"]["enabled"], bool)
    assert cfg["openmp"]["max_threads"] >= 1
    if not cfg["openmp"]["enabled"]:
        assert cfg["openmp"]["max_threads"] == 1
    assert isinstance(cfg["cuda"]["built"], bool)
    assert cfg["cuda"]["devices"] >= 0
    if not cfg["cuda"]["built"]:
        assert cfg["cuda"]["devices"] == 0
    assert cfg["mpi"]["mpi4py"] == (importlib.util.find_spec("mpi4py") is not None)
    assert isinstance(cfg["native_tuning"], bool)


def test_identical_spikes_flags_are_always_on():
    # NEURON's exact floating-point operations: never contract to FMA, never fast-math.
    flags = pycoreneuron.config()["c_flags"].split()
    assert "-ffp-contract=off" in flags
    assert not any(f in flags for f in ("-ffast-math", "-Ofast"))
    assert ("-march=native" in flags) == pycoreneuron.config()["native_tuning"]


def test_openmp_thread_count_follows_environment(monkeypatch):
    import subprocess
    import sys

    if not pycoreneuron.config()["openmp"]["enabled"]:
        return
    code = "import pycoreneuron; print(pycoreneuron.config()['openmp']['max_threads'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**__import__("os").environ, "OMP_NUM_THREADS": "3"}, check=True)
    assert out.stdout.strip() == "3"
