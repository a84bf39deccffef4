"""checks: constructs refused before anything is lowered or printed."""

import pytest

from pycoreneuron.nmodl.errors import NmodlError, NmodlNotSupportedError

from .lowering import run_until

MOD = """
NEURON { SUFFIX t GLOBAL g RANGE y }
PARAMETER { g = 1 }
ASSIGNED { y }
INITIAL { y = g }
"""


def test_before_after_kinds_neuron_lacks():
    run_until(MOD + "BEFORE STEP { y = 1 }\n", "checks")
    with pytest.raises(NmodlError, match="t.mod:6: AFTER STEP: NEURON does not implement it"):
        run_until(MOD + "AFTER STEP { y = 1 }\n", "checks")


def test_constructor_with_verbatim():
    mod = MOD + "CONSTRUCTOR {\nVERBATIM\n int x = 0;\nENDVERBATIM\n}\n"
    with pytest.raises(NmodlNotSupportedError, match="t.mod:7: CONSTRUCTOR with VERBATIM"):
        run_until(mod, "checks")


def test_assignment_to_a_global_parameter_but_not_to_a_local_of_that_name():
    with pytest.raises(NmodlNotSupportedError, match="t.mod:5: assignment to GLOBAL parameter g"):
        run_until(MOD.replace("y = g", "g = 2"), "global_parameter_assignments")
    run_until(MOD.replace("y = g", "LOCAL g g = 2 y = g"), "global_parameter_assignments")
