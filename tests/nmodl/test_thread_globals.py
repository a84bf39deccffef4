"""thread_globals.py: which per-thread GLOBALs carry values between calls, and from where."""

from __future__ import annotations

import pytest

from pycoreneuron.nmodl.pipeline import analyse_text

HEAD = """
NEURON { SUFFIX tg USEION k READ ek WRITE ik RANGE gbar, vhalf GLOBAL g, q10 THREADSAFE }
PARAMETER { gbar = 0.01 q10 = 3 vhalf = -40 }
ASSIGNED { v ek ik g minf celsius }
STATE { m }
"""


def _globals(body: str) -> dict:
    _, info = analyse_text(HEAD + body, "tg.mod")
    return info.thread_globals


def test_a_value_of_celsius_only_written_in_a_procedure_is_exposed_but_not_ordered() -> None:
    g = _globals("""
INITIAL { rates(v) m = 0 }
BREAKPOINT { SOLVE s METHOD cnexp ik = g*gbar*m*(v - ek) }
DERIVATIVE s { rates(v) m' = -m }
PROCEDURE rates(v) { g = q10^((celsius - 23)/10) }
""")["g"]
    assert [hook for hook, _ in g.exposed_in] == ["BREAKPOINT"]
    assert g.instance_write == 0 and not g.order_dependent
    assert not g.initial_matters  # INITIAL writes it on every path first


@pytest.mark.parametrize("write", [
    "g = v",  # the instance's voltage
    "g = gbar",  # a RANGE parameter
    "g = m",  # a state
    "g = ek",  # an ion variable
    "LOCAL a a = v*2 g = a",  # through a LOCAL
    "if (v > 0) { g = 1 } else { g = 2 }",  # by control
    "g = g + 1",  # counting instances
])
def test_instance_dependent_writes_make_an_exposed_global_order_dependent(write: str) -> None:
    g = _globals(f"""
INITIAL {{ g = 0 }}
BREAKPOINT {{ SOLVE s METHOD cnexp ik = g*(v - ek) }}
DERIVATIVE s {{ {write} m' = -m }}
""")["g"]
    assert g.exposed_in and g.instance_write and g.order_dependent


def test_written_before_read_in_every_hook_is_not_exposed() -> None:
    g = _globals("""
INITIAL { m = 0 }
BREAKPOINT { SOLVE s METHOD cnexp g = v ik = g*(v - ek) }
DERIVATIVE s { g = v m' = (g - m) }
""")["g"]
    assert not g.exposed_in and not g.order_dependent


def test_a_write_on_one_branch_only_leaves_the_read_exposed() -> None:
    g = _globals("""
INITIAL { if (celsius > 30) { g = 1 } m = 0 }
BREAKPOINT { SOLVE s METHOD cnexp ik = g*(v - ek) }
DERIVATIVE s { m' = -m }
""")["g"]
    assert g.exposed_in and g.initial_matters and not g.order_dependent


def test_a_net_receive_write_depends_on_the_event() -> None:
    _, info = analyse_text("""
NEURON { POINT_PROCESS pp GLOBAL last THREADSAFE }
ASSIGNED { last tlast }
NET_RECEIVE (w) { tlast = last last = t }
""", "pp.mod")
    g = info.thread_globals["last"]
    assert g.order_dependent


def test_verbatim_naming_a_global_is_assumed_to_write_it_from_the_instance() -> None:
    g = _globals("""
INITIAL { m = 0 }
BREAKPOINT { SOLVE s METHOD cnexp ik = g*(v - ek) }
DERIVATIVE s {
VERBATIM
    g = 2.0;
ENDVERBATIM
m' = -m }
""")["g"]
    assert g.order_dependent


def test_a_table_lookup_writes_only_the_table_names() -> None:
    text = """
INITIAL { rates(v) m = minf }
BREAKPOINT { SOLVE s METHOD cnexp ik = g*gbar*m*(v - ek) }
DERIVATIVE s { rates(v) m' = (minf - m) }
PROCEDURE rates(v) {
    TABLE minf DEPEND celsius FROM -100 TO 100 WITH 200
    g = q10^((celsius - 23)/10)
    minf = 1/(1 + exp(-(v - vhalf)/5))
}
"""
    _, info = analyse_text(HEAD.replace("GLOBAL g,", "GLOBAL g, minf,") + text, "tg.mod")
    g = info.thread_globals["g"]
    # with the table on, INITIAL's rates(v) only looks minf up: g comes from the table build
    assert g.exposed_in and g.initial_matters and not g.order_dependent
    minf = info.thread_globals["minf"]
    assert not minf.exposed_in  # every read follows a lookup
    assert info.table_inputs == {"rates": ["vhalf"]}


def test_table_inputs_leave_out_what_the_code_writes_first() -> None:
    _, info = analyse_text(HEAD + """
INITIAL { rates(v) m = minf }
BREAKPOINT { SOLVE s METHOD cnexp ik = gbar*m*(v - ek) }
DERIVATIVE s { rates(v) m' = (minf - m) }
PROCEDURE rates(v) {
    TABLE minf DEPEND celsius FROM -100 TO 100 WITH 200
    vhalf = -30
    minf = 1/(1 + exp(-(v - vhalf)/5))
}
""", "tg.mod")
    assert info.table_inputs == {"rates": []}
