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


# derivimplicit with FUNCTION calls: the texts nmodl 9.0.2 (without --inline) writes for the
# same equations, X[i] for the states and dX_[i] = max(1e-6, 0.02*|X[i]|) written out (our
# integer literals print as doubles in C, as nmodl's: 1/dt is nmodl's 1.0 / nt->_dt).
def _implicit(body: str, names: set[str]):
    from pycoreneuron.nmodl.solve import derivimplicit

    return derivimplicit(deriv(body), names, "d.mod")


def test_derivimplicit_keeps_function_calls_of_other_variables() -> None:
    m = _implicit("m' = (minf(v) - m)/tau(v)", {"v"})
    assert [to_text(e) for e in m.F] == [
        "(dt*(-X[0]+minf(v))+(-X[0]+old_m)*tau(v))/(dt*tau(v))"]
    assert [to_text(e) for e in m.J] == ["-1/tau(v)-1/dt"]


def test_derivimplicit_differences_a_function_of_a_state() -> None:
    m = _implicit("m' = -rate(m)*m", set())
    assert [to_text(e) for e in m.F] == ["(-X[0]*dt*rate(X[0])-X[0]+old_m)/dt"]
    h = "fmax(1e-6,0.02*fabs(X[0]))"
    assert [to_text(e) for e in m.J] == [
        f"X[0]*rate(X[0]-1.0/2.0*{h})/{h}-X[0]*rate(X[0]+(1.0/2.0)*{h})/{h}"
        "-rate(X[0])-1/dt"]


def test_derivimplicit_function_of_a_state_among_other_arguments() -> None:
    m = _implicit("m' = -rate(v, m)*h + minf(v) h' = rate(v, h) - h*exp(m)", {"v"})
    h0, h1 = "fmax(1e-6,0.02*fabs(X[0]))", "fmax(1e-6,0.02*fabs(X[1]))"
    assert [to_text(e) for e in m.J] == [
        f"(X[1]*dt*(rate(v,X[0]-1.0/2.0*{h0})-rate(v,X[0]+(1.0/2.0)*{h0}))-{h0})/({h0}*dt)",
        "-X[1]*exp(X[0])",
        "-rate(v,X[0])",
        f"-exp(X[0])-1/dt-rate(v,X[1]-1.0/2.0*{h1})/{h1}+rate(v,X[1]+(1.0/2.0)*{h1})/{h1}"]


def test_derivimplicit_procedure_call_runs_before_the_solve() -> None:
    m = _implicit("rates(v) m' = (minf - m)/mtau", {"v", "minf", "mtau"})
    assert [type(s).__name__ for s in m.pre] == ["CallStmt"]
    assert [to_text(e) for e in m.J] == ["(-dt-mtau)/(dt*mtau)"]


def test_derivimplicit_function_of_a_state_expression_is_refused() -> None:
    with pytest.raises(NotSupportedError, match=r"d.mod:1: METHOD derivimplicit: m' calls "
                       r"rate with an expression of m"):
        _implicit("m' = -rate(2*m)*m", set())


def test_derivimplicit_sympy_protected_function_name() -> None:
    # nmodl renames gamma/beta/... so that SymPy does not take them for its own functions
    m = _implicit("m' = -gamma(v)*m", {"v"})
    assert [to_text(e) for e in m.J] == ["-gamma(v)-1/dt"]
