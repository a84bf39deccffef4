"""Pack what benchmarks/gpu_check.sh needs on a GPU machine lent offline and without NEURON.

    python benchmarks/gpu_carry.py [--sizes nring16 nring64 nring128 dense10k dense100k dense1m]

Writes .gpu-carry/ (ignored by git; pass it to the device as a carried path):
  wheels/       lark, the one build dependency the device machine's image lacks
  carry.tar.xz  NEURON's datasets, compressed (they are very regular: 1.5 GB of dense1m
                takes about 11 MB): test-cache/ (the engine models and ringtests of
                tests/engine/test_device_windows.py, as the tests' cache holds them) and
                datasets/<size>/{coredat,mod} (the GPU rows of benchmarks/gpu_bench.py)
Every dataset is NEURON's, built here (with NEURON) or taken from the tests' cache.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import dense_model  # noqa: E402
from sweep import SIZES  # noqa: E402

from tests.conftest import RINGTEST_MOD, RINGTEST_VARIANTS, build_ringtest  # noqa: E402

GPU_SIZES = ["nring16", "nring64", "nring128", "dense10k", "dense100k", "dense1m"]
TEST_VARIANTS = ["default", "rparm", "big", "gap", "nt2_gap"]


def cache_root() -> Path:
    import os

    env = os.environ.get("PYCORENEURON_TEST_CACHE")
    return Path(env) if env else REPO / ".pytest_cache" / "d" / "pycoreneuron"


def stage_tests(root: Path, stage: Path) -> None:
    """The engine models (built by the tests' own fixture: run the host-build tests once)
    and the ringtest variants, in a test cache of their own."""
    cache = stage / "test-cache"
    for name in ("engine-models", "engine-mod"):
        if (root / name).is_dir():
            shutil.copytree(root / name, cache / name, ignore=shutil.ignore_patterns("*.tmp*"))
    for variant in TEST_VARIANTS:
        flags, nranks = RINGTEST_VARIANTS[variant]
        folder = build_ringtest(root, flags, nranks)
        shutil.copytree(folder, cache / "ringtest" / folder.name)


def stage_size(root: Path, size: str, stage: Path) -> None:
    from conftest import build_dense  # benchmarks/conftest.py

    spec = SIZES[size]
    target = stage / "datasets" / size
    if spec.family == "dense":
        folder = build_dense(root, list(spec.flags), 1, spec.tstop)
        mod = dense_model.mod_folder(root)
    else:
        folder = build_ringtest(root, list(spec.flags), 1, tstop=spec.tstop)
        mod = RINGTEST_MOD
    shutil.copytree(folder / "coredat", target / "coredat")
    (target / "mod").mkdir()
    for f in mod.glob("*.mod"):
        shutil.copy(f, target / "mod" / f.name)
    (target / "tstop").write_text(repr(spec.tstop))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", nargs="*", default=GPU_SIZES, choices=sorted(SIZES))
    p.add_argument("--out", type=Path, default=REPO / ".gpu-carry")
    args = p.parse_args(argv)
    root = cache_root()
    shutil.rmtree(args.out, ignore_errors=True)
    (args.out / "wheels").mkdir(parents=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                    "--only-binary=:all:", "--python-version", "3.12", "--implementation",
                    "cp", "--platform", "manylinux2014_x86_64", "-d",
                    str(args.out / "wheels"), "lark"], check=True)
    with tempfile.TemporaryDirectory() as scratch:
        stage = Path(scratch)
        stage_tests(root, stage)
        for size in args.sizes:
            stage_size(root, size, stage)
        with tarfile.open(args.out / "carry.tar.xz", "w:xz", preset=6) as tar:
            for part in ("test-cache", "datasets"):
                tar.add(stage / part, arcname=part)
    total = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"{args.out}: {total / 2**20:.1f} MiB (the carry limit is 64 MiB)")
    return 0 if total < 60 * 2**20 else 1


if __name__ == "__main__":
    sys.exit(main())
