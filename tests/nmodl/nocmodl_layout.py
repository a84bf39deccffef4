"""NEURON's own layout of a MOD file: run the neuron wheel's nocmodl and read the
``_nrn_mechanism_register_data_fields`` call of the C++ it writes (format doc, Appendix A)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

_FIELD = re.compile(r'_nrn_mechanism_field<([^>]*)>\{"([^"]+)"(?:, (?:"([^"]*)"|(\d+)))?\}')


def nocmodl_path() -> Path | None:
    try:
        import neuron  # noqa: F401
    except ImportError:
        return None
    import neuron as _n

    cand = Path(_n.__file__).parent / ".data" / "bin" / "nocmodl"
    if cand.exists():
        return cand
    which = shutil.which("nocmodl")
    return Path(which) if which else None


def neuron_layout(mod: Path, workdir: Path) -> tuple[list[tuple[str, int]], list[tuple[str, str]]]:
    """(doubles as (name, dim), dparams as (name, semantics)) as NEURON lays them out,
    without the NEURON-only trailing cvodeieq slot."""
    exe = nocmodl_path()
    assert exe is not None
    target = workdir / mod.name
    shutil.copy(mod, target)
    subprocess.run([str(exe), target.name], cwd=workdir, check=True, capture_output=True)
    text = (workdir / (mod.stem + ".cpp")).read_text()
    start = text.index("_nrn_mechanism_register_data_fields(_mechtype")
    end = text.index(");", start)
    doubles: list[tuple[str, int]] = []
    dparams: list[tuple[str, str]] = []
    for m in _FIELD.finditer(text[start:end]):
        ctype, name, sem, dim = m.groups()
        if ctype == "double":
            doubles.append((name, int(dim) if dim else 1))
        elif sem != "cvodeieq":
            dparams.append((name, sem))
    return doubles, dparams
