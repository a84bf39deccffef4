"""linear_solve: a LINEAR block becomes matrix rows; its SOLVE a LinearSolve."""

from .lowering import block_text, dedent, run_until

MOD = """
NEURON { SUFFIX t }
STATE { x y }
PARAMETER { a = 2 }
BREAKPOINT { SOLVE eqs }
LINEAR eqs {
    ~ a*x + y = 1
    ~ x - y = 0
}
"""


def test_rows_hold_the_coefficients_moved_to_the_left():
    # nocmodl's form: each equation as left - right = 0, coefficients subtracted from the
    # state columns and the constant from the right-hand side column
    low = run_until(MOD, "linear_solve")
    assert block_text(low, "BREAKPOINT") == dedent("""
        LINEAR_SOLVE eqs (x, y) {
            ROW -[0] a*1.0 -[1] 1.0 -[rhs] 1
            ROW -[0] 1.0 +[1] 1.0 -[rhs] 0
        }
        """)
    assert list(low.linear) == ["eqs"]


def test_solve_in_initial_too():
    low = run_until(MOD + "INITIAL { SOLVE eqs }\n", "linear_solve")
    assert block_text(low, "INITIAL").startswith("LINEAR_SOLVE eqs (x, y) {\n")
