"""C generator: golden files of the generated C for pas, hh, ExpSyn, NetStim, VClamp and
PatternStim (VERBATIM).

A change in code generation shows up here as a diff to review. To accept one, run the tests
with PYCORENEURON_UPDATE_GOLDEN=1 and commit the new files.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from pycoreneuron.nmodl.build import kernels_dir, translate
from pycoreneuron.nmodl.catalogue import builtin_mod_dir
from pycoreneuron.nmodl.errors import NmodlError, NmodlNotSupportedError
from pycoreneuron.nmodl.pipeline import analyse_text

GOLDEN = Path(__file__).with_name("golden")


@pytest.mark.parametrize("stem", ["pas", "hh", "expsyn", "netstim", "vclmp", "pattern"])
def test_generated_c_equals_golden(stem: str) -> None:
    _, source = translate(builtin_mod_dir() / f"{stem}.mod")
    golden = GOLDEN / f"{stem}.c"
    if os.environ.get("PYCORENEURON_UPDATE_GOLDEN"):
        golden.write_text(source)
    assert golden.exists(), f"no golden file {golden}; run with PYCORENEURON_UPDATE_GOLDEN=1"
    assert source == golden.read_text()


def test_every_builtin_compiles_warning_free(tmp_path: Path) -> None:
    n = 0
    for mod in sorted(builtin_mod_dir().glob("*.mod")):
        try:
            _, source = translate(mod)
        except NmodlNotSupportedError:
            continue
        c = tmp_path / f"{mod.stem}.c"
        c.write_text(source)
        r = subprocess.run(["cc", "-std=c11", "-fopenmp-simd", "-Wall", "-Wextra",
                            "-Wno-unused-parameter",
                            "-Wno-unused-variable", "-Wno-unused-function",
                            "-Wno-unused-but-set-variable", "-fsyntax-only",
                            f"-I{kernels_dir()}", str(c)], capture_output=True, text=True)
        assert r.returncode == 0 and not r.stderr, f"{mod.name}:\n{r.stderr}"
        n += 1
    assert n >= 4


def _c(text: str) -> str:
    prog, info = analyse_text(text, "t.mod")
    from pycoreneuron.nmodl.codegen import generate

    return generate(prog, info)


def test_integer_literals_print_as_doubles_and_power_as_pow() -> None:
    c = _c("NEURON { SUFFIX t RANGE x }\nASSIGNED { x }\nINITIAL { x = 1/3 + 2^v }\n")
    assert "FLD(F_x) = 1.0 / 3.0 + pow(2.0, v);" in c


def test_unknown_name_is_reported_with_line() -> None:
    with pytest.raises(NmodlError, match=r"^t.mod:3: unknown name nosuch$"):
        _c("NEURON { SUFFIX t RANGE x }\nASSIGNED { x }\nINITIAL { x = nosuch }\n")


def test_function_table_and_locals() -> None:
    c = _c("""NEURON { SUFFIX t RANGE y GLOBAL k }
PARAMETER { k = 2 }
ASSIGNED { y }
INITIAL { y = f(v) }
FUNCTION f(x) {
    LOCAL z
    TABLE DEPEND k FROM -10 TO 10 WITH 20
    z = x*k
    f = z
}
""")
    assert "static double _tbl_f__ret[21];" in c
    assert "_tbl_f_dep_k != _g_k" in c
    assert '"k_t", "usetable_t"' in c


def test_units_constants_are_nmodls_exact_doubles() -> None:
    c = _c("NEURON { SUFFIX t RANGE x }\nUNITS { F = (faraday) (coulomb) "
           "R = (k-mole) (joule/degC) }\nASSIGNED { x }\nINITIAL { x = F/R }\n")
    # the values the wheel's nmodl prints for these units (nrnunits.lib, 2019 SI)
    assert float.fromhex("0x1.78e555060882cp+16") == 96485.33212331001
    assert "FLD(F_x) = 0x1.78e555060882cp+16 / 0x1.0a1013e8990bep+3;" in c


def test_mechanism_without_fields_compiles(tmp_path: Path) -> None:
    c = tmp_path / "e.c"
    c.write_text(_c("NEURON { SUFFIX nothing_here GLOBAL g }\nPARAMETER { g = 1 }\n"))
    r = subprocess.run(["cc", "-std=c11", "-fsyntax-only", f"-I{kernels_dir()}", str(c)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_breakpoint_without_currents_runs_in_the_state_hook() -> None:
    # nocmodl and nmodl put a current-less BREAKPOINT into nrn_state, after its SOLVEs
    c = _c("NEURON { SUFFIX t RANGE x, y }\nSTATE { y }\nASSIGNED { x }\n"
           "BREAKPOINT {\n  SOLVE s METHOD cnexp\n  x = y + 1\n}\n"
           "DERIVATIVE s { y' = -y }\n")
    state = c[c.index("static void _hook_state"):]
    state = state[: state.index("\n}\n")]
    assert "FLD(F_x) = FLD(F_y) + 1.0;" in state
    assert state.index("FLD(F_y) = ") < state.index("FLD(F_x) = ")
    # with a current it stays in the current hook only
    c = _c("NEURON { SUFFIX t NONSPECIFIC_CURRENT i RANGE x }\nASSIGNED { i x }\n"
           "BREAKPOINT { x = 2  i = 0 }\n")
    state = c[c.index("static void _hook_state"):]
    assert "FLD(F_x) = 2.0;" not in state[: state.index("\n}\n")]


CHANNEL = """NEURON { SUFFIX ch USEION na READ ena WRITE ina RANGE gbar }
PARAMETER { gbar = 0.1 }
ASSIGNED { ena ina minf mtau celsius }
STATE { m }
BREAKPOINT {
    SOLVE states METHOD cnexp
    ina = gbar*m*m*m*(v - ena)
}
INITIAL { rates(v) m = minf }
DERIVATIVE states { rates(v) m' = (minf - m)/mtau }
PROCEDURE rates(v) {
    LOCAL qt
    qt = 2.3^((celsius - 23)/10)
    minf = 1/(1 + exp(-(v + 40)/6))
    mtau = vtrap(v + 40, 6)/qt
}
FUNCTION vtrap(x, y) {
    if (fabs(x/y) < 1e-6) { vtrap = y*(1 - x/y/2) } else { vtrap = x/(exp(x/y) - 1) }
}
"""


def _vectorised_lines(source: str, tmp_path: Path) -> tuple[list[int], set[int]]:
    """(lines of the loops marked SIMD, lines GCC reports vectorised) with the mechanisms'
    own compile flags."""
    from pycoreneuron.nmodl.cache import compile_flags, compiler

    version = subprocess.run([compiler(), "--version"], capture_output=True, text=True).stdout
    if "Free Software Foundation" not in version:  # GCC (clang reports otherwise)
        pytest.skip("the vectoriser's report is GCC's")
    c = tmp_path / "m.c"
    c.write_text(source)
    r = subprocess.run([compiler(), *compile_flags(), f"-I{kernels_dir()}", "-c", str(c),
                        "-o", str(tmp_path / "m.o"), "-fopt-info-vec-optimized"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    lines = source.splitlines()
    marked = [k + 2 for k, line in enumerate(lines) if line == "#pragma omp simd"]
    reported = {int(m.split(":")[1]) for m in r.stderr.splitlines() if "loop vectorized" in m}
    # GCC names a loop by its for line or the first statement of its body
    done = {line for line in marked if reported & set(range(line, line + 3))}
    return marked, done


def test_a_channels_loops_vectorise(tmp_path: Path) -> None:
    """nrn_cur and nrn_state of a channel with exp, a FUNCTION, a PROCEDURE and a Q10 pow
    become vector loops: what the speed on channel-dense cells rests on."""
    marked, done = _vectorised_lines(_c(CHANNEL), tmp_path)
    assert len(marked) == 2 and set(marked) == done, (marked, done)


def test_pas_and_hh_loops_vectorise(tmp_path: Path) -> None:
    """pas: its nrn_cur (it has no states); hh: nrn_cur and, with its TABLE on, nrn_state (the
    branch-free lookups); hh's loop for usetable off stays scalar (libm's pow in rates)."""
    _, source = translate(builtin_mod_dir() / "pas.mod")
    marked, done = _vectorised_lines(source, tmp_path)
    assert len(marked) == 1 and set(marked) == done, ("pas", marked, done)
    _, source = translate(builtin_mod_dir() / "hh.mod")
    marked, done = _vectorised_lines(source, tmp_path)
    assert len(marked) == 2 and set(marked) == done, ("hh", marked, done)


def test_a_point_process_keeps_scalar_loops() -> None:
    c = _c(CHANNEL.replace("SUFFIX ch USEION na READ ena WRITE ina",
                           "POINT_PROCESS ch USEION na READ ena WRITE ina"))
    assert "#pragma omp simd" not in c
