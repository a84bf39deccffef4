"""globals.dat: NEURON's double-valued globals at write time (format section 5)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import DatasetError
from .text import VERSION


@dataclass
class Globals:
    """Scalars and arrays by NEURON name (``celsius``, ``dt``, ``usetable_hh``, ...)."""

    scalars: dict[str, float] = field(default_factory=dict)
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    secondorder: int = 0
    random123_globalindex: int = 0

    def get(self, name: str, default: float | None = None) -> float | None:
        return self.scalars.get(name, default)


def read_globals_dat(path: Path) -> Globals:
    """Parse globals.dat.

    CoreNEURON goes on with its defaults when this file is missing (celsius 34, which silently
    changes a 6.3 degree model); we refuse instead, since NEURON always writes it.
    """
    try:
        lines = Path(path).read_bytes().decode("ascii").split("\n")
    except FileNotFoundError:
        raise DatasetError(
            f"{path}: file not found (NEURON always writes it; without it celsius and dt "
            "would silently take default values)") from None
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path} at byte {exc.start}: not a text file") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot be read ({exc.strerror})") from None

    if lines[-1] == "":
        lines.pop()
    if not lines or lines[0].strip() != VERSION:
        found = lines[0].strip() if lines else ""
        raise DatasetError(
            f"{path} at line 1: incompatible data version {found!r}: pycoreneuron reads "
            f"version {VERSION} (NEURON 9.0.x)")
    g = Globals()
    i = 1

    def number(text: str, lineno: int, name: str) -> float:
        try:
            return float(text)
        except ValueError:
            raise DatasetError(
                f"{path} at line {lineno}: the value of {name} is not a number: {text!r}"
            ) from None

    while True:
        if i >= len(lines):
            raise DatasetError(f"{path}: file ends before the closing '0 0' line")
        parts = lines[i].split()
        lineno = i + 1
        i += 1
        if parts == ["0", "0"]:
            break
        if len(parts) == 2:
            g.scalars[parts[0]] = number(parts[1], lineno, parts[0])
        elif len(parts) == 1 and parts[0].endswith("]") and "[" in parts[0]:
            name, _, count = parts[0][:-1].partition("[")
            if not count.isdigit():
                raise DatasetError(
                    f"{path} at line {lineno}: bad array header {parts[0]!r}")
            n = int(count)
            if i + n > len(lines):
                raise DatasetError(
                    f"{path} at line {lineno}: array {name} needs {n} value lines, the file "
                    "ends first")
            g.arrays[name] = np.array(
                [number(lines[i + k].strip(), i + k + 1, f"{name}[{k}]") for k in range(n)])
            i += n
        else:
            raise DatasetError(
                f"{path} at line {lineno}: expected 'name value', 'name[n]' or '0 0', found "
                f"{lines[lineno - 1][:40]!r}")
    # Then 'name int' pairs to the end (secondorder, Random123_globalindex); others ignored.
    for k in range(i, len(lines)):
        parts = lines[k].split()
        if not parts:
            continue
        if len(parts) != 2:
            raise DatasetError(f"{path} at line {k + 1}: expected 'name integer', found "
                               f"{lines[k][:40]!r}")
        try:
            value = int(parts[1])
        except ValueError:
            raise DatasetError(f"{path} at line {k + 1}: {parts[0]} must be an integer, found "
                               f"{parts[1]!r}") from None
        if parts[0] == "secondorder":
            if value not in (0, 1, 2):
                raise DatasetError(f"{path} at line {k + 1}: secondorder must be 0, 1 or 2, "
                                   f"found {value}")
            g.secondorder = value
        elif parts[0] == "Random123_globalindex":
            g.random123_globalindex = value
    for name in ("celsius", "dt"):
        if name in g.scalars and not math.isfinite(g.scalars[name]):
            raise DatasetError(f"{path}: {name} must be a finite number, found "
                               f"{g.scalars[name]}")
    if "dt" in g.scalars and not g.scalars["dt"] > 0:
        raise DatasetError(f"{path}: dt must be > 0, found {g.scalars['dt']}")
    return g
