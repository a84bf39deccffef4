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


def test_protected_assignment_to_a_global_parameter_but_not_to_a_local_of_that_name():
    # unprotected, nocmodl makes the GLOBAL per thread (layout: a thread variable); under
    # PROTECT it stays one static copy shared by all threads, which kernels do not have
    with pytest.raises(NmodlNotSupportedError, match="t.mod:5: assignment to GLOBAL parameter g"):
        run_until(MOD.replace("y = g", "PROTECT g = 2"), "global_parameter_assignments")
    run_until(MOD.replace("y = g", "LOCAL g g = 2 y = g"), "global_parameter_assignments")


def test_unprotected_assignment_makes_a_thread_variable():
    low = run_until(MOD.replace("y = g", "g = 2"), "global_parameter_assignments")
    assert "g" not in low.global_params and "g" in low.info.thread_globals


def test_constructor_with_a_verbatim_of_comments_alone_is_taken():
    mod = MOD + "CONSTRUCTOR {\nVERBATIM\n /* nothing */ // here\nENDVERBATIM\n}\n"
    run_until(mod, "checks")


def test_assignment_to_an_external_is_refused():
    mod = "NEURON { SUFFIX t EXTERNAL q_other }\nASSIGNED { q_other }\nINITIAL { q_other = 1 }\n"
    with pytest.raises(NmodlNotSupportedError, match="t.mod:3: assignment to EXTERNAL q_other"):
        run_until(mod, "global_parameter_assignments")
