"""Fidelity harness: every mechanism of some MOD folders, in NEURON and in pycoreneuron.

For each folder of MOD files (a folder given, or any folder below it that holds .mod files):

1. NEURON's nrnivmodl compiles the folder; files it cannot build are found by compiling each
   alone and are left out ("neuron-rejects").
2. For every mechanism a NEURON subprocess builds a small cell around it, initialises it
   (h.stdinit()), dumps it with pc.nrnbbcore_write, initialises again (a fresh finitialize, the
   state pycoreneuron starts from) and runs it with pc.psolve, recording spikes and soma v.
3. pycoreneuron simulates the dump in a subprocess, with only that MOD file (and what it
   INCLUDEs) in its --mod folder, recording the same soma v.
4. Spikes are compared exactly and voltages by their largest difference; each mechanism gets
   one class of CLASSES.

    python benchmarks/fidelity/run_fidelity.py DIR [DIR...] --out results.json [--jobs 2]

NEURON's builds and runs are cached in the work folder (--work); pycoreneuron is rerun every time.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# Classes, from best to worst; "neuron-rejects" and "not-applicable" say nothing about us.
CLASSES = ("identical-bits", "identical", "voltage-differs", "spikes-differ", "refused",
           "crash", "neuron-rejects", "not-applicable")
VOLTAGE_TOLERANCE = 1e-9  # mV: "identical" up to summation-order rounding

# The test model (the same for every mechanism of one kind).
TSTOP = 150.0  # ms
DT = 0.025  # ms
# degC, NEURON's default, set in NEURON; globals.dat carries it to pycoreneuron. (At 34 degC
# hh's gates are too fast for the cell carrying a point process to fire at all.)
CELSIUS = 6.3
V_INIT = -65.0  # mV
G_PAS = 2e-4  # S/cm2: input resistance ~200 MOhm with the dendrite
E_PAS = -65.0  # mV
STEPS = ((10.0, 40.0, 0.1), (70.0, 40.0, 0.5))  # IClamp (delay ms, dur ms, amp nA): quiet, firing
THRESHOLD = 0.0  # mV, the spike source's NetCon at soma(0.5)
NETSTIM = (5.0, 10.0, 10)  # start ms, interval ms, number (noise 0): drives synapses
SYN_WEIGHT = 0.01  # NetCon weight into a point process (uS for conductance synapses)
ART_WEIGHT = 0.5  # NetCon weight into an artificial cell
# A density mechanism's maximal conductances (PARAMETERs named g...bar, g...max) are raised to
# at least this, five times the leak, so that the channel shapes the voltage (Allen's are 1e-5).
G_MIN = 1e-3  # S/cm2
G_NAME = re.compile(r"g\w*(bar|max)\w*", re.I)
CELL_GID, STIM_GID = 0, 1

NEURON_TIMEOUT = 300.0  # s, one NEURON model build and run
OURS_TIMEOUT = 600.0  # s, one pycoreneuron translation, compilation and run
NRNIVMODL_TIMEOUT = 900.0  # s


# ----------------------------------------------------------------------------------------
# MOD files: just enough reading to know what to build


@dataclass
class ModInfo:
    """What the harness needs to know about one MOD file."""

    path: Path
    name: str  # SUFFIX / POINT_PROCESS / ARTIFICIAL_CELL name ("" for SUFFIX nothing)
    kind: str  # "density", "point", "artificial"
    net_receive: bool
    pointers: list[str] = field(default_factory=list)
    bbcorepointers: list[str] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)


_BLOCK_COMMENT = re.compile(r"^\s*COMMENT\b.*?^\s*ENDCOMMENT\b", re.M | re.S)
_VERBATIM = re.compile(r"^\s*VERBATIM\b.*?^\s*ENDVERBATIM\b", re.M | re.S)
_LINE_COMMENT = re.compile(r"[:?].*$", re.M)
_INCLUDE = re.compile(r'^\s*INCLUDE\s+"([^"]+)"', re.M)
_NEURON_BLOCK = re.compile(r"\bNEURON\s*\{")


def _strip(text: str) -> str:
    """The text without comments and VERBATIM blocks."""
    text = _BLOCK_COMMENT.sub("", text)
    text = _VERBATIM.sub("", text)
    return _LINE_COMMENT.sub("", text)


def _block(text: str, start: int) -> str:
    """The body of the brace block opening at text[start - 1] == '{'."""
    depth = 1
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start:i]
    return text[start:]


def _names(body: str, keyword: str) -> list[str]:
    found: list[str] = []
    for match in re.finditer(rf"\b{keyword}\b([^\n]*)", body):
        found += [n for n in re.split(r"[\s,]+", match.group(1)) if re.fullmatch(r"\w+", n)]
    return found


def read_mod(path: Path) -> ModInfo:
    """Name, kind, NET_RECEIVE, POINTERs and INCLUDEs of a MOD file."""
    raw = path.read_text(errors="replace")
    text = _strip(raw)
    includes = _INCLUDE.findall(_BLOCK_COMMENT.sub("", raw))
    match = _NEURON_BLOCK.search(text)
    body = _block(text, match.end()) if match else ""
    name, kind = path.stem, "density"  # no NEURON block: NEURON names it after the file
    for keyword, what in (("SUFFIX", "density"), ("POINT_PROCESS", "point"),
                          ("ARTIFICIAL_CELL", "artificial")):
        found = re.search(rf"\b{keyword}\s+(\w+)", body)
        if found:
            name, kind = found.group(1), what
            break
    if kind == "density" and name == "nothing":
        name = ""
    return ModInfo(path=path, name=name, kind=kind,
                   net_receive=re.search(r"\bNET_RECEIVE\b", text) is not None,
                   pointers=_names(body, "POINTER"), bbcorepointers=_names(body, "BBCOREPOINTER"),
                   includes=includes)


def mod_sets(roots: Sequence[Path]) -> list[tuple[Path, Path]]:
    """(root given, folder) for every folder under the roots that holds .mod files."""
    found: list[tuple[Path, Path]] = []
    for root in roots:
        folders = sorted({p.parent for p in root.rglob("*.mod")})
        found += [(root, folder) for folder in folders]
    return found


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
        h.update(b"\0")
    return h.hexdigest()[:16]


def _copy_with_includes(mods: Iterable[ModInfo], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for mod in mods:
        shutil.copy(mod.path, folder / mod.path.name)
        for inc in mod.includes:
            source = mod.path.parent / inc
            if source.is_file():
                (folder / inc).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, folder / inc)


# ----------------------------------------------------------------------------------------
# NEURON's build of a folder


def _nrnivmodl() -> str:
    local = Path(sys.executable).with_name("nrnivmodl")
    return str(local) if local.exists() else "nrnivmodl"


def _no_folders(line: str) -> str:
    """A compiler message without the scratch folders in its file names."""
    return re.sub(r"\S*/(?=[^/\s]+:\d+)", "", line)


def _first_error(output: str) -> str:
    """The most telling line of a failed nocmodl/compiler run."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for pattern in (r"\berror\b", r"Error", r"not", r"fail"):
        for line in lines:
            if re.search(pattern, line) and "make" not in line.split()[0]:
                return _no_folders(line)[:300]
    return lines[-1][:300] if lines else "nrnivmodl failed"


def _compile(mods: Sequence[ModInfo], scratch: Path) -> tuple[bool, str]:
    shutil.rmtree(scratch, ignore_errors=True)
    _copy_with_includes(mods, scratch)
    try:
        result = subprocess.run([_nrnivmodl(), "."], cwd=scratch, capture_output=True,
                                text=True, timeout=NRNIVMODL_TIMEOUT)
    except subprocess.TimeoutExpired:
        return False, "nrnivmodl timed out"
    ok = result.returncode == 0 and (scratch / "x86_64" / "libnrnmech.so").exists()
    return ok, "" if ok else _first_error(result.stdout + "\n" + result.stderr)


def build_neuron(mods: Sequence[ModInfo], work: Path) -> tuple[Path | None, dict[str, str]]:
    """NEURON's build of these files (cached); also file name -> why nrnivmodl rejects it."""
    key = _digest(*(m.path.name.encode() + m.path.read_bytes() for m in mods),
                  _nrnivmodl().encode())
    final = work / "nrnivmodl" / key
    done = final / "rejects.json"
    if done.exists():
        rejects = json.loads(done.read_text())
        return (final / "build" if (final / "build").exists() else None), rejects
    scratch = work / "nrnivmodl" / f"{key}.tmp{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    rejects: dict[str, str] = {}
    ok, why = _compile(mods, scratch / "build")
    if not ok:  # find the files NEURON cannot build, then build the rest together
        for mod in mods:
            alone, why_alone = _compile([mod], scratch / "alone" / mod.path.stem)
            if not alone:
                rejects[mod.path.name] = why_alone
        shutil.rmtree(scratch / "alone", ignore_errors=True)
        rest = [m for m in mods if m.path.name not in rejects]
        ok, why = _compile(rest, scratch / "build") if rest else (False, "")
        if not ok:
            for mod in rest:
                rejects[mod.path.name] = f"builds alone, not with the others: {why}"
    if not ok:
        shutil.rmtree(scratch / "build", ignore_errors=True)
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / "rejects.json").write_text(json.dumps(rejects, indent=1))
    try:
        scratch.rename(final)
    except OSError:  # another run won
        shutil.rmtree(scratch, ignore_errors=True)
    return build_neuron(mods, work)


# ----------------------------------------------------------------------------------------
# The NEURON side: build, dump, run (in its own process: `run_fidelity.py --neuron SPEC`)


def neuron_child(spec: dict[str, Any]) -> dict[str, Any]:
    """Build the test model for one mechanism, dump it, run it; NEURON's results."""
    import neuron
    from neuron import h

    neuron.load_mechanisms(spec["build"], warn_if_already_loaded=False)
    h.load_file("stdrun.hoc")
    pc = h.ParallelContext()
    kind = spec["kind"]
    keep: list[Any] = []
    ncell = spec.get("cells", 1)
    targets, first_soma = [], None
    for k in range(ncell):
        soma, target = _test_cell(h, pc, spec, k, keep)
        targets.append(target)
        first_soma = soma if k == 0 else first_soma
    soma = first_soma
    if spec["net_receive"]:
        netstim = h.NetStim()
        netstim.start, netstim.interval, netstim.number = NETSTIM
        netstim.noise = 0
        pc.set_gid2node(STIM_GID, pc.id())
        pc.cell(STIM_GID, h.NetCon(netstim, None))
        weight = ART_WEIGHT if kind == "artificial" else SYN_WEIGHT
        for target in targets:
            drive = h.NetCon(netstim, target)
            drive.weight[0], drive.delay = weight, 1.0
            keep.append(drive)
        keep.append(netstim)
    h.celsius, h.dt, h.tstop, h.v_init = CELSIUS, DT, TSTOP, V_INIT
    h.cvode.cache_efficient(1)
    if spec.get("nthread", 1) > 1:
        pc.nthread(spec["nthread"])
    h.stdinit()
    pc.nrnbbcore_write(spec["coredat"])
    spike_t, spike_gid = h.Vector(), h.Vector()
    pc.spike_record(-1, spike_t, spike_gid)
    trace = h.Vector().record(soma(0.5)._ref_v) if soma is not None else None
    h.stdinit()  # NEURON's reference run starts afresh, as pycoreneuron does from the dump
    pc.set_maxstep(10)
    pc.psolve(TSTOP)
    return {"spikes": [[t, int(g)] for t, g in zip(spike_t, spike_gid, strict=True)],
            "voltages": list(trace) if trace is not None else None, "t": h.t,
            "record_gids": [CELL_GID] if soma is not None else []}


def cell_gid(k: int) -> int:
    """The gid of test cell k (cell 0 is CELL_GID; the NetStim is STIM_GID)."""
    return CELL_GID if k == 0 else STIM_GID + k


def _test_cell(h: Any, pc: Any, spec: dict[str, Any], k: int, keep: list[Any]
               ) -> tuple[Any, Any]:
    """Test cell k (its current steps scaled by 1 + k/4, so cells differ): (soma, target)."""
    name, kind = spec["name"], spec["kind"]
    soma = dend = None
    if kind != "artificial":
        soma = h.Section(name=f"soma{k}")
        soma.L = soma.diam = 20
        dend = h.Section(name="dend")
        dend.L, dend.diam, dend.nseg = 200, 2, 5
        dend.connect(soma(1))
        for sec in (soma, dend):
            sec.insert("pas")
            for seg in sec:
                seg.pas.g, seg.pas.e = G_PAS, E_PAS
        if kind == "density":
            for sec in (soma, dend):
                sec.insert(name)
            standard, pname = h.MechanismStandard(name, 1), h.ref("")
            for i in range(int(standard.count())):
                standard.name(pname, i)
                if G_NAME.fullmatch(pname[0].removesuffix(f"_{name}")):
                    for seg in (*soma, *dend):
                        if getattr(seg, pname[0]) < G_MIN:
                            setattr(seg, pname[0], G_MIN)
        else:
            soma.insert("hh")  # so that synaptic input can make the cell fire
        for delay, dur, amp in STEPS:
            stim = h.IClamp(soma(0.5))
            stim.delay, stim.dur, stim.amp = delay, dur, amp * (1 + k / 4)
            keep.append(stim)
        source = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
        source.threshold = THRESHOLD
        target = getattr(h, name)(soma(0.5)) if kind == "point" else None
    else:
        target = getattr(h, name)()
        source = h.NetCon(target, None)
    pc.set_gid2node(cell_gid(k), pc.id())
    pc.cell(cell_gid(k), source)
    keep += [soma, dend, source, target]
    return soma, target


# Everything that shapes NEURON's results: a change reruns NEURON.
NEURON_KEY = _digest(inspect.getsource(neuron_child).encode(), repr(
    (TSTOP, DT, CELSIUS, V_INIT, G_PAS, E_PAS, STEPS, THRESHOLD, NETSTIM, SYN_WEIGHT,
     ART_WEIGHT, G_MIN, G_NAME.pattern, CELL_GID, STIM_GID)).encode())


# ----------------------------------------------------------------------------------------
# The pycoreneuron side (in its own process: `run_fidelity.py --ours SPEC`)


def ours_child(spec: dict[str, Any]) -> dict[str, Any]:
    """Simulate the dump with pycoreneuron; its results, or why it refused."""
    package = spec.get("package")
    if package:  # another pycoreneuron than the installed one (say a commit's snapshot)
        sys.meta_path[:] = [f for f in sys.meta_path
                            if "editable" not in type(f).__module__.lower()]
        sys.path.insert(0, package)
    import pycoreneuron

    if package and not Path(pycoreneuron.__file__).is_relative_to(Path(package).resolve()):
        return {"status": "crash", "message": f"pycoreneuron came from {pycoreneuron.__file__}"}

    try:
        result = pycoreneuron.simulate(spec["coredat"], spec["tstop"], mod=spec["mod"],
                                       record_gids=spec["record_gids"], record_interval=DT,
                                       threads=spec.get("threads", 1))
    except pycoreneuron.PyCoreNeuronError as exc:
        lines = str(exc).strip().splitlines() or [type(exc).__name__]
        return {"status": "refused", "message": f"{type(exc).__name__}: {lines[0]}"[:500]}
    except Exception as exc:  # a bug: keep the traceback's last line
        return {"status": "crash", "message": f"{type(exc).__name__}: {exc}"[:500],
                "traceback": traceback.format_exc()}
    voltages = result.voltages[0].tolist() if spec["record_gids"] else None
    return {"status": "ok",
            "spikes": [[float(t), int(g)] for t, g in
                       zip(result.spike_times, result.spike_gids, strict=True)],
            "voltages": voltages, "t": result.t}


def _child(role: str, spec_path: Path) -> int:
    spec = json.loads(spec_path.read_text())
    result = neuron_child(spec) if role == "neuron" else ours_child(spec)
    Path(spec["out"]).write_text(json.dumps(result))
    return 0


def _run_child(role: str, spec: dict[str, Any], folder: Path,
               timeout: float) -> tuple[dict[str, Any] | None, str]:
    """Run this script as a child; its JSON, or None and the one-line reason it gave none."""
    spec_path = folder / f"{role}.spec.json"
    out = folder / f"{role}.json"
    out.unlink(missing_ok=True)
    spec_path.write_text(json.dumps({**spec, "out": str(out)}))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    command = [sys.executable, str(Path(__file__).resolve()), f"--{role}", str(spec_path)]
    try:
        proc = subprocess.run(command, cwd=folder, capture_output=True, text=True,
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:.0f} s"
    (folder / f"{role}.log").write_text(proc.stdout + "\n" + proc.stderr)
    if proc.returncode == 0 and out.exists():
        return json.loads(out.read_text()), ""
    lines = [line.strip() for line in proc.stderr.splitlines() if line.strip()]
    last = lines[-1][:500] if lines else ""
    if proc.returncode < 0:
        return None, f"killed by signal {-proc.returncode}" + (f": {last}" if last else "")
    return None, last or f"exit code {proc.returncode}"


# ----------------------------------------------------------------------------------------
# Comparing and classifying


@dataclass
class Result:
    """One mechanism's outcome (a row of the results JSON)."""

    set: str
    file: str
    name: str
    kind: str
    cls: str
    message: str = ""
    max_dv: float | None = None  # mV
    bit_identical: bool | None = None
    nspikes_neuron: int | None = None  # the test cell's (gid CELL_GID) only
    nspikes_ours: int | None = None
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        row = asdict(self)
        row["class"] = row.pop("cls")
        if row["max_dv"] is not None and not math.isfinite(row["max_dv"]):
            row["max_dv"] = str(row["max_dv"])
        return row


def compare(neuron: dict[str, Any], ours: dict[str, Any]) -> tuple[str, float | None, bool, str]:
    """(class, max |dv| [mV], bit-identical, message) of two runs' spikes and soma voltages."""
    theirs = sorted((float(t), int(g)) for t, g in neuron["spikes"])
    mine = sorted((float(t), int(g)) for t, g in ours["spikes"])
    v_ref, v_ours = neuron.get("voltages"), ours.get("voltages")
    max_dv: float | None = None
    same_v = True
    message = ""
    if v_ref is not None:
        a = [float(x) for x in v_ref]
        b = [float(x) for x in (v_ours or [])]
        n = min(len(a), len(b))
        same_v = len(a) == len(b) and all(
            x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(a, b, strict=True))
        diffs = [abs(x - y) if not (math.isnan(x) and math.isnan(y)) else 0.0
                 for x, y in zip(a[:n], b[:n], strict=True)]
        max_dv = max((d if not math.isnan(d) else math.inf for d in diffs), default=0.0)
        if len(a) != len(b):
            max_dv = math.inf
            message = f"{len(b)} voltage samples, NEURON has {len(a)}"
        elif diffs and max_dv > 0:
            worst = max(range(n), key=lambda k: diffs[k] if not math.isnan(diffs[k])
                        else math.inf)
            message = (f"largest |dv| at t = {worst * DT:g} ms: NEURON {a[worst]!r}, "
                       f"ours {b[worst]!r}")
    bits = theirs == mine and same_v
    if theirs != mine:
        first = next((k for k, (x, y) in enumerate(zip(theirs, mine, strict=False)) if x != y),
                     min(len(theirs), len(mine)))
        spike_msg = (f"{len(theirs)} spikes in NEURON, {len(mine)} ours; first difference at "
                     f"spike {first}: NEURON {theirs[first] if first < len(theirs) else None}, "
                     f"ours {mine[first] if first < len(mine) else None}")
        return "spikes-differ", max_dv, False, spike_msg
    if bits:
        return "identical-bits", max_dv, True, ""
    if max_dv is not None and max_dv <= VOLTAGE_TOLERANCE:
        return "identical", max_dv, False, message
    return "voltage-differs", max_dv, False, message


def not_applicable(mod: ModInfo) -> str:
    """Why this mechanism cannot be tested in the harness's model, or ''."""
    if mod.kind == "density" and not mod.name:
        return "SUFFIX nothing: no mechanism to insert"
    if mod.bbcorepointers:
        return f"BBCOREPOINTER {', '.join(mod.bbcorepointers)}: needs data set up by the model"
    if mod.pointers:
        return f"POINTER {', '.join(mod.pointers)}: needs to be set to another variable"
    if mod.kind == "artificial" and not mod.net_receive:
        return "ARTIFICIAL_CELL without NET_RECEIVE"
    return ""


def run_mechanism(root: Path, folder: Path, mod: ModInfo, build: Path | None,
                  rejects: dict[str, str], work: Path, package: Path | None = None,
                  network: tuple[int, int] = (1, 1), threads: int = 1) -> Result:
    """One mechanism through NEURON and pycoreneuron, classified."""
    start = time.perf_counter()
    label = str(folder.relative_to(root)) if folder != root else "."
    row = Result(set=f"{root.name}/{label}" if label != "." else root.name,
                 file=str(mod.path.relative_to(root)), name=mod.name, kind=mod.kind, cls="")
    if mod.path.name in rejects:
        row.cls, row.message = "neuron-rejects", _no_folders(rejects[mod.path.name])
        return row
    reason = not_applicable(mod)
    if reason or build is None:
        row.cls, row.message = "not-applicable", reason or "no NEURON build"
        return row
    key = _digest(build.as_posix().encode(), mod.name.encode(), NEURON_KEY.encode(),
                  repr(network).encode() if network != (1, 1) else b"")
    case = work / "cases" / f"{mod.name}-{key}"
    case.mkdir(parents=True, exist_ok=True)
    ref_path = case / "neuron.json"
    if ref_path.exists():
        neuron: dict[str, Any] | None = json.loads(ref_path.read_text())
        why = ""
    else:
        shutil.rmtree(case / "coredat", ignore_errors=True)
        neuron, why = _run_child("neuron", {
            "build": str(build), "name": mod.name, "kind": mod.kind,
            "net_receive": mod.net_receive, "coredat": str(case / "coredat"),
            "cells": network[0], "nthread": network[1]},
            case, NEURON_TIMEOUT)
    if neuron is None:
        row.cls, row.message = "not-applicable", f"NEURON cannot run the model: {why}"
        row.seconds = time.perf_counter() - start
        return row
    row.nspikes_neuron = sum(int(g) == CELL_GID for _, g in neuron["spikes"])
    modfolder = case / "mod"
    shutil.rmtree(modfolder, ignore_errors=True)
    _copy_with_includes([mod], modfolder)
    ours, why = _run_child("ours", {
        "coredat": str(case / "coredat"), "tstop": TSTOP, "mod": str(modfolder),
        "record_gids": neuron["record_gids"], "package": str(package) if package else None,
        "threads": threads},
        case, OURS_TIMEOUT)
    row.seconds = time.perf_counter() - start
    if ours is None:
        row.cls, row.message = "crash", why
    elif ours["status"] != "ok":  # the case's folders out of the message: it names the file
        row.cls = ours["status"]
        row.message = ours["message"].replace(f"{modfolder}/", "").replace(f"{case}/", "")
    else:
        row.nspikes_ours = sum(int(g) == CELL_GID for _, g in ours["spikes"])
        row.cls, row.max_dv, row.bit_identical, row.message = compare(neuron, ours)
    return row


# ----------------------------------------------------------------------------------------
# The driver


def run(roots: Sequence[Path], work: Path, only: Sequence[str] = (), jobs: int = 1,
        log: Callable[[str], None] = print, package: Path | None = None,
        network: tuple[int, int] = (1, 1), threads: int = 1) -> list[Result]:
    """Every mechanism under the roots (or those named in only), classified; network: (test
    cells, NEURON threads), threads: pycoreneuron's."""
    work.mkdir(parents=True, exist_ok=True)
    plan: list[tuple[Path, Path, list[ModInfo]]] = []
    for root, folder in mod_sets([r.resolve() for r in roots]):
        mods = [read_mod(p) for p in sorted(folder.glob("*.mod"))]
        wanted = [m for m in mods if not only or m.name in only or m.path.stem in only]
        if wanted:
            plan.append((root, folder, mods))

    def build(item: tuple[Path, Path, list[ModInfo]]) -> tuple[Path | None, dict[str, str]]:
        root, folder, mods = item
        built, rejects = build_neuron(mods, work)
        log(f"built {folder.relative_to(root.parent)}: {len(mods) - len(rejects)}/{len(mods)}"
            " files")
        return built, rejects

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        builds = list(pool.map(build, plan))
        tasks = [(root, folder, mod, built, rejects)
                 for (root, folder, mods), (built, rejects) in zip(plan, builds, strict=True)
                 for mod in mods if not only or mod.name in only or mod.path.stem in only]

        def one(task: tuple[Path, Path, ModInfo, Path | None, dict[str, str]]) -> Result:
            root, folder, mod, built, rejects = task
            row = run_mechanism(root, folder, mod, built, rejects, work, package, network,
                                threads)
            log(f"{row.cls:15} {row.set}/{mod.path.name} {row.name} {row.message[:100]}")
            return row

        return list(pool.map(one, tasks))


def report(results: Sequence[Result]) -> str:
    """Counts per class for each set given, then every mechanism not identical."""
    lines: list[str] = []
    by_root: dict[str, list[Result]] = {}
    for row in results:
        by_root.setdefault(row.set.split("/")[0], []).append(row)
    header = f"{'class':16}" + "".join(f"{root:>12}" for root in by_root) + f"{'all':>8}"
    lines += [header, "-" * len(header)]
    for cls in CLASSES:
        counts = [sum(r.cls == cls for r in rows) for rows in by_root.values()]
        lines.append(f"{cls:16}" + "".join(f"{c:12d}" for c in counts) + f"{sum(counts):8d}")
    lines.append(f"{'total':16}" + "".join(f"{len(rows):12d}" for rows in by_root.values())
                 + f"{len(results):8d}")
    lines += ["", "Not identical:"]
    for cls in CLASSES[2:]:
        for row in sorted((r for r in results if r.cls == cls), key=lambda r: r.file):
            dv = f" max|dv| {row.max_dv:.3g} mV" if isinstance(row.max_dv, float) else ""
            lines.append(f"  {cls:15} {row.set.split('/')[0]}/{row.file} ({row.name or '-'},"
                         f" {row.kind}){dv}: {row.message}")
    return "\n".join(lines)


def markdown(results: Sequence[Result], title: str) -> str:
    """The report as Markdown: a table of counts, then one row per mechanism not identical."""
    roots = sorted({r.set.split("/")[0] for r in results})
    lines = [f"# {title}", "", "| class | " + " | ".join(roots) + " | all |",
             "| --- |" + " ---: |" * (len(roots) + 1)]
    for cls in CLASSES:
        counts = [sum(r.cls == cls and r.set.split("/")[0] == root for r in results)
                  for root in roots]
        lines.append(f"| {cls} | " + " | ".join(map(str, counts)) + f" | {sum(counts)} |")
    lines += ["", "| class | file | mechanism | kind | message |",
              "| --- | --- | --- | --- | --- |"]
    for cls in CLASSES[2:]:
        for row in sorted((r for r in results if r.cls == cls), key=lambda r: r.file):
            root = row.set.split("/")[0]
            text = row.message.replace("|", "\\|")
            lines.append(f"| {cls} | {root}/{row.file} | {row.name or '-'} | {row.kind} | "
                         f"{text} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) == 2 and argv[0] in ("--neuron", "--ours"):
        return _child(argv[0][2:], Path(argv[1]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="+", type=Path, help="folders of MOD files")
    parser.add_argument("--out", type=Path, default=Path("fidelity.json"),
                        help="results JSON (default fidelity.json)")
    parser.add_argument("--only", nargs="+", default=[], metavar="NAME",
                        help="only these mechanisms (names or file stems)")
    parser.add_argument("--jobs", type=int, default=1, help="mechanisms run in parallel")
    parser.add_argument("--work", type=Path, default=Path("/tmp/pycoreneuron-fidelity"),
                        help="cache and scratch folder (default /tmp/pycoreneuron-fidelity)")
    parser.add_argument("--pycoreneuron", type=Path, metavar="DIR",
                        help="run the pycoreneuron package in DIR/pycoreneuron instead of the "
                        "installed one (a snapshot of a commit, see README.md)")
    parser.add_argument("--markdown", type=Path, metavar="FILE",
                        help="also write the report as Markdown")
    parser.add_argument("--cells", type=int, default=1,
                        help="test cells per model (each with stronger current steps)")
    parser.add_argument("--neuron-threads", type=int, default=1,
                        help="NEURON threads that write the dump (groups)")
    parser.add_argument("--threads", type=int, default=1, help="pycoreneuron's threads")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    for d in args.dirs:
        if not d.is_dir():
            parser.error(f"{d} is not a folder")
    package = args.pycoreneuron.resolve() if args.pycoreneuron else None
    results = run(args.dirs, args.work, args.only, max(1, args.jobs),
                  log=(lambda _: None) if args.quiet else
                  (lambda line: print(line, flush=True)), package=package,
                  network=(max(1, args.cells), max(1, args.neuron_threads)),
                  threads=max(1, args.threads))
    args.out.write_text(json.dumps({
        "pycoreneuron": str(package) if package else "installed", "tstop": TSTOP, "dt": DT,
        "celsius": CELSIUS, "voltage_tolerance": VOLTAGE_TOLERANCE,
        "results": [r.as_json() for r in results]}, indent=1) + "\n")
    if args.markdown:
        args.markdown.write_text(markdown(results, "Fidelity results"))
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
