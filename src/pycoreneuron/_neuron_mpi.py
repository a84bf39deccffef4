"""Point NEURON's MPI at the library mpi4py uses, so the `[mpi]` extra works in NEURON scripts.

NEURON loads libmpi at run time, in ``h.nrnmpi_init()``, from MPI_LIB_NRN_PATH or else by the
names ``libmpi.so`` and ``libmpich.so`` on the system's search path. pip's mpich puts its
library in the environment's ``lib/`` folder, which that search does not see, and its
``libmpi.so`` there is a linker script that dlopen cannot load: without help, an MPI NEURON
script fails with "Tried loading an MPI library from: libmpi.so". NEURON and mpi4py must also
load the same library, or one process would hold two MPI states (pycoreneuron.psolve runs
NEURON's ranks through mpi4py). So we name the library mpi4py finds, searched the way mpi4py
searches (its ``_mpiabi`` module): the environment's prefixes, not the system's, first the
library named by MPI4PY_LIBMPI. Only file names are looked at: nothing is loaded here.
"""

from __future__ import annotations

import os
import sys

NEURON_VARIABLE = "MPI_LIB_NRN_PATH"

# MPICH's and Open MPI's sonames; mpi4py tries the unversioned name first
if sys.platform == "darwin":
    _NAMES = ("libmpi.dylib", "libmpi.12.dylib", "libmpi.40.dylib")
else:
    _NAMES = ("libmpi.so", "libmpi.so.12", "libmpi.so.40")

_ELF = b"\x7fELF"
_MACHO = (b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")


def _is_library(path: str) -> bool:
    """A shared library, not a linker script (pip mpich's libmpi.so is one, which dlopen
    refuses): judged by its first bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError:
        return False
    return head == _ELF or head in _MACHO


def _prefixes() -> list[str]:
    """The environment's prefixes, as mpi4py searches them: a virtual environment's, the
    user's, the interpreter's own (a system one, /usr, is left to NEURON's own search)."""
    prefixes = []
    if sys.exec_prefix != sys.base_exec_prefix:
        prefixes.append(sys.exec_prefix)
    site = sys.modules.get("site")
    if site is not None and site.ENABLE_USER_SITE:
        prefixes.append(os.path.abspath(site.getuserbase()))
    prefixes.append(sys.base_exec_prefix)
    return [p for p in dict.fromkeys(prefixes) if p != "/usr"]


def mpi_library() -> str | None:
    """The MPI library mpi4py would load in this environment (pip's mpich, say), or None when
    none is in the environment (a system MPI that NEURON finds by itself)."""
    named = os.environ.get("MPI4PY_LIBMPI", "")
    for entry in named.split(os.pathsep) if named else ():
        if os.path.isfile(entry) and _is_library(entry):
            return entry
    for prefix in _prefixes():
        for name in _NAMES:
            path = os.path.join(prefix, "lib", name)
            if os.path.isfile(path) and _is_library(path):
                return path
    return None


def point_neuron_at_mpi() -> str | None:
    """Set MPI_LIB_NRN_PATH to mpi_library() unless the user has set it; returns the value in
    effect. Must run before h.nrnmpi_init(), which reads it (importing neuron does not)."""
    current = os.environ.get(NEURON_VARIABLE)
    if current:
        return current
    library = mpi_library()
    if library is not None:
        os.environ[NEURON_VARIABLE] = library
    return library
