"""Which mechanisms this build knows, and how each dataset mechanism is matched to one.

The dataset carries sizes but neither variable names nor dparam semantics (format section 4):
those come from our translated MOD files, as descriptor dicts (``pycoreneuron.mechanisms()``):

    {"name": "hh", "kind": "density" | "point_process" | "artificial_cell",
     "data_size": 25, "dparam_size": 6,
     "variables": [("gnabar", 1), ...],            # data order, (name, array dim)
     "dparam": [("ena", "na_ion"), ...],           # dparam order, NEURON's semantics strings
     "net_receive_args": 1}                         # optional: NET_RECEIVE argument count

Capacitance, morphology and ions are engine built-ins, not MOD files; their layouts are here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import DatasetError, NotSupportedError, UsageError
from .mech_dat import MechRecord

# Semantics strings whose pdata value is an index into the group's vdata table (section 9.3).
VDATA_SEMANTICS = frozenset({"netsend", "pntproc", "bbcorepointer", "random"})
_PLAIN_SEMANTICS = frozenset(
    {"area", "iontype", "netsend", "pointer", "pntproc", "bbcorepointer", "watch", "diam",
     "fornetcon", "random"})


@dataclass(frozen=True)
class MechInfo:
    """A dataset mechanism matched with what this build knows about it."""

    record: MechRecord
    variables: tuple[tuple[str, int], ...]
    dparam: tuple[tuple[str, str], ...]  # (name, semantics)
    kind: str
    net_receive_args: int | None

    @property
    def name(self) -> str:
        return self.record.name


def _builtin(record: MechRecord) -> dict[str, Any] | None:
    """Layouts of the engine's own mechanisms (NEURON's C code, not MOD files)."""
    if record.name == "morphology":
        return {"variables": [("diam", 1)], "dparam": [], "kind": "density"}
    if record.name == "capacitance":
        return {"variables": [("cm", 1), ("i_cap", 1)], "dparam": [], "kind": "density"}
    if record.is_ion and record.name.endswith("_ion"):
        ion = record.name[:-4]
        return {
            "variables": [(f"e{ion}", 1), (f"{ion}i", 1), (f"{ion}o", 1), (f"i{ion}", 1),
                          (f"di{ion}_dv_", 1)],
            "dparam": [("iontype", "iontype")],
            "kind": "density",
        }
    return None


def normalise(mechanisms: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]]
              ) -> dict[str, Mapping[str, Any]]:
    """Accept a name -> descriptor mapping or a list of descriptors (pycoreneuron.mechanisms())."""
    if isinstance(mechanisms, Mapping):
        return dict(mechanisms)
    out: dict[str, Mapping[str, Any]] = {}
    for d in mechanisms:
        if not isinstance(d, Mapping) or "name" not in d:
            raise UsageError("mechanisms must be descriptor dicts with a 'name' key")
        out[d["name"]] = d
    return out


def default_mechanisms() -> dict[str, Mapping[str, Any]] | None:
    """pycoreneuron.mechanisms() of this build, or None while the translator is not built."""
    import pycoreneuron

    fn = getattr(pycoreneuron, "mechanisms", None)
    if fn is None:
        return None
    return normalise(fn())


def semantics_kind(sem: str) -> str:
    """'area', 'pointer', ... as is; 'ion' for 'xx_ion'; 'ionstyle' for '#xx_ion'."""
    if sem in _PLAIN_SEMANTICS:
        return sem
    if sem.startswith("#") and sem.endswith("_ion"):
        return "ionstyle"
    if sem.endswith("_ion"):
        return "ion"
    return "unknown"


def match(record: MechRecord, descriptors: Mapping[str, Mapping[str, Any]] | None,
          nodecount: int, where: str) -> MechInfo | None:
    """Match one dataset mechanism with our implementation, refusing as CoreNEURON does.

    Returns None for a mechanism we lack when it has no instances (only listed). ``where``
    names the file for messages.
    """
    d: Mapping[str, Any] | None = _builtin(record)
    if d is None and descriptors is not None:
        d = descriptors.get(record.name)
    if d is not None and "untranslated" in d:
        if nodecount == 0:
            return None
        raise NotSupportedError(
            f"{where}: mechanism {record.name} has {nodecount} instances and its MOD file "
            f"cannot be translated: {d['untranslated']}")
    if d is None:
        if nodecount == 0:
            return None
        raise DatasetError(
            f"{where}: mechanism {record.name} has {nodecount} instances but this build of "
            f"pycoreneuron has no {record.name}; bring its MOD file with "
            "'pycoreneuron-run --mod DIR' (or mechanisms=pycoreneuron.mechanisms(mod=DIR))")
    variables = tuple((str(n), int(k)) for n, k in d.get("variables", ()))
    dparam = tuple((str(n), str(s)) for n, s in d.get("dparam", ()))
    if dparam and dparam[-1][1] == "cvodeieq":  # NEURON-only slot, never written
        dparam = dparam[:-1]
    psize = int(d.get("data_size", sum(k for _, k in variables)))
    dpsize = int(d.get("dparam_size", len(dparam)))
    kind = str(d.get("kind", "density"))
    ours_kind = {"density": (False, False), "point_process": (True, False),
                 "artificial_cell": (True, True)}.get(kind)
    problems = []
    if psize != record.psize or dpsize != record.dpsize:
        problems.append(
            f"the dataset has {record.psize} doubles and {record.dpsize} dparams per instance, "
            f"this build's {record.name} has {psize} and {dpsize}")
    elif variables and tuple(k for _, k in variables) != record.dims:
        problems.append(
            f"the dataset's array dimensions are {list(record.dims)}, this build's are "
            f"{[k for _, k in variables]}")
    elif ours_kind is not None and ours_kind != (record.is_point, record.is_art):
        theirs = ("artificial_cell" if record.is_art else
                  "point_process" if record.is_point else "density")
        problems.append(f"it is a {theirs} in the dataset and a {kind} in this build")
    elif len(variables) != len(record.dims) or len(dparam) != dpsize:
        problems.append(
            f"this build's descriptor of {record.name} lists {len(variables)} variables and "
            f"{len(dparam)} dparams for sizes {psize} and {dpsize}")
    if problems:
        raise DatasetError(
            f"{where}: {record.name} is a different MOD file than the one used by NEURON: "
            f"{problems[0]}; translate the same MOD files for both (--mod DIR)")
    for name, sem in dparam:
        if semantics_kind(sem) == "unknown":
            raise DatasetError(
                f"{where}: dparam {name} of {record.name} has semantics {sem!r}, which this "
                "reader does not know")
    nra = d.get("net_receive_args")
    return MechInfo(record, variables, dparam, kind, None if nra is None else int(nra))
