"""Where each array of a dataset lies, as the reader walks it: for corrupting copies at the
right byte and for reading arrays independently of the reader's transposition."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pycoreneuron
from pycoreneuron.io import text


def array_offsets(coredat: Path, mechanisms: dict[str, Any]) -> dict[tuple[str, str], tuple[int,
                                                                                          int]]:
    """(file name, what) -> (offset of the array's first byte, its byte count)."""
    found: dict[tuple[str, str], tuple[int, int]] = {}
    original = text.FileCursor.begin_array

    def spy(self: text.FileCursor, what: str, nbytes: int) -> None:
        original(self, what, nbytes)
        found.setdefault((self.path.name, what), (self.offset, nbytes))

    with mock.patch.object(text.FileCursor, "begin_array", spy):
        pycoreneuron.read_dataset(coredat, mechanisms=mechanisms)
    return found
