"""kinetic_solve: SOLVE of a KINETIC block becomes a SparseSolve of its matrix statements."""

import pytest

from pycoreneuron.nmodl.errors import NmodlNotSupportedError

from .lowering import block_text, run_until

MOD = """
NEURON { SUFFIX t }
STATE { A B }
PARAMETER { kf = 2 kb = 1 }
INITIAL { A = 1 SOLVE scheme STEADYSTATE sparse }
BREAKPOINT { SOLVE scheme METHOD sparse }
KINETIC scheme {
    ~ A <-> B (kf, kb)
    CONSERVE A + B = 1
}
"""

# nocmodl's statements: B is the CONSERVE row 0 (the last state of the CONSERVE takes it),
# A's equation row 1; each reaction adds its flux to the rows and its derivatives to _m.
BODY = """
    DT_TERMS
    f_flux = kf*A
    b_flux = kb*B
    rhs[1] -= (f_flux-b_flux)
    _term = kf
    mat[1, 1] += _term
    _term = kb
    mat[1, 0] -= _term
    rhs[0] = 1
    mat[0, 0] = 1
    rhs[0] -= B
    mat[0, 1] = 1
    rhs[0] -= A
}
"""


def test_breakpoint_solve_sparse():
    text = block_text(run_until(MOD, "kinetic_solve"), "BREAKPOINT")
    assert text == "SPARSE scheme (B, A; 1 conserved, linear) {\n" + BODY.lstrip("\n")


def test_steadystate_in_initial():
    text = block_text(run_until(MOD, "kinetic_solve"), "INITIAL")
    assert text == ("A = 1\nSTEADYSTATE SPARSE scheme (B, A; 1 conserved, linear) {\n"
                    + BODY.lstrip("\n"))


def test_other_methods_on_kinetic_are_refused():
    with pytest.raises(NmodlNotSupportedError, match="t.mod:6: METHOD cnexp on a KINETIC"):
        run_until(MOD.replace("METHOD sparse", "METHOD cnexp"), "kinetic_solve")
    with pytest.raises(NmodlNotSupportedError, match="STEADYSTATE derivimplicit"):
        run_until(MOD.replace("STEADYSTATE sparse", "STEADYSTATE derivimplicit"),
                  "kinetic_solve")
