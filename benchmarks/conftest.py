"""Benchmark fixtures: NEURON-made ringtest datasets of several sizes, and special-core.

Run everything with `python -m pytest benchmarks`, or the quick sizes only with
`python -m pytest benchmarks --quick`. Datasets are built once by NEURON and cached like the
tests' (PYCORENEURON_TEST_CACHE, else .pytest_cache).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the tests' fixtures live in tests/conftest.py

from sweep import LAYOUTS, QUICK_SIZES, SIZES  # noqa: E402

from tests.conftest import build_ringtest, cache_root, special_core  # noqa: E402, F401


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


@pytest.fixture(scope="session")
def ringtest_size(cache_root: Path) -> Callable[..., tuple[Path, float]]:  # noqa: F811
    """Factory: ringtest_size(size, nthread=1, nranks=1) -> (folder with coredat/, tstop).

    The dataset is written by NEURON on `nthread` threads (one group each) per rank and on
    `nranks` ranks (under mpiexec; skipped without it)."""
    pytest.importorskip("neuron", reason="NEURON builds the datasets: pip install .[test]")

    def make(size: str, nthread: int = 1, nranks: int = 1) -> tuple[Path, float]:
        flags, tstop = SIZES[size]
        if nthread > 1:
            flags = [*flags, "-nt", str(nthread)]
        return build_ringtest(cache_root, flags, nranks, tstop=tstop), tstop

    return make
