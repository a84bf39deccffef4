"""The compiled mechanisms a run uses: the built-ins compiled into this build, and the user's.

The built-in MOD files (mod/) are translated and compiled at install time into the package's
extension; a user folder (--mod DIR) is translated and compiled on demand by the translator,
cached by content (a second run compiles nothing), and its mechanisms replace built-ins of the
same name, as in NEURON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import _core
from ..errors import NotSupportedError, PyCoreNeuronError
from ..nmodl import library


def load_library(names: set[str], mod: str | Path | None = None) -> dict[Any, Any]:
    """name -> descriptor (a ctypes view of pcn_mech_desc) for each mechanism named.

    The user's loaded library, if any, is kept under the key None so it stays loaded while
    its descriptors are in use.
    """
    found: dict[Any, Any] = {}
    user: dict[str, Any] = {}
    if mod is not None:
        from ..nmodl import build  # the translator and compiler, only for a user folder

        try:
            path, _ = build.build(mod)
        except PyCoreNeuronError:
            raise
        except Exception as exc:  # a compiler that cannot run, say
            raise NotSupportedError(f"cannot build the MOD files in {mod}: {exc}") from exc
        lib, user = library.load(path)
        found[None] = lib
    builtin = _core.builtin_mechanisms()
    for name in sorted(names):
        if name in user:
            found[name] = user[name]
        elif name in builtin:
            found[name] = library.MechDesc.from_address(builtin[name])
        else:
            raise NotSupportedError(
                f"no compiled mechanism {name}: bring its MOD file with --mod DIR")
    return found
