"""NEURON's CoreNEURON suite (github:neuronsimulator/testcorenrn) run by pycoreneuron.

testcorenrn has no licence, so nothing of it is copied here: pass the path of a fetched copy.
For each of its 9 spike-comparison tests (run.sh's list, with run.sh's rank counts) NEURON
9.0.2 compiles the suite's mod/ folder, runs the test's hoc script (its spikes, sorted as
run.sh sorts them) and dumps the model (`-c arg_dump_coreneuron_model=1`); pycoreneuron runs
the dump with `--mod <suite>/mod` (`-p patstim.spk` for patstim), in one process and, with
--mpi, on the test's rank count. The spikes must equal NEURON's.

    python benchmarks/testcorenrn/run_testcorenrn.py /path/to/testcorenrn [--mpi] [--only kin]

Prints one line per test and a summary; exit status 0 when every test gives NEURON's spikes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

TESTS = {"bbcore": 1, "conc": 1, "deriv": 1, "gf": 2, "kin": 1, "patstim": 2, "vecplay": 2,
         "watch": 2, "vecevent": 4}  # run.sh: test -> MPI ranks


def _env() -> dict[str, str]:
    env = dict(os.environ, OMP_NUM_THREADS="1")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if not env.get("MPI_LIB_NRN_PATH"):  # NEURON's MPI: the MPICH that pip installed
        for lib in sorted(Path(sys.prefix, "lib").glob("libmpi.so.*")):
            env["MPI_LIB_NRN_PATH"] = str(lib)
            break
    return env


def _run(cmd: list[str], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=timeout)


def _spikes(path: Path) -> list[tuple[float, int]]:
    """(time, gid) pairs of a spike file, sorted as run.sh sorts (by time, then gid)."""
    out = []
    for line in path.read_text().split("\n"):
        parts = line.split()
        if len(parts) == 2:
            out.append((float(f"{float(parts[0]):.8g}"), int(float(parts[1]))))
    return sorted(out)


def _nrnivmodl(suite: Path, work: Path) -> Path:
    """The suite's mod/ compiled by NEURON (special in work/x86_64)."""
    special = work / "x86_64" / "special"
    if not special.exists():
        work.mkdir(parents=True, exist_ok=True)
        shutil.copytree(suite / "mod", work / "mod", dirs_exist_ok=True)
        nrnivmodl = Path(sys.executable).parent / "nrnivmodl"
        r = _run([str(nrnivmodl), "mod"], work)
        if r.returncode != 0 or not special.exists():
            raise SystemExit(f"nrnivmodl failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return special


def run_test(name: str, ranks: int, suite: Path, work: Path, special: Path,
             mpi: bool, checkpoint: bool = False) -> tuple[bool, str]:
    folder = work / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for f in suite.glob("*.hoc"):
        (folder / f.name).symlink_to(f)
    (folder / "x86_64").symlink_to(special.parent)
    launch = ["mpiexec", "-n", str(ranks), str(special), "-mpi", "-c", "arg_tstop=100"]
    r = _run(launch + [f"test{name}.hoc"], folder)
    out = folder / f"out{name}.dat"
    if r.returncode != 0 or not out.exists():
        return False, f"NEURON failed: {(r.stdout + r.stderr).strip().splitlines()[-1:]}"
    neuron = _spikes(out)
    reference = _spikes(suite / "reference" / f"out_{name}.spk")
    r = _run(launch + ["-c", "arg_dump_coreneuron_model=1", f"test{name}.hoc"], folder)
    if r.returncode != 0 or not (folder / "coredat" / "files.dat").exists():
        return False, f"NEURON's dump failed: {(r.stdout + r.stderr).strip()[-300:]}"
    ours_cmd = [sys.executable, "-m", "pycoreneuron", "-e", "100", "-d", "coredat",
                "--mod", str(suite / "mod"), "--verbose", "0"]
    if name == "patstim":
        ours_cmd += ["-p", "patstim.spk"]
    runs = [("1 process", ours_cmd + ["-o", "ours"])]
    if mpi and ranks > 1:
        runs.append((f"{ranks} ranks", ["mpiexec", "-n", str(ranks), *ours_cmd, "-mpi",
                                        "-o", "ours_mpi"]))
    notes = [f"NEURON {len(neuron)} spikes" + ("" if neuron == reference else
                                               " (NOT the suite's reference)")]
    ok = True
    for label, cmd in runs:
        (folder / cmd[cmd.index("-o") + 1]).mkdir()
        r = _run(cmd, folder)
        result = folder / cmd[cmd.index("-o") + 1] / "out.dat"
        if r.returncode != 0:
            ok = False
            notes.append(f"{label}: exit {r.returncode}: {r.stderr.strip()[-400:]}")
            continue
        ours = _spikes(result)
        if ours == neuron:
            notes.append(f"{label}: identical")
        else:
            ok = False
            first = next((k for k, (a, b) in enumerate(zip(ours, neuron, strict=False))
                          if a != b),
                         min(len(ours), len(neuron)))
            notes.append(f"{label}: {len(ours)} spikes, first difference at #{first}")
    if checkpoint:  # 0 -> 40 ms with --checkpoint, restored to 100 ms on 2 threads
        first = _run([*ours_cmd[:4], "40", *ours_cmd[5:], "-o", "part1", "--checkpoint",
                      "chk"], folder)
        second = _run([*ours_cmd, "-o", "part2", "--restore", "chk", "--threads", "2"], folder)
        if first.returncode != 0 or second.returncode != 0:
            ok = False
            notes.append(f"checkpoint: {(first.stderr + second.stderr).strip()[-400:]}")
        else:
            parts = sorted(_spikes(folder / "part1" / "out.dat")
                           + _spikes(folder / "part2" / "out.dat"))
            same = parts == sorted(neuron)
            ok = ok and same
            notes.append("0 -> 40 -> 100 ms (checkpoint, restored on 2 threads): "
                         + ("identical" if same else f"{len(parts)} spikes, differ"))
    return ok, "; ".join(notes)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("suite", type=Path, help="a fetched copy of testcorenrn")
    ap.add_argument("--work", type=Path, default=Path("/tmp/pycoreneuron-testcorenrn"))
    ap.add_argument("--mpi", action="store_true", help="also run pycoreneuron on MPI ranks")
    ap.add_argument("--only", nargs="+", choices=sorted(TESTS), default=None)
    ap.add_argument("--checkpoint", action="store_true",
                    help="also run each test in two parts: --checkpoint at 40 ms, --restore")
    args = ap.parse_args(argv)
    suite = args.suite.resolve()
    if not (suite / "mod").is_dir() or not (suite / "run.sh").exists():
        print(f"{suite}: not a copy of testcorenrn (no mod/ or run.sh)", file=sys.stderr)
        return 2
    special = _nrnivmodl(suite, args.work)
    passed = 0
    names = args.only or list(TESTS)
    for name in names:
        ok, note = run_test(name, TESTS[name], suite, args.work, special, args.mpi,
                            args.checkpoint)
        passed += ok
        print(f"{'PASS' if ok else 'FAIL'}  {name:9s} {note}", flush=True)
    print(f"{passed} of {len(names)} tests give NEURON's spikes")
    return 0 if passed == len(names) else 1


if __name__ == "__main__":
    sys.exit(main())
