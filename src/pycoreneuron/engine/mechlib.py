"""The compiled mechanisms a run uses: the built-ins compiled into this build, and the user's.

The built-in MOD files (mod/) are translated and compiled at install time into the package's
extension; a user folder (--mod DIR) is translated and compiled on demand by the translator,
cached by content (a second run compiles nothing), and its mechanisms replace built-ins of the
same name, as in NEURON.

The built-ins were compiled with the pcn_exp variant (src/kernels/pcn_exp.h) that gave the
build machine's libm bits. Where the libm of this process gives other bits (another machine,
another glibc), they are translated and compiled again from their MOD files, as a user folder
is, with the variant that matches: never a result that differs from NEURON's.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import _core
from ..errors import NotSupportedError, PyCoreNeuronError
from ..nmodl import library


def _build(mod: str | Path, files: list[Path] | None, refused: list) -> Path:
    from ..nmodl import cache

    mods = sorted(Path(mod).glob("*.mod")) if files is None else sorted(files)
    if mods:
        found = cache.cached(mods, refused)  # no parser, no code generator, no compiler
        if found is not None:
            return found
    from ..nmodl import build  # the translator and compiler: something changed

    try:
        path, _ = build.build(mod, files=files, refused=refused)
    except PyCoreNeuronError:
        raise
    except Exception as exc:  # a compiler that cannot run, say
        raise NotSupportedError(f"cannot build the MOD files in {mod}: {exc}") from exc
    return path


def _user_library(names: set[str], mod: str | Path,
                  warn: Callable[[str], None] | None) -> Path:
    """Build the user's folder: every file the translator takes, compiled together (the
    cache then serves every dataset); if that does not compile, only the files of the
    mechanisms named, so that a file whose C does not compile stops only the runs that use
    it. A refused file whose mechanism is named stops the run with its error; one that is
    not gets a warning line."""
    from ..nmodl.catalogue import declared_name, mod_files
    from ..nmodl.errors import NmodlError

    refused: list = []
    try:
        path = _build(mod, None, refused)
    except NmodlError as error:  # a file's C does not compile, or no file translates
        needed = [f for f in mod_files(mod) if declared_name(f) in names]
        if not needed or len(needed) == len(mod_files(mod)):
            raise
        refused = [e for e in refused if declared_name(Path(e.filename)) not in names]
        if declared_name(Path(error.filename)) not in names:
            refused.append(error)
        path = _build(mod, needed, refused)
    for error in refused:
        name = declared_name(Path(error.filename))
        if name in names:
            raise error
        if warn is not None:
            what = f"mechanism {name}" if name else "its mechanism"
            warn(f"pycoreneuron: warning: {error} ({what} is not in this dataset: running "
                 "without it)")
    return path


def _builtins_need_rebuild() -> bool:
    """Whether the compiled-in built-ins' exp differs from what this process needs."""
    from ..nmodl.cache import exp_variant

    return exp_variant() != _core.builtin_exp_variant()


def load_library(names: set[str], mod: str | Path | None = None,
                 warn: Callable[[str], None] | None = None) -> dict[Any, Any]:
    """name -> descriptor (a ctypes view of pcn_mech_desc) for each mechanism named.

    The loaded libraries (the user's, the rebuilt built-ins) are kept in a list under the key
    None so they stay loaded while their descriptors are in use. ``warn`` gets one line per
    user file left out.
    """
    found: dict[Any, Any] = {}
    libraries = []
    user: dict[str, Any] = {}
    if mod is not None:
        lib, user = library.load(_user_library(names, mod, warn))
        libraries.append(lib)
    builtin = {name: library.MechDesc.from_address(address)
               for name, address in _core.builtin_mechanisms().items()}
    if _builtins_need_rebuild():
        from ..nmodl.catalogue import builtin_mod_dir

        lib, builtin = library.load(_user_library(set(), builtin_mod_dir(), None))
        libraries.append(lib)
    found[None] = libraries
    for name in sorted(names):
        if name in user:
            found[name] = user[name]
        elif name in builtin:
            found[name] = builtin[name]
        else:
            raise NotSupportedError(
                f"no compiled mechanism {name}: bring its MOD file with --mod DIR")
    everyone = list(user.values()) + list(builtin.values())
    for name, desc in found.items():
        if name is not None and desc.nexternals:
            library.resolve_externals(desc, everyone, str(mod) if mod else "built-ins")
    return found


def by_address(descriptors: dict[Any, Any]) -> dict[int, Any]:
    """The mechanisms' descriptors by address (a block spec's "desc")."""
    return {ctypes.addressof(desc): desc for name, desc in descriptors.items()
            if name is not None}
