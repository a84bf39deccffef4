"""Where the translator keeps what it made, and what a cached result depends on.

A small module of its own, so that reading a cached result imports neither the parser nor the
code generator.
"""

from __future__ import annotations

import functools
import os
import pickle
import re
import shutil
from pathlib import Path

from .errors import NmodlError

try:  # CPython's own SHA-256: `import hashlib` loads OpenSSL first (milliseconds per run)
    from _sha2 import sha256  # 3.12 and later
except ImportError:
    try:
        from _sha256 import sha256  # 3.11
    except ImportError:
        from hashlib import sha256


def kernels_dir() -> Path:
    """mechanism_abi.h and random123.{h,c}: installed with the package, or the source tree."""
    pkg = Path(__file__).resolve().parent.parent
    installed = pkg / "kernels"
    if (installed / "mechanism_abi.h").exists():
        return installed
    return pkg.parent / "kernels"


@functools.lru_cache(maxsize=1)
def translator_digest() -> str:
    h = sha256()
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
    PYCORENEURON_EXP asks for libm's exp itself ("libm": a test and a fallback) or for
    every call checked against libm ("check", pcn_exp.h's variant 3)."""
    from .. import _core

    forced = os.environ.get("PYCORENEURON_EXP", "")
    if forced in ("libm", "check"):  # check: every call compared (benchmarks/exp_bits.py)
        return 0 if forced == "libm" else 3
    variant = _core.exp_variant()
    # glibc's FMA build needs FMA instructions to be fast: a portable build calls libm's exp
    return 0 if variant == 1 and not _core.native_tuning() else variant


# Same floating-point rules as the package's own kernels (numerics doc section 1); -O3 and
# -fopenmp-simd run the loops the translator marks as SIMD loops (passes/simd.py),
# -fno-math-errno lets a loop-invariant pow leave its loop (libm's result is the same), and
# -fno-tree-sink keeps a TABLE lookup's reads where the source has them (sunk into the
# branch that uses them they become conditional loads, and the loop stays scalar).
CFLAGS = ["-O3", "-fPIC", "-std=c11", "-ffp-contract=off", "-fno-fast-math", "-fno-math-errno",
          "-fopenmp-simd"]
GCC_ONLY_FLAGS = ["-fno-tree-sink"]


def compile_flags() -> list[str]:
    """CFLAGS, tuned for this CPU when the package is (as its own kernels), with the
    pcn_exp variant that gives this process's libm bits (pcn_exp.h)."""
    from .. import _build_info, _core

    flags = list(CFLAGS)
    # the package's own compiler (GCC, by CMake's word) unless CC names another
    if not os.environ.get("CC") and str(_build_info.C_COMPILER).startswith("GNU"):
        flags += GCC_ONLY_FLAGS
    if _core.native_tuning():
        flags.append("-march=native")
    return flags + [f"-DPCN_EXP_VARIANT={exp_variant()}"]


LIBNAME = "libpcnmech.so"
REFUSED = "refused.pickle"  # the files a build left out, with their errors


def compiler() -> str:
    return os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or "cc"


def build_key(mod_files: list[Path]) -> str:
    h = sha256()
    for p in sorted(mod_files, key=lambda x: x.name):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0" + included_texts(p))
    h.update(translator_digest().encode())
    h.update(" ".join([compiler()] + compile_flags()).encode())
    return h.hexdigest()[:24]


def read_refused(target: Path) -> list:
    """The translator's errors for the files a cached build left out."""
    try:
        value = pickle.loads((target / REFUSED).read_bytes())
    except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError):
        return []
    return [e for e in value if isinstance(e, NmodlError)] if isinstance(value, list) else []


def cached(mods: list[Path], refused: list | None = None) -> Path | None:
    """The cached library of these MOD files, or None: the lookup of build.build, which
    needs neither the parser nor the code generator (a run with --mod imports neither when
    nothing changed). The errors of files the build left out are raised (``refused`` None) or
    appended to ``refused``."""
    target = cache_root() / build_key(mods)
    lib = target / LIBNAME
    if not lib.exists():
        return None
    left_out = read_refused(target)
    if left_out and refused is None:
        raise left_out[0]
    if refused is not None:
        refused += left_out
    return lib
