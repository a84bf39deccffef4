"""Where the translator keeps what it made, and what a cached result depends on.

A small module of its own, so that reading a cached result imports neither the parser nor the
code generator.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path


def kernels_dir() -> Path:
    """mechanism_abi.h and random123.{h,c}: installed with the package, or the source tree."""
    pkg = Path(__file__).resolve().parent.parent
    installed = pkg / "kernels"
    if (installed / "mechanism_abi.h").exists():
        return installed
    return pkg.parent / "kernels"


@functools.lru_cache(maxsize=1)
def translator_digest() -> str:
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for p in sorted(here.rglob("*.py")) + sorted(here.glob("*.lark")):
        h.update(p.relative_to(here).as_posix().encode())
        h.update(p.read_bytes())
    kd = kernels_dir()
    for n in ("mechanism_abi.h", "random123.h", "random123.c", "neuron_api.h",
              "nrnran123.h", "pcn_exp.h", "exp_table.h"):
        if (kd / n).exists():
            h.update((kd / n).read_bytes())
    return h.hexdigest()


def cache_root() -> Path:
    env = os.environ.get("PYCORENEURON_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pycoreneuron" / "mechanisms"


_INCLUDE = re.compile(r'^[ \t]*INCLUDE[ \t]+"([^"\n]+)"', re.M)


def included_texts(path: Path, depth: int = 0) -> bytes:
    """The bytes of the files a MOD file INCLUDEs (recursively, those that exist next to it),
    for cache keys: an edited .inc file is a new translation."""
    out = b""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return out
    for name in _INCLUDE.findall(text):
        inc = path.parent / name
        if inc.is_file() and depth < 20:
            out += name.encode() + b"\0" + inc.read_bytes() + b"\0"
            out += included_texts(inc, depth + 1)
    return out


def exp_variant() -> int:
    """pcn_exp's variant for the mechanisms compiled now: the process's check, unless
    PYCORENEURON_EXP=libm asks for libm's exp itself (a test and a fallback)."""
    from .. import _core

    if os.environ.get("PYCORENEURON_EXP", "") == "libm":
        return 0
    variant = _core.exp_variant()
    # glibc's FMA build needs FMA instructions to be fast: a portable build calls libm's exp
    return 0 if variant == 1 and not _core.native_tuning() else variant
