"""bbcore_mech.dat: every mechanism NEURON had registered, with its sizes (format section 4).

Type numbers are NEURON's and differ between builds; group files refer to mechanisms by these
numbers, so this table is the key that turns them into names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import DatasetError, quote
from .text import VERSION, read_bounded

# A line per mechanism type NEURON registered: a few hundred lines (tens of KB). 4 MB is
# absurd, and a bound on the memory its tokens take (some 50 times the bytes).
MAX_MECH_DAT = 4 << 20
# NEURON's mechanism names are identifiers (MOD SUFFIX / POINT_PROCESS names, ions x_ion).
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")


@dataclass(frozen=True)
class MechRecord:
    """One line of bbcore_mech.dat."""

    name: str
    type: int
    pnttype: int  # > 0 for POINT_PROCESS and ARTIFICIAL_CELL
    is_art: bool
    is_ion: bool
    psize: int  # doubles per instance
    dpsize: int  # dparam integers per instance, cvodeieq excluded
    dims: tuple[int, ...]  # array dimension of each variable, in storage order
    charge: float | None = None  # ions only

    @property
    def is_point(self) -> bool:
        return self.pnttype > 0


@dataclass(frozen=True)
class MechTable:
    """All records, indexed by type number (types 0 and 1 have none)."""

    path: Path
    records: tuple[MechRecord | None, ...]

    @property
    def n_memb_func(self) -> int:
        return len(self.records)

    def get(self, mtype: int) -> MechRecord | None:
        if 0 <= mtype < len(self.records):
            return self.records[mtype]
        return None

    def by_name(self) -> dict[str, MechRecord]:
        return {r.name: r for r in self.records if r is not None}


def read_mech_dat(path: Path) -> MechTable:
    """Parse bbcore_mech.dat (a token stream, as CoreNEURON reads it)."""
    if not Path(path).exists():
        raise DatasetError(
            f"{path}: file not found (every NEURON dataset has one; is -d the directory "
            "that pc.nrnbbcore_write wrote?)")
    try:
        text = read_bounded(path, MAX_MECH_DAT, "a table of mechanism types").decode("ascii")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path} at byte {exc.start}: not a text file") from None

    lines = text.split("\n")
    if not lines or lines[0].strip() != VERSION:
        found = lines[0].strip() if lines else ""
        raise DatasetError(
            f"{path} at line 1: incompatible data version {quote(found)}: pycoreneuron reads "
            f"version {VERSION} (NEURON 9.0.x)")
    # Tokens with their line numbers, for messages.
    tokens: list[tuple[str, int]] = []
    for lineno, line in enumerate(lines[1:], start=2):
        tokens.extend((tok, lineno) for tok in line.split())
    pos = 0

    def take(what: str) -> tuple[str, int]:
        nonlocal pos
        if pos >= len(tokens):
            raise DatasetError(f"{path}: file ends where {what} was expected")
        tok = tokens[pos]
        pos += 1
        return tok

    def take_int(what: str, minimum: int | None = None) -> int:
        tok, lineno = take(what)
        try:
            value = int(tok) if len(tok) <= 12 else None
        except ValueError:
            value = None
        if value is None or abs(value) > 2**31 - 1:
            raise DatasetError(
                f"{path} at line {lineno}: expected {what} (a 32-bit integer), found "
                f"{quote(tok)}")
        if minimum is not None and value < minimum:
            raise DatasetError(
                f"{path} at line {lineno}: {what} must be >= {minimum}, found {value}")
        return value

    n_memb_func = take_int("the number of mechanism types", minimum=2)
    records: list[MechRecord | None] = [None, None]
    for expect_type in range(2, n_memb_func):
        name, lineno = take(f"the name of mechanism type {expect_type}")
        if _NAME.fullmatch(name) is None:
            raise DatasetError(f"{path} at line {lineno}: expected the name of mechanism type "
                               f"{expect_type}, found {quote(name)}")
        mtype = take_int(f"the type number of {name}")
        if mtype != expect_type:
            raise DatasetError(
                f"{path} at line {lineno}: mechanism {name} has type {mtype} but is record "
                f"number {expect_type} (types must be listed 2, 3, ... in order)")
        pnttype = take_int(f"pnttype of {name}", minimum=0)
        is_art = take_int(f"is_art of {name}", minimum=0)
        is_ion = take_int(f"is_ion of {name}", minimum=0)
        psize = take_int(f"the data size of {name}", minimum=0)
        dpsize = take_int(f"the dparam size of {name}", minimum=0)
        nvars = take_int(f"the variable count of {name}", minimum=0)
        dims = tuple(take_int(f"an array dimension of {name}", minimum=1) for _ in range(nvars))
        if sum(dims) != psize:
            raise DatasetError(
                f"{path} at line {lineno}: the array dimensions of {name} sum to {sum(dims)}, "
                f"not to its data size {psize}")
        if is_art > 1 or is_ion > 1:
            raise DatasetError(f"{path} at line {lineno}: is_art and is_ion of {name} must be 0 "
                               "or 1")
        charge = None
        if is_ion:
            tok, cl = take(f"the charge of ion {name}")
            try:
                charge = float(tok)
            except ValueError:
                raise DatasetError(
                    f"{path} at line {cl}: expected the charge of ion {name}, found {quote(tok)}"
                ) from None
        records.append(MechRecord(name, mtype, pnttype, bool(is_art), bool(is_ion), psize,
                                  dpsize, dims, charge))
    if pos != len(tokens):
        tok, lineno = tokens[pos]
        raise DatasetError(
            f"{path} at line {lineno}: unexpected {quote(tok)} after the last of "
            f"{n_memb_func - 2} "
            "mechanism records")
    names = [r.name for r in records if r is not None]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise DatasetError(f"{path}: mechanism {dup} is listed twice")
    return MechTable(Path(path), tuple(records))
