"""<g>_1.dat: a group's spike sources (gids) and its NetCons' sources (format section 6)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .text import FileCursor


@dataclass
class Phase1:
    output_gid: np.ndarray  # int32[n_presyn]: gid, -1 (no source) or -(type + 1000*index)
    netcon_srcgid: np.ndarray  # int32[n_netcon]: gid, -1 (no source) or a local negative code
    chkpnt: int  # where the array counter stands; phase 2 continues from it


def read_phase1(path: Path) -> Phase1:
    with FileCursor(path, chkpnt=0) as f:
        f.version()
        n_presyn = f.int("n_presyn", minimum=0)
        n_netcon = f.int("n_netcon", minimum=0)
        output_gid = f.array(np.int32, n_presyn, "output_gid")
        netcon_srcgid = f.array(np.int32, n_netcon, "netcon_srcgid")
        f.expect_eof("netcon_srcgid")
        bad = np.flatnonzero(output_gid == -2)
        if bad.size:
            # pc.cell(gid, nc, 0): NEURON writes -2, CoreNEURON then fails an assertion.
            from ..errors import NotSupportedError

            raise NotSupportedError(
                f"{path}: spike source {int(bad[0])} was registered with pc.cell(gid, nc, 0) "
                "(output_gid -2, a source that is not broadcast); this is not supported, "
                "register it with pc.cell(gid, nc) instead")
        return Phase1(output_gid, netcon_srcgid, f.chkpnt)
