"""SONATA reports and spikes (--report-conf, simulate(reports=...)) against NEURON.

The references are NEURON's own: tests/report_model.py builds two cells in NEURON, dumps them
(with and without the section mapping) and records every segment's v, m_hh and ina with
Vector.record at every step, and its spikes. Our files are read back with h5py and, when it
is installed, libsonata (the reader BBP's tools use).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import pycoreneuron
from pycoreneuron.cli import main as cli_main
from pycoreneuron.io.phase3 import section_nodes, segment_node
from pycoreneuron.io.report_conf import Report, ReportConf, write_report_conf

from .conftest import _digest, _publish

h5py = pytest.importorskip("h5py")
MODEL = Path(__file__).with_name("report_model.py")
TSTOP = 20.0


@pytest.fixture(scope="module")
def model(cache_root: Path) -> dict:
    """NEURON's datasets and recordings of tests/report_model.py, built once and cached."""
    pytest.importorskip("neuron", reason="NEURON is the reference: pip install .[test]")
    folder = cache_root / "reports" / _digest(MODEL.read_bytes(), repr(TSTOP).encode())
    if not (folder / "ref.json").exists():
        scratch = folder.with_name(f"{folder.name}.tmp")
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        run = subprocess.run([sys.executable, str(MODEL), repr(TSTOP)], cwd=scratch,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        line = next(x for x in run.stdout.splitlines() if x.startswith("JSON"))
        (scratch / "ref.json").write_text(line[4:])
        _publish(scratch, folder)
    ref = json.loads((folder / "ref.json").read_text())
    ref["folder"] = folder
    return ref


def trace(ref: dict, gid: int, sec: int, x: float, var: str) -> np.ndarray:
    return np.array(ref["traces"][f"{gid}:{sec}:{x:.6f}"][var])


def read_report(path: Path) -> dict:
    with h5py.File(path, "r") as f:
        (pop,) = list(f["report"])
        g = f[f"report/{pop}"]
        return {"population": pop, "data": g["data"][:], "units": g["data"].attrs["units"],
                "node_ids": g["mapping/node_ids"][:],
                "index_pointers": g["mapping/index_pointers"][:],
                "element_ids": g["mapping/element_ids"][:], "time": g["mapping/time"][:],
                "time_units": g["mapping/time"].attrs["units"],
                "dtypes": (g["data"].dtype, g["mapping/node_ids"].dtype,
                           g["mapping/index_pointers"].dtype, g["mapping/element_ids"].dtype)}


DEND_X = (1 / 6, 0.5, 5 / 6)


def test_reports_equal_neurons_recordings(model: dict, tmp_path: Path) -> None:
    """Soma v (centre segment), every dend segment's v, and m_hh over all sections from 5 to
    15 ms every 0.5 ms: NEURON's values (as float32) at the same steps, in libsonata's
    layout."""
    reports = [Report("soma"), Report("dend", sections="dend", compartments="all", gids=[2]),
               Report("m", variable="m_hh", sections="all", compartments="all", dt=0.5,
                      start=5.0, stop=15.0, unit="1"),
               Report("ina", variable="na_ion.ina", sections="soma", gids=[2, 1], unit="mA/cm2")]
    pycoreneuron.simulate(model["folder"] / "coredat", TSTOP, reports=reports,
                          report_dir=tmp_path, threads=2)
    dt = model["dt"]
    soma = read_report(tmp_path / "soma.h5")
    assert soma["dtypes"] == (np.float32, np.uint64, np.uint64, np.uint32)
    assert soma["units"] == "mV" and soma["time_units"] == "ms"
    assert soma["node_ids"].tolist() == [1, 2]  # the Python API: node id = gid - offset
    assert soma["index_pointers"].tolist() == [0, 1, 2]
    assert soma["element_ids"].tolist() == [0, 0]
    assert soma["time"].tolist() == [0.0, TSTOP, 0.1]
    every = round(0.1 / dt)
    assert soma["data"].shape == (200, 2)
    for col, gid in enumerate((1, 2)):
        want = trace(model, gid, 0, 0.5, "v")[: 200 * every : every]
        np.testing.assert_array_equal(soma["data"][:, col], want.astype(np.float32))
    assert soma["data"].max() > 0  # both cells fire: the run is not trivial

    dend = read_report(tmp_path / "dend.h5")
    assert dend["node_ids"].tolist() == [2] and dend["element_ids"].tolist() == [1, 1, 1]
    for col, x in enumerate(DEND_X):
        want = trace(model, 2, 1, x, "v")[: 200 * every : every]
        np.testing.assert_array_equal(dend["data"][:, col], want.astype(np.float32))

    m = read_report(tmp_path / "m.h5")
    assert m["time"].tolist() == [5.0, 15.0, 0.5] and m["data"].shape == (20, 8)
    assert m["index_pointers"].tolist() == [0, 4, 8] and m["units"] == "1"
    steps = np.arange(20) * round(0.5 / dt) + round(5.0 / dt)
    for c, (gid, sec, x) in enumerate([(g, s, x) for g in (1, 2)
                                       for s, x in [(0, 0.5)] + [(1, x) for x in DEND_X]]):
        want = trace(model, gid, sec, x, "m_hh")[steps]
        np.testing.assert_array_equal(m["data"][:, c], want.astype(np.float32))

    ina = read_report(tmp_path / "ina.h5")
    assert ina["node_ids"].tolist() == [1, 2]  # ascending, whatever the order asked
    for col, gid in enumerate((1, 2)):
        want = trace(model, gid, 0, 0.5, "ina")[: 200 * every : every]
        np.testing.assert_array_equal(ina["data"][:, col], want.astype(np.float32))


def test_report_conf_cli_spikes_and_libsonata(model: dict, tmp_path: Path) -> None:
    """pycoreneuron-run --report-conf: spikes.h5 holds NEURON's spikes (node id = gid - 1, as
    libsonatareport numbers neurodamus's gids), the report NEURON's soma v; libsonata reads
    both."""
    conf = tmp_path / "report.conf"
    write_report_conf(conf, [Report("soma_v", gids=[1, 2], dt=0.1, stop=TSTOP)],
                      spikes_file="spikes")
    out = tmp_path / "out"
    assert cli_main(["-e", repr(TSTOP), "-d", str(model["folder"] / "coredat"),
                     "--report-conf", str(conf), "-o", str(out), "--verbose", "0"]) == 0
    with h5py.File(out / "spikes.h5", "r") as f:
        pop = f["spikes/All"]
        assert h5py.check_enum_dtype(pop.attrs.get_id("sorting").dtype) == \
            {"none": 0, "by_id": 1, "by_time": 2}
        assert pop.attrs["sorting"] == 2
        assert pop["timestamps"].dtype == np.float64 and pop["node_ids"].dtype == np.uint64
        assert pop["timestamps"].attrs["units"] == "ms"
        ours = sorted(zip(pop["timestamps"][:].tolist(), (pop["node_ids"][:] + 1).tolist(),
                          strict=True))
    neuron = sorted((t, g) for t, g in model["spikes"])
    assert len(ours) == len(neuron) > 2
    np.testing.assert_allclose([t for t, _ in ours], [t for t, _ in neuron], rtol=0, atol=1e-9)
    assert [g for _, g in ours] == [g for _, g in neuron]
    soma = read_report(out / "soma_v.h5")
    assert soma["node_ids"].tolist() == [0, 1]
    libsonata = pytest.importorskip("libsonata")
    spikes = libsonata.SpikeReader(str(out / "spikes.h5"))["All"]
    assert spikes.sorting == "by_time" and len(spikes.get()) == len(neuron)
    report = libsonata.ElementReportReader(str(out / "soma_v.h5"))["All"]
    assert report.times == (0.0, TSTOP, 0.1) and report.data_units == "mV"
    frame = report.get(node_ids=[1], tstart=0.0, tstop=TSTOP)
    every = round(0.1 / model["dt"])
    want = trace(model, 2, 0, 0.5, "v")[: 200 * every : every].astype(np.float32)
    np.testing.assert_array_equal(np.asarray(frame.data)[:, 0], want[: len(frame.data)])


def test_soma_report_without_mapping_is_the_spike_source(model: dict, tmp_path: Path) -> None:
    """Without the section mapping a soma report records each cell's spike-source node (here
    soma(0.5), NEURON's values); other section lists are refused in one sentence."""
    data = model["folder"] / "coredat_nomap"
    pycoreneuron.simulate(data, 5.0, reports=[Report("s", gids=[2])], report_dir=tmp_path)
    soma = read_report(tmp_path / "s.h5")
    every = round(0.1 / model["dt"])
    want = trace(model, 2, 0, 0.5, "v")[: 50 * every : every].astype(np.float32)
    np.testing.assert_array_equal(soma["data"][:, 0], want)
    with pytest.raises(pycoreneuron.UsageError, match="no section mapping"):
        pycoreneuron.simulate(data, 5.0, reports=[Report("d", sections="dend")],
                              report_dir=tmp_path / "d")
    assert not (tmp_path / "d").exists()


def test_section_helpers_give_neurons_node_indices(model: dict) -> None:
    """sec(x) -> node from the mapping equals NEURON's seg.node_index()."""
    mapping = pycoreneuron.read_dataset(model["folder"] / "coredat").mapping
    for gid in (1, 2):
        assert segment_node(mapping, gid, "soma", 0.5) == model["nodes"][f"{gid}:0:0.500000"]
        for x in DEND_X:
            assert segment_node(mapping, gid, "dend[0]", x) == \
                model["nodes"][f"{gid}:1:{x:.6f}"]
        (sec, nodes), = section_nodes(mapping, gid, "dend")
        assert sec == 1 and len(nodes) == 3
    with pytest.raises(pycoreneuron.UsageError, match="dend"):
        segment_node(mapping, 1, "dend[1]", 0.5)


@pytest.mark.parametrize("case, message", [
    ("truncated", "line 3: the file ends inside"),
    ("variable", "unknown variable 'nope.x'"),
    ("gid", "names gid 7, not a cell"),
    ("section", "unknown section type 'Spine'"),
])
def test_bad_report_conf_is_one_line(model: dict, tmp_path: Path, case: str, message: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A bad report.conf: one sentence with the file (and line), exit 2, nothing written."""
    conf = tmp_path / "report.conf"
    rep = Report("r", gids=[1, 2])
    if case == "variable":
        rep = Report("r", variable="nope.x", gids=[1])
    elif case == "gid":
        rep = Report("r", gids=[1, 7])
    write_report_conf(conf, [rep])
    text = conf.read_bytes()
    if case == "truncated":
        text = text[: text.index(b"None\n") + 9]
    elif case == "section":
        text = text.replace(b" Soma ", b" Spine ")
    conf.write_bytes(text)
    out = tmp_path / "out"
    code = cli_main(["-e", "5", "-d", str(model["folder"] / "coredat"), "--report-conf",
                     str(conf), "-o", str(out), "--verbose", "0"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, err
    assert message in err[0] and (case in ("variable", "gid") or str(conf) in err[0]), err[0]
    assert "Traceback" not in err[0] and not out.exists()


def test_without_h5py_one_line(model: dict, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "h5py", None)  # import h5py now fails
    with pytest.raises(pycoreneuron.UsageError, match=r"h5py: pip install"):
        pycoreneuron.simulate(model["folder"] / "coredat", 1.0,
                              reports=ReportConf(reports=[], spikes_file="spikes"),
                              report_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_spikes_equal_special_core_out_dat(ringtest_data, special_core: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The same report.conf given to special-core (the wheel's is built without libsonata:
    it warns that reporting is disabled and writes out.dat only) and to us: our spikes.h5
    holds special-core's out.dat, in the population split the file asks for."""
    data = ringtest_data("secmapping") / "coredat"
    conf = tmp_path / "report.conf"
    write_report_conf(conf, [Report("soma", gids=list(range(1, 9)), dt=0.5)],
                      populations=[("A", 0), ("B", 64)], spikes_file="out")
    core = tmp_path / "core"
    run = subprocess.run([str(special_core), "-e", "50", "-d", str(data), "--report-conf",
                          str(conf), "-o", str(core)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Reporting is disabled" in run.stdout + run.stderr  # the wheel's special-core
    ours = tmp_path / "ours"
    env_ok = cli_main(["-e", "50", "-d", str(data), "--report-conf", str(conf), "-o",
                       str(ours), "--verbose", "0"])
    assert env_ok == 2  # gid 0: no 1-based SONATA node id, as libsonatareport refuses it
    monkeypatch.setenv("LIBSONATA_ZERO_BASED_GIDS", "1")
    assert cli_main(["-e", "50", "-d", str(data), "--report-conf", str(conf), "-o",
                     str(ours), "--verbose", "0"]) == 0
    core_spikes = sorted((float(t), int(g)) for t, g in
                         (line.split() for line in (core / "out.dat").read_text().splitlines()))
    got = []
    with h5py.File(ours / "out.h5", "r") as f:
        assert sorted(f["spikes"]) == ["A", "B"]
        for name, offset in (("A", 0), ("B", 64)):
            pop = f[f"spikes/{name}"]
            got += list(zip(pop["timestamps"][:].tolist(),
                            (pop["node_ids"][:] + offset).tolist(), strict=True))
    assert len(core_spikes) > 10
    assert [f"{t:.8g} {g}" for t, g in sorted(got)] == \
        [f"{t:.8g} {g}" for t, g in core_spikes]


@pytest.mark.mpi
def test_reports_on_two_ranks_equal_one_process(ringtest_data, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A report.conf run on 2 MPI ranks (a dataset NEURON wrote on 2 ranks: each rank holds
    its cells) writes the same spikes.h5 and report, value for value, as one process."""
    from .test_parallel import RINGTEST_MOD, mpi_run

    data = ringtest_data("mpi2") / "coredat"
    conf = tmp_path / "report.conf"
    write_report_conf(conf, [Report("soma", gids=list(range(0, 16)), dt=0.5)],
                      spikes_file="spikes")
    command = [sys.executable, "-m", "pycoreneuron", "-e", "30", "-d", str(data), "--mod",
               str(RINGTEST_MOD), "--report-conf", str(conf), "--verbose", "0"]
    monkeypatch.setenv("LIBSONATA_ZERO_BASED_GIDS", "1")  # the ringtest's gids start at 0
    one = subprocess.run([*command, "-o", str(tmp_path / "one")], capture_output=True,
                         text=True, timeout=600)
    two = mpi_run(2, [*command, "-mpi", "-o", str(tmp_path / "two")])
    assert one.returncode == 0, one.stderr
    assert two.returncode == 0, two.stdout + two.stderr
    a, b = read_report(tmp_path / "one" / "soma.h5"), read_report(tmp_path / "two" / "soma.h5")
    assert a["data"].shape[0] > 10 and a["data"].shape[1] == 16
    for key in ("data", "node_ids", "index_pointers", "element_ids", "time"):
        assert np.array_equal(a[key], b[key]), key
    with h5py.File(tmp_path / "one" / "spikes.h5", "r") as f, \
            h5py.File(tmp_path / "two" / "spikes.h5", "r") as g:
        assert len(f["spikes/All/timestamps"]) > 10
        for key in ("timestamps", "node_ids"):
            assert np.array_equal(f[f"spikes/All/{key}"][:], g[f"spikes/All/{key}"][:])
