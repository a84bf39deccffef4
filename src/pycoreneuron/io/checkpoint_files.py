"""Checkpoint folders: a manifest (checkpoint.json) and one state file per group.

A checkpoint holds the run's state in the dataset's own terms (group, node, instance, NetCon),
never in a block layout, so any number of threads or ranks can resume it. The dataset itself
is not copied: a restore reads the same dataset again, and the manifest's digests of its files
make sure it is the same one.

Writing is all or nothing: the old manifest goes first, each group file is written beside its
final name and renamed into place, and the manifest, written last, names the run's token that
every group file carries. A folder without a manifest, or with files of another run, is
refused in one sentence.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import secrets
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .._version import __version__
from ..errors import UsageError, quote
from ..limits import MAX_STEPS
from .out_dat import write_atomically

FORMAT = "pycoreneuron-checkpoint"
VERSION = 1
MANIFEST = "checkpoint.json"
MAX_MANIFEST_BYTES = 16 << 20  # a manifest names groups and digests: far below this
_CHUNK = 1 << 20


class CheckpointError(UsageError):
    """A checkpoint folder that cannot be written, or cannot be restored from."""


def new_token() -> str:
    """A name for one checkpoint: every file of it carries this."""
    return secrets.token_hex(8)


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes (empty string when there is no such file)."""
    if not path.is_file():
        return ""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def dataset_digest(root: Path, filesdat: Path) -> str:
    """The digest of the files every rank reads: files.dat, globals.dat, bbcore_mech.dat."""
    h = hashlib.sha256()
    for path in (filesdat, root / "globals.dat", root / "bbcore_mech.dat"):
        h.update(file_digest(path).encode())
    return h.hexdigest()


def mod_digest(mod: Any) -> str:
    """The digest of a --mod folder's MOD files and what they INCLUDE ("" without one): a
    restore with other mechanism code would continue another model."""
    if mod is None:
        return ""
    from ..nmodl.cache import included_texts
    from ..nmodl.catalogue import mod_files

    h = hashlib.sha256()
    for path in sorted(mod_files(mod), key=lambda p: p.name):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        h.update(included_texts(path))
    return h.hexdigest()


def group_digest(root: Path, group_id: int) -> str:
    """The digest of one group's files (<id>_1.dat, <id>_2.dat, <id>_gap.dat)."""
    h = hashlib.sha256()
    for suffix in ("_1.dat", "_2.dat", "_gap.dat"):
        h.update(file_digest(root / f"{group_id}{suffix}").encode())
    return h.hexdigest()


def group_file_name(group_id: int) -> str:
    return f"group_{group_id}.npz"


PATTERNSTIM_FILE = "patternstim.npz"


def prepare_folder(folder: Path) -> None:
    """Make the folder (as special-core does) and check a file can be made there."""
    if folder.exists() and not folder.is_dir():
        raise CheckpointError(f"--checkpoint: {quote(str(folder))} is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".pycoreneuron-probe.", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise CheckpointError(f"--checkpoint: cannot write in {quote(str(folder))}: "
                              f"{exc.strerror}") from None


def remove_manifest(folder: Path) -> None:
    """Before any group file changes: a folder caught half-written has no manifest."""
    try:
        (folder / MANIFEST).unlink(missing_ok=True)
    except OSError as exc:
        raise CheckpointError(f"cannot replace the checkpoint in {quote(str(folder))}: "
                              f"{exc.strerror}") from None


def write_state(target: Path, token: str, meta: dict[str, Any],
                arrays: dict[str, np.ndarray]) -> str:
    """One state file: its arrays and a JSON header (the token first); returns its size and
    the sha256 of its bytes ("size:digest"), which the manifest keeps: a state file damaged
    later is refused (the size first, so that a huge file is not read)."""
    header = json.dumps({"token": token, **meta}).encode()
    payload = {"header": np.frombuffer(header, dtype=np.uint8), **arrays}
    buffer = io.BytesIO()
    np.savez(buffer, **payload)
    data = buffer.getvalue()
    write_atomically(target, data, CheckpointError)
    return f"{len(data)}:{hashlib.sha256(data).hexdigest()}"


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps({"format": FORMAT, "version": VERSION, "pycoreneuron": __version__,
                       **manifest}, indent=1, sort_keys=True)
    write_atomically(folder / MANIFEST, text, CheckpointError)


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a complete checkpoint of this format and version."""
    where = quote(str(folder))
    if not folder.is_dir():
        state = "is not a folder" if folder.exists() else "does not exist"
        raise CheckpointError(f"--restore: checkpoint folder {where} {state}")
    path = folder / MANIFEST
    if not path.is_file():
        raise CheckpointError(f"--restore: {where} holds no complete checkpoint (no "
                              f"{MANIFEST}; was the run that wrote it cut short?)")
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise CheckpointError(f"--restore: {quote(str(path))} is too large for a manifest")
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as exc:  # JSONDecodeError, undecodable bytes, huge ints
        raise CheckpointError(f"--restore: {quote(str(path))} is not a pycoreneuron "
                              f"checkpoint manifest ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CheckpointError(f"--restore: {quote(str(path))} is not a pycoreneuron "
                              "checkpoint manifest")
    if manifest.get("version") != VERSION:
        raise CheckpointError(
            f"--restore: {where} is a checkpoint of format version "
            f"{manifest.get('version')!r} (written by pycoreneuron "
            f"{manifest.get('pycoreneuron')}); this pycoreneuron reads version {VERSION}")
    for key, kind in (("token", str), ("t", float), ("steps", int), ("dt", float),
                      ("celsius", float), ("secondorder", int), ("globalindex", int),
                      ("dataset", str), ("groups", dict)):
        value = manifest.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise CheckpointError(f"--restore: {quote(str(path))}: {key!r} is missing or "
                                  "malformed")
    t, steps, dt = manifest["t"], manifest["steps"], manifest["dt"]
    # t is accumulated step by step (two half steps): steps*dt but for rounding
    if not (math.isfinite(t) and dt > 0 and 0 <= steps <= MAX_STEPS
            and abs(t - steps * dt) <= 1e-9 * max(1.0, abs(t))):
        raise CheckpointError(f"--restore: {quote(str(path))}: t {t!r} is not {steps!r} steps "
                              f"of {dt!r} ms")
    return manifest


def read_state(path: Path, token: str, digest: Any) -> tuple[dict[str, Any],
                                                            dict[str, np.ndarray]]:
    """(header, arrays) of one state file of the checkpoint named by token, whose bytes
    must have the manifest's digest."""
    where = quote(str(path))
    if not path.is_file():
        raise CheckpointError(f"--restore: {where} is missing from the checkpoint")
    size, _, _ = str(digest).partition(":")
    if not size.isdigit() or path.stat().st_size != int(size) or \
            f"{size}:{file_digest(path)}" != digest:
        raise CheckpointError(f"--restore: {where} is damaged (its bytes are not those the "
                              "checkpoint wrote)")
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {name: z[name] for name in z.files}
        header = json.loads(arrays.pop("header").tobytes().decode())
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError,
            EOFError) as exc:
        raise CheckpointError(f"--restore: {where} is damaged ({exc})") from None
    if not isinstance(header, dict) or header.get("token") != token:
        raise CheckpointError(f"--restore: {where} belongs to another checkpoint than the "
                              "folder's manifest")
    return header, arrays


__all__ = ["CheckpointError", "FORMAT", "MANIFEST", "VERSION", "dataset_digest",
           "group_digest", "read_manifest", "read_state", "write_manifest", "write_state"]
