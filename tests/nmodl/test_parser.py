"""Parser: MOD text in, AST out; errors name file, line and construct."""

from __future__ import annotations

import pytest

from pycoreneuron.errors import NotSupportedError, PyCoreNeuronError
from pycoreneuron.nmodl import ast
from pycoreneuron.nmodl.errors import NmodlError
from pycoreneuron.nmodl.parser import parse

SAMPLE = """
TITLE sample
COMMENT
anything: here { is ignored
ENDCOMMENT
UNITS { (mV) = (millivolt)  FARADAY = (faraday) (coulomb) }
NEURON {
    SUFFIX smp
    USEION ca READ cai, cao WRITE ica VALENCE 2
    NONSPECIFIC_CURRENT il
    RANGE gbar, il : a comment
    GLOBAL q
    THREADSAFE
}
PARAMETER { gbar = .07 (S/cm2) <0, 1e9>  q = 3  arr[4] (mV) }
ASSIGNED { v (mV) il (mA/cm2) ica (mA/cm2) cai cao minf }
STATE { m }
INITIAL { m = minf }
BREAKPOINT {
    SOLVE states METHOD cnexp
    il = gbar*m^2*(v - -70)
    ica = 0
}
DERIVATIVE states { m' = (minf - m)/tau(v) }
FUNCTION tau(x (mV)) (ms) {
    LOCAL y
    TABLE DEPEND q FROM -100 TO 100 WITH 200
    y = -x/10
    IF (y > 1 && !(y < 0)) { tau = 1 } else if (y == 0) { tau = 2 } ELSE { tau = exp(y) }
}
UNITSOFF
VERBATIM
/* C */
ENDVERBATIM
UNITSON
"""


def test_sample_parses_to_expected_tree() -> None:
    prog = parse(SAMPLE, "sample.mod")
    assert prog.title == "sample"
    kinds = [s.kind for s in prog.neuron]
    assert kinds == ["SUFFIX", "USEION", "NONSPECIFIC_CURRENT", "RANGE", "GLOBAL", "THREADSAFE"]
    ion = prog.neuron[1]
    assert (ion.read, ion.write, ion.valence) == (["cai", "cao"], ["ica"], "2")
    assert [(p.name, p.dim, p.value) for p in prog.parameters] == [
        ("gbar", 1, ".07"), ("q", 1, "3"), ("arr", 4, None)]
    assert prog.declaration_order == ["gbar", "q", "arr", "v", "il", "ica", "cai", "cao", "minf",
                                      "m"]
    deriv = prog.find_block("DERIVATIVE", "states")
    assert isinstance(deriv.body.stmts[0], ast.DiffEq)
    assert deriv.body.stmts[0].state == "m"
    fn = prog.find_block("FUNCTION", "tau")
    assert fn.params == ["x"]
    table = fn.body.stmts[1]
    assert isinstance(table, ast.Table) and table.depend == ["q"] and table.n == 200
    iff = fn.body.stmts[3]
    assert isinstance(iff, ast.If) and len(iff.elifs) == 1 and iff.orelse is not None
    assert len(prog.verbatim) == 1


def test_precedence_unary_minus_below_power() -> None:
    prog = parse("BREAKPOINT { x = -a^2*b + c/d/e }", "p.mod")
    e = prog.blocks[0].body.stmts[0].expr
    # ((-(a^2))*b) + ((c/d)/e)
    assert e.op == "+"
    assert e.left.op == "*" and isinstance(e.left.left, ast.Unary)
    assert e.left.left.operand.op == "^"
    assert e.right.op == "/" and e.right.left.op == "/"


def test_syntax_error_names_file_and_line() -> None:
    with pytest.raises(NmodlError) as err:
        parse("NEURON { SUFFIX x }\nBREAKPOINT {\n  y = = 2\n}\n", "bad.mod")
    assert str(err.value).startswith("bad.mod:3:")
    assert isinstance(err.value, PyCoreNeuronError)


@pytest.mark.parametrize("text,line,construct", [
    ("NEURON { SUFFIX k }\nSTATE { a }\nKINETIC kin {\n LONGITUDINAL_DIFFUSION 1 {a}\n}\n", 4,
     "LONGITUDINAL_DIFFUSION"),
    ("NEURON { SUFFIX k }\nFUNCTION_TABLE tau(v)\n", 2, "FUNCTION_TABLE"),
])
def test_constructs_the_dataset_cannot_carry_are_refused(text: str, line: int,
                                                         construct: str) -> None:
    with pytest.raises(NotSupportedError) as err:
        parse(text, "k.mod")
    assert str(err.value).startswith(f"k.mod:{line}: {construct} is not supported: ")
    assert "nrnbbcore_write does not write" in str(err.value)


def test_kinetic_inside_comment_is_ignored() -> None:
    parse("COMMENT\nKINETIC\nENDCOMMENT\nNEURON { SUFFIX a } : KINETIC\n", "c.mod")


def test_conductance_hints_parse_and_print() -> None:
    from pycoreneuron.nmodl.printer import to_nmodl

    prog = parse("NEURON { SUFFIX c USEION na WRITE ina }\nASSIGNED { g ina gl }\n"
                 "BREAKPOINT {\n ina = g*v\n CONDUCTANCE g USEION na\n CONDUCTANCE gl\n}\n",
                 "c.mod")
    hints = [s for s in prog.find_block("BREAKPOINT").body.stmts
             if isinstance(s, ast.Conductance)]
    assert [(h.name, h.ion, h.line) for h in hints] == [("g", "na", 5), ("gl", None, 6)]
    assert "CONDUCTANCE g USEION na" in to_nmodl(prog)


def test_conductance_outside_breakpoint_and_undeclared_ion_are_refused() -> None:
    from pycoreneuron.nmodl.build import translate

    def translated(text: str) -> None:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "c.mod").write_text(text)
            translate(Path(d) / "c.mod")

    with pytest.raises(NmodlError, match=r"c.mod:3: CONDUCTANCE can only appear in BREAKPOINT"):
        translated("NEURON { SUFFIX c NONSPECIFIC_CURRENT i }\nASSIGNED { g i }\n"
                   "INITIAL { CONDUCTANCE g }\nBREAKPOINT { i = g*v }\n")
    with pytest.raises(NmodlError, match=r"c.mod:3: CONDUCTANCE g USEION k: k is not declared"):
        translated("NEURON { SUFFIX c NONSPECIFIC_CURRENT i }\nASSIGNED { g i }\n"
                   "BREAKPOINT { i = g*v CONDUCTANCE g USEION k }\n")


def test_reactions_conserve_and_compartment_parse() -> None:
    prog = parse("NEURON { SUFFIX k }\nSTATE { A B C }\nKINETIC kk {\n"
                 " ~ 2A + B <-> C (kf, kb)\n ~ A << (0.1)\n ~ C -> (3)\n"
                 " CONSERVE 2 A + B + C = 1\n COMPARTMENT 3 { A B }\n}\n", "k.mod")
    r1, r2, r3, cons, comp = prog.find_block("KINETIC").body.stmts
    assert [(t.num, t.name) for t in r1.left] == [(2, "A"), (1, "B")]
    assert [(t.num, t.name) for t in r1.right] == [(1, "C")] and r1.op == "<->"
    assert (r2.op, r2.kf, r2.kb) == ("<<", None, ast.Num("0.1"))
    assert (r3.op, r3.kf, r3.kb) == ("->", ast.Num("3"), None)
    assert [(t.num, t.name) for t in cons.terms] == [(2, "A"), (1, "B"), (1, "C")]
    assert comp.names == ["A", "B"] and comp.volume == ast.Num("3")
    # a number with an exponent is not a coefficient
    prog = parse("NEURON { SUFFIX k }\nSTATE { A }\nKINETIC kk {\n ~ A << (1e3)\n}\n", "k.mod")
    assert prog.find_block("KINETIC").body.stmts[0].kb == ast.Num("1e3")


def test_include_reads_the_file_next_to_the_mod_file(tmp_path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "r.inc").write_text("PARAMETER { k = 2 }\nINITIAL { x = k }\n")
    mod = tmp_path / "sub" / "m.mod"
    mod.write_text('NEURON { SUFFIX m }\nASSIGNED { x }\nINCLUDE "r.inc"\n'
                   "INITIAL { x = x + 1 }\n")
    from pycoreneuron.nmodl.parser import parse_file

    prog = parse_file(mod)
    assert [d.name for d in prog.parameters] == ["k"]
    assert prog.declaration_order == ["x", "k"]
    # nocmodl appends every INITIAL to one function, in file order
    [init] = [b for b in prog.blocks if b.kind == "INITIAL"]
    assert [type(s).__name__ for s in init.body.stmts] == ["Assign", "Block"]


def test_include_errors_name_the_file_and_line(tmp_path) -> None:
    mod = tmp_path / "m.mod"
    mod.write_text('NEURON { SUFFIX m }\nINCLUDE "missing.inc"\n')
    from pycoreneuron.nmodl.parser import parse_file

    with pytest.raises(NmodlError, match=r"m.mod:2: INCLUDE 'missing.inc': no such file"):
        parse_file(mod)
    (tmp_path / "bad.inc").write_text("PARAMETER {\n  k = = 2\n}\n")
    mod.write_text('NEURON { SUFFIX m }\nINCLUDE "bad.inc"\n')
    with pytest.raises(NmodlError, match=r"bad.inc:2: syntax error"):
        parse_file(mod)
    (tmp_path / "loop.inc").write_text('INCLUDE "loop.inc"\n')
    mod.write_text('NEURON { SUFFIX m }\nINCLUDE "loop.inc"\n')
    with pytest.raises(NmodlError, match=r"includes itself"):
        parse_file(mod)
