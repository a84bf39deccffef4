"""net_receive: NET_RECEIVE's INITIAL taken out, WATCH conditions numbered."""

import pytest

from pycoreneuron.nmodl.errors import NmodlError
from pycoreneuron.nmodl.passes.lowered import NET_RECEIVE_INITIAL

from .lowering import block_text, dedent, run_until

MOD = """
NEURON { POINT_PROCESS t }
ASSIGNED { v }
PARAMETER { th = 0 }
NET_RECEIVE (w, k) {
    INITIAL { k = 0 }
    if (flag == 1) {
        WATCH (v > th) 2, (v < -th) 3
    }
    WATCH (v > 10) 4
    k = k + w
}
"""


def test_watch_conditions_get_slots_in_file_order():
    low = run_until(MOD, "net_receive")
    assert block_text(low, "NET_RECEIVE") == dedent("""
        IF (flag==1) {
            WATCH_ARM 1: (v>th), 2: (v<-th)
        }
        WATCH_ARM 3: (v>10)
        k = k+w
        """)
    assert [(w.slot, w.flag) for w in low.watch] == [(1, "2"), (2, "3"), (3, "4")]


def test_initial_becomes_its_own_block_with_the_arguments():
    low = run_until(MOD, "net_receive")
    assert block_text(low, NET_RECEIVE_INITIAL) == "k = 0\n"
    assert low.prog.find_block(NET_RECEIVE_INITIAL).params == ["w", "k"]


def test_watch_outside_net_receive_is_an_error():
    mod = MOD + "INITIAL { WATCH (v > 1) 2 }\n"
    with pytest.raises(NmodlError, match="t.mod:13: WATCH outside NET_RECEIVE"):
        run_until(mod, "net_receive")
