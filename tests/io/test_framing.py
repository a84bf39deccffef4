"""The framing and the text files, on hand-made bytes and on the shipped example dataset (no
NEURON needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pycoreneuron import DatasetError
from pycoreneuron.io.files_dat import read_files_dat
from pycoreneuron.io.globals_dat import read_globals_dat
from pycoreneuron.io.mech_dat import read_mech_dat
from pycoreneuron.io.phase1 import read_phase1
from pycoreneuron.io.text import FileCursor, aligned_zeros, distinct, padded

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ringtest" / "coredat"


def write(tmp_path: Path, data: bytes) -> Path:
    p = tmp_path / "f.dat"
    p.write_bytes(data)
    return p


def test_cursor_reads_framed_arrays(tmp_path):
    ints = np.arange(5, dtype="<i4")
    dbls = np.linspace(0, 1, 3)
    p = write(tmp_path, b"1.8\n5 n\n   3\nchkpnt 0\n" + ints.tobytes() + b"chkpnt 1\n"
              + dbls.tobytes())
    with FileCursor(p) as f:
        f.version()
        assert f.int("n") == 5 and f.int("m") == 3
        out = aligned_zeros(padded(5), np.int32)
        f.array(np.int32, 5, "ints", out=out)
        assert out.ctypes.data % 64 == 0 and list(out) == [0, 1, 2, 3, 4, 0, 0, 0]
        np.testing.assert_array_equal(f.array(np.float64, 3, "doubles"), dbls)
        f.expect_eof("doubles")


@pytest.mark.parametrize(("data", "message"), [
    (b"1.7\n", "incompatible data version '1.7'"),
    (b"1.8\n", "file ends where n was expected"),
    (b"1.8\n12", "file ends inside the line holding n"),
    (b"1.8\nx\n", "expected n \\(an integer\\), found 'x'"),
    (b"1.8\n-1\n", "n must be >= 0, found -1"),
    (b"1.8\n99999999999\n", "does not fit a 32-bit integer"),
])
def test_cursor_errors(tmp_path, data, message):
    p = write(tmp_path, data)
    with pytest.raises(DatasetError, match=message), FileCursor(p) as f:
        f.version()
        f.int("n", minimum=0)


@pytest.mark.parametrize(("data", "message"), [
    (b"chkpnt 1\n\0\0\0\0", "'chkpnt 1' before ints, expected 'chkpnt 0'"),
    (b"chkpt 0\n\0\0\0\0", "expected 'chkpnt 0' before ints"),
    (b"chkpnt 0\n\0\0", "needs 4 bytes but only 2 remain"),
])
def test_cursor_array_errors(tmp_path, data, message):
    p = write(tmp_path, data)
    with pytest.raises(DatasetError, match=message), FileCursor(p) as f:
        f.array(np.int32, 1, "ints")


def test_cursor_names_the_file_and_offset(tmp_path):
    p = write(tmp_path, b"1.8\nchkpnt 3\n")
    with pytest.raises(DatasetError) as info, FileCursor(p) as f:
        f.version()
        f.array(np.int32, 1, "ints")
    assert str(info.value).startswith(f"{p} at byte 4:")


def test_missing_file(tmp_path):
    with pytest.raises(DatasetError, match="file not found"):
        FileCursor(tmp_path / "nope.dat")


def test_distinct():
    assert list(distinct(np.array([3, 1, 3, 2, 1]))) == [1, 2, 3]
    assert len(distinct(np.zeros(0, np.int32))) == 0


def test_files_dat_gap_flag_and_rank_split(tmp_path):
    p = tmp_path / "files.dat"
    p.write_text("1.8\n-1\n         4\n0\n8\n1\n9\n")
    fd = read_files_dat(p)
    assert fd.has_gaps and fd.entries == (0, 8, 1, 9)
    assert fd.groups_for_rank(0, 2) == [0, 1] and fd.groups_for_rank(1, 2) == [8, 9]
    p.write_text("1.8\n         3\n5\n-1\n7\n")
    fd = read_files_dat(p)
    assert not fd.has_gaps and fd.groups_for_rank(0, 1) == [5]
    assert fd.groups_for_rank(0, 2) == [5, 7] and fd.groups_for_rank(1, 2) == []
    p.write_text("1.8\n         1\n5\n6\n")
    with pytest.raises(DatasetError, match="more group ids than the count 1"):
        read_files_dat(p)


def test_globals_arrays_and_tail(tmp_path):
    p = tmp_path / "globals.dat"
    p.write_text("1.8\ncelsius 6.2999999999999998224\ndt 0.025000000000000001388\n"
                 "gtab_zoo[3]\n1\n2\n3\n0 0\nsecondorder 2\nRandom123_globalindex 7\n")
    g = read_globals_dat(p)
    assert g.get("celsius") == 6.3 and g.get("dt") == 0.025
    assert list(g.arrays["gtab_zoo"]) == [1, 2, 3]
    assert g.secondorder == 2 and g.random123_globalindex == 7
    p.write_text("1.8\ncelsius 6.3\n")
    with pytest.raises(DatasetError, match="before the closing '0 0'"):
        read_globals_dat(p)


def test_mech_dat_checks(tmp_path):
    p = tmp_path / "bbcore_mech.dat"
    p.write_text("1.8\n4\nmorphology 2 0 0 0 1 0 1 1\ncapacitance 3 0 0 0 2 0 2 1 1\n")
    t = read_mech_dat(p)
    assert t.get(3).name == "capacitance" and t.get(3).dims == (1, 1) and t.get(1) is None
    p.write_text("1.8\n4\nmorphology 2 0 0 0 1 0 1 1\ncapacitance 3 0 0 0 3 0 2 1 1\n")
    with pytest.raises(DatasetError, match="dimensions of capacitance sum to 2, not to its data"):
        read_mech_dat(p)
    p.write_text("1.8\n3\nna_ion 2 0 0 1 5 1 5 1 1 1 1 1\n")
    with pytest.raises(DatasetError, match="file ends where the charge of ion na_ion"):
        read_mech_dat(p)


@pytest.mark.skipif(not (EXAMPLE / "files.dat").exists(), reason="no example dataset")
def test_example_dataset_text_files_and_phase1():
    fd = read_files_dat(EXAMPLE / "files.dat")
    table = read_mech_dat(EXAMPLE / "bbcore_mech.dat")
    names = table.by_name()
    assert names["hh"].psize == sum(names["hh"].dims)
    assert names["na_ion"].is_ion and names["na_ion"].charge == 1
    assert read_globals_dat(EXAMPLE / "globals.dat").get("celsius") is not None
    for gid in fd.groups_for_rank():
        p1 = read_phase1(EXAMPLE / f"{gid}_1.dat")
        assert p1.chkpnt == 2 and len(p1.output_gid) > 0
