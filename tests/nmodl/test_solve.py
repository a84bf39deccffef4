"""Solve pass: cnexp and euler statements (forms compared with nmodl in test_neuron.py)."""

from __future__ import annotations

import pytest

from pycoreneuron.nmodl import ast
from pycoreneuron.nmodl.errors import NotSupportedError
from pycoreneuron.nmodl.parser import parse
from pycoreneuron.nmodl.solve import cnexp, cnexp_text, euler, term, to_text


def deriv(body: str) -> ast.CodeBlock:
    return parse(f"DERIVATIVE d {{ {body} }}", "d.mod").blocks[0]


def test_term_splits_coefficient_and_rest_textually() -> None:
    e = deriv("m' = (minf - m)/mtau").body.stmts[0].expr
    t = term(e, "m")
    assert (t.a, t.b) == ("(((-1.0)))/mtau", "((minf))/mtau")


def test_cnexp_forms() -> None:
    [s] = deriv("g' = -g/tau").body.stmts
    assert cnexp_text(s, "d.mod") == "g = g+(1.0-exp(dt*((-1.0)/tau)))*(-(0.0)/((-1.0)/tau)-g)"
    [s] = deriv("c' = k*2").body.stmts  # no c on the right: c = c - dt*(-(b))
    assert cnexp_text(s, "d.mod") == "c = c-dt*(-((k)*(2)))"


def test_cnexp_keeps_other_statements_in_place() -> None:
    out = cnexp(deriv("LOCAL q q = 2 x' = q - x y' = -y"), "d.mod")
    assert [type(s).__name__ for s in out] == ["Local", "Assign", "Assign", "Assign"]
    assert to_text(out[2].target) == "x"


def test_cnexp_of_a_product_of_the_state_is_nocmodls_update() -> None:
    # nocmodl's diffeq: eq_invalid, the derivative kept, the rest dropped
    [s] = deriv("x' = -x*x").body.stmts
    assert cnexp_text(s, "d.mod") == "x = x+(1.0-exp(dt*(((-1.0)*(x)+(-x)*(1.0)))))*(-x)"


def test_cnexp_of_a_state_in_a_function_or_denominator_falls_back() -> None:
    # nocmodl: d_invalid, "Could not translate using cnexp method; using derivimplicit"
    from pycoreneuron.nmodl.solve import CnexpImpossible

    for body in ("x' = exp(x)", "x' = 1/x"):
        [s] = deriv(body).body.stmts
        with pytest.raises(CnexpImpossible, match="d.mod:1: x' is not linear in x"):
            cnexp_text(s, "d.mod")
        assert isinstance(CnexpImpossible("d.mod", 1, "m", True), NotSupportedError)


def test_euler_computes_all_derivatives_first() -> None:
    out = euler(deriv("x' = -y y' = x"), "d.mod")
    assert [to_text(s.target) for s in out] == ["Dx", "Dy", "x", "y"]
    assert to_text(out[2].expr) == "x+dt*Dx"


# derivimplicit: the block as NEURON evaluates it at each Newton step (x' = f as Dx = f, in
# place; the residuals are the printer's)
def _implicit(body: str):
    from pycoreneuron.nmodl.solve import derivimplicit

    return derivimplicit(deriv(body), "d.mod")


def test_derivimplicit_keeps_the_block_with_equations_as_derivatives() -> None:
    m = _implicit("rates(v) m' = (minf(v) - m)/tau(v) h' = -rate(v, h)*exp(m)")
    assert m.states == ["m", "h"]
    assert [type(s).__name__ for s in m.body] == ["CallStmt", "Assign", "Assign"]
    assert [(to_text(s.target), to_text(s.expr)) for s in m.body[1:]] == [
        ("Dm", "(minf(v)-m)/tau(v)"), ("Dh", "-rate(v,h)*exp(m)")]


def test_derivimplicit_equations_inside_if() -> None:
    m = _implicit("if (v > 0) { m' = -m } else { m' = m }")
    assert m.states == ["m"]
    assert [to_text(b.target) for b in (m.body[0].body.stmts[0], m.body[0].orelse.stmts[0])] \
        == ["Dm", "Dm"]


def test_derivimplicit_second_order_is_refused() -> None:
    with pytest.raises(NotSupportedError, match="d.mod:1: only first-order"):
        _implicit("m'' = -m")


def test_cnexp_takes_elements_of_other_arrays_as_constants() -> None:
    # fh.mod: m' = (inf[0] - m)/tau[0] is linear in m (nocmodl solves it by cnexp)
    assert cnexp_text(deriv("m' = (inf[0] - m)/tau[0]").body.stmts[0], "d.mod") == (
        "m = m+(1.0-exp(dt*((((-1.0)))/tau[0])))*(-(((inf[0]))/tau[0])/((((-1.0)))/tau[0])-m)")
