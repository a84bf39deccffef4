"""VERBATIM: C text passed through with nocmodl's names (translator text in, C out; then run)."""

from __future__ import annotations

import ctypes
import re
from pathlib import Path

import numpy as np
import pytest

import pycoreneuron
from pycoreneuron.nmodl import verbatim
from pycoreneuron.nmodl.codegen import generate
from pycoreneuron.nmodl.errors import NmodlError
from pycoreneuron.nmodl.pipeline import analyse_text

from .harness import Block, load_folder

# Every name VERBATIM code may use: a RANGE parameter and state, an array, a GLOBAL, t, dt,
# a FUNCTION's argument, local and return value, another FUNCTION called with the thread
# arguments, a POINTER and a BBCOREPOINTER slot, and a helper at file scope.
VB = """NEURON { SUFFIX vb RANGE k, x, y, w, arr POINTER p BBCOREPOINTER q GLOBAL g }
PARAMETER { k = 2  g = 5 }
ASSIGNED { x y w arr[3] p q }
STATE { s }
VERBATIM
static double twice(double z) { return 2.0*z; }  /* file scope: k, t mean nothing here */
ENDVERBATIM
INITIAL {
    s = 0.5
    x = f(3)
VERBATIM
    y = twice(k) + g + arr[1] + t + dt + *_p_p + p;
    w = (_p_q == 0) ? -1.0 : 1.0;
    _p_q = (void*)0;
ENDVERBATIM
}
FUNCTION h(z) {
    h = z + 1
}
FUNCTION f(a1) { LOCAL u
    u = 10
VERBATIM
    _lf = _la1*_lu + h(_threadargscomma_ s);
ENDVERBATIM
}
"""


def _c(text: str, name: str = "t.mod") -> str:
    prog, info = analyse_text(text, name)
    return generate(prog, info)


def test_identifiers_skip_members_comments_strings_and_exponents() -> None:
    text = 'x = info->initps(a.b) + 1e5; /* k */ // q\n printf("y %g", z);'
    assert verbatim.identifiers(text) == {"x", "info", "a", "printf", "z"}


def test_verbatim_blocks_pass_through_with_macros_and_line_markers() -> None:
    c = _c(VB, "vb.mod")
    lines = c.split("\n")
    # the file-scope block comes before the function definitions, at its MOD line
    top = lines.index('#line 5 "vb.mod"')
    assert lines[top + 2].startswith("static double twice(double z)")
    definition = lines.index("static double _f_f(const pcn_mech_args *a, int id, "
                             "struct pcn_tv *tv, double v, double _l_a1) {")
    assert top < definition
    # in-block text unchanged, its MOD line first, and the macros nocmodl's names need
    assert '#line 11 "vb.mod"' in lines
    assert "    y = twice(k) + g + arr[1] + t + dt + *_p_p + p;" in lines
    for define in ["#define k FLD(F_k)", "#define t (a->t)", "#define dt (a->dt)",
                   "#define g _g_g", "#define arr (&a->data[F_arr*a->stride + id*3])",
                   "#define _p_p (&DPV(S_p))", "#define p DPV(S_p)",
                   "#define _p_q (*(void **)&a->vdata[a->pdata[S_q*a->stride + id]])",
                   "#define _lf _ret", "#define _la1 _l_a1", "#define _lu _l_u",
                   "#define h _f_h",
                   "#define _threadargscomma_ a, id, tv, v,"]:
        assert define in lines, define
    # every macro is undefined after its block, so generated code never sees them
    assert c.count("#define k FLD(F_k)") == c.count("#undef k") == 3
    # the generated file's own numbering resumes right after each block
    resumes = [(k, s) for k, s in enumerate(lines) if s.startswith("#line") and '.c"' in s]
    assert len(resumes) == 3
    for k, s in resumes:
        assert s == f'#line {k + 2} "mech_vb.c"'


def test_verbatim_kernel_sees_the_instance(tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("vb")
    (folder / "vb.mod").write_text(VB)
    lib, descs = load_folder(folder, tmp_path_factory.mktemp("cache"))
    py = {d["name"]: d for d in pycoreneuron.mechanisms(mod=folder)}["vb"]
    n = 2
    b = Block(descs["vb"], n, dt=0.1)
    b.wire([nm for nm, _ in py["dparam"]], lib)
    slots = [nm for nm, _ in py["dparam"]]
    pointed = np.array([7.0, 11.0])
    b.pdata[slots.index("p") * n:(slots.index("p") + 1) * n] = [0, 1]
    b._bases[slots.index("p")] = pointed.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
    q = slots.index("q")
    b.vdata[int(b.pdata[q * n])] = 1234  # instance 0 has something, instance 1 nothing
    b.set("k", [2.0, 3.0])
    k = b.offsets["arr"]
    b.data[k * n:(k + 3) * n] = [0.0, 1.5, 0.0, 0.0, 2.5, 0.0]  # instance-major elements
    t = 0.0
    b.init()
    s = 0.5
    x = 3 * 10 + (s + 1)
    assert list(b.get("x")) == [x, x]
    assert list(b.get("y")) == [2 * 2.0 + 5 + 1.5 + t + 0.1 + 2 * 7.0,
                                2 * 3.0 + 5 + 2.5 + t + 0.1 + 2 * 11.0]
    assert list(b.get("w")) == [1.0, -1.0]
    assert b.vdata[int(b.pdata[q * n])] is None  # _p_q is an lvalue: VERBATIM cleared it


def test_a_verbatim_compile_error_names_the_mod_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.mod").write_text("NEURON { SUFFIX bad RANGE x }\nASSIGNED { x }\n"
                                      "INITIAL {\n    x = 1\nVERBATIM\n  x = _nt->_t;\n"
                                      "ENDVERBATIM\n}\n")
    with pytest.raises(NmodlError) as err:
        load_folder(tmp_path, tmp_path / "cache")
    message = str(err.value)
    assert re.fullmatch(r".*bad\.mod:6: VERBATIM code does not compile: '_nt' undeclared.*",
                        message)
    assert "\n" not in message


def test_a_name_the_generated_c_needs_is_refused_in_verbatim() -> None:
    with pytest.raises(NmodlError, match=r"t\.mod:4: VERBATIM code uses id"):
        _c("NEURON { SUFFIX t RANGE id }\nASSIGNED { id }\n"
           "INITIAL {\nVERBATIM\n id = 1;\nENDVERBATIM\n}\n")
