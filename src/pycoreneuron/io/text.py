"""Framing shared by every coredat file: text lines with a leading integer, and binary arrays
each preceded by a ``chkpnt N`` line (see docs/dev/reader.md and coredat-format.md section 1).

A :class:`FileCursor` walks one open file. Arrays are read with ``readinto`` straight into the
caller's (final, aligned) NumPy buffer, so nothing is read twice and no file-sized buffer is
ever held. Every failure is a :class:`DatasetError` naming the file, the byte offset and what was
expected there.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

import numpy as np

from ..errors import DatasetError, quote

#: The only data version this reader accepts (CoreNEURON 9.0.2 accepts only its own, too).
VERSION = "1.8"

# CoreNEURON reads lines into a fixed buffer; a line longer than this is not a coredat line.
_MAX_LINE = 1024
# C sscanf("%d") semantics: optional blanks, optional sign, digits; the rest is a label.
_LEADING_INT = re.compile(rb"^[ \t]*([+-]?[0-9]+)")
_INT32_MAX = 2**31 - 1

ALIGN = 64  # bytes; one cache line, the widest SIMD register (AVX-512)


def padded(n: int) -> int:
    """Instances rounded up to whole 64-byte rows of doubles (CoreNEURON's NRN_SOA_PAD, 8)."""
    return (n + 7) // 8 * 8


def aligned_zeros(n: int, dtype: np.dtype | type) -> np.ndarray:
    """A zero-filled 1-D array of ``n`` items whose data starts on a 64-byte boundary."""
    dt = np.dtype(dtype)
    raw = np.zeros(n * dt.itemsize + ALIGN, dtype=np.uint8)
    start = (-raw.ctypes.data) % ALIGN
    return raw[start : start + n * dt.itemsize].view(dt)


def distinct(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values; np.unique without its import of numpy.ma (slow on first use)."""
    s = np.sort(np.asarray(a), kind="stable")
    if len(s) < 2:
        return s
    keep = np.empty(len(s), bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def checked_file(path: str | os.PathLike[str], max_bytes: int | None = None,
                 holds: str = "this file", error: type[Exception] = DatasetError) -> int:
    """The size of ``path`` after refusing, before any read, what is not a regular file (a
    named pipe would block, /dev/zero never end) or is larger than ``max_bytes``, an absurd
    size for what it ``holds``. Links are followed: their target is judged."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise error(f"{path}: file not found") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise error(f"{path}: is a directory, expected a file")
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
        raise error(f"{path}: is {kind}, expected a regular file")
    if max_bytes is not None and st.st_size > max_bytes:
        raise error(f"{path}: {st.st_size} bytes is far more than {holds} can hold (at most "
                    f"{max_bytes}); is it the right file?")
    return st.st_size


def read_bounded(path: str | os.PathLike[str], max_bytes: int, holds: str,
                 error: type[Exception] = DatasetError) -> bytes:
    """The whole of a small file, refused before reading (checked_file) when it is not a
    regular file or is larger than max_bytes; never more than max_bytes are read."""
    checked_file(path, max_bytes, holds, error)
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > max_bytes:  # it grew after the check
        raise error(f"{path}: more than {max_bytes} bytes, far more than {holds} can hold")
    return data


class FileCursor:
    """Reads one coredat file item by item, checking the ``chkpnt`` sequence as it goes."""

    def __init__(self, path: Path, chkpnt: int = 0) -> None:
        self.path = Path(path)
        checked_file(self.path)  # a pipe or a device is refused before open() can block
        try:
            self._f: BinaryIO = open(self.path, "rb")  # noqa: SIM115 (closed by close())
        except FileNotFoundError:
            raise DatasetError(f"{self.path}: file not found") from None
        except IsADirectoryError:
            raise DatasetError(f"{self.path}: is a directory, expected a file") from None
        except OSError as exc:
            raise DatasetError(f"{self.path}: cannot be opened ({exc.strerror})") from None
        self.size = os.fstat(self._f.fileno()).st_size
        self.chkpnt = chkpnt
        self.array_start = 0

    # -- context management ------------------------------------------------------------------
    def close(self) -> None:
        self._f.close()

    def __enter__(self) -> FileCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- errors --------------------------------------------------------------------------------
    def error(self, message: str, offset: int | None = None) -> DatasetError:
        """A DatasetError naming this file and the byte offset (default: the cursor)."""
        where = self._f.tell() if offset is None else offset
        return DatasetError(f"{self.path} at byte {where}: {message}")

    @property
    def offset(self) -> int:
        return self._f.tell()

    @property
    def remaining(self) -> int:
        return self.size - self._f.tell()

    # -- text ----------------------------------------------------------------------------------
    def line(self, what: str) -> bytes:
        """The next text line without its newline; a missing newline means truncation."""
        start = self._f.tell()
        raw = self._f.readline(_MAX_LINE + 1)
        if not raw:
            raise self.error(f"file ends where {what} was expected", start)
        if not raw.endswith(b"\n"):
            if len(raw) > _MAX_LINE:
                raise self.error(f"line too long where {what} was expected", start)
            raise self.error(f"file ends inside the line holding {what}", start)
        return raw[:-1]

    def int(self, what: str, minimum: int | None = None) -> int:
        """The leading integer of the next line (the rest of the line is a label)."""
        start = self._f.tell()
        raw = self.line(what)
        m = _LEADING_INT.match(raw)
        if m is None:
            raise self.error(f"expected {what} (an integer), found {_show(raw)}", start)
        value = int(m.group(1))
        if abs(value) > _INT32_MAX:
            raise self.error(f"{what} = {value} does not fit a 32-bit integer", start)
        if minimum is not None and value < minimum:
            raise self.error(f"{what} must be >= {minimum}, found {value}", start)
        return value

    def version(self) -> None:
        """The first line: the data version, which must be exactly 1.8."""
        start = self._f.tell()
        raw = self.line("the data version line")
        text = raw.decode("ascii", "replace").strip()
        if text != VERSION:
            raise self.error(
                f"incompatible data version {quote(raw.strip())}: pycoreneuron reads version "
                f"{VERSION} "
                "(NEURON 9.0.x); rewrite the dataset with NEURON 9", start)

    # -- arrays --------------------------------------------------------------------------------
    def _chkpnt_line(self, what: str) -> None:
        start = self._f.tell()
        raw = self.line(f"'chkpnt {self.chkpnt}' before {what}")
        parts = raw.split()
        if len(parts) != 2 or parts[0] != b"chkpnt" or not parts[1].isdigit():
            raise self.error(
                f"expected 'chkpnt {self.chkpnt}' before {what}, found {_show(raw)}", start)
        number = int(parts[1])
        if number != self.chkpnt:
            raise self.error(
                f"array counter 'chkpnt {number}' before {what}, expected "
                f"'chkpnt {self.chkpnt}' (an array is missing or extra)", start)
        self.chkpnt += 1

    def need(self, nbytes: int, what: str) -> None:
        """Refuse a count whose arrays cannot fit in the rest of the file, before allocating."""
        if nbytes > self.remaining:
            raise self.error(
                f"{what} need at least {nbytes} bytes but only {self.remaining} remain "
                "(the file is truncated or a count is wrong)")

    def begin_array(self, what: str, nbytes: int) -> None:
        """Consume the chkpnt line of an array of ``nbytes`` and check the bytes are there."""
        self._chkpnt_line(what)
        self.array_start = self._f.tell()  # for messages that point at one element
        if nbytes > self.remaining:
            raise self.error(
                f"{what} needs {nbytes} bytes but only {self.remaining} remain "
                "(the file is truncated or a count is wrong)")

    def read_into(self, out: np.ndarray, what: str) -> None:
        """Fill the contiguous array ``out`` from the file (after begin_array)."""
        view = memoryview(out).cast("B")
        got = self._f.readinto(view)
        if got != view.nbytes:
            raise self.error(f"file ends inside {what}")

    def array(self, dtype: np.dtype | type, count: int, what: str,
              out: np.ndarray | None = None) -> np.ndarray:
        """A framed array of ``count`` items, read into ``out`` (its first ``count`` items) or
        into a new aligned array."""
        dt = np.dtype(dtype)
        self.begin_array(what, count * dt.itemsize)
        target = aligned_zeros(count, dt) if out is None else out[:count]
        self.read_into(target, what)
        return target

    def raw_chunks(self, dtype: np.dtype | type, count: int, what: str, chunk_items: int):
        """Yield successive pieces of a framed array (for transposing without a full copy)."""
        dt = np.dtype(dtype)
        self.begin_array(what, count * dt.itemsize)
        done = 0
        buf = np.empty(min(max(count, 1), chunk_items), dtype=dt)
        while done < count:
            k = min(chunk_items, count - done)
            piece = buf[:k]
            self.read_into(piece, what)
            yield done, piece
            done += k

    def rest(self) -> bytes:
        """The bytes after the cursor (for small text files: files.dat)."""
        return self._f.read(self.remaining)

    def expect_eof(self, after: str) -> None:
        if self.remaining != 0:
            raise self.error(f"{self.remaining} unexpected bytes after {after}")


def _show(raw: bytes) -> str:
    return quote(raw)
