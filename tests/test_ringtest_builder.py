"""Our ringtest builder gives, in NEURON, the spikes of the tutorial's own ringtest.py.

The tutorial's spikes in tests/data/ringtest_tutorial were written by its ringtest.py with
NEURON 9.0.2 (see the README there); our builder runs with NEURON here, in the test run.
"""

from pathlib import Path

import pytest

from .conftest import sorted_spikes

TUTORIAL = Path(__file__).parent / "data" / "ringtest_tutorial"

pytestmark = pytest.mark.neuron


@pytest.mark.parametrize("variant", ["default", "rparm", "gap"])
def test_builder_spikes_equal_the_tutorial_model(ringtest_data, variant):
    ours = ringtest_data(variant) / "spk1.std"
    # One rank writes spikes in time order, as the tutorial does: compare the files as written.
    assert ours.read_text() == (TUTORIAL / variant / "spk1.std").read_text()


@pytest.mark.parametrize("variant,files", [
    ("default", {"files.dat", "bbcore_mech.dat", "globals.dat", "0_1.dat", "0_2.dat"}),
    ("gap", {"files.dat", "bbcore_mech.dat", "globals.dat", "0_1.dat", "0_2.dat",
             "0_gap.dat"}),
    ("secmapping", {"files.dat", "bbcore_mech.dat", "globals.dat", "0_1.dat", "0_2.dat",
                    "0_3.dat"}),
])
def test_builder_writes_the_dataset(ringtest_data, variant, files):
    coredat = ringtest_data(variant) / "coredat"
    assert {p.name for p in coredat.iterdir()} == files
    lines = (coredat / "files.dat").read_text().split("\n")
    assert lines[0] == "1.8"
    if variant == "gap":
        assert lines[1] == "-1"  # the gap-junction marker


def test_two_threads_write_two_groups_with_the_same_spikes(ringtest_data):
    folder = ringtest_data("nt2")
    groups = (folder / "coredat" / "files.dat").read_text().split()[2:]
    assert len(groups) == 2
    for g in groups:
        assert (folder / "coredat" / f"{g}_2.dat").exists()
    assert sorted_spikes(folder / "spk1.std") == sorted_spikes(TUTORIAL / "default" / "spk1.std")


@pytest.mark.mpi
@pytest.mark.parametrize("variant,reference", [("mpi2", "default"), ("mpi2_gap", "gap")])
def test_two_ranks_write_two_groups_with_the_same_spikes(ringtest_data, variant, reference):
    folder = ringtest_data(variant)
    assert (folder / "coredat" / "0_2.dat").exists() and (folder / "coredat" / "1_2.dat").exists()
    assert sorted_spikes(folder / "spk2.std") == sorted_spikes(TUTORIAL / reference / "spk1.std")
