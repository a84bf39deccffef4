"""CoreNEURON's report.conf (``--report-conf``, as neurodamus writes it) and the Report it
describes.

The file (NEURON 9.0.2, coreneuron/io/reports/report_configuration_parser.cpp): the number of
reports, then per report one line of 14 fields::

    name target type report_on unit format sections compartments dt start stop ngids bufsize scaling

followed by ``ngids`` gids as native 32-bit integers and a newline. ``report_on`` is
``mech.var`` (``hh.m``), ``v`` or ``i_membrane``, several joined by commas (summation reports);
a mechanism without ``.var`` means its ``i``. Then the spike populations: a count and that
many ``name offset`` lines (or, the old format, one line ``All``), and last the spike file's
name (``out`` gives ``out.h5``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import NotSupportedError, UsageError, quote
from .text import read_bounded

# CoreNEURON's section types (SectionType), matched case-insensitively as it matches them.
SECTION_TYPES = ("cell", "soma", "axon", "dend", "apic", "ais", "node", "myelin", "all")
COMPARTMENTS = ("center", "all")
REPORT_TYPES = ("compartment", "compartment_set", "summation", "synapse", "lfp")
MAX_CONF_BYTES = 256 << 20  # 64M gids: far more than any model we run


@dataclass(frozen=True)
class Report:
    """One SONATA report: ``variable`` of the cells ``gids`` (None: every cell), at the
    centre segment of each section (``compartments="center"``) or at every segment
    (``"all"``) of the section list ``sections`` (CoreNEURON's section types: soma, axon,
    dend, apic, ais, node, myelin, cell, or all), every ``dt`` ms from ``start`` to ``stop``.

    variable: ``v``, ``mech.var`` as report.conf writes it (``hh.m``, ``na_ion.ina``), or
    NEURON's names (``m_hh``, ``ina``). Sections need the dataset's section mapping
    (``-secmapping``); without it a soma report records each cell's spike-source node.
    The file is ``<name>.h5`` in the output folder.
    """

    name: str
    variable: str = "v"
    gids: Sequence[int] | None = None
    sections: str = "soma"
    compartments: str = "center"
    dt: float = 0.1  # [ms]
    start: float = 0.0  # [ms]
    stop: float = math.inf  # [ms]
    unit: str = "mV"
    where: str = ""  # the report.conf file and line it came from, for messages

    def __post_init__(self) -> None:
        at = f"{self.where}: " if self.where else ""
        if not self.name or "/" in self.name or "\0" in self.name:
            raise UsageError(f"{at}report name {quote(self.name)} must be a file name")
        if self.sections.lower() not in SECTION_TYPES:
            raise UsageError(f"{at}unknown section type {quote(self.sections)} in report "
                             f"{self.name} (expected one of {', '.join(SECTION_TYPES)})")
        if self.compartments.lower() not in COMPARTMENTS:
            raise UsageError(f"{at}unknown compartments {quote(self.compartments)} in report "
                             f"{self.name} (expected center or all)")
        if not (math.isfinite(self.dt) and self.dt > 0):
            raise UsageError(f"{at}report {self.name}: dt must be > 0, got {self.dt:g}")
        if not (math.isfinite(self.start) and self.start >= 0) or not self.stop >= self.start:
            raise UsageError(f"{at}report {self.name}: start {self.start:g} and stop "
                             f"{self.stop:g} must satisfy 0 <= start <= stop")


@dataclass
class ReportConf:
    """What a report.conf asks for: the reports, the spike populations (name, first gid) and
    the spike file's name. ``zero_based_gids``: SONATA node ids are ``gid - offset``; else
    ``gid - offset - 1`` (neurodamus numbers gids from 1), libsonatareport's default unless
    LIBSONATA_ZERO_BASED_GIDS is set. ``spikes_file`` None: no spikes file."""

    reports: list[Report] = field(default_factory=list)
    populations: list[tuple[str, int]] = field(default_factory=lambda: [("All", 0)])
    spikes_file: str | None = "out"
    zero_based_gids: bool = True
    buffer_size: int = 4  # [MB] CoreNEURON's report buffer (--report-buffer-size)
    skipped: list[str] = field(default_factory=list)  # reports of another format

    def population_of(self, gid: int) -> tuple[str, int]:
        """(name, offset) of the population holding gid: the last whose offset is <= gid,
        as CoreNEURON's get_population_info picks it."""
        chosen = self.populations[0] if self.populations else ("All", 0)
        for name, offset in self.populations:
            if offset > gid:
                break
            chosen = (name, offset)
        return chosen

    def node_id(self, gid: int, offset: int) -> int:
        """The SONATA node id of gid in a population starting at offset."""
        return gid - offset - (0 if self.zero_based_gids else 1)


class _Reader:
    """Text lines and binary int32 runs of a report.conf, counting lines for messages."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path, self.data, self.pos, self.line = path, data, 0, 0

    def error(self, message: str, line: int | None = None) -> UsageError:
        return UsageError(f"{self.path}, line {self.line if line is None else line}: "
                          f"{message}")

    def at_end(self) -> bool:
        return not self.data[self.pos:].strip()

    def text_line(self, what: str) -> list[str]:
        """The next non-empty line's whitespace-separated fields."""
        while True:
            if self.pos >= len(self.data):
                raise self.error(f"the file ends where {what} should be", self.line + 1)
            end = self.data.find(b"\n", self.pos)
            end = len(self.data) if end < 0 else end
            raw = self.data[self.pos:end]
            self.pos = end + 1
            self.line += 1
            if raw.strip():
                try:
                    return raw.decode("utf-8").split()
                except UnicodeDecodeError:
                    raise self.error(f"expected {what}, found {quote(raw)}") from None

    def int32s(self, n: int, what: str) -> np.ndarray:
        end = self.pos + 4 * n
        if end > len(self.data):
            raise self.error(f"the file ends inside the {n} binary gids of {what}", self.line + 1)
        values = np.frombuffer(self.data, dtype=np.int32, count=n, offset=self.pos).copy()
        self.pos = end
        if self.data[self.pos:self.pos + 1] == b"\n":  # CoreNEURON skips the rest of the line
            self.pos += 1
        self.line += 1
        return values


def _number(r: _Reader, token: str, what: str, kind: type = float) -> float:
    try:
        value = kind(token)
    except ValueError:
        raise r.error(f"{what} must be a number, found {quote(token)}") from None
    if kind is float and not math.isfinite(value) and not (what == "stop" and value > 0):
        raise r.error(f"{what} must be finite, found {quote(token)}")
    return value


def read_report_conf(path: str | os.PathLike[str]) -> ReportConf:
    """Parse a report.conf; a malformed one is one UsageError naming the file and line."""
    path = Path(path)
    r = _Reader(path, read_bounded(path, MAX_CONF_BYTES, "a report.conf", error=UsageError))
    head = r.text_line("the number of reports")
    count = int(_number(r, head[0], "the number of reports", int))
    if count < 0 or len(head) != 1:
        raise r.error(f"expected the number of reports, found {quote(' '.join(head))}")
    conf = ReportConf()
    for k in range(count):
        fields = r.text_line(f"report {k + 1} of {count}")
        line = r.line
        if len(fields) != 14:
            raise r.error(f"report {k + 1} has {len(fields)} fields, expected 14 (name target "
                          "type report_on unit format sections compartments dt start stop "
                          "num_gids buffer_size scaling)")
        (name, _target, rtype, report_on, unit, fmt, sections, compartments,
         dt, start, stop, ngids, _bufsize, _scaling) = fields
        times = [_number(r, value, what) for value, what in
                 ((dt, "dt"), (start, "start"), (stop, "stop"))]  # at this line, not after
        n = int(_number(r, ngids, "the number of gids", int))
        if n < 0:
            raise r.error(f"report {name}: negative number of gids {n}")
        gids = r.int32s(n, f"report {name}") if n else np.empty(0, np.int32)
        where = f"{path}, line {line}"
        if rtype.lower() not in REPORT_TYPES:
            raise r.error(f"unknown report type {quote(rtype)} of report {name} (expected one "
                          f"of {', '.join(REPORT_TYPES)})", line)
        if rtype.lower() == "compartment_set":  # two more binary runs follow its gids
            r.int32s(n, f"report {name}")
            r.int32s(n, f"report {name}")
        if fmt != "SONATA":  # CoreNEURON warns and skips a report of another format
            conf.skipped.append(f"report {name} has unknown format {quote(fmt)}: skipped")
            continue
        if rtype.lower() != "compartment":
            raise NotSupportedError(f"{where}: {rtype} reports are not supported yet (report "
                                    f"{name}); compartment reports are")
        if "," in report_on:
            raise r.error(f"report {name}: a compartment report records one variable, found "
                          f"{quote(report_on)}", line)
        mech, _, var = report_on.partition(".")
        variable = mech if mech in ("v", "i_membrane") else f"{mech}.{var or 'i'}"
        if (gids < 0).any():
            raise r.error(f"report {name} lists a negative gid {int(gids.min())}", line)
        conf.reports.append(Report(
            name=name, variable=variable, gids=[int(g) for g in gids], sections=sections,
            compartments=compartments, dt=times[0], start=times[1], stop=times[2], unit=unit,
            where=where))
    if len({rep.name for rep in conf.reports}) != len(conf.reports):
        raise r.error("two reports have the same name (one file each)")
    # spike populations: a count and "name offset" lines, or one line "All" (old format)
    if r.at_end():
        return conf
    fields = r.text_line("the spike populations")
    populations: list[tuple[str, int]] = []
    if fields[0][:1].isdigit() and len(fields) == 1:
        npop = int(_number(r, fields[0], "the number of spike populations", int))
        for _ in range(npop):
            pop = r.text_line("a spike population 'name offset'")
            if len(pop) != 2:
                raise r.error(f"expected a spike population 'name offset', found "
                              f"{quote(' '.join(pop))}")
            offset = int(_number(r, pop[1], "a population offset", int))
            if offset < 0:
                raise r.error(f"population {pop[0]} has a negative offset {offset}")
            populations.append((pop[0], offset))
    else:
        populations.append((fields[0], int(_number(r, fields[1], "a population offset", int))
                            if len(fields) > 1 else 0))
    if populations:
        conf.populations = populations
    if not r.at_end():
        name = r.text_line("the spike file's name")
        if len(name) != 1 or "/" in name[0]:
            raise r.error(f"expected the spike file's name, found {quote(' '.join(name))}")
        conf.spikes_file = name[0]
    conf.zero_based_gids = "LIBSONATA_ZERO_BASED_GIDS" in os.environ
    return conf


def write_report_conf(path: str | os.PathLike[str], reports: Sequence[Report],
                      populations: Sequence[tuple[str, int]] = (("All", 0),),
                      spikes_file: str = "out") -> None:
    """A report.conf as neurodamus writes it (for tests and for special-core)."""
    with open(path, "wb") as out:
        out.write(f"{len(reports)}\n".encode())
        for rep in reports:
            gids = np.asarray(rep.gids or [], dtype=np.int32)
            mech, _, var = rep.variable.partition(".")
            on = rep.variable if not var else f"{mech}.{var}"
            stop = rep.stop if math.isfinite(rep.stop) else 1e9
            out.write(f"{rep.name} Mosaic compartment {on} {rep.unit} SONATA "
                      f"{rep.sections.capitalize()} {rep.compartments.capitalize()} {rep.dt!r} "
                      f"{rep.start!r} {stop!r} {len(gids)} 8 None\n".encode())
            out.write(gids.astype(np.dtype("=i4")).tobytes() + b"\n")
        out.write(f"{len(populations)}\n".encode())
        for name, offset in populations:
            out.write(f"{name} {offset}\n".encode())
        out.write(f"{spikes_file}\n".encode())


__all__ = ["Report", "ReportConf", "read_report_conf", "write_report_conf", "SECTION_TYPES"]
