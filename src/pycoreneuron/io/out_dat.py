"""out.dat: the spike raster, as CoreNEURON writes it.

One line per spike, `%.8g\\t%d` (time, gid), sorted by time and then gid on the exact doubles, so
the file is the same whatever the number of threads or ranks. Written atomically: a temporary
file in the same directory, renamed into place, so a failed run leaves no partial out.dat.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from ..errors import UsageError, quote


def file_mode() -> int:
    """The mode open() gives a new file under this process's umask (0644 under 022): our
    files are written through mkstemp, which makes them 0600, then given this mode."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def check_writable(folder: str | os.PathLike[str]) -> None:
    """Refuse, before a run, an output folder where no file can be made (read-only, full,
    out of inodes): one sentence, nothing left behind. A folder that does not exist yet is
    judged by the nearest one that does, where it will be made (as special-core makes it)."""
    target = Path(folder)
    probe_in = target
    while not probe_in.exists() and probe_in != probe_in.parent:
        probe_in = probe_in.parent
    if not probe_in.is_dir():
        raise UsageError(f"output directory {quote(str(target))}: {quote(str(probe_in))} is "
                         "not a directory")
    try:
        if probe_in == target:
            fd, scratch = tempfile.mkstemp(prefix=".pycoreneuron-probe.", dir=probe_in)
            os.close(fd)
            os.unlink(scratch)
        else:
            os.rmdir(tempfile.mkdtemp(prefix=".pycoreneuron-probe.", dir=probe_in))
    except OSError as exc:
        raise UsageError(f"cannot write in the output directory {quote(str(target))}: "
                         f"{exc.strerror}") from None


def write_atomically(target: Path, content: str | bytes,
                     error: type[UsageError] = UsageError) -> None:
    """target's new contents (text or bytes), all or nothing: a temporary file beside it,
    on disk before it is given the umask's mode and renamed over it; on any failure the
    temporary file goes and target is as it was. A failure to write is one sentence (error,
    a UsageError)."""
    scratch = None
    try:
        fd, scratch = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(content.encode() if isinstance(content, str) else content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(scratch, file_mode())
        os.replace(scratch, target)
    except OSError as exc:
        if scratch is not None:
            Path(scratch).unlink(missing_ok=True)
        raise error(f"cannot write {quote(str(target))}: {exc.strerror}") from None
    except BaseException:
        if scratch is not None:
            Path(scratch).unlink(missing_ok=True)
        raise


def sort_spikes(times: np.ndarray, gids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Spikes ordered by time, ties by gid (exact comparison, as CoreNEURON sorts)."""
    times = np.asarray(times, dtype=np.float64)
    gids = np.asarray(gids, dtype=np.int64)
    if times.shape != gids.shape or times.ndim != 1:
        raise ValueError("times and gids must be 1-d arrays of the same length")
    order = np.lexsort((gids, times))
    return times[order], gids[order]


def format_spikes(times: np.ndarray, gids: np.ndarray) -> str:
    """The text of out.dat for already sorted spikes."""
    # %.8g through Python's formatting equals C printf's for doubles.
    return "".join(f"{t:.8g}\t{g:d}\n" for t, g in zip(times.tolist(), gids.tolist(),
                                                          strict=True))


def write_out_dat(outpath: str | os.PathLike[str], times: np.ndarray, gids: np.ndarray,
                  name: str = "out.dat") -> Path:
    """Sort and write spikes to OUTPATH/out.dat atomically (OUTPATH made if need be);
    returns the file's path."""
    folder = Path(outpath)
    try:
        folder.mkdir(parents=True, exist_ok=True)  # -o names a folder to make, as special-core
    except OSError as exc:
        raise UsageError(f"cannot make the output directory {quote(str(folder))}: "
                         f"{exc.strerror}") from None
    times, gids = sort_spikes(times, gids)
    target = folder / name
    write_atomically(target, format_spikes(times, gids))
    return target
