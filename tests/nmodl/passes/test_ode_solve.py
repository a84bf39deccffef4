"""ode_solve: a SOLVE of a DERIVATIVE block becomes its integration step."""

import pytest

from pycoreneuron.nmodl.errors import NmodlNotSupportedError

from .lowering import block_text, dedent, run_until

MOD = """
NEURON { SUFFIX t NONSPECIFIC_CURRENT i RANGE tau }
PARAMETER { tau = 2 }
STATE { m n }
ASSIGNED { v i }
BREAKPOINT {
    SOLVE states METHOD cnexp
    SOLVE other METHOD euler
    i = m*(v - 10)
}
DERIVATIVE states { m' = (1 - m)/tau }
DERIVATIVE other { n' = -n*n }
"""

CNEXP_M = "m = m+(1.0-exp(dt*((((-1.0)))/tau)))*(-(((1))/tau)/((((-1.0)))/tau)-m)\n"


def test_cnexp_and_euler_become_statements_in_place():
    assert block_text(run_until(MOD, "ode_solve"), "BREAKPOINT") == dedent("""
        : SOLVE states METHOD cnexp
        """) + CNEXP_M + dedent("""
        : SOLVE other METHOD euler
        Dn = -n*n
        n = n+dt*Dn
        i = m*(v-10)
        """)


def test_derivimplicit_becomes_a_newton_solve():
    mod = MOD.replace("SOLVE other METHOD euler", "SOLVE other METHOD derivimplicit")
    text = block_text(run_until(mod, "ode_solve"), "BREAKPOINT")
    assert text.split("\n", 2)[2] == dedent("""
        NEWTON other (n) {
            Dn = -n*n
        }
        i = m*(v-10)
        """)


def test_cnexp_falls_back_to_newton_where_it_cannot_solve():
    mod = MOD.replace("SOLVE other METHOD euler", "SOLVE other METHOD cnexp").replace(
        "-n*n", "-n*exp(n)")
    text = block_text(run_until(mod, "ode_solve"), "BREAKPOINT")
    assert "NEWTON other (n) {" in text
    assert ": SOLVE other" not in text


def test_unknown_method_is_refused_with_its_line():
    mod = MOD.replace("METHOD euler", "METHOD sparse")
    with pytest.raises(NmodlNotSupportedError, match="t.mod:8: METHOD sparse is not"):
        run_until(mod, "ode_solve")


def test_steadystate_derivimplicit_in_initial_is_a_steady_newton_solve():
    mod = MOD.replace("SOLVE other METHOD euler", "SOLVE other METHOD derivimplicit") + \
        "INITIAL { SOLVE other STEADYSTATE derivimplicit }\n"
    low = run_until(mod, "ode_solve")
    (s,) = low.prog.find_block("INITIAL").body.stmts
    assert type(s).__name__ == "NewtonSolve" and s.steady and s.system.states == ["n"]
