"""Datasets of small NEURON models using every built-in mechanism that the format carries:
counts equal CoreNEURON's where CoreNEURON can load the model, and NEURON's own counts always."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import pycoreneuron
from pycoreneuron.io import STAT_LABELS

SCRIPT = Path(__file__).with_name("builtin_models.py")
NEURON_ONLY = ("AlphaSynapse", "VClamp", "OClamp", "APCount", "IntFire1", "IntFire2", "IntFire4")

pytestmark = pytest.mark.neuron


@pytest.fixture(scope="session")
def builtin_model(cache_root: Path) -> Callable[[str], Path]:
    """Factory: builtin_model(name) -> folder with NEURON's coredat/ and neuron.json."""
    pytest.importorskip("neuron", reason="NEURON writes the datasets: pip install .[test]")

    def make(model: str) -> Path:
        key = hashlib.sha256(SCRIPT.read_bytes() + model.encode()).hexdigest()[:16]
        final = cache_root / "builtin-models" / f"{model}-{key}"
        if (final / "neuron.json").exists():
            return final
        scratch = final.with_name(f"{final.name}.tmp{os.getpid()}")
        shutil.rmtree(scratch, ignore_errors=True)
        r = subprocess.run([sys.executable, str(SCRIPT), str(scratch), model],
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise RuntimeError(f"{SCRIPT.name} {model} failed:\n{r.stdout}\n{r.stderr}")
        try:
            scratch.rename(final)
        except OSError:
            shutil.rmtree(scratch, ignore_errors=True)
        return final

    return make


def _check_against_neuron(ds: Any, neuron: dict[str, Any]) -> None:
    counts = {name: n for _, name, n, _ in ds.mechanism_counts()}
    for name, n in neuron["instances"].items():
        if name == "PatternStim":  # NEURON leaves PatternStim out of every dataset
            assert name not in counts
        else:
            assert counts[name] == n, name
    s = ds.stats()
    assert s["cells"] == neuron["cells"]
    assert s["compartments"] == neuron["compartments"]
    assert s["synapses"] == neuron["netcons"]
    assert counts["capacitance"] == neuron["sections_nseg"]


def test_coreneuron_builtins_equal_coreneuron(builtin_model, neuron_mechanisms,
                                              coreneuron_model_stats):
    folder = builtin_model("coreneuron")
    ds = pycoreneuron.read_dataset(folder / "coredat", mechanisms=neuron_mechanisms)
    ref = coreneuron_model_stats(folder / "coredat")
    s = ds.stats()
    assert {label: s[key] for key, label in STAT_LABELS} == ref["stats"]
    assert {name: n for _, name, n, _ in ds.mechanism_counts()} == ref["mechanisms"]
    _check_against_neuron(ds, json.loads((folder / "neuron.json").read_text()))
    g = ds.groups[0]
    # The Vector.play into IClamp.amp lands on IClamp's amp.
    (play,) = g.vecplay
    iclamp = g.mechanisms[play.mech]
    assert iclamp.name == "IClamp"
    assert play.index == iclamp.legacy_to_flat(iclamp.variables.index(("amp", 1)))
    # NetStim's RANDOM stream state came with it (1 + R + 5 R n words).
    stim = g.mechanism("NetStim")
    assert len(stim.nmodlrandom) == 1 + 1 + 5 * stim.n


def test_neuron_only_builtins(builtin_model, neuron_mechanisms):
    missing = [m for m in NEURON_ONLY if m not in neuron_mechanisms]
    if missing:
        pytest.skip(f"no MOD file for {', '.join(missing)} yet (our mod/ from the translator, or "
                    "NEURON's src/nrnoc in PYCORENEURON_TEST_EXTRA_MOD)")
    folder = builtin_model("neuron_only")
    ds = pycoreneuron.read_dataset(folder / "coredat", mechanisms=neuron_mechanisms)
    _check_against_neuron(ds, json.loads((folder / "neuron.json").read_text()))
    g = ds.groups[0]
    # Artificial cells own spike sources after the voltage ones; one IntFire4 has no gid.
    art = g.presyn_mech[g.n_real_gid:]
    assert {g.mechanisms[k].name for k in art} == {"IntFire1", "IntFire2", "IntFire4"}
    assert (g.netcon_src_group == 0).all()


def test_neuron_only_builtins_refused_without_their_mod_files(builtin_model, neuron_mechanisms):
    folder = builtin_model("neuron_only")
    mechs = {k: v for k, v in neuron_mechanisms.items() if k not in NEURON_ONLY}
    with pytest.raises(pycoreneuron.DatasetError, match="has 1 instances .* --mod DIR"):
        pycoreneuron.read_dataset(folder / "coredat", mechanisms=mechs)


ZOO_MOD = Path(__file__).with_name("zoo_mod")


@pytest.fixture(scope="session")
def zoo(cache_root: Path, tmp_path_factory: pytest.TempPathFactory
        ) -> tuple[Path, dict[str, Any]]:
    """The zoo model's dataset (tests/io/zoo_mod compiled for NEURON) and its descriptors."""
    pytest.importorskip("neuron", reason="NEURON writes the datasets: pip install .[test]")
    from .neuron_mechs import descriptors_from_mod_dirs, wheel_dir

    digest = hashlib.sha256(SCRIPT.read_bytes())
    for f in sorted(ZOO_MOD.glob("*.mod")):
        digest.update(f.read_bytes())
    final = cache_root / "builtin-models" / f"zoo-{digest.hexdigest()[:16]}"
    if not (final / "neuron.json").exists():
        scratch = final.with_name(f"{final.name}.tmp{os.getpid()}")
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(ZOO_MOD, scratch / "mod")
        nrnivmodl = Path(sys.executable).with_name("nrnivmodl")
        r = subprocess.run([str(nrnivmodl) if nrnivmodl.exists() else "nrnivmodl", "."],
                           cwd=scratch / "mod", capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise RuntimeError(f"nrnivmodl failed:\n{r.stdout}\n{r.stderr}")
        r = subprocess.run([sys.executable, str(SCRIPT), str(scratch), "zoo",
                            str(scratch / "mod")], capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise RuntimeError(f"{SCRIPT.name} zoo failed:\n{r.stdout}\n{r.stderr}")
        try:
            scratch.rename(final)
        except OSError:
            shutil.rmtree(scratch, ignore_errors=True)
    mechs = descriptors_from_mod_dirs([wheel_dir() / "share" / "modfile", ZOO_MOD],
                                      tmp_path_factory.mktemp("zoo-nocmodl"))
    return final, mechs


def test_zoo_pointers_diam_arrays_bbcorepointer(zoo):
    import numpy as np

    folder, mechs = zoo
    ds = pycoreneuron.read_dataset(folder / "coredat", mechanisms=mechs)
    neuron = json.loads((folder / "neuron.json").read_text())
    _check_against_neuron(ds, neuron)
    g = ds.groups[0]
    z, hh, ca = g.mechanism("zoo"), g.mechanism("hh"), g.mechanism("ca_ion")
    # POINTER: to v on soma0 (a node), to hh's m of soma1 (a flat index into hh's data).
    slot = z.semantics.index("pointer")
    ptype = z.pointer_type[0]
    to_v = ptype == -1
    assert sorted(z.pdata[slot, :z.n][to_v].tolist()) == sorted(neuron["v_pointer_nodes"])
    assert (ptype[~to_v] == hh.type).all()
    assert (hh.data[z.pdata[slot, :z.n][~to_v]] == neuron["m_hh_value"]).all()
    # diam: the group has the diam array and the slot names each instance's own node.
    dslot = z.semantics.index("diam")
    assert g.diam is not None
    np.testing.assert_array_equal(z.pdata[dslot, :z.n], z.nodeindices)
    assert sorted(g.diam[z.nodeindices].tolist()) == neuron["zoo_diams"]
    # The array RANGE keeps its 4 elements per instance; INITIAL put diam into arr[0].
    arr = z.field("arr")
    assert arr.shape == (z.n, 4)
    np.testing.assert_array_equal(arr[:, 0], g.diam[z.nodeindices])
    # The Vector.play target is one element arr[2] of one instance.
    (play,) = g.vecplay
    assert g.mechanisms[play.mech] is z
    hits = [i for i in range(z.n) if arr[i, 2:3].ctypes.data == z.data[play.index:].ctypes.data]
    assert len(hits) == 1
    # The written concentration gives a style slot equal to the ion's own style value.
    style = z.pdata[z.semantics.index("#ca_ion"), :z.n]
    ion_style = ca.pdata[0, :ca.n]
    assert (style == ion_style[0]).all() and (ion_style == ion_style[0]).all()
    # BBCOREPOINTER: what Keeper's bbcore_write emitted, two ints and one double per instance.
    keeper = g.mechanism("Keeper")
    ((mk, ints, dbls),) = g.bbcorepointer
    assert g.mechanisms[mk] is keeper
    assert ints.tolist() == [v for i in range(keeper.n) for v in (7, i)]
    assert dbls.tolist() == [2.5] * keeper.n
    # vdata: pntproc, bbcorepointer and netsend of every Keeper; watch slots are not vdata.
    kinds = {int(k) for k in g.vdata_kind[g.vdata_mech == g.mechanisms.index(keeper)]}
    assert kinds == {1, 2, 3}


CNRN_EXTRA = ("AlphaSynapse", "OClamp", "IntFire1", "IntFire2", "IntFire4")


@pytest.fixture(scope="session")
def special_core_extra(cache_root: Path, neuron_mechanisms: dict[str, Any]) -> Path:
    """special-core with the MOD files of CNRN_EXTRA compiled in (nrnivmodl -coreneuron)."""
    missing = [m for m in CNRN_EXTRA if m not in neuron_mechanisms]
    if missing:
        pytest.skip(f"no MOD file for {', '.join(missing)} yet (our mod/ from the translator, or "
                    "NEURON's src/nrnoc in PYCORENEURON_TEST_EXTRA_MOD)")
    files = sorted({Path(neuron_mechanisms[m]["file"]) for m in CNRN_EXTRA})
    digest = hashlib.sha256(sys.executable.encode())
    for f in files:
        digest.update(f.name.encode() + f.read_bytes())
    final = cache_root / "special-core-extra" / digest.hexdigest()[:16]
    binary = final / "x86_64" / "special-core"
    if binary.exists():
        return binary
    scratch = final.with_name(f"{final.name}.tmp{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / "mod").mkdir(parents=True)
    for f in files:
        shutil.copyfile(f, scratch / "mod" / f.name)
    nrnivmodl = Path(sys.executable).with_name("nrnivmodl")
    r = subprocess.run([str(nrnivmodl) if nrnivmodl.exists() else "nrnivmodl", "-coreneuron",
                        "mod"], cwd=scratch, capture_output=True, text=True, timeout=1800)
    if r.returncode != 0:
        raise RuntimeError(f"nrnivmodl -coreneuron failed:\n{r.stdout}\n{r.stderr}")
    try:
        scratch.rename(final)
    except OSError:
        shutil.rmtree(scratch, ignore_errors=True)
    return binary


def test_coreneuron_extra_builtins_equal_coreneuron(builtin_model, neuron_mechanisms,
                                                    special_core_extra, tmp_path):
    from .conftest import parse_model_stats

    folder = builtin_model("coreneuron_extra")
    ds = pycoreneuron.read_dataset(folder / "coredat", mechanisms=neuron_mechanisms)
    r = subprocess.run([str(special_core_extra), "-d", str(folder / "coredat"), "--model-stats",
                        "-e", "0", "-o", str(tmp_path)], cwd=tmp_path, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    ref = parse_model_stats(r.stdout)
    s = ds.stats()
    assert {label: s[key] for key, label in STAT_LABELS} == ref["stats"]
    assert {name: n for _, name, n, _ in ds.mechanism_counts()} == ref["mechanisms"]
    _check_against_neuron(ds, json.loads((folder / "neuron.json").read_text()))
