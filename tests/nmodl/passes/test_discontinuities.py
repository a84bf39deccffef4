"""discontinuities: at_time and state_discontinuity in the fixed step."""

import pytest

from pycoreneuron.nmodl.errors import NmodlNotSupportedError

from .lowering import block_text, dedent, run_until

MOD = """
NEURON { POINT_PROCESS t RANGE x }
ASSIGNED { x }
INITIAL { at_time(5) x = at_time(2) + 1 }
NET_RECEIVE (w) {
    state_discontinuity(x, x + w)
}
"""


def test_at_time_does_nothing_and_is_zero():
    assert block_text(run_until(MOD, "discontinuities"), "INITIAL") == "x = 0.0+1\n"


def test_state_discontinuity_in_net_receive_is_an_assignment():
    assert block_text(run_until(MOD, "discontinuities"), "NET_RECEIVE") == dedent("""
        x = x+w
        """)


def test_state_discontinuity_elsewhere_is_refused():
    mod = MOD.replace("at_time(5)", "state_discontinuity(x, 1)")
    with pytest.raises(NmodlNotSupportedError, match="t.mod:4: state_discontinuity outside"):
        run_until(mod, "discontinuities")
