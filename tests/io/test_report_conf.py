"""The report.conf parser: CoreNEURON's format (report_configuration_parser.cpp, 9.0.2)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pycoreneuron.errors import NotSupportedError, UsageError
from pycoreneuron.io.report_conf import Report, read_report_conf, write_report_conf


def test_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIBSONATA_ZERO_BASED_GIDS", raising=False)
    conf = tmp_path / "report.conf"
    # gid 10 is 0x0a, a newline byte: the gids are binary, not text
    write_report_conf(conf, [Report("a", gids=[10, 2, 3], dt=0.5, start=1.0, stop=9.0),
                             Report("b", variable="hh.m", sections="dend",
                                    compartments="all", gids=[1])],
                      populations=[("A", 0), ("B", 100)], spikes_file="spikes")
    got = read_report_conf(conf)
    assert [r.name for r in got.reports] == ["a", "b"]
    assert got.reports[0].gids == [10, 2, 3] and got.reports[0].dt == 0.5
    assert (got.reports[0].start, got.reports[0].stop) == (1.0, 9.0)
    assert got.reports[1].variable == "hh.m" and got.reports[1].sections == "Dend"
    assert got.populations == [("A", 0), ("B", 100)] and got.spikes_file == "spikes"
    assert not got.zero_based_gids  # libsonatareport's default
    assert got.population_of(150) == ("B", 100) and got.node_id(150, 100) == 49
    monkeypatch.setenv("LIBSONATA_ZERO_BASED_GIDS", "1")
    assert read_report_conf(conf).zero_based_gids


def _one(line: str, gids: list[int], tail: bytes = b"1\nAll 0\nout\n") -> bytes:
    return (f"1\n{line} {len(gids)} 4 None\n".encode()
            + np.array(gids, np.int32).tobytes() + b"\n" + tail)


LINE = "r cells compartment v mV SONATA Soma Center 0.1 0 10"


def test_old_population_format_and_mechanism_current(tmp_path: Path) -> None:
    conf = tmp_path / "c"
    conf.write_bytes(_one(LINE.replace(" v ", " pas "), [1], b"All\nout\n"))
    got = read_report_conf(conf)
    assert got.populations == [("All", 0)] and got.reports[0].variable == "pas.i"


def test_other_format_is_skipped_other_types_refused(tmp_path: Path) -> None:
    conf = tmp_path / "c"
    conf.write_bytes(_one(LINE.replace("SONATA", "Bin"), [1]))
    got = read_report_conf(conf)
    assert got.reports == [] and "unknown format" in got.skipped[0]
    conf.write_bytes(_one(LINE.replace("compartment", "summation"), [1]))
    with pytest.raises(NotSupportedError, match=r"line 2: summation reports"):
        read_report_conf(conf)


@pytest.mark.parametrize("text, message", [
    (b"", "line 1: the file ends where the number of reports"),
    (b"x\n", "line 1: the number of reports must be a number"),
    (b"1\nr cells compartment v mV\n", "line 2: report 1 has 5 fields, expected 14"),
    (_one(LINE, [1, 2])[:-20], "line 3: the file ends inside the 2 binary gids"),
    (_one(LINE.replace("Center", "Middle"), [1]), "line 2: unknown compartments 'Middle'"),
    (_one(LINE.replace("0.1", "zero"), [1]), "line 2: dt must be a number"),
    (_one(LINE.replace("compartment", "soma"), [1]), "line 2: unknown report type 'soma'"),
])
def test_malformed_is_one_sentence_at_its_line(tmp_path: Path, text: bytes,
                                               message: str) -> None:
    conf = tmp_path / "report.conf"
    conf.write_bytes(text)
    with pytest.raises(UsageError) as err:
        read_report_conf(conf)
    assert str(err.value).startswith(str(conf)) and message in str(err.value)
    assert "\n" not in str(err.value)
