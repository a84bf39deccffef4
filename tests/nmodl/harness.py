"""Run generated mechanism kernels from Python: a block of instances on NumPy arrays.

Each instance sits on its own node; ion variables live in a per-ion array of 5 doubles per
node (e, ci, co, i, di/dv, field-major), which the ion dparams index, as the engine will.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import numpy as np

from pycoreneuron.nmodl import library
from pycoreneuron.nmodl.build import build


def _ion_field(dpname: str, ion: str) -> int:
    """Which of the ion's 5 fields a dparam named like ion_ena / ion_dinadv points at."""
    var = dpname[4:] if dpname.startswith("ion_") else dpname
    return {f"e{ion}": 0, f"{ion}_erev": 0, f"{ion}i": 1, f"{ion}o": 2, f"i{ion}": 3,
            f"di{ion}dv": 4}[var]


class Block:
    """n instances of one mechanism, one node each."""

    def __init__(self, desc, n: int, dt: float = 0.025, celsius: float = 6.3):
        self.desc = desc
        self.n = n
        self.names = [desc.var_names[k].decode() for k in range(desc.nvars)]
        self.dims = [desc.var_dims[k] for k in range(desc.nvars)]
        self.offsets = dict(zip(self.names, np.cumsum([0] + self.dims[:-1]).tolist(),
                                strict=True))
        self.data = np.zeros(desc.data_size * n)
        self.v = np.full(n, -65.0)
        self.rhs = np.zeros(n)
        self.d = np.zeros(n)
        self.area = np.full(n, 100.0)
        self.ni = np.arange(n, dtype=np.int32)
        self.weights = np.zeros(16)
        self.sems = [desc.dparam_semantics[k].decode() for k in range(desc.dparam_size)]
        self.ions: dict[str, np.ndarray] = {}
        self.pdata = np.zeros(max(desc.dparam_size, 1) * n, dtype=np.int32)
        self._bases = (ctypes.POINTER(ctypes.c_double) * max(desc.dparam_size, 1))()
        self.streams: list = []
        self.vdata = (ctypes.c_void_p * max(4 * n, 1))()
        self.sent: list[tuple[int, int, float, float]] = []
        self.events: list[tuple[int, float]] = []
        self.moves: list[tuple[int, float]] = []
        self.args = library.MechArgs()
        self.args.dt = dt
        self.args.celsius = celsius
        self._keep = []

    # ---- set-up ----------------------------------------------------------------------------
    def ion(self, name: str) -> np.ndarray:
        """The (5, n) array of ion `name` (e, ci, co, cur, dcurdv) the dparams point into."""
        if name not in self.ions:
            self.ions[name] = np.zeros((5, self.n))
        return self.ions[name]

    def wire(self, dparam_names: list[str], lib=None, ids=(1, 0, 1)) -> None:
        """Resolve dparams: ions into the ion arrays, area into the node areas, vdata slots
        to fresh objects (Random123 streams for RANDOM, made by the library's own code)."""
        n = self.n
        vcount = 0
        for s, (name, sem) in enumerate(zip(dparam_names, self.sems, strict=True)):
            if sem.endswith("_ion") and not sem.startswith("#"):
                ion = sem[:-4]
                f = _ion_field(name, ion)
                self.pdata[s * n:(s + 1) * n] = f * n + np.arange(n)
                self._bases[s] = self.ion(ion).ctypes.data_as(ctypes.POINTER(ctypes.c_double))
            elif sem == "area":
                self.pdata[s * n:(s + 1) * n] = self.ni
                self._bases[s] = self.area.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
            elif sem in ("pntproc", "netsend", "random", "bbcorepointer"):
                self.pdata[s * n:(s + 1) * n] = vcount + np.arange(n)
                if sem == "random":
                    for i in range(n):
                        buf = ctypes.create_string_buffer(64)
                        lib.pcn_ran123_init(buf, ids[0], ids[1], ids[2] + i, 0)
                        self.streams.append(buf)
                        self.vdata[vcount + i] = ctypes.cast(buf, ctypes.c_void_p)
                vcount += n

    def set(self, name: str, values) -> None:
        k = self.offsets[name]
        self.data[k * self.n:(k + 1) * self.n] = values

    def get(self, name: str) -> np.ndarray:
        k = self.offsets[name]
        return self.data[k * self.n:(k + 1) * self.n]

    # ---- calls -------------------------------------------------------------------------------
    def _pack(self, t: float) -> ctypes.POINTER:
        a = self.args
        dp = ctypes.POINTER(ctypes.c_double)
        a.n = self.n
        a.stride = self.n
        a.t = t
        a.v = self.v.ctypes.data_as(dp)
        a.rhs = self.rhs.ctypes.data_as(dp)
        a.d = self.d.ctypes.data_as(dp)
        a.area = self.area.ctypes.data_as(dp)
        a.ni = self.ni.ctypes.data_as(ctypes.POINTER(ctypes.c_int))
        a.data = self.data.ctypes.data_as(dp)
        a.pdata = self.pdata.ctypes.data_as(ctypes.POINTER(ctypes.c_int))
        a.dp_base = self._bases
        a.vdata = self.vdata
        a.weights = self.weights.ctypes.data_as(dp)
        if not hasattr(self, "tvars"):  # the thread variables persist, as in the engine
            self.tvars = np.zeros(max(1, self.desc.ntvars))
        a.tvars = self.tvars.ctypes.data_as(dp)

        def send(_a, i, wi, td, flag):
            self.sent.append((i, wi, td, flag))

        def event(_a, i, te):
            self.events.append((i, te))

        def move(_a, i, tm):
            self.moves.append((i, tm))

        cb = (library._NET_SEND(send), library._NET_EVENT(event), library._NET_MOVE(move))
        self._keep = cb
        a.net_send, a.net_event, a.net_move = cb
        return ctypes.pointer(a)

    def table(self, instance: int = -1) -> None:
        self.desc.table(self._pack(0.0), instance)

    def init(self) -> None:
        self.desc.table(self._pack(0.0), -1)
        self.desc.init(self._pack(0.0))

    def cur(self, t: float) -> None:
        self.desc.cur(self._pack(t))

    def state(self, t: float) -> None:
        self.desc.state(self._pack(t))

    def net_receive(self, i: int, t: float, weight_index: int, flag: float) -> None:
        self.desc.net_receive(self._pack(t), i, weight_index, flag)


_LIBS: dict[str, tuple] = {}


def load_folder(folder: Path, cache: Path) -> tuple:
    """Build (cached) and load a MOD folder: (ctypes library, {name: descriptor})."""
    import os

    old = os.environ.get("PYCORENEURON_CACHE")
    os.environ["PYCORENEURON_CACHE"] = str(cache)
    try:
        lib_path, _ = build(folder)
    finally:  # leave the environment as we found it
        if old is None:
            del os.environ["PYCORENEURON_CACHE"]
        else:
            os.environ["PYCORENEURON_CACHE"] = old
    if str(lib_path) not in _LIBS:
        _LIBS[str(lib_path)] = library.load(lib_path)
    return _LIBS[str(lib_path)]
