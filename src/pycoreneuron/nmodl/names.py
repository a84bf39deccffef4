"""Every name the C generator invents, in one place."""

from __future__ import annotations

import re

# Math functions NMODL code may call, and their C spelling (libm; double precision).
# (exp is pcn_exp.h's: libm's bits, and a loop that calls it can run as a SIMD loop)
MATH = {
    "exp": "pcn_exp", "log": "log", "log10": "log10", "sqrt": "sqrt", "fabs": "fabs",
    "pow": "pow", "sin": "sin", "cos": "cos", "tan": "tan", "sinh": "sinh", "cosh": "cosh",
    "tanh": "tanh", "asin": "asin", "acos": "acos", "atan": "atan", "atan2": "atan2",
    "floor": "floor", "ceil": "ceil", "fmod": "fmod", "fmin": "fmin", "fmax": "fmax",
}

# Constants nmodl knows without a declaration.
PI = "3.14159265358979323846"

# Named units of the UNITS block (`FARADAY = (faraday) (coulomb)`): NEURON 9's nrnunits.lib
# (2019 SI) values as the exact doubles nmodl 9.0.2 prints (hex, so no rounding on the way).
_COULOMB = ("(coulomb)", "(coulombs)", "(coul)")
_JOULE_PER_K = ("(joule/degC)", "(joule/degK)", "(joule/kelvin)")
UNIT_FACTORS: dict[tuple[str, str], str] = {}
for _c in _COULOMB:
    UNIT_FACTORS[("(faraday)", _c)] = "0x1.78e555060882cp+16"  # 96485.33212331001
    UNIT_FACTORS[("(e)", _c)] = "0x1.7a4da290c1653p-63"  # 1.602176634e-19
for _c in ("(kilocoulombs)", "(kilocoulomb)"):
    UNIT_FACTORS[("(faraday)", _c)] = "0x1.81f0fae775425p+6"  # 96.48533212331002
for _j in _JOULE_PER_K:
    UNIT_FACTORS[("(k-mole)", _j)] = "0x1.0a1013e8990bep+3"  # 8.31446261815324
    UNIT_FACTORS[("(k)", _j)] = "0x1.0b0e6d55e647cp-76"  # 1.380649e-23
UNIT_FACTORS[("(pi)", "(1)")] = "0x1.921fb54442d18p+1"
UNIT_FACTORS[("(mole)", "(1)")] = "0x1.fe185ca57c517p+78"  # 6.02214076e+23
UNIT_FACTORS[("(avogadro)", "(1)")] = "0x1.fe185ca57c517p+78"
for _j in ("(joule-sec)", "(joule-second)"):
    UNIT_FACTORS[("(planck)", _j)] = "0x1.b860bde023111p-111"  # 6.62607015e-34
    UNIT_FACTORS[("(hbar)", _j)] = "0x1.185a7057c690dp-113"  # 1.0545718176461565e-34


def ident(name: str) -> str:
    """A C identifier for a mechanism name (suffixes may hold any NMODL name character)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def func(mech: str, name: str) -> str:
    return f"_f_{name}"


def deriv_func(mech: str, name: str) -> str:
    """The C function that evaluates DERIVATIVE block ``name`` for derivimplicit."""
    return f"_dimpl_{name}"


def nonlin_func(mech: str, name: str) -> str:
    """The C function that evaluates NONLINEAR block ``name``'s residuals."""
    return f"_nonlin_{name}"


def linear_func(mech: str, name: str) -> str:
    """The C function that fills and solves LINEAR block ``name``'s matrix."""
    return f"_lin_{name}"


def raw_table_func(name: str) -> str:
    return f"_fraw_{name}"


def local(name: str) -> str:
    return f"_l_{name}"


def glob(name: str) -> str:
    return f"_g_{name}"


def field_const(name: str) -> str:
    return f"F_{name}"


def slot_const(name: str) -> str:
    return f"S_{name}"


def c_file(mech: str) -> str:
    """The name of a mechanism's generated C file."""
    return f"mech_{ident(mech)}.c"


def desc_symbol(mech: str) -> str:
    return f"pcn_mech_{ident(mech)}"
