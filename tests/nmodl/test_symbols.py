"""Symbol pass: kinds, ions, currents in nocmodl's order, thread safety (nocmodl's rule)."""

from __future__ import annotations

import pytest

from pycoreneuron.nmodl.errors import NmodlError
from pycoreneuron.nmodl.pipeline import analyse_text


def info(text: str):
    return analyse_text(text, "s.mod")[1]


def test_kinds_and_currents_order() -> None:
    i = info("NEURON { SUFFIX k USEION na READ ena WRITE ina USEION k READ ek WRITE ik "
             "NONSPECIFIC_CURRENT il ELECTRODE_CURRENT ie }\nASSIGNED { ina ik il ie ena ek }\n"
             "BREAKPOINT { ina = 1 ik = 1 il = 1 ie = 1 }")
    assert i.kind == "density"
    assert i.currents == ["ina", "ik", "il", "ie"]  # nocmodl: statement order
    i = info("NEURON { SUFFIX k NONSPECIFIC_CURRENT il USEION na READ ena WRITE ina }\n"
             "ASSIGNED { ina il ena }\nBREAKPOINT { ina = 1 il = 1 }")
    assert i.currents == ["il", "ina"]
    assert info("NEURON { POINT_PROCESS p }").kind == "point_process"
    assert info("NEURON { ARTIFICIAL_CELL a }").kind == "artificial_cell"
    assert info("PARAMETER { x }").name == "s"  # no SUFFIX: the file's name


@pytest.mark.parametrize("text,vectorized", [
    ("NEURON { SUFFIX a RANGE x }\nASSIGNED { x }\nBREAKPOINT { x = 1 }", True),
    ("NEURON { SUFFIX a GLOBAL g }\nASSIGNED { g }\nBREAKPOINT { g = 1 }", False),
    ("NEURON { SUFFIX a GLOBAL g THREADSAFE }\nASSIGNED { g }\nBREAKPOINT { g = 1 }", True),
    ("NEURON { SUFFIX a GLOBAL g }\nASSIGNED { g }\nBREAKPOINT { PROTECT g = g + 1 }", True),
    ("NEURON { SUFFIX a POINTER p }\nASSIGNED { p }", False),
    ("NEURON { SUFFIX a POINTER p THREADSAFE }\nASSIGNED { p }", False),
    ("NEURON { SUFFIX a THREADSAFE POINTER p }\nASSIGNED { p }", True),
    ("NEURON { SUFFIX a }\nBREAKPOINT {\nVERBATIM\nENDVERBATIM\n}", False),
    ("NEURON { SUFFIX a }\nINITIAL { normrand(0, 1) }", False),
])
def test_thread_safety_decides_the_v_slot(text: str, vectorized: bool) -> None:
    i = info(text)
    assert i.vectorize is vectorized
    assert ("v_unused" in [n for n, _ in i.variables]) is vectorized


def test_usage_flags() -> None:
    i = info("NEURON { POINT_PROCESS p }\nASSIGNED { x }\n"
             "NET_RECEIVE(w) { net_send(1, 1) net_event(t) WATCH (x > 1) 2 }")
    assert i.net_send_used and i.watch_count == 1 and i.net_receive_args == 1
    assert "net_event" in i.calls


def test_wrong_ion_variable_is_an_error() -> None:
    with pytest.raises(NmodlError, match="s.mod:1: USEION na: ik is not a variable of na"):
        info("NEURON { SUFFIX a USEION na READ ik }")
