"""--checkpoint and --restore: a run's whole state at its end, and a run that continues from it.

The state is kept in the dataset's terms: per group, voltages by node, every mechanism's
doubles by instance, WATCH flags, thread variables, Random123 stream positions, NetCon weights,
threshold flags by spike source, Vector.play positions, and the pending events with their
delivery order, each naming its NetCon, instance or play by its index in the group. The block
layout (threads, ranks, --cell-permute) is not part of it: a run on any other split reads the
same dataset, builds its blocks and puts every value where that layout keeps it.

What a restored run does, step by step, is what the uninterrupted run does from the same
step: it skips finitialize, starts from the saved t and step count (so the steps to tstop are
the same), and each block's queue is rebuilt by inserting its events in delivery order, which
gives the same queue (block_state.h). Events in flight between blocks or ranks do not exist at
a checkpoint: the last window's spikes were exchanged before the run ended.

Not saved, refused instead: state behind a BBCOREPOINTER other than PatternStim's (VERBATIM
data the engine cannot see into).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import _core
from ..errors import NotSupportedError
from ..io import checkpoint_files as files
from ..io.checkpoint_files import CheckpointError
from ..io.model import Group, Mechanism

EVENT_NETCON, EVENT_SELF, EVENT_PLAY, EVENT_WATCH = 0, 1, 2, 3


@dataclass
class RunPoint:
    """Where a run stands and what it ran with: a restore must match all but t and steps."""

    t: float
    steps: int
    dt: float
    celsius: float
    secondorder: int
    globalindex: int


@dataclass
class _Origins:
    node: np.ndarray
    netcon: np.ndarray
    presyn: np.ndarray
    play: np.ndarray
    instance: list[np.ndarray]


def _origins(block: Group) -> _Origins:
    o = block.origins
    inst = [m.origin if m.origin is not None else np.arange(m.n) for m in block.mechanisms]
    if o is None:  # the group as read: its own order
        return _Origins(np.arange(block.nnode), np.arange(block.n_netcon),
                        np.arange(block.n_presyn), np.arange(len(block.vecplay)), inst)
    return _Origins(np.asarray(o.node, np.int64), np.asarray(o.netcon, np.int64),
                    np.asarray(o.presyn, np.int64), np.asarray(o.play, np.int64), inst)


def _instance_rows(m: Mechanism, data: np.ndarray) -> np.ndarray:
    """(n, psize) doubles of the mechanism, instance by instance."""
    out = np.empty((m.n, m.psize), dtype=np.float64)
    off, pad = 0, m.padded
    for _, dim in m.variables:
        out[:, off : off + dim] = data[pad * off : pad * (off + dim)].reshape(pad, dim)[: m.n]
        off += dim
    return out


def _set_instance_rows(m: Mechanism, data: np.ndarray, rows: np.ndarray) -> None:
    off, pad = 0, m.padded
    for _, dim in m.variables:
        data[pad * off : pad * (off + dim)].reshape(pad, dim)[: m.n] = rows[:, off : off + dim]
        off += dim


def _watch_slots(m: Mechanism) -> list[int]:
    return [s for s, sem in enumerate(m.semantics) if sem == "watch"]


def _weight_starts(counts: np.ndarray) -> np.ndarray:
    """Where each NetCon's weights start, from their counts (none for no NetCon)."""
    return np.concatenate(([0], np.cumsum(counts)))[:-1].astype(np.int64)


def _weight_counts(spec: dict[str, Any]) -> np.ndarray:
    starts = np.asarray(spec["netcon_weight"], dtype=np.int64)
    return np.diff(np.append(starts, len(spec["weights"])))


def refuse_unsaveable(groups: list[Group], descriptors: dict[Any, Any]) -> None:
    """What VERBATIM code keeps behind a BBCOREPOINTER is saved by its own bbcore_write (and
    read back by its bbcore_read), as CoreNEURON saves it; without one it cannot be."""
    for g in groups:
        for k, _, _ in g.bbcorepointer:
            m = g.mechanisms[k]
            desc = descriptors.get(m.name)
            if m.n and (desc is None or not desc.bbcore_write):
                raise NotSupportedError(
                    f"--checkpoint/--restore: {m.name} keeps state behind a BBCOREPOINTER "
                    "and its MOD file has no bbcore_write (VERBATIM) to save it with")


def _bbcore_write(desc: Any, ms: dict[str, Any], globalindex: int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(doubles, ints) the mechanism's bbcore_write gives for all its instances."""
    import ctypes

    from .assemble import mech_args

    a = mech_args(ms, globalindex)
    nx, ni = ctypes.c_int(0), ctypes.c_int(0)
    desc.bbcore_write(ctypes.byref(a), None, None, ctypes.byref(nx), ctypes.byref(ni))
    x = np.zeros(max(1, nx.value), dtype=np.float64)
    ia = np.zeros(max(1, ni.value), dtype=np.int32)
    mx, mi = ctypes.c_int(0), ctypes.c_int(0)
    desc.bbcore_write(ctypes.byref(a), x.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
                      ia.ctypes.data_as(ctypes.POINTER(ctypes.c_int)), ctypes.byref(mx),
                      ctypes.byref(mi))
    if (mx.value, mi.value) != (nx.value, ni.value):
        raise NotSupportedError(f"--checkpoint: {desc.name.decode()}'s bbcore_write wrote "
                                "other sizes than it counted")
    return x[: nx.value], ia[: ni.value]


# ---- saving ------------------------------------------------------------------------------

SAVED_EVENT = np.dtype([("t", np.float64), ("flag", np.float64), ("kind", np.int32),
                        ("target", np.int32), ("instance", np.int32), ("weight", np.int32),
                        ("self", np.int8), ("rank", np.int64), ("block", np.int32)])


def _saved_events(b: int, block: Any, spec: dict[str, Any], group: Group, o: _Origins,
                  weight_start_of: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(events of the group's mechanisms, PatternStim's events) of one block, in group terms."""
    events, handles = _core.block_pending_events(block)
    out = np.zeros(len(events), dtype=SAVED_EVENT)
    for name in ("t", "flag", "kind", "target", "instance", "weight"):
        out[name] = events[name]
    out["rank"] = np.arange(len(events))
    out["block"] = b
    kind, target = events["kind"], events["target"]
    nmech = len(group.mechanisms)
    netcon = kind == EVENT_NETCON
    out["target"][netcon] = o.netcon[target[netcon]]
    play = kind == EVENT_PLAY
    out["target"][play] = o.play[target[play]]
    self_kind = (kind == EVENT_SELF) | (kind == EVENT_WATCH)
    bw_start = np.asarray(spec["netcon_weight"], dtype=np.int64)
    for k in np.unique(target[self_kind]).tolist():
        sel = self_kind & (target == k)
        inst = events["instance"][sel]
        selfevent = spec["mechanisms"][k]["selfevent"]
        if selfevent is not None:
            out["self"][sel] = np.asarray(selfevent)[inst] == handles[sel]
        if k >= nmech:
            continue  # PatternStim: the rank's own instance, kept as it is
        out["instance"][sel] = o.instance[k][inst]
        w = events["weight"][sel].astype(np.int64)
        ok = (w >= 0) & (len(bw_start) > 0)
        if ok.any() and weight_start_of is not None:
            j = np.searchsorted(bw_start, w[ok], side="right") - 1
            # A weight is that of the NetCon whose event the NET_RECEIVE that sent this one
            # handled, a NetCon onto this instance; any other (INITIAL's net_send passes 0,
            # WATCH -1: NEURON passes no weight there) is saved as none, -1.
            netcon_mech = np.asarray(spec["netcon_mech"])[j]
            netcon_inst = np.asarray(spec["netcon_instance"])[j]
            onto = (netcon_mech == k) & (netcon_inst == inst[ok])
            w[ok] = np.where(onto, weight_start_of[o.netcon[j]] + (w[ok] - bw_start[j]), -1)
        out["weight"][sel] = w
    stim = self_kind & (target >= nmech)
    return out[~stim], out[stim]


def save(folder: Path, groups: list[Group], specs: list[dict[str, Any]], blocks: list[Any],
         point: RunPoint, digests: dict[str, Any], stim: tuple[Any, Any] | None,
         descriptors: dict[Any, Any], comm: Any = None) -> None:
    """Write this rank's groups' state; rank 0 writes the manifest once every rank has."""
    from .ranks import agree

    rank = 0 if comm is None else comm.Get_rank()
    token = files.new_token() if rank == 0 else None
    if comm is not None:
        token = comm.bcast(token, root=0)
    failure = None
    try:
        if rank == 0:
            files.remove_manifest(folder)
    except CheckpointError as exc:
        failure = exc
    agree(comm, failure)

    failure, stim_state, written = None, None, {}
    try:
        states = _gather_groups(groups, specs, blocks, descriptors, point.globalindex)
        for state in states.values():
            meta, arrays = state
            state_digest = files.write_state(folder / files.group_file_name(meta["id"]),
                                             token, meta, arrays)
            written[str(meta["id"])] = {"file": files.group_file_name(meta["id"]),
                                        "digest": digests["groups"][meta["id"]],
                                        "state": state_digest}
        if stim is not None:
            stim_state = _stim_state(groups, specs, blocks, stim)
    except CheckpointError as exc:
        failure = exc
    agree(comm, failure)

    everyone = [(written, stim_state is not None)] if comm is None else \
        comm.allgather((written, stim_state is not None))
    stim_writer = next((r for r, (_, has) in enumerate(everyone) if has), None)
    failure, stim_digest = None, ""
    try:
        if stim_writer == rank and stim_state is not None:
            stim_digest = files.write_state(folder / files.PATTERNSTIM_FILE, token,
                                            *stim_state)
    except CheckpointError as exc:
        failure = exc
    agree(comm, failure)
    if comm is not None and stim_writer is not None:
        stim_digest = comm.bcast(stim_digest, root=stim_writer)
    failure = None
    try:
        if rank == 0:
            all_groups: dict[str, Any] = {}
            for part, _ in everyone:
                all_groups.update(part)
            files.write_manifest(folder, {
                "token": token, "t": point.t, "steps": point.steps, "dt": point.dt,
                "celsius": point.celsius, "secondorder": point.secondorder,
                "globalindex": point.globalindex, "dataset": digests["dataset"],
                "pattern": digests.get("pattern", ""), "mod": digests.get("mod", ""),
                "groups": all_groups,
                "patternstim": stim_writer is not None, "patternstim_state": stim_digest})
    except CheckpointError as exc:
        failure = exc
    agree(comm, failure)


def _gather_groups(groups: list[Group], specs: list[dict[str, Any]], blocks: list[Any],
                   descriptors: dict[Any, Any], globalindex: int
                   ) -> dict[int, tuple[dict[str, Any], dict[str, np.ndarray]]]:
    by_group: dict[int, list[int]] = {}
    for b, g in enumerate(groups):
        by_group.setdefault(g.id, []).append(b)
    out = {}
    for gid, members in by_group.items():
        meta, arrays = _group_state(gid, [(b, groups[b], specs[b], blocks[b])
                                          for b in members])
        # BBCOREPOINTER state: such a group is always one block (partition keeps it whole)
        group = groups[members[0]]
        for k, _, _ in group.bbcorepointer:
            m, ms = group.mechanisms[k], specs[members[0]]["mechanisms"][k]
            if m.n:
                x, ia = _bbcore_write(descriptors[m.name], ms, globalindex)
                arrays[f"m{k}_bbcore_x"], arrays[f"m{k}_bbcore_i"] = x, ia
        out[gid] = (meta, arrays)
    return out


def _group_state(gid: int, members: list[tuple[int, Group, dict[str, Any], Any]]
                 ) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    first = members[0][1]
    nmech = len(first.mechanisms)
    origins = [_origins(g) for _, g, _, _ in members]
    # NetCon weights in group order: each NetCon's count, then the group's starts.
    n_netcon = sum(len(o.netcon) for o in origins)
    counts = np.zeros(n_netcon, dtype=np.int64)
    for (_, _, spec, _), o in zip(members, origins, strict=True):
        counts[o.netcon] = _weight_counts(spec)
    weight_start = _weight_starts(counts)
    weights = np.zeros(int(counts.sum()), dtype=np.float64)
    nnode = sum(len(o.node) for o in origins)
    v = np.zeros(nnode, dtype=np.float64)
    n_presyn = sum(len(o.presyn) for o in origins)
    above = np.zeros(n_presyn, dtype=np.uint8)
    nplay = sum(len(o.play) for o in origins)
    ubound = np.zeros(nplay, dtype=np.int32)
    last = np.zeros(nplay, dtype=np.int32)
    arrays: dict[str, np.ndarray] = {}
    mechs_meta = []
    events = []
    for k in range(nmech):
        m0 = first.mechanisms[k]
        n_k = sum(len(o.instance[k]) for o in origins)
        rows = np.zeros((n_k, m0.psize), dtype=np.float64)
        watch = _watch_slots(m0)
        flags = np.zeros((len(watch), n_k), dtype=np.int32)
        tvars, tvars_from = None, None
        random = None
        for (_, g, spec, _), o in zip(members, origins, strict=True):
            m, ms = g.mechanisms[k], spec["mechanisms"][k]
            if m.n == 0:
                continue
            rows[o.instance[k]] = _instance_rows(m, ms["data"])
            if watch:
                pdata = np.asarray(ms["pdata"]).reshape(m.dpsize, m.padded)
                flags[:, o.instance[k]] = pdata[watch, : m.n]
            first_inst = int(o.instance[k].min())
            if ms.get("tvars") is not None and (tvars_from is None or first_inst < tvars_from):
                tvars, tvars_from = np.array(ms["tvars"], dtype=np.float64), first_inst
            streams = ms.get("random_streams")
            if streams is not None:
                per = streams.reshape(-1, m.n, _stream_size())
                if random is None:
                    random = np.zeros((per.shape[0], n_k, _stream_size()), dtype=np.uint8)
                random[:, o.instance[k]] = per
        arrays[f"m{k}_data"] = rows
        if watch:
            arrays[f"m{k}_watch"] = flags
        if tvars is not None:
            arrays[f"m{k}_tvars"] = tvars
        if random is not None:
            arrays[f"m{k}_random"] = random
        mechs_meta.append({"name": m0.name, "n": n_k, "psize": m0.psize})
    for (b, g, spec, block), o in zip(members, origins, strict=True):
        v[o.node] = np.asarray(spec["v"])[: g.nnode]
        nvoltage = spec["nvoltage"]
        above[o.presyn[:nvoltage]] = np.asarray(spec["above"])[:nvoltage]
        take = _weight_positions(spec, weight_start[o.netcon])
        weights[take[1]] = np.asarray(spec["weights"])[take[0]]
        ub, la = _core.block_play_state(block)
        ubound[o.play] = ub
        last[o.play] = la
        group_events, _ = _saved_events(b, block, spec, g, o, weight_start)
        events.append(group_events)
    all_events = np.concatenate(events) if events else np.zeros(0, SAVED_EVENT)
    # one delivery order for the group: each block's order kept (rank), blocks side by side
    all_events = all_events[np.lexsort((all_events["block"], all_events["rank"],
                                        all_events["t"]))]
    arrays.update(v=v, above=above, weights=weights, weight_count=counts,
                  play_ubound=ubound, play_last=last, events=_plain(all_events))
    meta = {"id": gid, "nnode": nnode, "n_netcon": n_netcon, "n_presyn": n_presyn,
            "nplay": nplay, "mechanisms": mechs_meta}
    return meta, arrays


def _weight_positions(spec: dict[str, Any], group_start: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """(positions in the block's weights, positions in the group's) of every weight."""
    counts = _weight_counts(spec)
    block_start = np.asarray(spec["netcon_weight"], dtype=np.int64)
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return (np.repeat(block_start, counts) + within, np.repeat(group_start, counts) + within)


def _stream_size() -> int:
    return int(_core.ran123_stream_size())


# The columns a state file keeps (rank and block only order the events while saving).
_FILE_COLUMNS = ("t", "flag", "kind", "target", "instance", "weight", "self")


def _plain(events: np.ndarray) -> np.ndarray:
    """Events as named columns of one float64 table (npz without pickling), in order."""
    table = np.zeros((len(events), len(_FILE_COLUMNS)), dtype=np.float64)
    for c, name in enumerate(_FILE_COLUMNS):
        table[:, c] = events[name]
    return table


def _structured(table: np.ndarray, where: str) -> np.ndarray:
    if table.ndim != 2 or table.shape[1] != len(_FILE_COLUMNS) or \
            not np.isfinite(table[:, 2:]).all():
        raise CheckpointError(f"--restore: {where}: the event table is malformed")
    out = np.zeros(len(table), dtype=SAVED_EVENT)
    for c, name in enumerate(_FILE_COLUMNS):
        out[name] = table[:, c]
    return out


def _stim_state(groups: list[Group], specs: list[dict[str, Any]], blocks: list[Any],
                stim: tuple[Any, Any]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    stim_spec, raster = stim
    host = 0  # the rank's first block (patternstim.attach)
    o = _origins(groups[host])
    _, stim_events = _saved_events(host, blocks[host], specs[host], groups[host], o, None)
    return ({"position": int(_core.patternstim_position(raster))},
            {"data": np.array(stim_spec["data"], dtype=np.float64),
             "events": _plain(stim_events)})


# ---- restoring ---------------------------------------------------------------------------

def check_manifest(manifest: dict[str, Any], point: RunPoint, digests: dict[str, Any],
                   folder: Path, pattern: bool) -> None:
    """Refuse a checkpoint of another dataset, MOD files, dt, temperature or seed."""
    where = f"--restore {folder}"
    if manifest["dataset"] != digests["dataset"]:
        raise CheckpointError(f"{where}: the checkpoint is of another dataset (its files.dat, "
                              "globals.dat or bbcore_mech.dat differ)")
    if manifest.get("mod", "") != digests.get("mod", ""):
        raise CheckpointError(f"{where}: the checkpoint ran with other MOD files (--mod) than "
                              "this run: their mechanisms would continue another model")
    for name, ours in (("dt", point.dt), ("celsius", point.celsius),
                       ("secondorder", point.secondorder), ("globalindex", point.globalindex)):
        if manifest[name] != ours:
            label = {"globalindex": "Random123 global index (--seed)"}.get(name, name)
            raise CheckpointError(f"{where}: the checkpoint ran with {label} "
                                  f"{manifest[name]!r}, this run asks for {ours!r}")
    if bool(manifest.get("patternstim")) != pattern or \
            (pattern and manifest.get("pattern") != digests.get("pattern")):
        raise CheckpointError(f"{where}: -p must name the same spike file as the run that "
                              "wrote the checkpoint" if pattern or manifest.get("patternstim")
                              else f"{where}: -p differs from the checkpoint's run")
    for gid, digest in digests["groups"].items():
        entry = manifest["groups"].get(str(gid))
        if not isinstance(entry, dict):
            raise CheckpointError(f"{where}: the checkpoint has no state for group {gid}")
        if entry.get("digest") != digest:
            raise CheckpointError(f"{where}: the checkpoint is of another dataset (group "
                                  f"{gid}'s files differ)")


def load_groups(folder: Path, manifest: dict[str, Any], group_ids: list[int]
                ) -> dict[int, tuple[dict[str, Any], dict[str, np.ndarray]]]:
    out = {}
    for gid in group_ids:
        entry = manifest["groups"][str(gid)]
        name = entry.get("file")
        if name != files.group_file_name(gid):
            raise CheckpointError(f"--restore {folder}: group {gid}'s file is misnamed")
        out[gid] = files.read_state(folder / name, manifest["token"], entry.get("state"))
    return out


def _expect(condition: bool, folder: Path, gid: int, what: str) -> None:
    if not condition:
        raise CheckpointError(f"--restore {folder}: group {gid}: {what} differs between the "
                              "checkpoint and this run's dataset and mechanisms")


def restore(folder: Path, manifest: dict[str, Any], states: dict[int, Any],
            groups: list[Group], specs: list[dict[str, Any]], blocks: list[Any],
            stim: tuple[Any, Any] | None, descriptors: dict[Any, Any]) -> None:
    """Put the saved state into this run's blocks (after their TABLEs are built)."""
    by_group: dict[int, list[int]] = {}
    for b, g in enumerate(groups):
        by_group.setdefault(g.id, []).append(b)
    for b in range(len(blocks)):
        _core.block_resume(blocks[b], float(manifest["t"]), int(manifest["steps"]))
    for gid, members in by_group.items():
        meta, arrays = states[gid]
        _restore_group(folder, gid, meta, arrays, [(b, groups[b], specs[b], blocks[b])
                                                  for b in members])
        group, spec = groups[members[0]], specs[members[0]]
        for k, _, _ in group.bbcorepointer:
            m, ms = group.mechanisms[k], spec["mechanisms"][k]
            x, ia = arrays.get(f"m{k}_bbcore_x"), arrays.get(f"m{k}_bbcore_i")
            if m.n and (x is None or ia is None):
                raise CheckpointError(f"--restore {folder}: group {gid}: {m.name}'s "
                                      "BBCOREPOINTER state is missing")
            if m.n:
                from .assemble import _bbcore_read

                _bbcore_read(descriptors[m.name], ms, ia, x, int(manifest["globalindex"]),
                             spec["keep"])
    if stim is not None:
        meta, arrays = files.read_state(folder / files.PATTERNSTIM_FILE, manifest["token"],
                                        manifest.get("patternstim_state"))
        stim_spec, raster = stim
        data = arrays.get("data")
        position = meta.get("position")
        if data is None or data.shape != np.shape(stim_spec["data"]) or \
                not isinstance(position, int):
            raise CheckpointError(f"--restore {folder}: {files.PATTERNSTIM_FILE} is malformed")
        stim_spec["data"][:] = data
        try:
            _core.set_patternstim_position(raster, position)
        except ValueError:
            raise CheckpointError(f"--restore {folder}: the PatternStim position lies outside "
                                  "the -p file") from None
        events = _structured(arrays.get("events", np.zeros((0, 0))), files.PATTERNSTIM_FILE)
        host_spec = specs[0]
        slot = len(host_spec["mechanisms"]) - 1
        events["target"] = slot
        events["instance"] = 0
        _insert(blocks[0], host_spec, events)


def _restore_group(folder: Path, gid: int, meta: dict[str, Any], arrays: dict[str, np.ndarray],
                   members: list[tuple[int, Group, dict[str, Any], Any]]) -> None:
    origins = [_origins(g) for _, g, _, _ in members]
    first = members[0][1]
    nmech = len(first.mechanisms)
    saved_mechs = meta.get("mechanisms")
    _expect(isinstance(saved_mechs, list) and len(saved_mechs) == nmech, folder, gid,
            "the number of mechanisms")
    nnode = sum(len(o.node) for o in origins)
    n_netcon = sum(len(o.netcon) for o in origins)
    n_presyn = sum(len(o.presyn) for o in origins)
    nplay = sum(len(o.play) for o in origins)
    for name, ours in (("nnode", nnode), ("n_netcon", n_netcon), ("n_presyn", n_presyn),
                       ("nplay", nplay)):
        _expect(meta.get(name) == ours, folder, gid, name)
    try:
        v, above = arrays["v"], arrays["above"]
        weights, counts = arrays["weights"], arrays["weight_count"].astype(np.int64)
        ubound, last = arrays["play_ubound"], arrays["play_last"]
        events = _structured(arrays["events"], files.group_file_name(gid))
    except KeyError as exc:
        raise CheckpointError(f"--restore {folder}: group {gid}'s state lacks {exc}") from None
    _expect(v.shape == (nnode,) and above.shape == (n_presyn,) and counts.shape == (n_netcon,)
            and weights.shape == (int(counts.sum()),) and ubound.shape == (nplay,)
            and last.shape == (nplay,), folder, gid, "the size of the saved arrays")
    weight_start = _weight_starts(counts)
    for k in range(nmech):
        m0 = first.mechanisms[k]
        n_k = sum(len(o.instance[k]) for o in origins)
        sm = saved_mechs[k]
        _expect(isinstance(sm, dict) and sm.get("name") == m0.name and sm.get("n") == n_k
                and sm.get("psize") == m0.psize, folder, gid, f"mechanism {k} ({m0.name})")
        rows = arrays.get(f"m{k}_data")
        _expect(rows is not None and rows.shape == (n_k, m0.psize), folder, gid,
                f"{m0.name}'s data")
    # Where each saved event goes: (member, index there) of its NetCon, instance or play.
    netcon_home = np.full((n_netcon, 2), -1, dtype=np.int64)
    play_home = np.full((nplay, 2), -1, dtype=np.int64)
    inst_home = [np.full((sum(len(o.instance[k]) for o in origins), 2), -1, dtype=np.int64)
                 for k in range(nmech)]
    for j, o in enumerate(origins):
        netcon_home[o.netcon] = np.stack((np.full(len(o.netcon), j), np.arange(len(o.netcon))),
                                         axis=1)
        play_home[o.play] = np.stack((np.full(len(o.play), j), np.arange(len(o.play))), axis=1)
        for k in range(nmech):
            inst = o.instance[k]
            inst_home[k][inst] = np.stack((np.full(len(inst), j), np.arange(len(inst))), axis=1)

    for j, ((_, g, spec, block), o) in enumerate(zip(members, origins, strict=True)):
        np.asarray(spec["v"])[: g.nnode] = v[o.node]
        nvoltage = spec["nvoltage"]
        np.asarray(spec["above"])[:nvoltage] = above[o.presyn[:nvoltage]]
        take = _weight_positions(spec, weight_start[o.netcon])
        _expect(np.array_equal(_weight_counts(spec), counts[o.netcon]), folder, gid,
                "the NetCon weight counts")
        np.asarray(spec["weights"])[take[0]] = weights[take[1]]
        _core.block_set_play_state(block, np.ascontiguousarray(ubound[o.play], np.int32),
                                   np.ascontiguousarray(last[o.play], np.int32))
        for k in range(nmech):
            m, ms = g.mechanisms[k], spec["mechanisms"][k]
            if m.n == 0:
                continue
            _set_instance_rows(m, ms["data"], arrays[f"m{k}_data"][o.instance[k]])
            watch = _watch_slots(m)
            if watch:
                flags = arrays.get(f"m{k}_watch")
                _expect(flags is not None and flags.shape == (len(watch), len(inst_home[k])),
                        folder, gid, f"{m.name}'s WATCH state")
                pdata = np.asarray(ms["pdata"]).reshape(m.dpsize, m.padded)
                pdata[watch, : m.n] = flags[:, o.instance[k]]
            tvars = arrays.get(f"m{k}_tvars")
            if ms.get("tvars") is not None and tvars is not None:
                _expect(tvars.shape == ms["tvars"].shape, folder, gid, f"{m.name}'s GLOBALs")
                ms["tvars"][:] = tvars
            streams = ms.get("random_streams")
            if streams is not None:
                saved = arrays.get(f"m{k}_random")
                size = _stream_size()
                per = streams.reshape(-1, m.n, size)
                _expect(saved is not None and saved.shape == (per.shape[0], len(inst_home[k]),
                                                               size),
                        folder, gid, f"{m.name}'s random streams")
                per[:] = saved[:, o.instance[k]]
        mine = _events_for(events, j, netcon_home, play_home, inst_home, weight_start,
                           spec, folder, gid)
        _insert(block, spec, mine)


def _events_for(events: np.ndarray, j: int, netcon_home: np.ndarray, play_home: np.ndarray,
                inst_home: list[np.ndarray], weight_start: np.ndarray, spec: dict[str, Any],
                folder: Path, gid: int) -> np.ndarray:
    """The saved events of member j, in its block's terms, in delivery order."""
    kind, target = events["kind"], events["target"].astype(np.int64)
    home = np.full(len(events), -1, dtype=np.int64)
    local = np.zeros(len(events), dtype=np.int64)
    netcon = kind == EVENT_NETCON
    play = kind == EVENT_PLAY
    selfish = (kind == EVENT_SELF) | (kind == EVENT_WATCH)
    in_range = (~netcon | (target < len(netcon_home))) & (~play | (target < len(play_home))) \
        & (~selfish | (target < len(inst_home))) & (target >= 0)
    if not in_range.all():
        raise CheckpointError(f"--restore {folder}: group {gid}: an event names a NetCon, "
                              "play or mechanism the dataset does not have")
    home[netcon], local[netcon] = netcon_home[target[netcon]].T
    home[play], local[play] = play_home[target[play]].T
    inst = events["instance"].astype(np.int64)
    for k in np.unique(target[selfish]).tolist():
        sel = selfish & (target == k)
        if (inst[sel] < 0).any() or (inst[sel] >= len(inst_home[k])).any():
            raise CheckpointError(f"--restore {folder}: group {gid}: an event names an "
                                  "instance the dataset does not have")
        home[sel], local[sel] = inst_home[k][inst[sel]].T
    mine = events[home == j].copy()
    lt = local[home == j]
    kind_m = mine["kind"]
    net_m = kind_m == EVENT_NETCON
    play_m = kind_m == EVENT_PLAY
    self_m = (kind_m == EVENT_SELF) | (kind_m == EVENT_WATCH)
    mine["target"][net_m | play_m] = lt[net_m | play_m]
    mine["instance"][self_m] = lt[self_m]
    # a self event's weight: the NetCon weight it was sent with, in the block's numbering
    bw_start = np.asarray(spec["netcon_weight"], dtype=np.int64)
    w = mine["weight"].astype(np.int64)
    w[self_m & (w < 0)] = 0  # no NetCon's weight: as INITIAL's net_send passes it
    sel = self_m & (mine["weight"] >= 0)
    if sel.any() and len(weight_start):
        nc = np.searchsorted(weight_start, w[sel], side="right") - 1
        where = netcon_home[nc]
        ok = where[:, 0] == j
        neww = np.zeros(int(sel.sum()), dtype=np.int64)
        neww[ok] = bw_start[where[ok, 1]] + (w[sel][ok] - weight_start[nc[ok]])
        w[sel] = neww
    mine["weight"] = w
    return mine


def _insert(block: Any, spec: dict[str, Any], events: np.ndarray) -> None:
    """Insert events (already in delivery order) and point the instances' net_move handles
    at their pending self events."""
    raw = np.zeros(len(events), dtype=_core.EVENT_DTYPE)
    for name in ("t", "flag", "kind", "target", "instance", "weight"):
        raw[name] = events[name]
    try:
        handles = _core.block_insert_events(block, raw)
    except ValueError as exc:
        raise CheckpointError(f"--restore: {exc}") from None
    for k in np.unique(events["target"][events["self"] == 1]).tolist():
        sel = (events["self"] == 1) & (events["target"] == k)
        selfevent = spec["mechanisms"][k]["selfevent"]
        if selfevent is not None:
            np.asarray(selfevent)[events["instance"][sel]] = handles[sel]


__all__ = ["RunPoint", "check_manifest", "load_groups", "refuse_unsaveable", "restore", "save"]
