"""MechanismInfo: everything the analysis passes learn about one MOD file.

Passes fill it (``symbols``, ``layout``, ``solve``); the C printer only reads it.
``descriptor()`` is the public dict of ``pycoreneuron.mechanisms()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import ast


@dataclass
class IonUse:
    """One USEION statement."""

    name: str
    read: list[str]
    write: list[str]
    valence: str | None = None
    need_style: bool = False  # a concentration is written: erev and style slots
    implicit_reads: list[str] = field(default_factory=list)  # Xo added for Xi, and vice versa


@dataclass
class MechanismInfo:
    filename: str
    name: str = ""
    suffix: str = ""
    kind: str = "density"  # density | point_process | artificial_cell
    ions: list[IonUse] = field(default_factory=list)
    nonspecific: list[str] = field(default_factory=list)
    electrode: list[str] = field(default_factory=list)
    currents: list[str] = field(default_factory=list)  # nmodl's summation order
    range: list[str] = field(default_factory=list)
    globals: list[str] = field(default_factory=list)
    pointers: list[tuple[str, str]] = field(default_factory=list)  # (name, pointer|bbcorepointer)
    randoms: list[str] = field(default_factory=list)
    threadsafe: bool = False
    vectorize: bool = True
    writes_globals: bool = False
    has_verbatim: bool = False
    unsafe_before_threadsafe: bool = False
    definition_order: dict[str, int] = field(default_factory=dict)
    declared: dict[str, ast.VarDecl] = field(default_factory=dict)
    decl_kind: dict[str, str] = field(default_factory=dict)  # parameter | assigned | state
    constants: dict[str, str | None] = field(default_factory=dict)
    unit_constants: dict[str, ast.UnitConstant] = field(default_factory=dict)
    block_kinds: set[str] = field(default_factory=set)
    calls: set[str] = field(default_factory=set)
    solved: set[str] = field(default_factory=set)  # blocks named by a SOLVE statement
    names_used: set[str] = field(default_factory=set)
    names_written: set[str] = field(default_factory=set)
    # GLOBALs code assigns outside PROTECT (nocmodl's assigned_to_ 1): one copy per thread
    globals_written: set[str] = field(default_factory=set)
    net_receive_args: int | None = None
    net_send_used: bool = False
    watch_count: int = 0
    fornetcons: bool = False  # FOR_NETCONS used: a "fornetcon" dparam slot
    externals: list[str] = field(default_factory=list)  # EXTERNAL: other mechanisms' GLOBALs
    area_used: bool = False
    diam_used: bool = False
    # layout pass
    variables: list[tuple[str, int]] = field(default_factory=list)  # data order, (name, dim)
    dparam: list[tuple[str, str]] = field(default_factory=list)  # (name, semantics)
    global_params: list[tuple[str, str, int]] = field(default_factory=list)  # (name, default, dim)
    global_assigned: list[tuple[str, int]] = field(default_factory=list)
    # thread_globals.py: NEURON's per-thread variables (name -> ThreadGlobal), and per tabled
    # FUNCTION/PROCEDURE the instance variables its untabled code reads before writing
    thread_globals: dict[str, Any] = field(default_factory=dict)
    table_inputs: dict[str, list[str]] = field(default_factory=dict)
    table_recheck: bool = False  # a TABLE DEPENDs on what INITIAL writes: check each window

    @property
    def data_size(self) -> int:
        return sum(d for _, d in self.variables)

    @property
    def is_point(self) -> bool:
        return self.kind != "density"

    def offset(self, name: str) -> int:
        """Index of the first double of ``name`` in the instance (field-major: field index)."""
        k = 0
        for n, d in self.variables:
            if n == name:
                return k
            k += d
        raise KeyError(name)

    def descriptor(self) -> dict[str, Any]:
        """The public description used by the coredat reader and the engine."""
        return {
            "name": self.name,
            "kind": self.kind,
            "file": self.filename,
            "data_size": self.data_size,
            "dparam_size": len(self.dparam),
            "variables": list(self.variables),
            "dparam": list(self.dparam),
            "ions": [{"name": i.name, "read": list(i.read), "write": list(i.write),
                      "valence": None if i.valence is None else float(i.valence),
                      "implicit_read": list(i.implicit_reads)} for i in self.ions],
            "currents": list(self.currents),
            "globals": [(n, d) for n, d, _ in self.global_params],
            "has_initial": "INITIAL" in self.block_kinds,
            "has_breakpoint": "BREAKPOINT" in self.block_kinds,
            "has_net_receive": "NET_RECEIVE" in self.block_kinds,
            "net_receive_args": self.net_receive_args,
            "is_electrode_current": bool(self.electrode),
            "is_artificial": self.kind == "artificial_cell",
            "net_send": self.net_send_used,
            "net_event": "net_event" in self.calls,
            "watch": self.watch_count,
            "vectorized": self.vectorize,
            "randoms": list(self.randoms),
            "pointers": list(self.pointers),
        }
