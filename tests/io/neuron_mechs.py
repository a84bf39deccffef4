"""Mechanism descriptors computed by NEURON itself, for testing the reader before (and against)
our translator: run the wheel's ``nocmodl`` on MOD files and read the layout NEURON registers
(``_nrn_mechanism_register_data_fields``: every double with its array size, every dparam with its
semantics), the mechanism kind and the NET_RECEIVE argument count (``pnt_receive_size``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

_FIELD = re.compile(r'_nrn_mechanism_field<([^>]*)>\{"([^"]+)"(?:,\s*(?:"([^"]*)"|(\d+)))?\}')
_NAME = re.compile(r'static const char \*_mechanism\[\] = \{\s*"[^"]*",\s*"([^"]+)"')
_NRECV = re.compile(r"pnt_receive_size\[_mechtype\] = (\d+);")


def wheel_dir() -> Path:
    import neuron

    return Path(neuron.__file__).resolve().parent / ".data"


def nocmodl() -> Path:
    return wheel_dir() / "bin" / "nocmodl"


def parse_nocmodl_cpp(text: str) -> dict[str, Any]:
    """One descriptor (the format pycoreneuron.mechanisms() promises) from nocmodl's C++."""
    name = _NAME.search(text)
    if name is None:
        raise ValueError("no _mechanism[] table in the generated code")
    start = text.index("_nrn_mechanism_register_data_fields(_mechtype")
    end = text.index(");", start)
    variables, dparam = [], []
    for ctype, fname, sem, dim in _FIELD.findall(text[start:end]):
        if ctype == "double":
            variables.append((fname, int(dim) if dim else 1))
        else:
            dparam.append((fname, sem))
    if dparam and dparam[-1][1] == "cvodeieq":  # NEURON-only; the dump leaves it out
        dparam.pop()
    if "add_nrn_artcell(_mechtype" in text:
        kind = "artificial_cell"
    elif "point_register_mech(" in text:
        kind = "point_process"
    else:
        kind = "density"
    nrecv = _NRECV.search(text)
    d: dict[str, Any] = {
        "name": name.group(1), "kind": kind,
        "data_size": sum(k for _, k in variables), "dparam_size": len(dparam),
        "variables": variables, "dparam": dparam,
    }
    if nrecv:
        d["net_receive_args"] = int(nrecv.group(1))
    return d


def descriptors_from_mod_dirs(dirs: list[Path], work: Path) -> dict[str, dict[str, Any]]:
    """Translate every .mod in ``dirs`` with NEURON's nocmodl; earlier dirs win on a name."""
    out: dict[str, dict[str, Any]] = {}
    work.mkdir(parents=True, exist_ok=True)
    for k, d in enumerate(dirs):
        if not d.is_dir():
            continue
        for mod in sorted(d.glob("*.mod")):
            dest = work / f"{k}_{mod.name}"
            shutil.copyfile(mod, dest)
            r = subprocess.run([str(nocmodl()), dest.name], cwd=work, capture_output=True,
                               text=True, timeout=120)
            cpp = dest.with_suffix(".cpp")
            if r.returncode != 0 or not cpp.exists():
                continue  # a file NEURON cannot translate alone (e.g. needs includes)
            try:
                desc = parse_nocmodl_cpp(cpp.read_text())
            except ValueError:  # no mechanism registered (e.g. a file of FUNCTIONs only)
                continue
            desc["file"] = str(mod)
            out.setdefault(desc["name"], desc)
    return out
