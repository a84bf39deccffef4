"""breakpoint: BREAKPOINT split into NRN_STATE and NRN_CUR; no SOLVE left anywhere."""

import pytest

from pycoreneuron.nmodl.errors import NmodlError, NmodlNotSupportedError
from pycoreneuron.nmodl.passes.lowered import NRN_CUR, NRN_STATE

from .lowering import block_text, dedent, run_until

MOD = """
NEURON { SUFFIX t NONSPECIFIC_CURRENT i }
STATE { n }
ASSIGNED { v i }
BREAKPOINT {
    SOLVE other METHOD euler
    i = n*(v - 10)
    SOLVE bump
}
DERIVATIVE other { n' = -n }
PROCEDURE bump() { n = n + 1 }
"""


def test_solves_go_to_nrn_state_in_order_the_rest_to_nrn_cur():
    low = run_until(MOD, "breakpoint")
    assert low.prog.find_block("BREAKPOINT") is None
    assert block_text(low, NRN_STATE) == dedent("""
        : SOLVE other METHOD euler
        Dn = -n
        n = n+dt*Dn
        bump()
        """)
    assert block_text(low, NRN_CUR) == "i = n*(v-10)\n"


def test_without_currents_everything_runs_in_nrn_state():
    mod = MOD.replace("NONSPECIFIC_CURRENT i", "RANGE i")
    low = run_until(mod, "breakpoint")
    assert block_text(low, NRN_STATE).endswith("bump()\ni = n*(v-10)\n")
    assert block_text(low, NRN_CUR) == "\n"


def test_solve_of_nothing_is_an_error():
    with pytest.raises(NmodlError, match="t.mod:8: SOLVE bump: no DERIVATIVE or PROCEDURE"):
        run_until(MOD.replace("PROCEDURE bump()", "FUNCTION bump()"), "breakpoint")


def test_solve_of_a_derivative_in_initial_is_refused_not_dropped():
    mod = MOD + "INITIAL { SOLVE other }\n"
    with pytest.raises(NmodlNotSupportedError, match="SOLVE other METHOD .none. outside"):
        run_until(mod, "breakpoint")


def test_derivimplicit_solve_in_a_procedure_is_solved_there():
    # (nocmodl wants every SOLVE of the block to be derivimplicit, BREAKPOINT's too)
    mod = MOD.replace("SOLVE other METHOD euler", "SOLVE other METHOD derivimplicit") \
        + "PROCEDURE extra() { SOLVE other METHOD derivimplicit }\n"
    assert block_text(run_until(mod, "breakpoint"), "PROCEDURE", "extra") == dedent("""
        NEWTON other (n) {
            Dn = -n
        }
        """)


def test_solve_inside_an_if_is_refused_not_dropped():
    mod = MOD.replace("    SOLVE bump\n", "    IF (v > 0) { SOLVE bump }\n")
    with pytest.raises(NmodlNotSupportedError, match="SOLVE bump in NRN_CUR"):
        run_until(mod, "breakpoint")


def test_derivimplicit_elsewhere_of_a_block_breakpoint_solves_otherwise_is_an_error():
    mod = MOD + "PROCEDURE extra() { SOLVE other METHOD derivimplicit }\n"
    with pytest.raises(NmodlError, match="SOLVE other: BREAKPOINT solves it by another"):
        run_until(mod, "breakpoint")
