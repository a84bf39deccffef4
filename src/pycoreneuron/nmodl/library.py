"""Load a compiled mechanism library (ctypes) and read its descriptors (mechanism_abi.h)."""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

from ..errors import NotSupportedError

_F = ctypes.CFUNCTYPE


class MechArgs(ctypes.Structure):
    """ctypes mirror of pcn_mech_args."""


_NET_SEND = _F(None, ctypes.POINTER(MechArgs), ctypes.c_int, ctypes.c_int, ctypes.c_double,
               ctypes.c_double)
_NET_EVENT = _F(None, ctypes.POINTER(MechArgs), ctypes.c_int, ctypes.c_double)
_NET_MOVE = _F(None, ctypes.POINTER(MechArgs), ctypes.c_int, ctypes.c_double)

_dp = ctypes.POINTER(ctypes.c_double)
MechArgs._fields_ = [
    ("n", ctypes.c_int), ("stride", ctypes.c_int),
    ("t", ctypes.c_double), ("dt", ctypes.c_double), ("celsius", ctypes.c_double),
    ("secondorder", ctypes.c_int),
    ("v", _dp), ("rhs", _dp), ("d", _dp), ("area", _dp),
    ("ni", ctypes.POINTER(ctypes.c_int)),
    ("data", _dp), ("pdata", ctypes.POINTER(ctypes.c_int)),
    ("dp_base", ctypes.POINTER(_dp)), ("vdata", ctypes.POINTER(ctypes.c_void_p)),
    ("weights", _dp), ("sav_rhs", _dp), ("sav_d", _dp),
    ("net_send", _NET_SEND), ("net_event", _NET_EVENT), ("net_move", _NET_MOVE),
    ("ctx", ctypes.c_void_p), ("tvars", _dp), ("globalindex", ctypes.c_uint),
    ("fornetcon_offsets", ctypes.POINTER(ctypes.c_int)),
    ("fornetcon_weights", ctypes.POINTER(ctypes.c_int)),
]

_HOOK = _F(None, ctypes.POINTER(MechArgs))
_NET_RECEIVE = _F(None, ctypes.POINTER(MechArgs), ctypes.c_int, ctypes.c_int, ctypes.c_double)
_NET_INIT = _F(None, ctypes.POINTER(MechArgs), ctypes.c_int, ctypes.c_int)
_TABLE = _F(None, ctypes.POINTER(MechArgs), ctypes.c_int)
_names = ctypes.POINTER(ctypes.c_char_p)
_ints = ctypes.POINTER(ctypes.c_int)


class MechDesc(ctypes.Structure):
    _fields_ = [
        ("abi_version", ctypes.c_int), ("name", ctypes.c_char_p), ("kind", ctypes.c_int),
        ("data_size", ctypes.c_int), ("dparam_size", ctypes.c_int), ("nvars", ctypes.c_int),
        ("var_names", ctypes.POINTER(ctypes.c_char_p)), ("var_dims", ctypes.POINTER(ctypes.c_int)),
        ("dparam_semantics", ctypes.POINTER(ctypes.c_char_p)),
        ("nglobals", ctypes.c_int), ("global_names", ctypes.POINTER(ctypes.c_char_p)),
        ("global_values", ctypes.POINTER(_dp)),
        ("net_receive_nargs", ctypes.c_int), ("electrode_current", ctypes.c_int),
        ("init", _HOOK), ("cur", _HOOK), ("state", _HOOK), ("net_receive", _NET_RECEIVE),
        ("table", _TABLE), ("net_init", _NET_INIT), ("watch_check", _HOOK),
        ("ntvars", ctypes.c_int), ("ntvar_names", ctypes.c_int), ("tvar_names", _names),
        ("tvar_offsets", _ints), ("tvar_dims", _ints), ("flags", ctypes.c_int),
        ("order_note", ctypes.c_char_p),
        ("ntable_inputs", ctypes.c_int), ("table_inputs", _names),
        ("ba", _HOOK * 5),
        ("bbcore_read", _F(None, ctypes.POINTER(MechArgs), _dp, ctypes.POINTER(ctypes.c_int))),
        ("nexternals", ctypes.c_int), ("external_names", _names),
        ("external_ptrs", ctypes.POINTER(_dp)),
        ("bbcore_write", _F(None, ctypes.POINTER(MechArgs), _dp, ctypes.POINTER(ctypes.c_int),
                            ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int))),
        ("values", _F(ctypes.c_int, ctypes.c_char_p, _dp, ctypes.c_int)),
    ]


# mechanism_abi.h: pcn_mech_desc.flags
ORDER_DEPENDENT, INITIAL_MATTERS, TABLE_RECHECK = 1, 2, 4


KINDS = {0: "density", 1: "point_process", 2: "artificial_cell"}


def load(path: str | Path) -> tuple[ctypes.CDLL, dict[str, Any]]:
    """The library and {name: MechDesc} of its mechanisms."""
    lib = ctypes.CDLL(str(path))
    fn = lib.pcn_mechanisms
    fn.restype = ctypes.c_int
    out = ctypes.POINTER(ctypes.POINTER(MechDesc))()
    fn.argtypes = [ctypes.POINTER(ctypes.POINTER(ctypes.POINTER(MechDesc)))]
    n = fn(ctypes.byref(out))
    descs = {}
    for k in range(n):
        d = out[k].contents
        descs[d.name.decode()] = d
    return lib, descs


def globals_of(desc: MechDesc) -> dict[str, float]:
    return {desc.global_names[k].decode(): desc.global_values[k].contents.value
            for k in range(desc.nglobals)}


def externals(desc: MechDesc) -> list[str]:
    """The other mechanisms' GLOBALs the mechanism reads (EXTERNAL), as name_suffix."""
    return [desc.external_names[k].decode() for k in range(desc.nexternals)]


def resolve_externals(desc: MechDesc, candidates: list[MechDesc], where: str) -> None:
    """Point each EXTERNAL of desc at the GLOBAL of that name among candidates."""
    for k, name in enumerate(externals(desc)):
        for other in candidates:
            for j in range(other.nglobals):
                if other.global_names[j].decode() == name:
                    desc.external_ptrs[k] = other.global_values[j]
                    break
            else:
                continue
            break
        else:
            raise NotSupportedError(f"{where}: EXTERNAL {name} of {desc.name.decode()}: no "
                                    "mechanism of this run has a GLOBAL PARAMETER of that "
                                    "name (an EXTERNAL GLOBAL ASSIGNED is not supported)")


def thread_variables(desc: MechDesc) -> list[tuple[str, int, int]]:
    """(name as in globals.dat, offset in tvars, length) of each thread variable."""
    return [(desc.tvar_names[k].decode(), desc.tvar_offsets[k], desc.tvar_dims[k])
            for k in range(desc.ntvar_names)]


def table_inputs(desc: MechDesc) -> list[str]:
    """Instance variables the TABLEs are built from (read before written)."""
    return [desc.table_inputs[k].decode() for k in range(desc.ntable_inputs)]


def set_global(desc: MechDesc, name: str, value: float) -> None:
    for k in range(desc.nglobals):
        if desc.global_names[k].decode() == name:
            desc.global_values[k].contents.value = value
            return
    raise KeyError(name)


_LOADED: dict[str, tuple[ctypes.CDLL, dict[str, Any]]] = {}


def descriptor_addresses(path: str | Path) -> dict[str, int]:
    """{name: address of its pcn_mech_desc} of a compiled library, for the engine to cast.

    The library stays loaded for the life of the process (the addresses point into it).
    """
    key = str(Path(path).resolve())
    if key not in _LOADED:
        _LOADED[key] = load(key)
    return {name: ctypes.addressof(d) for name, d in _LOADED[key][1].items()}


def describe(desc: MechDesc) -> dict[str, Any]:
    """The C descriptor as a dict (same keys as pycoreneuron.mechanisms() where they exist)."""
    return {
        "name": desc.name.decode(),
        "kind": KINDS[desc.kind],
        "data_size": desc.data_size,
        "dparam_size": desc.dparam_size,
        "variables": [(desc.var_names[k].decode(), desc.var_dims[k]) for k in range(desc.nvars)],
        "dparam_semantics": [desc.dparam_semantics[k].decode()
                             for k in range(desc.dparam_size)],
        "net_receive_args": desc.net_receive_nargs if desc.net_receive_nargs >= 0 else None,
        "is_electrode_current": bool(desc.electrode_current),
        "globals": globals_of(desc),
    }
