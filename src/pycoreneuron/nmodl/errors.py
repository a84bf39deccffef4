"""Translator errors: each names the MOD file, the line and the construct."""

from __future__ import annotations

from ..errors import NotSupportedError, PyCoreNeuronError


class NmodlError(PyCoreNeuronError):
    """A MOD file the translator cannot accept; the message reads ``file:line: what``."""

    def __new__(cls, filename: str, line: int, message: str, not_supported: bool = False):
        if not_supported and cls is NmodlError:
            cls = NmodlNotSupportedError
        return super().__new__(cls)

    def __init__(self, filename: str, line: int, message: str, not_supported: bool = False):
        self.filename = filename
        self.line = line
        self.message = message
        where = f"{filename}:{line}" if line else filename
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        return (type(self), (self.filename, self.line, self.message))


class NmodlNotSupportedError(NmodlError, NotSupportedError):
    """Valid NMODL that this version does not translate yet (KINETIC, sparse, ...)."""
