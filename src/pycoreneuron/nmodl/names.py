"""Every name the C generator invents, in one place."""

from __future__ import annotations

import re

# Math functions NMODL code may call, and their C spelling (libm; double precision).
MATH = {
    "exp": "exp", "log": "log", "log10": "log10", "sqrt": "sqrt", "fabs": "fabs",
    "pow": "pow", "sin": "sin", "cos": "cos", "tan": "tan", "sinh": "sinh", "cosh": "cosh",
    "tanh": "tanh", "asin": "asin", "acos": "acos", "atan": "atan", "atan2": "atan2",
    "floor": "floor", "ceil": "ceil", "fmod": "fmod", "fmin": "fmin", "fmax": "fmax",
}

# Constants nmodl knows without a declaration.
PI = "3.14159265358979323846"

# Named units of the UNITS block (`FARADAY = (faraday) (coulomb)`): values of NEURON 9's
# nrnunits.lib (2019 SI), as nmodl prints them.
UNIT_FACTORS = {
    ("(faraday)", "(coulomb)"): "96485.33212331001",
    ("(faraday)", "(kilocoulombs)"): "96.48533212331001",
    ("(k-mole)", "(joule/degC)"): "8.31446261815324",
    ("(k-mole)", "(joule/degK)"): "8.31446261815324",
    ("(r)", "(joule/degC)"): "8.31446261815324",
}


def ident(name: str) -> str:
    """A C identifier for a mechanism name (suffixes may hold any NMODL name character)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def func(mech: str, name: str) -> str:
    return f"_f_{name}"


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


def desc_symbol(mech: str) -> str:
    return f"pcn_mech_{ident(mech)}"
