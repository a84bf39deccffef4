"""Benchmark fixtures: NEURON-made datasets of both families and sizes, and special-core.

Run everything with `python -m pytest benchmarks`, or the quick sizes only with
`python -m pytest benchmarks --quick`. Datasets are built once by NEURON and cached like the
tests' (PYCORENEURON_TEST_CACHE, else .pytest_cache).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the tests' fixtures live in tests/conftest.py

import dense_model  # noqa: E402
from sweep import LAYOUTS, QUICK_SIZES, SIZES  # noqa: E402

from tests.conftest import (  # noqa: E402, F401
    RINGTEST_MOD,
    _digest,
    build_dataset_once,
    build_ringtest,
    build_special_core,
    cache_root,
    special_core,
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--quick", action="store_true",
                     help="benchmark only the small sizes (minutes, not an hour)")
    parser.addoption("--sizes", default=None,
                     help="comma-separated sizes to run (default: all, or the quick ones)")
    parser.addoption("--rounds", type=int, default=2,
                     help="runs of each measurement; the best figures are reported (default 2)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Each size and layout's runs back to back (CoreNEURON, then pycoreneuron), so that the
    # load of a shared machine drifts as little as possible between the two sides of a row.
    def row(item: pytest.Item) -> tuple[int, int]:
        params = getattr(item, "callspec", None) and item.callspec.params or {}
        return (list(SIZES).index(params["size"]) if "size" in params else len(SIZES),
                list(LAYOUTS).index(params["layout_id"]) if "layout_id" in params else 0)

    items.sort(key=row)  # stable: the order of definition within a row
    chosen = config.getoption("--sizes")
    if chosen:
        keep, reason = set(chosen.split(",")), "not in --sizes"
    elif config.getoption("--quick"):
        keep, reason = set(QUICK_SIZES), "not in --quick"
    else:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        size = getattr(item, "callspec", None) and item.callspec.params.get("size")
        # Size-less benchmarks marked slow (bench_read's 813K-compartment read) are not quick.
        if (size and size not in keep) or (not size and item.get_closest_marker("slow")):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def rounds(pytestconfig: pytest.Config) -> int:
    """How many times each measurement runs (the best figures are kept)."""
    return max(1, pytestconfig.getoption("--rounds"))


@dataclass(frozen=True)
class Model:
    """One dataset of a sweep and what runs and checks it."""

    coredat: Path
    tstop: float
    mod: Path  # the MOD files: pycoreneuron-run --mod, special-core built from them
    neuron_spikes: Path | None  # NEURON's spikes as out.dat holds them (dense), else None


def build_dense(root: Path, flags: list[str], nthread: int, tstop: float) -> Path:
    """Run dense_model.py with NEURON once for these flags; its folder (coredat/, NEURON's
    spikes.std)."""
    moddir = dense_model.mod_folder(root)
    builder = Path(dense_model.__file__)
    key = _digest(builder.read_bytes(), moddir.name.encode(), " ".join(flags).encode(),
                  str(nthread).encode(), repr(tstop).encode())
    command = [sys.executable, str(builder), *flags, "-nt", str(nthread), "-tstop", repr(tstop),
               "-coredat", "coredat", "-moddir", str(moddir)]
    return build_dataset_once(root / "dense" / key, command, timeout=7200)


@pytest.fixture(scope="session")
def model_size(cache_root: Path) -> Callable[..., Model]:  # noqa: F811
    """Factory: model_size(size, nthread=1, nranks=1) -> Model.

    The dataset is written by NEURON on `nthread` threads (one group each) per rank and on
    `nranks` ranks (under mpiexec; skipped without it)."""
    pytest.importorskip("neuron", reason="NEURON builds the datasets: pip install .[test]")

    def make(size: str, nthread: int = 1, nranks: int = 1) -> Model:
        spec = SIZES[size]
        if spec.family == "dense":
            if nranks > 1:
                raise ValueError("the channel-dense family runs on threads only")
            folder = build_dense(cache_root, list(spec.flags), nthread, spec.tstop)
            return Model(folder / "coredat", spec.tstop, dense_model.mod_folder(cache_root),
                         folder / "spikes.std")
        flags = list(spec.flags)
        if nthread > 1:
            flags += ["-nt", str(nthread)]
        folder = build_ringtest(cache_root, flags, nranks, tstop=spec.tstop)
        return Model(folder / "coredat", spec.tstop, RINGTEST_MOD, None)

    return make


@pytest.fixture(scope="session")
def special_core_of(cache_root: Path) -> Callable[[Path], Path]:  # noqa: F811
    """Factory: CoreNEURON's special-core built from a folder of MOD files (cached)."""
    pytest.importorskip("neuron", reason="CoreNEURON comes with NEURON: pip install .[test]")
    return lambda mod: build_special_core(cache_root, mod)


@pytest.fixture(scope="session")
def ringtest_size(model_size: Callable[..., Model]) -> Callable[..., tuple[Path, float]]:
    """Factory: ringtest_size(size, nthread=1, nranks=1) -> (folder with coredat/, tstop)."""

    def make(size: str, nthread: int = 1, nranks: int = 1) -> tuple[Path, float]:
        model = model_size(size, nthread, nranks)
        return model.coredat.parent, model.tstop

    return make
