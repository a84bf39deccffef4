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


def test_nonlinear_cnexp_is_not_supported() -> None:
    [s] = deriv("x' = -x*x").body.stmts
    with pytest.raises(NotSupportedError, match="d.mod:1: x' is not linear in x"):
        cnexp_text(s, "d.mod")


def test_euler_computes_all_derivatives_first() -> None:
    out = euler(deriv("x' = -y y' = x"), "d.mod")
    assert [to_text(s.target) for s in out] == ["Dx", "Dy", "x", "y"]
    assert to_text(out[2].expr) == "x+dt*Dx"
