"""-p FILE: the PatternStim instance CoreNEURON's nrn_mkPatternStim makes, run through the
translated mod/pattern.mod.

On each rank whose first group (CoreNEURON's thread 0) has cells, one PatternStim instance is
appended to the mechanisms of the rank's first block, as CoreNEURON appends it to thread 0's
list; its BBCOREPOINTER points at the raster (src/kernels/patternstim.c). Its INITIAL sends
it an event at t = 0, and each of its events sends the next group of raster entries to the
NetCons of the entries' gids. The other blocks of the rank receive what the host sent after
each window (``PatternRelay``). Every rank reads the whole raster and replays it into its own
part of the model; gids that are spike sources on the rank are not replayed there (no
InputPreSyn in CoreNEURON).
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import _core
from ..io.model import Group
from .assemble import BUILTIN_NONE, KIND_CODES

NAME = "PatternStim"
# pattern.mod's dparam slots: area, pntproc, ptr (bbcorepointer), tqitem
_PTR_SLOT = 2


def has_host(first_group: Group | None) -> bool:
    """Whether this rank gets a PatternStim: CoreNEURON makes none when thread 0 has no cells."""
    return first_group is not None and first_group.n_real_cell > 0


def instance_spec(desc: Any) -> dict[str, Any]:
    """The mechanism entry of one PatternStim instance for a block spec (see _engine.pxi);
    its vdata entry for ``ptr`` is filled by ``attach``."""
    if desc.dparam_size != 4 or desc.nvars != 3:
        raise ValueError(f"{NAME} must have pattern.mod's layout (3 doubles, 4 dparams)")
    return {
        "n": 1, "stride": 1, "kind": KIND_CODES["artificial_cell"],
        "data": np.zeros(desc.data_size, dtype=np.float64),  # fake_output = 0, as CoreNEURON
        "pdata": np.arange(desc.dparam_size, dtype=np.int32),  # slot k -> vdata[k]
        "ni": np.zeros(1, dtype=np.int32), "vdata": np.zeros(desc.dparam_size, dtype=np.uintp),
        "selfevent": np.full(1, -1, dtype=np.int32), "presyn": np.full(1, -1, dtype=np.int32),
        "desc": ctypes.addressof(desc), "builtin": BUILTIN_NONE,
        "dp_base": np.zeros(desc.dparam_size, dtype=np.uintp),
    }


def input_flags(gids: np.ndarray, groups: Sequence[Group]) -> np.ndarray:
    """1 for raster entries whose gid is no spike source on this rank (nrn_fake_fire finds an
    InputPreSyn only for those), else 0."""
    local = [np.asarray(g.output_gid) for g in groups]
    sources = np.concatenate(local) if local else np.empty(0, dtype=np.int64)
    return (~np.isin(gids, sources[sources >= 0])).astype(np.uint8)


def attach(spec: dict[str, Any], host: Any, times: np.ndarray, gids: np.ndarray,
           is_input: np.ndarray, nblocks: int) -> Any:
    """The raster for the instance ``spec`` in block ``host``: its BBCOREPOINTER entry set."""
    raster = _core.PatternStimList(host, np.ascontiguousarray(times, dtype=np.float64),
                                   np.ascontiguousarray(gids, dtype=np.int32),
                                   np.ascontiguousarray(is_input, dtype=np.uint8), nblocks > 1)
    spec["vdata"][_PTR_SLOT] = raster.address
    return raster


class PatternRelay:
    """The spike exchange, with the entries the host sent during the window handed to the
    rank's other blocks first (CoreNEURON's inter-thread events of nrn_fake_fire)."""

    def __init__(self, raster: Any, block_set: Any, exchange: Callable[[Any], None]):
        self.raster = raster
        self.block_set = block_set
        self.exchange = exchange

    def __call__(self, failure: Any = None) -> None:
        if failure is None:
            self.raster.relay(self.block_set)
        self.exchange(failure)
