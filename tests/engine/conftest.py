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

from .neuron_models import MODELS

SCRIPT = Path(__file__).with_name("neuron_models.py")
OUR_HH = Path(__file__).resolve().parents[2] / "mod" / "hh.mod"


def _publish(scratch: Path, final: Path) -> None:
    try:
        scratch.rename(final)
    except OSError:  # another worker won the race
        shutil.rmtree(scratch, ignore_errors=True)


def hh_ordered_text() -> str:
    """Our mod/hh.mod as SUFFIX hh_ordered with NONSPECIFIC_CURRENT il moved before the USEION
    lines: nocmodl then sums il first, a second order our translator must follow."""
    lines = OUR_HH.read_text().replace("SUFFIX hh\n", "SUFFIX hh_ordered\n").split("\n")
    leak = next(k for k, line in enumerate(lines) if "NONSPECIFIC_CURRENT il" in line)
    first_ion = next(k for k, line in enumerate(lines) if "USEION na" in line)
    lines.insert(first_ion, lines.pop(leak))
    text = "\n".join(lines)
    assert "SUFFIX hh_ordered" in text and first_ion < leak
    return text


def _hh_ordered_mod(root: Path) -> Path:
    """A folder with hh_ordered.mod, compiled there by NEURON's nrnivmodl."""
    text = hh_ordered_text()
    final = root / "engine-mod" / hashlib.sha256(text.encode()).hexdigest()[:16]
    if (final / "x86_64").is_dir():
        return final
    pytest.importorskip("neuron", reason="NEURON is the reference: pip install .[test]")
    scratch = final.with_name(f"{final.name}.tmp{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    (scratch / "hh_ordered.mod").write_text(text)
    nrnivmodl = Path(sys.executable).with_name("nrnivmodl")
    r = subprocess.run([str(nrnivmodl) if nrnivmodl.exists() else "nrnivmodl", "."],
                       cwd=scratch, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError(f"nrnivmodl hh_ordered.mod failed:\n{r.stdout}\n{r.stderr}")
    _publish(scratch, final)
    return final


@pytest.fixture(scope="session")
def neuron_model(cache_root: Path) -> Callable[[str], tuple[Path, dict[str, Any]]]:
    """Factory: neuron_model(name) -> (folder with NEURON's coredat/, NEURON's results).

    Runs tests/engine/neuron_models.py with NEURON in a subprocess; the folder is cached under
    the session's cache root, keyed by the script's source, the model's name and its MOD file.
    The results' "mod" is the folder of MOD files pycoreneuron needs for it (or None).
    Skips where NEURON is missing and the model was not built before.
    """

    def make(model: str) -> tuple[Path, dict[str, Any]]:
        mod = _hh_ordered_mod(cache_root) if MODELS[model].hh == "hh_ordered" else None
        digest = hashlib.sha256(SCRIPT.read_bytes() + b"\0" + model.encode())
        if mod is not None:
            digest.update((mod / "hh_ordered.mod").read_bytes())
        final = cache_root / "engine-models" / f"{model}-{digest.hexdigest()[:16]}"
        if not (final / "neuron.json").exists():
            pytest.importorskip("neuron", reason="NEURON is the reference: pip install .[test]")
            scratch = final.with_name(f"{final.name}.tmp{os.getpid()}")
            shutil.rmtree(scratch, ignore_errors=True)
            command = [sys.executable, str(SCRIPT), str(scratch), model]
            if mod is not None:
                command.append(str(mod))
            r = subprocess.run(command, capture_output=True, text=True, timeout=600)
            if r.returncode != 0:
                raise RuntimeError(f"{SCRIPT.name} {model} failed:\n{r.stdout}\n{r.stderr}")
            _publish(scratch, final)
        ref = json.loads((final / "neuron.json").read_text())
        ref["mod"] = None if mod is None else str(mod)
        return final, ref

    return make
