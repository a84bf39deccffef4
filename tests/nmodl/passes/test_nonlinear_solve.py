"""nonlinear_solve: NONLINEAR equations become residuals; SOLVE a NonlinearSolve."""

import pytest

from pycoreneuron.nmodl.errors import NmodlError

from .lowering import block_text, dedent, run_until

MOD = """
NEURON { SUFFIX t }
STATE { bb a }
PARAMETER { k = 0.5 }
BREAKPOINT { SOLVE eqs }
NONLINEAR eqs { LOCAL s
    s = 2
    ~ a*a + bb = s + k - 1
    ~ a - bb = 0.1
    ~+ 0.01*a = 0
}
"""


def test_residuals_are_nocmodls_text_and_states_its_symbol_order():
    # "-(" before the left side, ") + " for "=": the right side is not parenthesised, so
    # -(a*a+bb) + s + k - 1 adds left to right; states: by first character (a before bb)
    low = run_until(MOD, "nonlinear_solve")
    assert block_text(low, "BREAKPOINT") == dedent("""
        NEWTON_NONLINEAR eqs (a, bb) {
            LOCAL s
            s = 2
            RESIDUAL -(a*a+bb)+s+k-1
            RESIDUAL -(a-bb)+0.1
            RESIDUAL += -(0.01*a)+0
        }
        """)


def test_equation_count_must_match_the_states():
    with pytest.raises(NmodlError, match="t.mod:6: Number of equations, 1, does not equal"):
        run_until(MOD.replace("    ~ a - bb = 0.1\n", ""), "nonlinear_solve")


def test_equation_without_a_state():
    with pytest.raises(NmodlError, match="t.mod:9: previous equation contains no state"):
        run_until(MOD.replace("~ a - bb = 0.1", "~ k = 0.1"), "nonlinear_solve")
