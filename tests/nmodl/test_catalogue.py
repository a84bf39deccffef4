"""pycoreneuron.mechanisms(): the contract the reader and the engine rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

import pycoreneuron
from pycoreneuron.errors import UsageError

REPO = Path(__file__).resolve().parents[2]
KEYS = {"name", "kind", "data_size", "dparam_size", "variables", "dparam", "ions",
        "currents", "has_initial", "has_breakpoint", "has_net_receive", "net_receive_args",
        "is_electrode_current", "is_artificial", "net_send", "watch", "builtin"}


def test_every_descriptor_has_the_contract_keys() -> None:
    mechs = pycoreneuron.mechanisms(mod=REPO / "examples" / "ringtest" / "mod")
    assert {d["name"] for d in mechs} >= {"pas", "hh", "ExpSyn", "NetStim", "HalfGap"}
    for d in mechs:
        assert KEYS <= set(d), d["name"]
        assert d["kind"] in ("density", "point_process", "artificial_cell")
        assert d["data_size"] == sum(k for _, k in d["variables"])
        assert d["dparam_size"] == len(d["dparam"])


def test_hh_ions_and_flags() -> None:
    hh = {d["name"]: d for d in pycoreneuron.mechanisms()}["hh"]
    assert [(i["name"], i["read"], i["write"]) for i in hh["ions"]] == [
        ("na", ["ena"], ["ina"]), ("k", ["ek"], ["ik"])]
    assert hh["currents"] == ["ina", "ik", "il"]
    assert hh["has_initial"] and hh["has_breakpoint"] and not hh["has_net_receive"]
    assert hh["dparam"][0] == ("ion_ena", "na_ion")


def test_netstim_flags() -> None:
    ns = {d["name"]: d for d in pycoreneuron.mechanisms()}["NetStim"]
    assert ns["is_artificial"] and ns["net_send"] and ns["net_receive_args"] == 1
    assert [s for _, s in ns["dparam"]] == ["area", "pntproc", "random", "netsend"]


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such folder"):
        pycoreneuron.mechanisms(mod=tmp_path / "nope")


def test_every_builtin_mod_file_goes_through_the_translator() -> None:
    from pycoreneuron.nmodl.catalogue import UNSUPPORTED_BUILTINS, builtin_mod_dir

    by_name = {d["name"]: d for d in pycoreneuron.mechanisms()}
    assert not UNSUPPORTED_BUILTINS
    assert len(by_name) == len(list(builtin_mod_dir().glob("*.mod")))
    ps = by_name["PatternStim"]  # VERBATIM; the layout NEURON 9.0.2 dumps
    assert (ps["kind"], ps["data_size"], ps["dparam_size"]) == ("artificial_cell", 3, 4)
    assert [s for _, s in ps["dparam"]] == ["area", "pntproc", "bbcorepointer", "netsend"]


def test_descriptor_cache_is_keyed_by_content_not_folder(tmp_path, monkeypatch) -> None:
    # Two copies of one MOD file (two installs, or a folder reached by two paths) share the
    # cached descriptor: the second is not parsed again, and each names its own file.
    from pycoreneuron.nmodl import catalogue

    monkeypatch.setenv("PYCORENEURON_CACHE", str(tmp_path / "cache"))
    text = (REPO / "mod" / "hh.mod").read_text()
    for sub in ("one", "two"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "hh.mod").write_text(text)
    first = catalogue.describe_file(tmp_path / "one" / "hh.mod")

    def no_parse(*args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(catalogue, "_descriptor", no_parse)
    second = catalogue.describe_file(tmp_path / "two" / "hh.mod")
    assert second["file"] == str(tmp_path / "two" / "hh.mod")
    assert {**second, "file": None} == {**first, "file": None}
    # a refused file keeps its refusal, with the path it was asked for
    bad = "NEURON { SUFFIX bad }\nASSIGNED { u }\nBREAKPOINT { LAG v BY u }\n"
    for sub in ("one", "two"):
        (tmp_path / sub / "bad.mod").write_text(bad)
    monkeypatch.undo()
    monkeypatch.setenv("PYCORENEURON_CACHE", str(tmp_path / "cache"))
    with pytest.raises(pycoreneuron.errors.NotSupportedError):
        catalogue.describe_file(tmp_path / "one" / "bad.mod")
    monkeypatch.setattr(catalogue, "_descriptor", no_parse)
    with pytest.raises(pycoreneuron.errors.NotSupportedError, match=str(tmp_path / "two")):
        catalogue.describe_file(tmp_path / "two" / "bad.mod")
