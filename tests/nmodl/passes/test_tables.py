"""tables: TABLE statements taken out of FUNCTION/PROCEDURE bodies."""

import pytest

from pycoreneuron.nmodl.errors import NmodlError, NmodlNotSupportedError

from .lowering import block_text, run_until

MOD = """
NEURON { SUFFIX t RANGE y }
ASSIGNED { v y }
PARAMETER { k = 2 }
BREAKPOINT { y = f(v) }
FUNCTION f(x) {
    TABLE DEPEND k FROM -100 TO 100 WITH 200
    f = k*x
}
"""


def test_table_leaves_the_body_for_lowered_tables():
    low = run_until(MOD, "tables")
    assert block_text(low, "FUNCTION", "f") == "f = k*x\n"
    t = low.tables["f"]
    assert (t.depend, t.n) == (["k"], 200)


def test_table_outside_a_function_body_is_refused():
    mod = MOD.replace("BREAKPOINT { y = f(v) }",
                      "BREAKPOINT { y = f(v) IF (v > 0) { TABLE FROM 0 TO 1 WITH 2 } }")
    with pytest.raises(NmodlNotSupportedError, match="t.mod:5: TABLE is supported only"):
        run_until(mod, "tables")


def test_table_needs_one_argument():
    with pytest.raises(NmodlError, match="t.mod:7: TABLE needs exactly one argument"):
        run_until(MOD.replace("f(x)", "f(x, z)").replace("f(v)", "f(v, 1)"), "tables")
