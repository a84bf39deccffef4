"""A fuzzer of our own: hostile inputs for pycoreneuron-run, each run and classified.

Four kinds of case, each made from a seed alone (so any case can be replayed):

* ``dataset``: a copy of a dataset with one file damaged (bytes flipped, an integer or a
  double slot overwritten with an extreme value, truncated, extended, a range cut out or
  repeated, a text line replaced) or replaced by what is not a file (a named pipe, a folder,
  a link to a device, an empty or a 10 GB sparse file), or missing;
* ``cli``: the intact dataset with one flag given an extreme or malformed value;
* ``pattern``: a ``-p`` spike file of random, extreme or binary lines;
* ``mod``: one of our or bmtk's MOD files with a token cut, repeated or replaced, a line
  doubled, or nesting piled up; translated, and the C it gives compiled;
* ``checkpoint``: a checkpoint of the dataset at 1 ms (made once per dataset) with one file
  damaged or replaced as above, or one manifest entry given a wrong value, then ``--restore``
  to 2 ms.

Outcome classes: ``ok`` (exit 0, out.dat and nothing else), ``clean`` (exit 2, one printable
line ``pycoreneuron-run: error: ...``, nothing left behind), ``long`` (a valid request for a
run of over a million steps, such as ``-e 1e9``, still running at the time limit), and the
failures ``traceback``,
``memory`` (MemoryError), ``crash`` (killed by a signal), ``hang`` (past the time limit),
``partial`` (a file left in the output folder after an error, or a stray temporary file),
``noisy`` (exit 2 but not one short printable line), ``exit-N`` (any other exit code); for MOD
cases ``clean`` also needs the message to name the MOD file and a line, and ``c-error`` is C
that our translator printed and the compiler refused.

Single-process cases run in a child forked from a process that has imported pycoreneuron
(a few tens of milliseconds each, with an address-space limit; that process must not have
run OpenMP itself, since libgomp's threads do not survive a fork); ``--mpi`` cases run
``mpiexec -n 2``. tests/test_fuzz.py runs a few hundred seeded cases; scripts/fuzz.py runs
thousands and writes the table.
"""

from __future__ import annotations

import json
import os
import random
import resource
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ringtest" / "coredat"
MOD_CORPUS = sorted((ROOT / "mod").glob("*.mod")) + sorted(
    (ROOT / "tests" / "data" / "third_party" / "bmtk").glob("*.mod"))
FAILURES = ("traceback", "memory", "crash", "hang", "partial", "noisy", "c-error")

_INTS = [0, -1, 1, 2, 7, 255, 2**15, 2**31 - 1, -2**31, 2**31, 2**32 - 1, 10**9, -10**9]
_DOUBLES = [0.0, -0.0, 1.0, -1.0, 1e308, -1e308, 1e-320, 5e-324, float("nan"),
            float("inf"), float("-inf"), 1e-12, 1e12, 1000.0]
_NUMBERS = ["0", "-1", "1", "1e-320", "1e308", "-1e308", "nan", "inf", "-inf", "2147483648",
            "9223372036854775808", "99999999999", "4294967296", "-0", "0x10", "1_000", "",
            "abc", "1" * 5000, "\x00", "1e", "--1", "+5", " 3", "3.5", "1e-300", "100000"]
_FLAGS = [("-e", True), ("--dt", True), ("--threads", True), ("-s", True), ("-v", True),
          ("-l", True), ("--mindelay", True), ("-b", True), ("-R", True), ("--verbose", True),
          ("-c", False), ("--model-stats", False), ("-f", True), ("-p", True), ("--mod", True),
          ("-d", True), ("-o", True), ("--bogus", False), ("--gpu", False),
          ("-k", True), ("-g", True), ("--checkpoint", True), ("--restore", True),
          ("--report-conf", True), ("--report-buffer-size", True), ("-i", True),
          ("--binqueue", False), ("--read-config", True)]
_JSON_VALUES = [None, -1, 0, 2**63, 1e308, -1e308, float("nan"), "x", [], {}, True, 0.5,
                "0" * 100]
_CHECKPOINTS: dict[tuple[str, tuple[str, ...]], Path] = {}


def _checkpoint_of(dataset: Path, extra: tuple[str, ...]) -> Path:
    """A checkpoint of dataset at 1 ms, made once (in a subprocess: the fuzzing process must
    not run OpenMP before it forks)."""
    key = (str(dataset), extra)
    if key not in _CHECKPOINTS:
        folder = Path(tempfile.mkdtemp(prefix="pcn-fuzz-checkpoint-"))
        done = subprocess.run([sys.executable, "-m", "pycoreneuron", "-e", "1", "-d",
                               str(dataset), "-o", str(folder / "out"), "--verbose", "0",
                               "--checkpoint", str(folder / "chk"), *extra],
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"no checkpoint of {dataset}: {done.stderr}")
        _CHECKPOINTS[key] = folder / "chk"
    return _CHECKPOINTS[key]


@dataclass
class Case:
    seed: int
    kind: str
    what: str = ""
    argv: list[str] = field(default_factory=list)
    mod_file: Path | None = None  # mod cases: the damaged file
    # a valid request for a long run (-e 1e9): past the time limit it is "long", not "hang"
    may_run_long: bool = False


@dataclass
class Outcome:
    case: Case
    cls: str
    rc: int | None
    seconds: float
    detail: str = ""


# ---- making cases -----------------------------------------------------------------------


def _damage_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """One random damage to a file's bytes, and its description."""
    n = len(data)
    op = rng.choice(["flip", "int", "double", "truncate", "extend", "cut", "repeat", "line"])
    if n == 0:
        op = "extend"
    at = rng.randrange(n) if n else 0
    raw = bytearray(data)
    if op == "flip":
        for _ in range(rng.randint(1, 8)):
            k = rng.randrange(n)
            raw[k] ^= 1 << rng.randrange(8)
    elif op == "int":
        value = rng.choice(_INTS)
        raw[at:at + 4] = struct.pack("<q" if value >= 2**31 or value < -2**31 else "<i",
                                     value)[:4]
    elif op == "double":
        raw[at:at + 8] = struct.pack("<d", rng.choice(_DOUBLES))
    elif op == "truncate":
        del raw[at:]
    elif op == "extend":
        raw += bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    elif op == "cut":
        del raw[at:at + rng.randint(1, 64)]
    elif op == "repeat":
        raw[at:at] = raw[at:at + rng.randint(1, 64)]
    else:  # a text line replaced
        lines = bytes(raw).split(b"\n")
        k = rng.randrange(len(lines))
        lines[k] = rng.choice([b"", b"chkpnt 99", b"-1", b"2147483648", b"1" * 100_000,
                               bytes(rng.randrange(256) for _ in range(40)),
                               lines[k] + b" " + lines[k], b"1.8", b"0 0"]).replace(b"\n", b"")
        raw = bytearray(b"\n".join(lines))
    return bytes(raw), f"{op} at {at}"


def _replace_file(rng: random.Random, path: Path) -> str:
    """What is not a file, in place of one."""
    op = rng.choice(["fifo", "dir", "zero", "urandom", "empty", "sparse", "missing"])
    path.unlink()
    if op == "fifo":
        os.mkfifo(path)
    elif op == "dir":
        path.mkdir()
    elif op in ("zero", "urandom"):
        path.symlink_to(f"/dev/{op}")
    elif op == "empty":
        path.write_bytes(b"")
    elif op == "sparse":
        with open(path, "wb") as f:
            f.truncate(10 << 30)
    return op


def make_case(seed: int, kind: str, dataset: Path, work: Path,
              extra: tuple[str, ...] = ()) -> Case:
    """Case ``seed`` of ``kind``: its input written under ``work`` (an empty folder); extra:
    flags every run gets (``--mod DIR`` for a dataset that needs MOD files)."""
    rng = random.Random(f"{kind}:{seed}")
    out = work / "out"
    out.mkdir()
    data = work / "coredat"
    if kind == "mod":
        source = rng.choice(MOD_CORPUS)
        mods = work / "mods"
        mods.mkdir()
        target = mods / source.name
        text, what = damage_mod(rng, source.read_text(errors="replace"))
        target.write_text(text)
        return Case(seed, kind, f"{source.name}: {what}", [], target)
    shutil.copytree(dataset, data, symlinks=True)
    argv = ["-e", "2", "-d", str(data), "-o", str(out), "--verbose", "1", *extra]
    if kind == "dataset":
        files = sorted(p for p in data.iterdir() if p.is_file())
        victim = rng.choice(files)
        if rng.random() < 0.12:
            what = f"{victim.name}: {_replace_file(rng, victim)}"
        else:
            damaged, what = _damage_bytes(rng, victim.read_bytes())
            victim.write_bytes(damaged)
            what = f"{victim.name}: {what}"
        return Case(seed, kind, what, argv)
    if kind == "cli":
        flag, takes = rng.choice(_FLAGS)
        value = rng.choice(_NUMBERS + [str(work / "nowhere"), "/dev/zero", "/proc",
                                       str(data / "files.dat")])
        extra = [flag, value] if takes else [flag]
        return Case(seed, kind, " ".join(extra)[:80], argv + extra,
                    may_run_long=_long_run(flag, value))
    if kind == "checkpoint":
        chk = work / "chk"
        shutil.copytree(_checkpoint_of(dataset, extra), chk)
        victim = rng.choice(sorted(chk.iterdir()))
        roll = rng.random()
        if roll < 0.1:
            what = f"{victim.name}: {_replace_file(rng, victim)}"
        elif roll < 0.4 and victim.suffix == ".json":
            manifest = json.loads(victim.read_text())
            entry = rng.choice(sorted(manifest))
            manifest[entry] = rng.choice(_JSON_VALUES)
            victim.write_text(json.dumps(manifest))
            what = f"{victim.name}: {entry} = {manifest[entry]!r}"[:80]
        else:
            damaged, what = _damage_bytes(rng, victim.read_bytes())
            victim.write_bytes(damaged)
            what = f"{victim.name}: {what}"
        return Case(seed, kind, what, argv + ["--restore", str(chk)])
    if kind == "pattern":
        lines = ["scatter"]
        for _ in range(rng.randint(0, 20)):
            lines.append(rng.choice([
                f"{rng.uniform(-5, 5):.3f} {rng.randint(-3, 600)}",
                f"{rng.choice(_NUMBERS)} {rng.choice(_NUMBERS)}",
                rng.choice(_NUMBERS),
                "".join(chr(rng.randrange(1, 256)) for _ in range(rng.randint(1, 30))),
                f"1.0 {rng.randint(0, 10)} extra"]))
        pattern = work / "pattern.dat"
        body = "\n".join(lines).encode("latin-1")
        if rng.random() < 0.1:
            body = body[: rng.randrange(len(body) + 1)]
        pattern.write_bytes(body)
        return Case(seed, kind, f"{len(lines) - 1} lines", argv + ["-p", str(pattern)])
    raise ValueError(f"unknown kind {kind}")


def _long_run(flag: str, value: str) -> bool:
    """Whether flag value asks for a run of more than a million steps, which is no hang."""
    try:
        number = float(value)
    except ValueError:
        return False
    if flag == "-e":
        return number > 1000.0
    if flag == "--dt":
        return 0 < number < 1e-5
    return False


def damage_mod(rng: random.Random, text: str) -> tuple[str, str]:
    """One random damage to MOD text."""
    import re

    tokens = re.findall(r"\s+|[A-Za-z_][A-Za-z0-9_]*|[0-9.]+(?:[eE][-+]?[0-9]+)?|.", text)
    op = rng.choice(["cut", "repeat", "replace", "line", "nest", "swap"])
    k = rng.randrange(len(tokens))
    if op == "cut":
        del tokens[k]
    elif op == "repeat":
        tokens.insert(k, tokens[k])
    elif op == "replace":
        tokens[k] = rng.choice(["(", ")", "{", "}", "=", "FUNCTION", "PROCEDURE", "SOLVE",
                                "KINETIC", "~", "<->", "1e999", "v", "t", "dt", "UNITS",
                                "VERBATIM", "ENDVERBATIM", "COMMENT", ":", "?", "x" * 5000,
                                "'", "\x00", "LOCAL", "TABLE", "NET_RECEIVE", "-", "^"])
    elif op == "line":
        lines = "".join(tokens).split("\n")
        j = rng.randrange(len(lines))
        lines.insert(j, lines[j])
        return "\n".join(lines), f"line {j + 1} doubled"
    elif op == "nest":
        depth = rng.choice([50, 150, 1000])
        tokens.insert(k, "(" * depth + "1" + ")" * depth)
    else:
        j = rng.randrange(len(tokens))
        tokens[k], tokens[j] = tokens[j], tokens[k]
    return "".join(tokens), f"{op} token {k}"


# ---- running cases ------------------------------------------------------------------------


def _redirect(work: Path) -> None:
    """The child's stderr to work/stderr and stdout to nowhere, at the file descriptors and
    in sys (pytest's capture replaces sys.stderr with an object of its own)."""
    fd = os.open(work / "stderr", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 2)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115


def _child_run(argv: list[str], work: Path, memory: int) -> None:
    """In the forked child: pycoreneuron-run as `python -m pycoreneuron` runs it."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    os.chdir(work)
    _redirect(work)
    code = 1
    try:
        from pycoreneuron.cli import main

        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        sys.stderr.flush()
        os._exit(code if isinstance(code, int) else 1)


def _child_mod(mod_file: Path, work: Path, memory: int) -> None:
    """In the forked child: translate one MOD file and compile its C (syntax only)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    _redirect(work)
    code = 0
    try:
        from pycoreneuron.errors import PyCoreNeuronError, one_line
        from pycoreneuron.nmodl.build import translate
        from pycoreneuron.nmodl.cache import CFLAGS, kernels_dir

        try:
            name, source = translate(mod_file)
        except PyCoreNeuronError as exc:
            print(one_line(str(exc)), file=sys.stderr)
            code = 2
        else:
            c_file = work / f"{name}.c"
            c_file.write_text(source)
            done = subprocess.run(["cc", "-fsyntax-only", *CFLAGS, f"-I{kernels_dir()}",
                                   str(c_file)], capture_output=True, text=True, timeout=60)
            if done.returncode != 0:
                # VERBATIM is C we pass on: its errors are reported at the MOD file and line
                # (#line), as the build reports them; any other is C our translator printed
                from pycoreneuron.nmodl.build import compile_error

                error = compile_error(done.stderr, [mod_file], work)
                if error.filename == str(mod_file) and error.line:
                    print(one_line(str(error)), file=sys.stderr)
                    code = 2
                else:
                    sys.stderr.write("C-ERROR " + done.stderr[-2000:])
                    code = 3
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        sys.stderr.flush()
        os._exit(code)


def _wait(pid: int, timeout: float) -> tuple[int | None, int | None, bool]:
    """(exit code, signal, timed out) of a forked child, killing it past the timeout."""
    end = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            if os.WIFSIGNALED(status):
                return None, os.WTERMSIG(status), False
            return os.WEXITSTATUS(status), None, False
        if time.monotonic() > end:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None, None, True
        select.select([], [], [], 0.005)


def classify(case: Case, rc: int | None, sig: int | None, hung: bool, stderr: str,
             out: Path, seconds: float) -> Outcome:
    left = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    lines = stderr.strip().splitlines()
    if hung:
        return Outcome(case, "long" if case.may_run_long else "hang", rc, seconds)
    if sig is not None:
        return Outcome(case, "crash", rc, seconds, f"signal {sig}")
    if "MemoryError" in stderr:
        return Outcome(case, "memory", rc, seconds, lines[-1][:200] if lines else "")
    if "Traceback" in stderr:
        return Outcome(case, "traceback", rc, seconds, lines[-1][:200] if lines else "")
    if case.kind == "mod":
        if rc == 3:
            return Outcome(case, "c-error", rc, seconds, stderr[:300])
        if rc == 0:
            return Outcome(case, "ok", rc, seconds)
        ok = rc == 2 and len(lines) == 1 and lines[0].isprintable() and len(lines[0]) < 600
        named = bool(lines) and lines[0].startswith(f"{case.mod_file}:")
        with_line = named and lines[0][len(str(case.mod_file)) + 1:].split(":")[0].isdigit()
        return Outcome(case, "clean" if ok and with_line else "noisy", rc, seconds,
                       lines[0][:200] if lines else "")
    if rc == 0:
        stray = [n for n in left if n != "out.dat"]
        return Outcome(case, "partial" if stray else "ok", rc, seconds, " ".join(stray))
    if rc == 2:
        if left:
            return Outcome(case, "partial", rc, seconds, " ".join(left))
        one = (len(lines) == 1 and lines[0].startswith("pycoreneuron-run: error: ")
               and lines[0].isprintable() and len(lines[0]) < 600)
        return Outcome(case, "clean" if one else "noisy", rc, seconds,
                       (lines[0] if len(lines) == 1 else f"{len(lines)} lines")[:200])
    return Outcome(case, f"exit-{rc}", rc, seconds, lines[-1][:200] if lines else "")


def run_case(case: Case, work: Path, timeout: float, memory: int) -> Outcome:
    """One single-process case in a forked child."""
    start = time.monotonic()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        if case.kind == "mod":
            _child_mod(case.mod_file, work, memory)
        _child_run(case.argv, work, memory)
    rc, sig, hung = _wait(pid, timeout)
    stderr = (work / "stderr").read_text(errors="replace") if (work / "stderr").exists() \
        else ""
    return classify(case, rc, sig, hung, stderr, work / "out", time.monotonic() - start)


def run_mpi_case(case: Case, work: Path, timeout: float, mpiexec: list[str]) -> Outcome:
    """One case under ``mpiexec -n 2`` (real processes, no fork)."""
    start = time.monotonic()
    argv = [a.replace("\0", "") for a in case.argv]  # no process argument holds a NUL
    proc = subprocess.Popen([*mpiexec, "-n", "2", sys.executable, "-m", "pycoreneuron",
                             "-mpi", *argv], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, cwd=work,
                            start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=timeout)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, stderr = proc.communicate()
        hung = True
    rc = proc.returncode if proc.returncode is not None and proc.returncode >= 0 else None
    sig = -proc.returncode if proc.returncode is not None and proc.returncode < 0 else None
    return classify(case, rc, sig, hung, stderr, work / "out", time.monotonic() - start)


def fuzz(kinds: list[str], count: int, first_seed: int = 0, dataset: Path = EXAMPLE,
         timeout: float = 30.0, memory: int = 4 << 30, mpi: list[str] | None = None,
         on_outcome: Callable[[Outcome], None] | None = None,
         extra: tuple[str, ...] = ()) -> list[Outcome]:
    """count cases, cycling through kinds, seeds first_seed, first_seed + 1, ..."""
    if mpi is None:  # imported once here, so that each forked child starts with them
        import pycoreneuron.cli  # noqa: F401
        import pycoreneuron.engine.simulate  # noqa: F401
        import pycoreneuron.nmodl.build  # noqa: F401
    outcomes = []
    for k in range(count):
        seed = first_seed + k
        kind = kinds[k % len(kinds)]
        work = Path(tempfile.mkdtemp(prefix=f"pcn-fuzz-{kind}-{seed}-"))
        try:
            case = make_case(seed, kind, dataset, work, extra)
            outcome = run_mpi_case(case, work, timeout, mpi) if mpi else \
                run_case(case, work, timeout, memory)
        finally:
            _remove(work)
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return outcomes


def _remove(work: Path) -> None:
    for p in work.rglob("*"):  # a FIFO or a device link must not be opened by rmtree
        if p.is_symlink() or (p.exists() and not p.is_dir() and not p.is_file()):
            p.unlink()
    shutil.rmtree(work, ignore_errors=True)


def table(outcomes: list[Outcome]) -> dict:
    """Counts by kind and class, and the failing cases (to replay by seed)."""
    by_kind: dict[str, Counter] = {}
    for o in outcomes:
        by_kind.setdefault(o.case.kind, Counter())[o.cls] += 1
    failures = [{"kind": o.case.kind, "seed": o.case.seed, "class": o.cls, "what": o.case.what,
                 "detail": o.detail} for o in outcomes if o.cls in FAILURES
                or o.cls.startswith("exit-")]
    return {"cases": len(outcomes), "by_kind": {k: dict(v) for k, v in by_kind.items()},
            "total": dict(Counter(o.cls for o in outcomes)),
            "slowest_s": max((o.seconds for o in outcomes), default=0.0),
            "failures": failures}


def markdown(result: dict) -> str:
    classes = ["ok", "clean", *FAILURES]
    extra = sorted({c for v in result["by_kind"].values() for c in v} - set(classes))
    classes += extra
    rows = ["| kind | " + " | ".join(classes) + " | cases |",
            "| --- |" + " ---: |" * (len(classes) + 1)]
    for kind, counts in sorted(result["by_kind"].items()):
        rows.append(f"| {kind} | " + " | ".join(str(counts.get(c, 0)) for c in classes)
                    + f" | {sum(counts.values())} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # a quick look: python -m tests.fuzzing
    print(json.dumps(table(fuzz(["dataset", "cli", "pattern", "mod"], 40)), indent=1))
