"""Code generation: the lowering passes, then the C printer (printers/c.py)."""

from __future__ import annotations

from . import ast
from .errors import NmodlError
from .info import MechanismInfo
from .layout import V_SLOT
from .passes import lower
from .printers import c, cuda
from .symbols import NEURON_VARIABLES


def generate(prog: ast.Program, info: MechanismInfo) -> str:
    """The C source of one mechanism."""
    for n in info.variables:
        if n[0] in NEURON_VARIABLES:  # pragma: no cover - layout never puts them there
            raise NmodlError(info.filename, 0, f"{n[0]} in the instance")
    return c.generate(lower(prog, info))


def generate_device(prog: ast.Program, info: MechanismInfo) -> str:
    """The single-source CUDA/C file of one mechanism's device kernels (printers/cuda.py);
    NmodlError names why a mechanism cannot have one."""
    return cuda.generate(lower(prog, info))


__all__ = ["generate", "generate_device", "V_SLOT"]
