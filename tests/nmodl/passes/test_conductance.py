"""conductance: CONDUCTANCE hints taken out of BREAKPOINT."""

import pytest

from pycoreneuron.nmodl.errors import NmodlError

from .lowering import block_text, run_until

MOD = """
NEURON { SUFFIX t USEION na READ ena WRITE ina RANGE g }
PARAMETER { g = 0.1 }
ASSIGNED { v ena ina }
BREAKPOINT {
    CONDUCTANCE g USEION na
    ina = g*(v - ena)
}
"""


def test_hints_are_collected_and_removed():
    low = run_until(MOD, "conductance")
    assert [(h.name, h.ion) for h in low.conductance] == [("g", "na")]
    assert block_text(low, "BREAKPOINT") == "ina = g*(v-ena)\n"


def test_hint_for_an_ion_not_used_is_an_error():
    with pytest.raises(NmodlError, match="t.mod:6: CONDUCTANCE g USEION k: k is not declared"):
        run_until(MOD.replace("USEION na\n", "USEION k\n"), "conductance")


def test_hint_outside_breakpoint_is_an_error():
    mod = MOD + "INITIAL { CONDUCTANCE g }\n"
    with pytest.raises(NmodlError, match="t.mod:9: CONDUCTANCE can only appear in BREAKPOINT"):
        run_until(mod, "conductance")
