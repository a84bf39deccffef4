"""The device engine's windows for a run (src/kernels/device_window.h): what they cannot run,
refused in one line before the run, and how many steps each block's window takes.

A block runs on the device whole windows of steps with the kernels of every mechanism but the
artificial cells, whose events the host keeps. A window is at most the smallest delay of the
NetCons the block's own spikes drive (then none of those spikes is due inside the window) and
at most MAX_WINDOW steps (the window's flags and event log are kept on the host).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import NotSupportedError
from .mechlib import by_address
from .windows import window_steps

MAX_WINDOW = 1000  # steps
_ARTIFICIAL = 2  # KIND_CODES["artificial_cell"]
_NO_BUILTIN = 0


def _name(desc: Any) -> str:
    return desc.name.decode()


def refusals(spec: dict[str, Any], by_address: dict[int, Any], kept: dict[str, str]) -> list[str]:
    """Why this block cannot run on the device engine (empty: it can)."""
    why: list[str] = []
    for ms in spec["mechanisms"]:  # their NET_RECEIVE on the host reads a played value at once
        if ms["kind"] == _ARTIFICIAL and ms["n"] > 0:
            start = ms["data"].ctypes.data
            if any(start <= play[0] < start + ms["data"].nbytes for play in spec["plays"]):
                why.append("a Vector.play into an ARTIFICIAL_CELL is not on the device "
                           "engine yet")
    for ms in spec["mechanisms"]:
        if ms["builtin"] != _NO_BUILTIN or ms["n"] == 0:
            continue
        desc = by_address[ms["desc"]]
        name = _name(desc)
        if any(desc.ba[k] for k in range(len(desc.ba))):
            why.append(f"{name}: BEFORE/AFTER blocks are not on the device engine yet")
        if desc.watch_check:
            why.append(f"{name}: WATCH is not on the device engine yet")
        if ms["kind"] == _ARTIFICIAL:  # on the host, its hooks too (device_window.c)
            read = [s for s in _semantics(desc) if s in ("pointer", "diam") or "_ion" in s]
            if read:  # the host plans a window before the device computes those values
                why.append(f"{name}: an ARTIFICIAL_CELL that reads the cells' values "
                           f"({read[0]}) is not on the device engine")
            continue
        if not ms.get("dev_run"):
            why.append(f"{name} has no device kernels: {kept.get(name, 'not translated')}")
        elif desc.net_receive_nargs >= 0 and ms["kind"] == 1 and not ms.get("dev_net_receive"):
            why.append(f"{name}: its NET_RECEIVE has no device kernel")
    return why


def _semantics(desc: Any) -> list[str]:
    return [desc.dparam_semantics[k].decode() for k in range(desc.dparam_size)]


def refuse_recorded_artificial(specs: list[dict[str, Any]]) -> None:
    """A recorded ARTIFICIAL_CELL variable is refused: the host runs a window's artificial
    cells before the device samples the window, so the samples would be the window's end."""
    for k, spec in enumerate(specs):
        where = spec.get("record_ptr")
        if where is None or len(where) == 0:
            continue
        for ms in spec["mechanisms"]:
            if ms["kind"] != _ARTIFICIAL or ms["n"] == 0:
                continue
            start = ms["data"].ctypes.data
            if ((where >= start) & (where < start + ms["data"].nbytes)).any():
                raise NotSupportedError(
                    f"the device engine cannot run group {k}: recording an ARTIFICIAL_CELL's "
                    "variable is not on the device engine yet")


def refuse_gaps_between_blocks(specs: list[dict[str, Any]], across_ranks: bool) -> None:
    """The device engine transfers a block's gap junctions inside the block (a kernel at step
    J); a junction whose source is another block's (NEURON thread's) or rank's is refused."""
    for k, spec in enumerate(specs):
        sources = spec.get("gap_source")
        if sources is None or len(sources) == 0:
            continue
        v = spec["v"]
        inside = (sources >= v.ctypes.data) & (sources < v.ctypes.data + v.nbytes)
        if across_ranks or not inside.all():
            raise NotSupportedError(
                f"the device engine cannot run group {k}: gap junctions between NEURON "
                "threads or MPI ranks are not on the device engine yet (within one thread "
                "they are)")


def own_spike_delay(spec: dict[str, Any]) -> float:
    """The smallest delay [ms] of the NetCons (with a target) that the block's voltage
    sources drive; infinity when there is none."""
    start = np.asarray(spec["netcon_start"])
    listed = np.asarray(spec["netcon_list"])[int(start[0]):int(start[spec["nvoltage"]])]
    targeted = listed[np.asarray(spec["netcon_mech"])[listed] >= 0]
    if targeted.size == 0:
        return float("inf")
    return float(np.asarray(spec["netcon_delay"])[targeted].min())


def prepare(specs: list[dict[str, Any]], descriptors: dict[Any, Any], kept: dict[str, str],
            dt: float) -> None:
    """Give each block its window length, or refuse the run in one line."""
    found = by_address(descriptors)
    for k, spec in enumerate(specs):
        why = refusals(spec, found, kept)
        if why:
            raise NotSupportedError(f"the device engine cannot run group {k}: {why[0]}")
        delay = own_spike_delay(spec)
        if delay < dt:
            raise NotSupportedError(
                f"the device engine cannot run group {k}: a NetCon from one of its cells has "
                f"delay {delay:g} ms, less than dt = {dt:g} ms (a window is at least a step)")
        spec["device_window"] = min(MAX_WINDOW, window_steps(min(delay, 1e308), dt))


def to_device(blocks: list[Any], specs: list[dict[str, Any]], device: str,
              cuda_lib: Any = None, cuda_tables: tuple[int, int] | None = None) -> None:
    """Copy every block to the device (device_target.h): "copy", separate host memory with
    the host's copies poisoned; "cuda", the GPU, with the CUDA module's tables and the
    mechanisms' CUDA kernels (device_kernels.build_cuda)."""
    for block, spec in zip(blocks, specs, strict=True):
        if device == "copy":
            block.attach_device(device, poison=True)
            continue
        from .device_kernels import cuda_kernels

        runs, receives = cuda_kernels(spec, cuda_lib) if cuda_lib is not None else (None, None)
        block.attach_device(device, *cuda_tables, runs, receives)


def from_device(blocks: list[Any], keep: bool) -> None:
    """Free the blocks' device copies, their state first copied back when keep."""
    for block in blocks:
        if keep:
            block.download_device()
        block.detach_device()


__all__ = ["from_device", "to_device", "MAX_WINDOW", "own_spike_delay", "prepare", "refusals",
           "refuse_gaps_between_blocks", "refuse_recorded_artificial"]
