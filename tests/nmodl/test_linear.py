"""LINEAR blocks (linear.py, the C printer's LINEAR function and simeq).

* text in, matrix rows out: columns in order of first appearance, nocmodl's signs, ``~+``;
* C out: the rows of the LINEAR function equal, statement for statement, those of the C++
  that NEURON's own nocmodl writes for the same file (VClamp and a 3x3 test system);
* layout: a SOLVE of a LINEAR block makes the file not thread safe (no ``v`` slot), as
  nocmodl decides; VClamp is NEURON's 24 doubles;
* kernel: the compiled state hook of a small system gives NEURON's states bit for bit.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pycoreneuron.nmodl import ast
from pycoreneuron.nmodl.build import translate
from pycoreneuron.nmodl.catalogue import builtin_mod_dir
from pycoreneuron.nmodl.errors import NmodlError, NmodlNotSupportedError
from pycoreneuron.nmodl.linear import MatrixRow, linear_system
from pycoreneuron.nmodl.parser import parse
from pycoreneuron.nmodl.pipeline import analyse_text
from pycoreneuron.nmodl.printer import to_nmodl

from .harness import Block, load_folder
from .nocmodl_layout import nocmodl_path

# A 3x3 system with a row interchange (eps*p is a tiny first pivot), a LOCAL, a state term
# divided by a coefficient, a leading minus, states on both sides and `~+`.
LIN = """NEURON { SUFFIX lin RANGE a, b, c, eps }
PARAMETER { a = 2  b = 3  c = 0.5  eps = 1e-3 }
ASSIGNED { v (mV) }
STATE { p q w }
BREAKPOINT { SOLVE sys }
LINEAR sys {
    LOCAL k
    k = a/b
    ~ eps*p + q - w = v
    ~ 2*p - b*q + k*w = c*v + 1
    ~ -p + 3*w/a = a/b - v*c
    ~+ q*c = 0.25 - p
}
"""


def _system(text: str, name: str = "sys"):
    prog = parse(text, "t.mod")
    block = prog.find_block("LINEAR", name)
    assert block is not None
    return linear_system(block, {d.name: d.dim for d in prog.states}, "t.mod")


def _rows(text: str, name: str = "sys") -> tuple[list[str], list[list[tuple]]]:
    m = _system(text, name)
    rows: list[list[tuple]] = []
    for s in m.body:
        if isinstance(s, MatrixRow):
            if s.new_row:
                rows.append([])
            rows[-1] += [("rhs" if t.col is None else m.states[t.col], t.sign,
                          _text(t.expr)) for t in s.terms]
    return m.states, rows


def _text(e: ast.Expr) -> str:
    from pycoreneuron.nmodl.solve import to_text

    return to_text(e)


# ---- text in, rows out --------------------------------------------------------------------

def test_vclamp_rows_are_nocmodls() -> None:
    """The rows nocmodl writes for vclmp.mod (NEURON 9.0.2, `nrnivmodl` of the wheel)."""
    states, rows = _rows((builtin_mod_dir() / "vclmp.mod").read_text(), "clamp")
    assert states == ["vi", "vo", "e"]
    assert rows == [
        [("vi", -1, "1.0"), ("rhs", -1, "v"), ("vo", 1, "fac*1.0"), ("rhs", 1, "fac*v")],
        [("vo", -1, "t2*1.0"), ("rhs", -1, "t2*vo0"), ("vo", -1, "1.0"),
         ("e", -1, "gain*1.0")],
        [("rhs", -1, "stim"), ("e", 1, "1.0"), ("vi", -1, "1.0"), ("e", 1, "1.0"),
         ("vi", -1, "t1*1.0"), ("e", 1, "t1*1.0"), ("rhs", -1, "t1*(vi0-e0)"),
         ("rhs", -1, "0")],
    ]


def test_add_equation_stays_on_the_previous_row_and_columns_follow_first_use() -> None:
    states, rows = _rows(LIN)
    assert states == ["p", "q", "w"]
    assert len(rows) == 3
    assert rows[2] == [("p", 1, "1.0"), ("w", -1, "3*1.0/a"), ("rhs", -1, "a/b"),
                       ("rhs", 1, "v*c"), ("q", -1, "1.0*c"), ("rhs", -1, "0.25"),
                       ("p", -1, "1.0")]


@pytest.mark.parametrize("eq,message", [
    ("~ x/y = 1\n ~ y = 2", "state y occurs in a denominator"),
    ("~ x*y = 1\n ~ y = 2", "more than one state in a term"),
    ("~ (x + 1) = 1\n ~ y = 2", "not permitted in function calls or between parentheses"),
    ("~ exp(x) = 1\n ~ y = 2", "not permitted in function calls or between parentheses"),
    ("~ x^2 = 1\n ~ y = 2", "some operators are not permitted"),
    ("~ x = y", "2 states (x, y) but 1 equations"),
    ("~+ x = 1\n ~ y = 2", "~+ needs a previous equation"),
    ("x = 1", "has no equations"),
])
def test_bad_equations_name_file_and_line(eq: str, message: str) -> None:
    text = f"NEURON {{ SUFFIX t }}\nSTATE {{ x y }}\nLINEAR sys {{\n {eq}\n}}\n"
    with pytest.raises(NmodlError, match=re.escape(message)) as err:
        _system(text)
    assert str(err.value).startswith("t.mod:")


def test_equation_in_a_loop_is_not_supported_yet() -> None:
    text = ("NEURON { SUFFIX t }\nSTATE { x }\nLINEAR sys {\n FROM i = 0 TO 1 {\n"
            "  ~ x = 1\n }\n}\n")
    with pytest.raises(NmodlNotSupportedError, match="t.mod:5: LINEAR sys: an equation"):
        _system(text)


def test_printer_round_trip() -> None:
    text = to_nmodl(parse(LIN, "t.mod"))
    assert "    ~ eps*p+q-w = v" in text
    assert "    ~+ q*c = 0.25-p" in text
    assert to_nmodl(parse(text, "t.mod")) == text


def test_a_reaction_outside_kinetic_is_refused() -> None:
    with pytest.raises(NmodlError, match=r"t.mod:4: a reaction \(~\) outside a KINETIC block"):
        analyse_text("NEURON { SUFFIX t }\nSTATE { a b }\nBREAKPOINT {\n"
                     " ~ a + b <-> b (1, 2)\n}\n", "t.mod")


def test_solvefor_limits_the_unknowns_to_its_states() -> None:
    # y is a STATE but not solved for: a constant of the equations, its term in the
    # right-hand side column
    prog = parse("NEURON { SUFFIX t }\nSTATE { x y }\nLINEAR s SOLVEFOR x {\n"
                 " ~ 2*x + y = 1\n}\n", "t.mod")
    from pycoreneuron.nmodl.passes.linear_solve import unknowns

    block = prog.find_block("LINEAR", "s")
    assert block.solvefor == ["x"]
    m = linear_system(block, unknowns(block, {"x": 1, "y": 1}, "t.mod"), "t.mod")
    assert m.states == ["x"]


# ---- layout -------------------------------------------------------------------------------

def test_solve_of_linear_is_not_thread_safe_even_with_threadsafe() -> None:
    _, info = analyse_text(LIN.replace("RANGE a", "THREADSAFE RANGE a"), "t.mod")
    assert not info.vectorize
    assert [n for n, _ in info.variables] == ["a", "b", "c", "eps", "p", "q", "w", "Dp", "Dq",
                                              "Dw", "g_unused"]
    # without the SOLVE, nothing solves the block: thread safe, a v slot
    _, info = analyse_text(LIN.replace("SOLVE sys", ""), "t.mod")
    assert info.vectorize and "v_unused" in [n for n, _ in info.variables]


def test_vclamp_layout_is_neurons() -> None:
    _, info = analyse_text((builtin_mod_dir() / "vclmp.mod").read_text(), "vclmp.mod")
    assert info.data_size == 24
    assert info.variables == [
        ("dur", 3), ("amp", 3), ("gain", 1), ("rstim", 1), ("tau1", 1), ("tau2", 1),
        ("e0", 1), ("vo0", 1), ("vi0", 1), ("fac", 1), ("i", 1), ("e", 1), ("vo", 1),
        ("vi", 1), ("stim", 1), ("tc", 1), ("De", 1), ("Dvo", 1), ("Dvi", 1), ("g_unused", 1)]
    assert [s for _, s in info.dparam] == ["area", "pntproc"]


# ---- C out, against nocmodl's C++ -------------------------------------------------------------

def _our_rows(c: str, name: str) -> list[str]:
    body = c[c.index(f"static int _lin_{name}(const pcn_mech_args *a, int id, "
                     "struct pcn_tv *tv, double v) {"):]
    body = body[:body.index("\n}\n")]
    n = int(re.search(r"double _coef\[(\d+)\]", body).group(1))
    out = []
    for line in body.splitlines():
        line = line.strip()
        if line == "++_counte;" or line.startswith("_coef[_counte]"):
            line = re.sub(r"FLD\(F_(\w+)\)", r"\1", line)
            line = re.sub(r"_l_(\w+)", r"\1", line).replace("a->dt", "dt")
            out.append(line.replace(" ", "").replace(f"[{n}]", "[rhs]"))
    return out


def _nocmodl_rows(mod_text: str, name: str, workdir: Path) -> list[str]:
    exe = nocmodl_path()
    if exe is None:
        pytest.skip("needs the neuron wheel's nocmodl")
    (workdir / "m.mod").write_text(mod_text)
    subprocess.run([str(exe), "m.mod"], cwd=workdir, check=True, capture_output=True)
    cpp = (workdir / "m.cpp").read_text()
    body = cpp[cpp.index(f"static void {name} ()"):]
    body = body[:body.index("\n }\n")]
    out = []
    for line in body.splitlines():
        line = line.strip().rstrip(";").strip()
        if line == "++_counte":
            out.append("++_counte;")
        elif line.startswith(("_coef1[", "_RHS1(")):
            line = re.sub(r"_RHS1\(_counte\)", "_coef[_counte][rhs]", line)
            line = line.replace("_coef1", "_coef")
            line = re.sub(r"\b_l(\w+)", r"\1", line)
            out.append(line.replace(" ", "") + ";")
    return out


@pytest.mark.neuron
@pytest.mark.parametrize("which", ["vclamp", "lin"])
def test_c_rows_equal_nocmodls(which: str, tmp_path: Path) -> None:
    if which == "vclamp":
        text = (builtin_mod_dir() / "vclmp.mod").read_text()
        name = "clamp"
    else:
        text, name = LIN, "sys"
    theirs = _nocmodl_rows(text, name, tmp_path)
    ours = _our_rows(translate_text(text, tmp_path), name)
    assert theirs and ours == theirs


def translate_text(text: str, folder: Path) -> str:
    f = folder / "ours.mod"
    f.write_text(text)
    return translate(f)[1]


# ---- kernel against NEURON ------------------------------------------------------------------

CASES = [
    {"v": -65.0, "a": 2.0, "b": 3.0, "c": 0.5, "eps": 1e-3},
    {"v": 12.5, "a": 0.3, "b": -7.0, "c": 1.7, "eps": 5.0},
    {"v": -80.25, "a": 1e-4, "b": 0.1, "c": -2.0, "eps": 1e-9},
]


@pytest.mark.neuron
def test_state_hook_equals_neuron_bit_for_bit(tmp_path_factory) -> None:
    pytest.importorskip("neuron")
    nrnivmodl = Path(sys.executable).parent / "nrnivmodl"
    if not nrnivmodl.exists():
        nrnivmodl = Path(shutil.which("nrnivmodl") or "")
    if not nrnivmodl.is_file():
        pytest.skip("needs NEURON's nrnivmodl")
    nrn = tmp_path_factory.mktemp("nrn")
    (nrn / "lin.mod").write_text(LIN)
    subprocess.run([str(nrnivmodl)], cwd=nrn, check=True, capture_output=True, timeout=600)
    script = Path(__file__).with_name("neuron_scripts") / "linear_values.py"
    # from an empty folder: NEURON would also load an x86_64/ it finds in the working one
    r = subprocess.run([sys.executable, str(script), str(nrn), json.dumps(CASES)],
                       capture_output=True, text=True, timeout=300,
                       cwd=tmp_path_factory.mktemp("run"))
    assert r.returncode == 0, r.stderr
    theirs = json.loads(r.stdout.strip().splitlines()[-1])

    ours = tmp_path_factory.mktemp("ours")
    (ours / "lin.mod").write_text(LIN)
    lib, descs = load_folder(ours, tmp_path_factory.mktemp("cache"))
    b = Block(descs["lin"], len(CASES))
    b.wire([], lib)
    for name in ("a", "b", "c", "eps"):
        b.set(name, [case[name] for case in CASES])
    b.v[:] = [case["v"] for case in CASES]
    b.init()
    b.state(0.025)
    assert [ref["v"] for ref in theirs] == b.v.tolist()  # no current: v stayed v0
    for k in ("p", "q", "w"):
        assert b.get(k).tolist() == [ref[k] for ref in theirs], k
    # and the system holds: row 0 is eps*p + q - w = v
    p, q, w = (np.array(b.get(k)) for k in ("p", "q", "w"))
    np.testing.assert_allclose(np.array([c["eps"] for c in CASES]) * p + q - w, b.v,
                               rtol=1e-9, atol=1e-9)


def test_singular_matrix_gives_nan_and_a_message(tmp_path: Path) -> None:
    text = LIN.replace("~ eps*p + q - w = v", "~ 0*p + 0*q + 0*w = v")
    assert text != LIN
    c = translate_text(text, tmp_path)
    assert "singular matrix (simeq error 2)" in c
    lib, descs = load_folder(tmp_path, tmp_path / "cache")
    b = Block(descs["lin"], 1)
    b.wire([], lib)
    b.init()
    b.state(0.025)
    assert all(np.isnan(b.get(k)[0]) for k in ("p", "q", "w"))


def test_vclamp_is_a_builtin() -> None:
    name, c = translate(builtin_mod_dir() / "vclmp.mod")
    assert name == "VClamp"
    assert "_pcn_simeq(3, &_coef[0][0], _perm, _soln)" in c


@pytest.mark.neuron
def test_vclamp_on_a_passive_cell_is_neurons_bit_for_bit(tmp_path: Path) -> None:
    """Whole simulation: with only pas beside it (no hh, whose currents NEURON sums in another
    order), the voltages under VClamp are NEURON's to the bit."""
    pytest.importorskip("neuron")
    import pycoreneuron

    script = Path(__file__).with_name("neuron_scripts") / "vclamp_pas.py"
    r = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True,
                       text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    ref = json.loads((tmp_path / "ref.json").read_text())
    result = pycoreneuron.simulate(tmp_path / "coredat", 20.0, record_nodes=ref["nodes"],
                                   record_interval=0.025)
    expected = np.array(ref["v"])
    assert result.voltages.shape == expected.shape
    assert expected[0].max() > -21.0  # the clamp did step the soma to -20 mV
    assert (result.voltages == expected).all()
