"""Fixtures of the reader tests: NEURON-computed mechanism descriptors and CoreNEURON's own
--model-stats figures for a dataset."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pycoreneuron.io import STAT_LABELS

from .neuron_mechs import descriptors_from_mod_dirs, wheel_dir

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def neuron_mechanisms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Descriptors of the MOD files NEURON ships, the ringtest's, and our own ``mod/`` (when
    the translator has put it there), as NEURON's nocmodl lays them out. Extra folders (for
    instance NEURON's own src/nrnoc) can be named in PYCORENEURON_TEST_EXTRA_MOD (os.pathsep)."""
    pytest.importorskip("neuron", reason="NEURON's nocmodl is the reference: pip install .[test]")
    dirs = [wheel_dir() / "share" / "modfile", REPO / "examples" / "ringtest" / "mod",
            REPO / "mod"]
    extra = os.environ.get("PYCORENEURON_TEST_EXTRA_MOD", "")
    dirs += [Path(p) for p in extra.split(os.pathsep) if p]
    return descriptors_from_mod_dirs(dirs, tmp_path_factory.mktemp("nocmodl"))


_LABELS = {label for _, label in STAT_LABELS}
_STAT = re.compile(r"^ (Number of [a-z ]+): (\d+)$")
_MECH = re.compile(r"^\s*(\d+)\s+(\S+)\s+(\d+)\s+[0-9.]+$")
_FIELD = re.compile(r"^\s*(_ndata|_nvdata|n_weight|n_presyn|n_input_presyn)\s+(\d+)\s")


def parse_model_stats(text: str) -> dict[str, Any]:
    """CoreNEURON's (or our) --model-stats output: statistics, mechanism counts, sizes."""
    stats: dict[str, int] = {}
    mechs: dict[str, int] = {}
    fields: dict[str, int] = {}
    in_mechs = False
    for line in text.splitlines():
        if "MECHANISMS COUNT AND SIZE BY TYPE" in line:
            in_mechs = True
            continue
        if in_mechs and line.startswith("====="):
            in_mechs = False
        if in_mechs and (m := _MECH.match(line)):
            mechs[m.group(2)] = int(m.group(3))
        if (m := _STAT.match(line)) and m.group(1) in _LABELS:
            stats[m.group(1)] = int(m.group(2))
        if m := _FIELD.match(line):
            fields[m.group(1)] = int(m.group(2))
    return {"stats": stats, "mechanisms": mechs, "fields": fields}


@pytest.fixture(scope="session")
def coreneuron_model_stats(special_core: Path, tmp_path_factory: pytest.TempPathFactory
                           ) -> Callable[[Path], dict[str, Any]]:
    """Factory: run ``special-core -d DIR --model-stats -e 0`` and parse what it prints."""

    def run(coredat: Path) -> dict[str, Any]:
        out = tmp_path_factory.mktemp("special-core")
        r = subprocess.run([str(special_core), "-d", str(coredat), "--model-stats", "-e", "0",
                            "-o", str(out)], cwd=out, capture_output=True, text=True,
                           timeout=600)
        if r.returncode != 0:
            raise RuntimeError(f"special-core failed on {coredat}:\n{r.stdout}\n{r.stderr}")
        parsed = parse_model_stats(r.stdout)
        assert len(parsed["stats"]) >= 8, r.stdout
        return parsed

    return run
