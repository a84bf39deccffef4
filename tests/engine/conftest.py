"""Fixtures of the engine tests: NEURON's run of each small model, built once and cached."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).with_name("neuron_models.py")


@pytest.fixture(scope="session")
def neuron_model(cache_root: Path) -> Callable[[str], tuple[Path, dict[str, Any]]]:
    """Factory: neuron_model(name) -> (folder with NEURON's coredat/, NEURON's results).

    Runs tests/engine/neuron_models.py with NEURON in a subprocess; the folder is cached under
    the session's cache root, keyed by the script's source and the model's name.
    """
    pytest.importorskip("neuron", reason="NEURON is the reference: pip install .[test]")

    def make(model: str) -> tuple[Path, dict[str, Any]]:
        key = hashlib.sha256(SCRIPT.read_bytes() + b"\0" + model.encode()).hexdigest()[:16]
        final = cache_root / "engine-models" / f"{model}-{key}"
        if not (final / "neuron.json").exists():
            scratch = final.with_name(f"{final.name}.tmp{os.getpid()}")
            shutil.rmtree(scratch, ignore_errors=True)
            r = subprocess.run([sys.executable, str(SCRIPT), str(scratch), model],
                               capture_output=True, text=True, timeout=600)
            if r.returncode != 0:
                raise RuntimeError(f"{SCRIPT.name} {model} failed:\n{r.stdout}\n{r.stderr}")
            try:
                scratch.rename(final)
            except OSError:  # another worker won the race
                shutil.rmtree(scratch, ignore_errors=True)
        return final, json.loads((final / "neuron.json").read_text())

    return make
