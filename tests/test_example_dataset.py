"""The example dataset shipped in examples/ringtest is what our builder makes today."""

from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ringtest"


def test_example_dataset_is_complete():
    coredat = EXAMPLE / "coredat"
    groups = (coredat / "files.dat").read_text().split()[2:]
    assert groups == ["0"]
    for name in ("bbcore_mech.dat", "globals.dat", "0_1.dat", "0_2.dat"):
        assert (coredat / name).stat().st_size > 0
    assert len((EXAMPLE / "spk1.std").read_text().splitlines()) > 0


@pytest.mark.neuron
def test_example_dataset_equals_a_fresh_build(ringtest_data):
    fresh = ringtest_data("default")
    for shipped in sorted((EXAMPLE / "coredat").iterdir()):
        assert shipped.read_bytes() == (fresh / "coredat" / shipped.name).read_bytes(), shipped
    assert (EXAMPLE / "spk1.std").read_text() == (fresh / "spk1.std").read_text()
