"""simd: which mechanisms' nrn_cur and nrn_state loops may run as SIMD loops, and why not."""

import pytest

from .lowering import run_until

CHANNEL = """
NEURON { SUFFIX t USEION na READ ena WRITE ina RANGE gbar }
PARAMETER { gbar = 0.1 }
ASSIGNED { v ena ina minf mtau celsius }
STATE { m }
BREAKPOINT {
    SOLVE states METHOD cnexp
    ina = gbar*m*(v - ena)
}
DERIVATIVE states { rates(v) m' = (minf - m)/mtau }
PROCEDURE rates(v) {
    LOCAL qt
    qt = 2.3^((celsius - 23)/10)
    minf = 1/(1 + exp(-(v + 40)/6))
    mtau = vtrap(v + 40, 6)/qt
}
FUNCTION vtrap(x, y) {
    if (fabs(x/y) < 1e-6) { vtrap = y*(1 - x/y/2) } else { vtrap = x/(exp(x/y) - 1) }
}
"""


def test_a_channel_with_functions_runs_as_simd_loops():
    low = run_until(CHANNEL, "simd")
    assert low.simd_refusal == ""
    assert low.inline == {"rates", "vtrap"}


@pytest.mark.parametrize(("change", "why"), [
    (("SUFFIX t", "POINT_PROCESS t"), "a point process's instances may share a node"),
    (("RANGE gbar }", "RANGE gbar GLOBAL mtau }"),
     "GLOBALs the code writes carry values from one instance to the next"),
    (("RANGE gbar }", "RANGE gbar POINTER p }\nASSIGNED { p }"),
     "a POINTER may name the same variable"),
    (("    LOCAL qt\n", "    LOCAL qt\n    VERBATIM\n    ENDVERBATIM\n"), "VERBATIM code"),
    (("    LOCAL qt\n", "    LOCAL qt\n    printf(\"%g\\n\", v)\n"), "a call of printf"),
    (("    LOCAL qt\n", "    LOCAL qt\n    foreign(v)\n"), "a call of foreign"),
    (("METHOD cnexp", "METHOD derivimplicit"), "an implicit solve (states)"),
])
def test_what_keeps_loops_scalar(change, why):
    low = run_until(CHANNEL.replace(*change), "simd")
    assert low.simd_refusal.startswith(why)


def test_a_recursive_function_is_not_inlined():
    mod = CHANNEL + "FUNCTION fact(n) { if (n < 2) { fact = 1 } else { fact = n*fact(n - 1) } }\n"
    assert run_until(mod, "simd").inline == {"rates", "vtrap"}


def test_a_function_called_only_outside_the_loops_does_not_matter():
    mod = CHANNEL + "INITIAL { printf(\"%g\\n\", v) }\n"
    assert run_until(mod, "simd").simd_refusal == ""


def test_the_lookup_path_of_a_table():
    table = "    TABLE minf DEPEND celsius FROM -100 TO 100 WITH 200\n"
    mod = CHANNEL.replace("    LOCAL qt\n", "    LOCAL qt\n" + table)
    mod = mod.replace("DERIVATIVE states { rates(v)", "PROCEDURE settle(v) { rates(v) }\n"
                      "DERIVATIVE states { settle(v)")
    low = run_until(mod, "simd")
    assert low.table_path == {"rates", "settle"}
    assert low.tabled_loops == {"NRN_STATE"}
    assert run_until(CHANNEL, "simd").table_path == set()
