"""Which mechanisms a run has: the built-in MOD files plus a user's folder.

``mechanisms(mod=None)`` is the public contract (``pycoreneuron.mechanisms``): one descriptor
dict per mechanism, a user file replacing a built-in of the same name, as in NEURON.
"""

from __future__ import annotations

import functools
import os
import pickle
import re
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .cache import cache_root, included_texts, sha256, translator_digest
from .errors import NmodlError, NmodlNotSupportedError

# Built-in MOD files left out of mechanisms() because they use constructs of a later issue:
# file name -> the translator's message.
UNSUPPORTED_BUILTINS: dict[str, str] = {}


def builtin_mod_dir() -> Path:
    """The built-in MOD files: installed beside the package, or the source tree's mod/."""
    here = Path(__file__).resolve().parent.parent  # .../pycoreneuron
    installed = here / "mod"
    if installed.is_dir() and any(installed.glob("*.mod")):
        return installed
    return here.parent.parent / "mod"


@functools.lru_cache(maxsize=512)
def _descriptor(digest: str, text: str, filename: str) -> dict[str, Any]:
    del digest  # part of the cache key only
    from .pipeline import analyse_text  # the parser (lark) only when something is parsed

    _, info = analyse_text(text, filename)
    return info.descriptor()


def _disk_cache(digest: str, filename: str) -> Path:
    # The file's content and name (a file without SUFFIX is named after it), not its folder:
    # two installs, or one folder reached by two paths, share the entry.
    name = Path(filename).name
    key = sha256((digest + "\0" + name + "\0" + translator_digest()).encode())
    return cache_root() / "descriptors" / f"{key.hexdigest()[:32]}.pickle"


def _cached_descriptor(digest: str, text: str, filename: str) -> dict[str, Any]:
    """The descriptor from the on-disk cache (keyed by the file's text and name and the
    translator's source), else from the translator; parsing every built-in costs ~2 s."""
    path = _disk_cache(digest, filename)
    try:
        with open(path, "rb") as f:
            d = pickle.load(f)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
        d = None
    if isinstance(d, NmodlNotSupportedError):  # a file the translator does not take yet
        raise type(d)(filename, d.line, d.message)
    if isinstance(d, dict) and "name" in d:
        return {**d, "file": filename}
    try:
        d = _descriptor(digest, text, filename)
    except NmodlNotSupportedError as exc:
        d = exc
    if isinstance(d, NmodlNotSupportedError):
        _store(path, d)
        raise d
    _store(path, d)
    return d


def _store(path: Path, value: object) -> None:
    try:  # best effort: a read-only cache only costs the parse next time
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(f".{os.getpid()}.tmp")
        with open(scratch, "wb") as f:
            pickle.dump(value, f)
        os.replace(scratch, path)
    except (OSError, pickle.PickleError):
        pass


def describe_file(path: str | Path) -> dict[str, Any]:
    """Descriptor of one MOD file (cached by content, in memory and on disk)."""
    p = Path(path)
    text = p.read_text(encoding="utf-8", errors="replace")
    digest = sha256(text.encode() + included_texts(p)).hexdigest()
    d = dict(_cached_descriptor(digest, text, str(p)))
    d["variables"] = list(d["variables"])
    d["dparam"] = list(d["dparam"])
    return d


def mod_files(folder: str | Path) -> list[Path]:
    """The MOD files of a folder, each refused in one sentence before anything reads it when
    it is not a regular file or is far larger than a MOD file (pipeline.read_mod_text)."""
    from ..io.text import checked_file
    from ..limits import MAX_MOD_BYTES

    p = Path(folder)
    if not p.is_dir():
        raise UsageError(f"{p}: no such folder of MOD files")
    files = sorted(p.glob("*.mod"))
    for f in files:
        checked_file(f, MAX_MOD_BYTES, "a MOD file", UsageError)
    return files


def mechanisms(mod: str | Path | None = None) -> list[dict[str, Any]]:
    """Descriptors of the built-in mechanisms, plus (replacing by name) those in ``mod``."""
    by_name: dict[str, dict[str, Any]] = {}
    builtin = builtin_mod_dir()
    if builtin.is_dir():
        for f in sorted(builtin.glob("*.mod")):
            try:
                d = describe_file(f)
            except NmodlNotSupportedError as e:
                # A built-in needing a later construct (KINETIC, say) is left out;
                # a dataset with instances of it is then refused by name by the reader.
                UNSUPPORTED_BUILTINS[f.name] = str(e)
                continue
            d["builtin"] = True
            by_name[d["name"]] = d
    if mod is not None:
        for f in mod_files(mod):
            d = describe_file(f)
            d["builtin"] = False
            by_name[d["name"]] = d
    return list(by_name.values())


_NOT_CODE = re.compile(r"COMMENT.*?ENDCOMMENT|VERBATIM.*?ENDVERBATIM|[:?][^\n]*", re.S)
_DECLARED = re.compile(r"\b(?:SUFFIX|POINT_PROCESS|ARTIFICIAL_CELL)\s+([A-Za-z_]\w*)")


def declared_name(path: Path) -> str | None:
    """The mechanism name a MOD file declares, read without parsing it (for a file the
    translator refused); the file's stem without SUFFIX/POINT_PROCESS/ARTIFICIAL_CELL."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    m = _DECLARED.search(_NOT_CODE.sub(" ", text))
    return m[1] if m else path.stem  # no SUFFIX: NEURON names it after the file


def run_mechanisms(mod: str | Path | None) -> list[dict[str, Any]]:
    """mechanisms(mod) for a run: a user file the translator refuses is left out, and its
    name maps to a descriptor that says so (the reader refuses the dataset if it has
    instances of that mechanism; the build warns about it otherwise)."""
    if mod is None:
        return mechanisms()
    by_name = {d["name"]: d for d in mechanisms()}
    for f in mod_files(mod):
        try:
            d = describe_file(f)
        except NmodlError as e:
            name = declared_name(f)
            if name is not None:
                by_name[name] = {"name": name, "untranslated": str(e)}
            continue
        d["builtin"] = False
        by_name[d["name"]] = d
    return list(by_name.values())
