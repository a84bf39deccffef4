"""for_netcons: loops whose result cannot depend on the NetCons' order are taken."""

import pytest

from pycoreneuron.nmodl.errors import NmodlNotSupportedError

from .lowering import block_text, dedent, run_until

MOD = """
NEURON { POINT_PROCESS t RANGE total }
ASSIGNED { total }
NET_RECEIVE (w, f) {
    FOR_NETCONS (wk, fk) {
        LOCAL q
        q = 1.5
        fk = fk*q + exp(-wk)
    }
}
"""


def test_a_loop_on_each_netcons_own_arguments_is_taken():
    assert block_text(run_until(MOD, "for_netcons"), "NET_RECEIVE") == dedent("""
        FOR_NETCONS (wk, fk) {
            LOCAL q
            q = 1.5
            fk = fk*q+exp(-wk)
        }
        """)


@pytest.mark.parametrize("body,why", [
    ("total = total + wk", "it assigns total"),
    ("fk = rate(fk)", "it calls rate"),
])
def test_an_order_dependent_loop_is_refused(body: str, why: str):
    mod = MOD.replace("fk = fk*q + exp(-wk)", body) + "FUNCTION rate(x) { rate = x }\n"
    with pytest.raises(NmodlNotSupportedError, match=rf"t.mod:8: FOR_NETCONS whose result "
                       rf"may depend on the order of the NetCons \({why}"):
        run_until(mod, "for_netcons")
