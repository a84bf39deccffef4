"""Values the printers need as numbers: CONSTANTs, UNITS constants, and the <state>0
GLOBALs NEURON starts each STATE from before INITIAL."""

from __future__ import annotations

from .. import names
from ..errors import NmodlError
from .lowered import Lowered


def run(low: Lowered) -> None:
    info = low.info
    low.global_params = {n: (v, d) for n, v, d in info.global_params}
    # NEURON starts each STATE at the GLOBAL <state>0 (0 unless set) before INITIAL; a STATE
    # that is an ion concentration starts from the ion's value instead.
    fields = {n for n, _ in info.variables}
    ion_vars = {v for ion in info.ions for v in ion.read + ion.write}
    low.state0 = [d.name for d in low.prog.states if d.name in fields
                  and info.declared[d.name].dim == 1 and d.name not in ion_vars]
    for st in low.state0:
        # ... unless the file declares <state>0 itself (VClamp's RANGE e0, vo0, vi0): then
        # nocmodl's `e = e0` reads that variable.
        if st + "0" not in info.declared:
            low.global_params.setdefault(st + "0", ("0", 1))
    low.constants = dict(info.constants)
    for name, u in info.unit_constants.items():
        units = tuple(_resolved(x, low.prog.unit_aliases) for x in u.units)
        if u.value is not None:
            low.constants[name] = u.value
        elif units in names.UNIT_FACTORS:
            low.constants[name] = names.UNIT_FACTORS[units]
        else:
            raise NmodlError(low.filename, u.line, f"UNITS constant {name} = "
                             f"{' '.join(u.units)} is not supported yet", not_supported=True)


def _resolved(unit: str, aliases: dict[str, str]) -> str:
    """A unit through the file's own definitions (``(avogadro) = (mole)``)."""
    seen = set()
    while unit in aliases and unit not in seen:
        seen.add(unit)
        unit = aliases[unit]
    return unit
