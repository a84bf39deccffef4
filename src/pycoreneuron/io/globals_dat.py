"""globals.dat: NEURON's double-valued globals at write time (format section 5)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import DatasetError, quote
from ..limits import MIN_DT
from .text import VERSION, read_bounded

# NEURON's globals: a few hundred lines, arrays of a few hundred values (tens of KB). 4 MB
# is absurd, and a bound on the memory its lines take once split (some 50 times the bytes).
MAX_GLOBALS_DAT = 4 << 20


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
    if not Path(path).exists():
        raise DatasetError(
            f"{path}: file not found (NEURON always writes it; without it celsius and dt "
            "would silently take default values)")
    try:
        lines = read_bounded(path, MAX_GLOBALS_DAT, "NEURON's globals").decode("ascii") \
            .split("\n")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path} at byte {exc.start}: not a text file") from None

    if lines[-1] == "":
        lines.pop()
    if not lines or lines[0].strip() != VERSION:
        found = lines[0].strip() if lines else ""
        raise DatasetError(
            f"{path} at line 1: incompatible data version {quote(found)}: pycoreneuron reads "
            f"version {VERSION} (NEURON 9.0.x)")
    g = Globals()
    i = 1

    def number(text: str, lineno: int, name: str) -> float:
        try:
            return float(text)
        except ValueError:
            raise DatasetError(
                f"{path} at line {lineno}: the value of {quote(name)} is not a number: "
                f"{quote(text)}"
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
                    f"{path} at line {lineno}: bad array header {quote(parts[0])}")
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
                f"{quote(lines[lineno - 1])}")
    # Then 'name int' pairs to the end (secondorder, Random123_globalindex); others ignored.
    for k in range(i, len(lines)):
        parts = lines[k].split()
        if not parts:
            continue
        if len(parts) != 2:
            raise DatasetError(f"{path} at line {k + 1}: expected 'name integer', found "
                               f"{quote(lines[k])}")
        try:
            value = int(parts[1])
        except ValueError:
            raise DatasetError(f"{path} at line {k + 1}: {quote(parts[0])} must be an integer, "
                               f"found {quote(parts[1])}") from None
        if parts[0] == "secondorder":
            if value not in (0, 1, 2):
                raise DatasetError(f"{path} at line {k + 1}: secondorder must be 0, 1 or 2, "
                                   f"found {value}")
            g.secondorder = value
        elif parts[0] == "Random123_globalindex":
            if not 0 <= value < 2**32:
                raise DatasetError(f"{path} at line {k + 1}: Random123_globalindex must be a "
                                   f"32-bit unsigned integer (0 to {2**32 - 1}), found "
                                   f"{quote(parts[1])}")
            g.random123_globalindex = value
    for name in ("celsius", "dt"):
        if name in g.scalars and not math.isfinite(g.scalars[name]):
            raise DatasetError(f"{path}: {name} must be a finite number, found "
                               f"{g.scalars[name]}")
    if "dt" in g.scalars and not g.scalars["dt"] >= MIN_DT:
        raise DatasetError(f"{path}: dt must be at least {MIN_DT:g} ms, found "
                           f"{g.scalars['dt']:g}")
    return g
