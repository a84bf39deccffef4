"""Bad input: each corrupted copy of a real dataset gives one clear DatasetError naming the file
and what is wrong, never a crash. The copies are made here, from a NEURON-written dataset."""

from __future__ import annotations

import re
import shutil
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import pycoreneuron
from pycoreneuron import DatasetError, NotSupportedError, PyCoreNeuronError

from .layout import array_offsets

pytestmark = pytest.mark.neuron


@pytest.fixture(scope="module")
def source(ringtest_data: Callable[[str], Path]) -> Path:
    return ringtest_data("default") / "coredat"


@pytest.fixture(scope="module")
def offsets(source: Path, neuron_mechanisms: dict[str, Any]) -> dict:
    return array_offsets(source, neuron_mechanisms)


@pytest.fixture
def ds(source: Path, tmp_path: Path) -> Path:
    """A fresh copy of the default ringtest dataset."""
    dest = tmp_path / "coredat"
    shutil.copytree(source, dest)
    return dest


def read(path: Path, mechanisms: dict[str, Any]) -> Any:
    return pycoreneuron.read_dataset(path, mechanisms=mechanisms)


def fails(path: Path, mechanisms: dict[str, Any], *fragments: str,
          error: type[PyCoreNeuronError] = DatasetError) -> str:
    """Reading fails with ``error``, one line, naming every fragment (a regex)."""
    with pytest.raises(error) as info:
        read(path, mechanisms)
    msg = str(info.value)
    assert "\n" not in msg
    for frag in fragments:
        assert re.search(frag, msg), (frag, msg)
    return msg


def poke(path: Path, offset: int, data: bytes) -> None:
    raw = bytearray(path.read_bytes())
    raw[offset:offset + len(data)] = data
    path.write_bytes(bytes(raw))


def replace_line(path: Path, old: bytes, new: bytes) -> None:
    raw = path.read_bytes()
    assert old in raw
    path.write_bytes(raw.replace(old, new, 1))


def i32_at(offsets: dict, what: str, index: int, file: str = "0_2.dat") -> int:
    return offsets[(file, what)][0] + 4 * index


def f64_at(offsets: dict, what: str, index: int, file: str = "0_2.dat") -> int:
    return offsets[(file, what)][0] + 8 * index


def test_the_copy_reads(ds, neuron_mechanisms):
    read(ds, neuron_mechanisms)


def test_missing_directory(tmp_path, neuron_mechanisms):
    fails(tmp_path / "nowhere", neuron_mechanisms, "nowhere", "does not exist")


def test_not_a_directory(ds, neuron_mechanisms):
    fails(ds / "files.dat", neuron_mechanisms, "files.dat", "not a directory")


@pytest.mark.parametrize("name", ["files.dat", "bbcore_mech.dat", "globals.dat", "0_1.dat",
                                  "0_2.dat"])
def test_missing_file(ds, neuron_mechanisms, name):
    (ds / name).unlink()
    fails(ds, neuron_mechanisms, re.escape(name), "not found")


@pytest.mark.parametrize("name", ["files.dat", "bbcore_mech.dat", "globals.dat", "0_1.dat",
                                  "0_2.dat"])
@pytest.mark.parametrize("version", ["1.7", "1.9", "2.0"])
def test_wrong_or_future_version(ds, neuron_mechanisms, name, version):
    replace_line(ds / name, b"1.8\n", version.encode() + b"\n")
    fails(ds, neuron_mechanisms, re.escape(name), "version", re.escape(version), "1.8")


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
@pytest.mark.parametrize("name", ["0_1.dat", "0_2.dat"])
def test_truncated_group_file(ds, neuron_mechanisms, name, keep):
    raw = (ds / name).read_bytes()
    (ds / name).write_bytes(raw[: int(len(raw) * keep)])
    fails(ds, neuron_mechanisms, re.escape(name), "(ends|remain|truncated)")


@pytest.mark.parametrize("name", ["files.dat", "bbcore_mech.dat", "globals.dat"])
def test_truncated_text_file(ds, neuron_mechanisms, name):
    raw = (ds / name).read_bytes()
    (ds / name).write_bytes(raw[: len(raw) // 2])
    fails(ds, neuron_mechanisms, re.escape(name))


def test_trailing_bytes(ds, neuron_mechanisms):
    with open(ds / "0_2.dat", "ab") as f:
        f.write(b"\0" * 8)
    fails(ds, neuron_mechanisms, "0_2.dat", "8 unexpected bytes")


def test_wrong_chkpnt(ds, neuron_mechanisms):
    replace_line(ds / "0_2.dat", b"chkpnt 5\n", b"chkpnt 6\n")
    fails(ds, neuron_mechanisms, "0_2.dat", "chkpnt 6", "expected 'chkpnt 5'")


def test_count_overruns_file(ds, neuron_mechanisms):
    raw = (ds / "0_2.dat").read_bytes()
    nnode = int(re.search(rb"\n(\d+) nnode\n", raw).group(1))
    replace_line(ds / "0_2.dat", b"%d nnode\n" % nnode, b"%d nnode\n" % (nnode * 1000))
    fails(ds, neuron_mechanisms, "0_2.dat", "need(s| at least) \\d+ bytes but only \\d+ remain")


def test_negative_count(ds, neuron_mechanisms):
    raw = (ds / "0_1.dat").read_bytes()
    n = re.search(rb"\n(\d+) nnetcon\n", raw).group(1)
    replace_line(ds / "0_1.dat", n + b" nnetcon", b"-" + n + b" nnetcon")
    fails(ds, neuron_mechanisms, "0_1.dat", "n_netcon must be >= 0")


def test_not_an_integer(ds, neuron_mechanisms):
    raw = (ds / "0_2.dat").read_bytes()
    n = re.search(rb"\n(\d+) nmech\n", raw).group(1)
    replace_line(ds / "0_2.dat", n + b" nmech", b"seven nmech")
    fails(ds, neuron_mechanisms, "0_2.dat", "expected nmech \\(an integer\\)", "seven")


def test_parent_not_a_tree(ds, neuron_mechanisms, offsets):
    g = read(ds, neuron_mechanisms).groups[0]
    node = g.n_real_cell + 5
    poke(ds / "0_2.dat", i32_at(offsets, "v_parent_index", node), struct.pack("<i", node))
    fails(ds, neuron_mechanisms, "0_2.dat", f"node {node} has parent {node}", "not a tree")


def test_parent_out_of_range(ds, neuron_mechanisms, offsets):
    g = read(ds, neuron_mechanisms).groups[0]
    poke(ds / "0_2.dat", i32_at(offsets, "v_parent_index", g.nnode - 1), struct.pack("<i", -7))
    fails(ds, neuron_mechanisms, "0_2.dat", "parent -7", "not a tree")


def test_node_index_out_of_range(ds, neuron_mechanisms, offsets):
    g = read(ds, neuron_mechanisms).groups[0]
    hh = g.mechanism("hh")
    poke(ds / "0_2.dat", i32_at(offsets, "the node indices of hh", hh.n - 1),
         struct.pack("<i", g.nnode))
    fails(ds, neuron_mechanisms, "0_2.dat", f"hh instance {hh.n - 1} is on node {g.nnode}",
          "outside")


def test_node_indices_not_ascending(ds, neuron_mechanisms, offsets):
    poke(ds / "0_2.dat", i32_at(offsets, "the node indices of pas", 3), struct.pack("<i", 0))
    fails(ds, neuron_mechanisms, "0_2.dat", "node indices of pas decrease")


@pytest.mark.parametrize("name", ["v", "area", "a", "b"])
def test_nan_node_value(ds, neuron_mechanisms, offsets, name):
    poke(ds / "0_2.dat", f64_at(offsets, name, 7), struct.pack("<d", float("nan")))
    fails(ds, neuron_mechanisms, "0_2.dat", f"{name} of node 7 is nan")


def test_nan_mechanism_data(ds, neuron_mechanisms, offsets):
    poke(ds / "0_2.dat", f64_at(offsets, "the data of hh", 25 * 2 + 3),
         struct.pack("<d", float("nan")))
    fails(ds, neuron_mechanisms, "0_2.dat", "hh instance 2 has NaN in column 3 \\(el\\)")


def test_nan_threshold_and_delay(ds, source, neuron_mechanisms, offsets):
    poke(ds / "0_2.dat", f64_at(offsets, "delays", 1), struct.pack("<d", float("inf")))
    fails(ds, neuron_mechanisms, "0_2.dat", "delay of NetCon 1")
    shutil.copyfile(source / "0_2.dat", ds / "0_2.dat")
    poke(ds / "0_2.dat", f64_at(offsets, "output_threshold", 0), struct.pack("<d", float("nan")))
    fails(ds, neuron_mechanisms, "0_2.dat", "threshold of spike source 0")


def test_ion_index_out_of_range(ds, neuron_mechanisms, offsets):
    g = read(ds, neuron_mechanisms).groups[0]
    na = g.mechanism("na_ion")
    poke(ds / "0_2.dat", i32_at(offsets, "the dparams of hh", 0),
         struct.pack("<i", na.n * na.psize))
    fails(ds, neuron_mechanisms, "0_2.dat", "dparam 0 \\(na_ion\\) of hh instance 0",
          "outside the na_ion data index range")


def test_ion_on_another_node(ds, neuron_mechanisms, offsets):
    poke(ds / "0_2.dat", i32_at(offsets, "the dparams of hh", 0), struct.pack("<i", 5))
    fails(ds, neuron_mechanisms, "0_2.dat", "hh instance 0", "na_ion instance 1",
          "same node")


def test_vdata_slot_out_of_range(ds, neuron_mechanisms, offsets):
    g = read(ds, neuron_mechanisms).groups[0]
    poke(ds / "0_2.dat", i32_at(offsets, "the dparams of ExpSyn", 1),
         struct.pack("<i", g.nvdata))
    fails(ds, neuron_mechanisms, "0_2.dat", "pntproc", "ExpSyn instance 0", "vdata slot")


def test_vdata_slot_twice(ds, neuron_mechanisms, offsets):
    poke(ds / "0_2.dat", i32_at(offsets, "the dparams of ExpSyn", 3), struct.pack("<i", 0))
    fails(ds, neuron_mechanisms, "0_2.dat", "vdata slot 0", "used twice")


def test_netcon_target_instance_out_of_range(ds, neuron_mechanisms, offsets):
    g = read(ds, neuron_mechanisms).groups[0]
    syn = g.mechanism("ExpSyn")
    poke(ds / "0_2.dat", i32_at(offsets, "netcon_pntindex", 4), struct.pack("<i", syn.n))
    fails(ds, neuron_mechanisms, "0_2.dat", f"NetCon 4 targets ExpSyn instance {syn.n}")


def test_netcon_target_type_absent(ds, neuron_mechanisms, offsets):
    poke(ds / "0_2.dat", i32_at(offsets, "netcon_pnttype", 2), struct.pack("<i", 10))
    fails(ds, neuron_mechanisms, "0_2.dat", "NetCon 2 targets mechanism type 10")


def test_netcon_target_not_a_point_process(ds, neuron_mechanisms, offsets):
    g = read(ds, neuron_mechanisms).groups[0]
    poke(ds / "0_2.dat", i32_at(offsets, "netcon_pnttype", 2),
         struct.pack("<i", g.mechanism("hh").type))
    fails(ds, neuron_mechanisms, "0_2.dat", "NetCon 2 targets hh, which is not a point process")


def test_netcon_source_unknown(ds, neuron_mechanisms, offsets):
    poke(ds / "0_1.dat", i32_at(offsets, "netcon_srcgid", 0, "0_1.dat"),
         struct.pack("<i", -999))
    fails(ds, neuron_mechanisms, "0_1.dat", "NetCon 0 has source -999")


def test_spike_source_node_out_of_range(ds, neuron_mechanisms, offsets):
    g = read(ds, neuron_mechanisms).groups[0]
    poke(ds / "0_2.dat", i32_at(offsets, "output_vindex", 3), struct.pack("<i", g.nnode + 3))
    fails(ds, neuron_mechanisms, "0_2.dat", "voltage spike source 3 watches node")


def test_artificial_spike_source_out_of_range(ds, neuron_mechanisms, offsets):
    g = read(ds, neuron_mechanisms).groups[0]
    stim = g.mechanism("NetStim")
    k = g.n_presyn - 1
    poke(ds / "0_2.dat", i32_at(offsets, "output_vindex", k),
         struct.pack("<i", -(stim.type + 1000 * stim.n)))
    fails(ds, neuron_mechanisms, "0_2.dat", f"spike source {k} is NetStim instance {stim.n}")


def test_duplicate_output_gid(ds, neuron_mechanisms, offsets):
    poke(ds / "0_1.dat", i32_at(offsets, "output_gid", 1, "0_1.dat"), struct.pack("<i", 0))
    fails(ds, neuron_mechanisms, "0_1.dat", "gid 0 is already the output of this group")


def test_duplicated_group(ds, neuron_mechanisms):
    text = (ds / "files.dat").read_text().split("\n")
    count_line = next(i for i, t in enumerate(text) if t.strip() == "1")
    text[count_line] = f"{2:10d}"
    text.insert(count_line + 1, text[count_line + 1])
    (ds / "files.dat").write_text("\n".join(text))
    fails(ds, neuron_mechanisms, "files.dat", "group 0 is listed twice")


def test_mechanism_type_unknown(ds, neuron_mechanisms):
    raw = (ds / "0_2.dat").read_bytes()
    m = re.search(rb" nmech\n(\d+)\n", raw)
    replace_line(ds / "0_2.dat", b" nmech\n" + m.group(1) + b"\n", b" nmech\n999\n")
    fails(ds, neuron_mechanisms, "0_2.dat", "mechanism type 999 is not in bbcore_mech.dat")


def test_different_mod_file_sizes(ds, neuron_mechanisms):
    replace_line(ds / "bbcore_mech.dat", b"\nhh 17 0 0 0 25 6 25 ", b"\nhh 17 0 0 0 26 6 26 ")
    text = (ds / "bbcore_mech.dat").read_text()
    line = next(t for t in text.split("\n") if t.startswith("hh "))
    (ds / "bbcore_mech.dat").write_text(text.replace(line, line + " 1"))
    fails(ds, neuron_mechanisms, "hh is a different MOD file than the one used by NEURON",
          "26 doubles and 6 dparams", "has 25 and 6")


def test_different_mod_file_dparams(ds, neuron_mechanisms):
    mechs = dict(neuron_mechanisms)
    hh = dict(mechs["hh"])
    hh["dparam"] = hh["dparam"][:-1]
    hh["dparam_size"] = len(hh["dparam"])
    mechs["hh"] = hh
    fails(ds, mechs, "hh is a different MOD file", "6 dparams", "has 25 and 5")


def test_missing_mechanism_with_instances(ds, neuron_mechanisms):
    mechs = {k: v for k, v in neuron_mechanisms.items() if k != "hh"}
    fails(ds, mechs, "0_2.dat", "mechanism hh has \\d+ instances", "--mod DIR")


def test_listed_only_mechanism_may_be_missing(ds, neuron_mechanisms):
    # SEClamp, IClamp, Exp2Syn... are listed in bbcore_mech.dat with no instance here.
    mechs = {k: v for k, v in neuron_mechanisms.items()
             if k not in ("SEClamp", "IClamp", "Exp2Syn", "PatternStim")}
    assert read(ds, mechs).stats()["cells"] > 0


def test_no_mechanism_catalogue(ds, monkeypatch):
    monkeypatch.delattr(pycoreneuron, "mechanisms", raising=False)
    fails(ds, None, "mechanism \\w+ has \\d+ instances", "--mod DIR")


def test_bbcore_mech_type_out_of_order(ds, neuron_mechanisms):
    replace_line(ds / "bbcore_mech.dat", b"\npas 4 ", b"\npas 5 ")
    fails(ds, neuron_mechanisms, "bbcore_mech.dat", "pas has type 5 but is record number 4")


def test_globals_bad_value(ds, neuron_mechanisms):
    replace_line(ds / "globals.dat", b"\ndt ", b"\ndt x")
    fails(ds, neuron_mechanisms, "globals.dat", "dt")


def test_no_broadcast_source_not_supported(ds, neuron_mechanisms, offsets):
    poke(ds / "0_1.dat", i32_at(offsets, "output_gid", 0, "0_1.dat"), struct.pack("<i", -2))
    fails(ds, neuron_mechanisms, "0_1.dat", "pc.cell\\(gid, nc, 0\\)", error=NotSupportedError)


@pytest.fixture(scope="module")
def gap_source(ringtest_data: Callable[[str], Path]) -> Path:
    return ringtest_data("gap") / "coredat"


@pytest.fixture
def gap_ds(gap_source: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "gap"
    shutil.copytree(gap_source, dest)
    return dest


def test_gap_target_index_out_of_range(gap_ds, neuron_mechanisms):
    offs = array_offsets(gap_ds, neuron_mechanisms)
    poke(gap_ds / "0_gap.dat", i32_at(offs, "tar_index", 0, "0_gap.dat"),
         struct.pack("<i", 10**7))
    fails(gap_ds, neuron_mechanisms, "0_gap.dat", "gap target 0 has index 10000000")


def test_gap_source_node_out_of_range(gap_ds, neuron_mechanisms):
    offs = array_offsets(gap_ds, neuron_mechanisms)
    poke(gap_ds / "0_gap.dat", i32_at(offs, "src_index", 2, "0_gap.dat"),
         struct.pack("<i", -1))
    fails(gap_ds, neuron_mechanisms, "0_gap.dat", "gap source 2 is node -1")


def test_gap_target_without_source(gap_ds, neuron_mechanisms):
    offs = array_offsets(gap_ds, neuron_mechanisms)
    poke(gap_ds / "0_gap.dat", i32_at(offs, "tar_sid", 0, "0_gap.dat"),
         struct.pack("<i", 10**8))
    fails(gap_ds, neuron_mechanisms, "0_gap.dat", "target id 100000000 has no source")


def test_gap_truncated(gap_ds, neuron_mechanisms):
    raw = (gap_ds / "0_gap.dat").read_bytes()
    (gap_ds / "0_gap.dat").write_bytes(raw[:-10])
    fails(gap_ds, neuron_mechanisms, "0_gap.dat", "(ends|remain)")


@pytest.mark.parametrize("label", [b"nnode", b"nweight", b"nvdata"])
def test_huge_count_refused_before_allocating(ds, neuron_mechanisms, label):
    raw = (ds / "0_2.dat").read_bytes()
    n = re.search(rb"\n(\d+) " + label + rb"\n", raw).group(1)
    replace_line(ds / "0_2.dat", b"\n" + n + b" " + label + b"\n",
                 b"\n2147483647 " + label + b"\n")
    fails(ds, neuron_mechanisms, "0_2.dat", "(remain|nvdata)")


def test_huge_instance_count_refused_before_allocating(ds, neuron_mechanisms):
    raw = (ds / "0_2.dat").read_bytes()
    m = re.search(rb" nmech\n(\d+)\n(\d+)\n", raw)
    replace_line(ds / "0_2.dat", m.group(0),
                 b" nmech\n" + m.group(1) + b"\n2147483647\n")
    fails(ds, neuron_mechanisms, "0_2.dat", "remain")


def test_random_corruption_never_crashes(ds, neuron_mechanisms):
    """Seeded random damage (a byte, a 32-bit word, a cut, an insertion) to any file: the
    read succeeds or raises one pycoreneuron error of one line, never anything else."""
    import random

    rng = random.Random(20261125)
    names = sorted(p.name for p in ds.iterdir())
    originals = {n: (ds / n).read_bytes() for n in names}
    words = [b"\xff\xff\xff\xff", b"\x00\x00\x00\x80", b"\xff\xff\xff\x7f", b"\x00\x00\xf8\x7f"]
    for _ in range(300):
        name = rng.choice(names)
        raw = bytearray(originals[name])
        kind = rng.randrange(4)
        i = rng.randrange(len(raw))
        if kind == 0:
            raw[i] = rng.randrange(256)
        elif kind == 1:
            raw[i:i + 4] = rng.choice(words)
        elif kind == 2:
            del raw[i:]
        else:
            raw.insert(i, rng.randrange(256))
        (ds / name).write_bytes(bytes(raw))
        try:
            read(ds, neuron_mechanisms)
        except PyCoreNeuronError as exc:
            assert "\n" not in str(exc)
        finally:
            (ds / name).write_bytes(originals[name])


def test_message_points_at_the_bad_element(ds, neuron_mechanisms, offsets):
    at = f64_at(offsets, "area", 11)
    poke(ds / "0_2.dat", at, struct.pack("<d", float("nan")))
    msg = fails(ds, neuron_mechanisms, "area of node 11")
    assert f"at byte {at}:" in msg


def test_filesdat_elsewhere(ds, neuron_mechanisms, tmp_path):
    """-f/--filesdat: the list comes from another file; group files still from the directory."""
    other = tmp_path / "lists" / "mine.dat"
    other.parent.mkdir()
    other.write_bytes((ds / "files.dat").read_bytes())
    (ds / "files.dat").unlink()
    got = pycoreneuron.read_dataset(ds, filesdat=other, mechanisms=neuron_mechanisms)
    assert got.stats()["cells"] > 0
    fails(ds, neuron_mechanisms, "files.dat", "not found")
