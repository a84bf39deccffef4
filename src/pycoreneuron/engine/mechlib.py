"""The compiled mechanisms a run uses: built-in MOD files plus the user's, through the translator.

Only the MOD files of mechanisms that the dataset has instances of are translated and compiled
(a user file replaces a built-in of the same name, as in NEURON); the library is cached by
content, so a second run compiles nothing.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from ..errors import NotSupportedError
from ..nmodl import build, library
from ..nmodl.catalogue import mechanisms as catalogue_mechanisms
from ..nmodl.errors import NmodlError


def mod_files_for(names: set[str], mod: str | Path | None) -> dict[str, Path]:
    """The MOD file of each mechanism name (user folder first, then built-ins)."""
    known = {m["name"]: Path(m["file"]) for m in catalogue_mechanisms(mod)}
    missing = sorted(names - set(known))
    if missing:
        raise NotSupportedError(
            f"no MOD file for mechanism {missing[0]}: bring it with --mod DIR")
    return {name: known[name] for name in names}


def load_library(names: set[str], mod: str | Path | None = None) -> dict[str, Any]:
    """Translate, compile (cached) and load the mechanisms named; returns name -> descriptor.

    The loaded library object is kept in the returned mapping under the key None so it stays
    loaded while descriptors are in use.
    """
    if not names:
        return {}
    files = mod_files_for(names, mod)
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].read_bytes())
    folder = build.cache_root() / "selections" / digest.hexdigest()[:24]
    if not folder.exists():
        scratch = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        for path in files.values():
            shutil.copy(path, scratch / path.name)
        try:
            scratch.rename(folder)
        except OSError:
            shutil.rmtree(scratch, ignore_errors=True)
    try:
        path, _ = build.build(folder)
    except NmodlError as exc:
        raise NotSupportedError(f"cannot compile the mechanisms of this dataset: {exc}") from exc
    lib, descs = library.load(path)
    result: dict[Any, Any] = dict(descs)
    result[None] = lib
    return result
