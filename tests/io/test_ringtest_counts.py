"""The reader's counts equal CoreNEURON's (special-core --model-stats) on ringtest datasets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import pycoreneuron
from pycoreneuron import cli
from pycoreneuron.io import STAT_LABELS

from .conftest import parse_model_stats


def _our_mechanisms(mod: Path | None) -> list:
    """pycoreneuron.mechanisms(mod), or a skip while the translator cannot provide it."""
    if not hasattr(pycoreneuron, "mechanisms"):
        pytest.skip("pycoreneuron.mechanisms() does not exist yet (translator, issue 4)")
    try:
        return pycoreneuron.mechanisms(mod=mod)
    except pycoreneuron.PyCoreNeuronError as exc:
        pytest.skip(f"pycoreneuron.mechanisms() fails in this checkout: {exc}")


VARIANTS = ["default", "rparm", "gap", "secmapping", "nt2", "mpi2", "mpi2_gap",
            pytest.param("big", marks=pytest.mark.slow)]


@pytest.mark.neuron
@pytest.mark.parametrize("variant", VARIANTS)
def test_counts_equal_coreneuron(variant, ringtest_data, neuron_mechanisms,
                                 coreneuron_model_stats):
    coredat = ringtest_data(variant) / "coredat"
    ds = pycoreneuron.read_dataset(coredat, mechanisms=neuron_mechanisms)
    ref = coreneuron_model_stats(coredat)
    ours = ds.stats()
    assert {label: ours[key] for key, label in STAT_LABELS} == ref["stats"]
    assert {name: n for _, name, n, _ in ds.mechanism_counts()} == ref["mechanisms"]
    assert sum(g.nvdata for g in ds.groups) == ref["fields"]["_nvdata"]
    assert sum(len(g.weights) for g in ds.groups) == ref["fields"]["n_weight"]
    if variant == "secmapping":
        assert ds.mapping and sum(len(m.gid) for m in ds.mapping) == ours["cells"]


@pytest.mark.neuron
def test_cli_model_stats_prints_coreneuron_counts(ringtest_data, neuron_mechanisms,
                                                  coreneuron_model_stats, monkeypatch, capsys):
    # Until the translator provides pycoreneuron.mechanisms(), stand NEURON's layouts in for it.
    monkeypatch.setattr(pycoreneuron, "mechanisms",
                        lambda mod=None: list(neuron_mechanisms.values()), raising=False)
    coredat = ringtest_data("gap") / "coredat"
    assert cli.main(["-d", str(coredat), "--model-stats", "-e", "0"]) == 0
    ours = parse_model_stats(capsys.readouterr().out)
    ref = coreneuron_model_stats(coredat)
    assert ours["stats"] == ref["stats"]
    assert ours["mechanisms"] == ref["mechanisms"]


@pytest.mark.neuron
def test_cli_model_stats_bad_dataset_one_line_exit_2(ringtest_data, neuron_mechanisms,
                                                     tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(pycoreneuron, "mechanisms",
                        lambda mod=None: list(neuron_mechanisms.values()), raising=False)
    coredat = ringtest_data("default") / "coredat"
    bad = tmp_path / "coredat"
    bad.mkdir()
    for f in coredat.iterdir():
        (bad / f.name).write_bytes(f.read_bytes())
    (bad / "0_2.dat").write_bytes((coredat / "0_2.dat").read_bytes()[:5000])
    assert cli.main(["-d", str(bad), "--model-stats"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "0_2.dat" in err and "Traceback" not in err


@pytest.mark.neuron
def test_field_major_layout_matches_the_file(ringtest_data, neuron_mechanisms):
    """Every mechanism's field-major data equals the instance-major rows of the file, read
    independently here with plain np.frombuffer at the offsets the reader reported."""
    from .layout import array_offsets

    coredat = ringtest_data("default") / "coredat"
    ds = pycoreneuron.read_dataset(coredat, mechanisms=neuron_mechanisms)
    offsets = array_offsets(coredat, neuron_mechanisms)
    raw = (coredat / "0_2.dat").read_bytes()
    g = ds.groups[0]
    for m in g.mechanisms:
        off, nbytes = offsets[("0_2.dat", f"the data of {m.name}")]
        rows = np.frombuffer(raw, "<f8", m.n * m.psize, off).reshape(m.n, m.psize)
        col = 0
        for name, dim in m.variables:
            got = m.field(name)
            want = rows[:, col] if dim == 1 else rows[:, col:col + dim]
            np.testing.assert_array_equal(got, want)
            col += dim
        assert m.data.ctypes.data % 64 == 0 and len(m.data) == m.padded * m.psize
    for name in ("a", "b", "area", "v"):
        off, _ = offsets[("0_2.dat", name)]
        np.testing.assert_array_equal(getattr(g, name)[:g.nnode],
                                      np.frombuffer(raw, "<f8", g.nnode, off))
        assert getattr(g, name).ctypes.data % 64 == 0


@pytest.mark.neuron
def test_dparams_resolved(ringtest_data, neuron_mechanisms):
    coredat = ringtest_data("default") / "coredat"
    g = pycoreneuron.read_dataset(coredat, mechanisms=neuron_mechanisms).groups[0]
    hh, na = g.mechanism("hh"), g.mechanism("na_ion")
    # hh's ena slot now indexes na_ion's data: the ena of the na_ion on hh's own node.
    ena_slot = hh.semantics.index("na_ion")
    ena = na.data[hh.pdata[ena_slot, :hh.n]]
    np.testing.assert_array_equal(ena, na.field("ena")[np.searchsorted(na.nodeindices,
                                                                       hh.nodeindices)])
    # Point processes own their pntproc vdata slot; NetCons reach them by Point_process number.
    syn = g.mechanism("ExpSyn")
    slot = syn.semantics.index("pntproc")
    assert (g.vdata_mech[syn.pdata[slot, :syn.n]] == g.mechanisms.index(syn)).all()
    t = g.netcon_target_pnt[g.netcon_target_mech >= 0]
    assert ((t >= syn.pnt_offset) & (t < syn.pnt_offset + syn.n)).all()
    # Every NetCon source resolves to a PreSyn of this group (no inputs on one rank).
    assert (g.netcon_src_group == 0).all()
    cell = g.cell_of_node()
    assert (cell[: g.n_real_cell] == np.arange(g.n_real_cell)).all()


@pytest.mark.neuron
@pytest.mark.parametrize("variant", ["default", "gap"])
def test_translator_catalogue_reads_like_neuron(variant, ringtest_data, neuron_mechanisms):
    """With pycoreneuron.mechanisms() (our MOD files) the reader resolves exactly what it
    resolves with NEURON's own layouts."""
    ringtest_mod = Path(__file__).resolve().parents[2] / "examples" / "ringtest" / "mod"
    catalogue = _our_mechanisms(ringtest_mod)
    coredat = ringtest_data(variant) / "coredat"
    ours = pycoreneuron.read_dataset(coredat, mechanisms=catalogue)
    ref = pycoreneuron.read_dataset(coredat, mechanisms=neuron_mechanisms)
    assert ours.stats() == ref.stats()
    for g, r in zip(ours.groups, ref.groups, strict=True):
        for m, n in zip(g.mechanisms, r.mechanisms, strict=True):
            assert m.semantics == n.semantics, m.name
            np.testing.assert_array_equal(m.pdata, n.pdata)
            np.testing.assert_array_equal(m.data, n.data)
        np.testing.assert_array_equal(g.weight_index, r.weight_index)


@pytest.mark.neuron
def test_pycoreneuron_run_model_stats_process(ringtest_data, coreneuron_model_stats):
    """The installed command, with this build's own mechanisms, prints CoreNEURON's counts."""
    import subprocess
    import sys

    _our_mechanisms(None)
    coredat = ringtest_data("default") / "coredat"
    r = subprocess.run([sys.executable, "-m", "pycoreneuron.cli", "-d", str(coredat),
                        "--model-stats"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    ours = parse_model_stats(r.stdout)
    ref = coreneuron_model_stats(coredat)
    assert ours["stats"] == ref["stats"]
    assert ours["mechanisms"] == ref["mechanisms"]


@pytest.mark.neuron
@pytest.mark.mpi
@pytest.mark.parametrize("variant", ["mpi2", "mpi2_gap"])
def test_counts_per_rank_equal_coreneuron_on_2_ranks(variant, ringtest_data, neuron_mechanisms,
                                                     special_core, tmp_path):
    """Dataset.stats(nranks=2) (input presyns counted per rank) equals special-core --mpi on 2
    ranks (the wheel's special-core needs --mpi-lib and a preloaded libmpi)."""
    import os
    import subprocess
    import sys

    from tests.conftest import mpiexec_command

    mpiexec = mpiexec_command()
    libdir = Path(sys.prefix) / "lib"  # pip's mpich installs its libmpi here
    libmpi = next(iter(sorted(libdir.glob("libmpi.so.*"))), None)
    import neuron

    corenrn_mpi = Path(neuron.__file__).parent / ".data" / "lib" / "libcorenrnmpi_mpich.so"
    if mpiexec is None or libmpi is None or not corenrn_mpi.exists():
        pytest.skip("needs pip's mpich (pip install .[mpi]) and NEURON's libcorenrnmpi_mpich")
    coredat = ringtest_data(variant) / "coredat"
    r = subprocess.run([*mpiexec, "-n", "2", str(special_core), "--mpi", "--mpi-lib",
                        str(corenrn_mpi), "-d", str(coredat), "--model-stats", "-e", "0",
                        "-o", str(tmp_path)], cwd=tmp_path, capture_output=True, text=True,
                       timeout=600, env=dict(os.environ, LD_PRELOAD=str(libmpi)))
    assert r.returncode == 0, r.stdout + r.stderr
    ref = parse_model_stats(r.stdout)
    ds = pycoreneuron.read_dataset(coredat, mechanisms=neuron_mechanisms)
    ours = ds.stats(nranks=2)
    assert {label: ours[key] for key, label in STAT_LABELS} == ref["stats"]
