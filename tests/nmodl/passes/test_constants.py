"""constants: CONSTANT and UNITS values, and the <state>0 GLOBALs."""

import pytest

from pycoreneuron.nmodl.errors import NmodlNotSupportedError

from .lowering import run_until

MOD = """
NEURON { SUFFIX t USEION ca READ cai WRITE cai }
UNITS { F = (faraday) (coulomb) R = 8.3 (joule/degC) }
CONSTANT { c = 3 }
STATE { m cai }
PARAMETER { m0 = 0.5 }
"""


def test_values_and_state0():
    low = run_until(MOD, "constants")
    assert low.constants["c"] == "3" and low.constants["R"] == "8.3"
    assert float.fromhex(low.constants["F"]) == pytest.approx(96485.3, rel=1e-5)
    # m starts from the file's own m0; cai from the ion, so no cai0 here
    assert low.state0 == ["m"]
    assert "cai0" not in low.global_params


def test_state0_defaults_to_a_zero_global():
    low = run_until(MOD.replace("PARAMETER { m0 = 0.5 }", ""), "constants")
    assert low.global_params["m0"] == ("0", 1)


def test_units_constant_without_a_factor_is_refused():
    mod = MOD.replace("R = 8.3 (joule/degC)", "ly = (lightyear) (m)")
    with pytest.raises(NmodlNotSupportedError, match="t.mod:3: UNITS constant ly"):
        run_until(mod, "constants")


def test_a_unit_the_file_names_resolves_through_its_definition():
    # unitstest.mod's (avogadro) = (mole): avo = (avogadro) (1) is the mole's factor
    mod = MOD.replace("R = 8.3 (joule/degC)", "(myav) = (mole) avo = (myav) (1)")
    low = run_until(mod, "constants")
    assert float.fromhex(low.constants["avo"]) == 6.02214076e23
