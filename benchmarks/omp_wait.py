"""How OpenMP's wait policy changes a 2-thread run, on an idle machine and beside a busy one.

Builds a ringtest dataset with NEURON (pycoreneuron-ringtest), then times `pycoreneuron-run`
(whole process, best of --rounds) on 1 and 2 threads under OMP_WAIT_POLICY=PASSIVE (our
default since issue 13) and under libgomp's own default (threads spin about 300,000
iterations before they sleep; selected here with an unrecognised policy value, which libgomp
ignores), each without and with one busy-looping process per core beyond the first. Spikes
are checked equal across all runs.

    python benchmarks/omp_wait.py [--flags "-nring 16 -ncell 64 -branch 30 40"] [--rounds 3]
    python benchmarks/omp_wait.py --coredat DIR [--mod DIR] --tstop 20   # a dataset you have
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _spin(stop: mp.Event) -> None:
    x = 0
    while not stop.is_set():
        for _ in range(100000):
            x += 1


def _run(coredat: Path, out: Path, threads: int, policy: str, tstop: float,
         mod: str | None) -> float:
    env = dict(os.environ, OMP_WAIT_POLICY=policy)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pycoreneuron", "-e", str(tstop), "-d", str(coredat),
                    "-o", str(out), "--threads", str(threads), "--verbose", "0",
                    *(["--mod", mod] if mod else [])],
                   env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--flags", default="-nring 16 -ncell 32 -branch 20 30")
    ap.add_argument("--tstop", type=float, default=100.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--coredat", help="an existing dataset (instead of building a ringtest)")
    ap.add_argument("--mod", help="the dataset's MOD files")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="omp-wait."))
    try:
        if args.coredat:
            coredat = Path(args.coredat).resolve()
        else:
            coredat = work / "coredat"
            subprocess.run(["pycoreneuron-ringtest", *args.flags.split(), "-tstop",
                            str(args.tstop), "-coredat", str(coredat)], cwd=work, check=True,
                           capture_output=True)
        rows, spikes = [], set()
        for busy in (0, 1):
            stop = mp.Event()
            hogs = [mp.Process(target=_spin, args=(stop,)) for _ in range(busy)]
            for h in hogs:
                h.start()
            try:
                for policy, label in (("PASSIVE", "passive (ours)"),
                                      ("libgomp-default", "libgomp default")):
                    for threads in (1, 2):
                        out = work / f"out-{busy}-{policy}-{threads}"
                        best = min(_run(coredat, out, threads, policy, args.tstop, args.mod)
                                   for _ in range(args.rounds))
                        spikes.add((out / "out.dat").read_bytes())
                        rows.append((busy, label, threads, best))
            finally:
                stop.set()
                for h in hogs:
                    h.join()
        assert len(spikes) == 1, "spikes differ between runs"
        model = args.coredat or f"ringtest {args.flags}"
        print(f"{model}, tstop {args.tstop}; {os.cpu_count()} cores; "
              f"best of {args.rounds}; wall seconds of the whole process")
        print("| busy processes | wait policy | threads | wall [s] |")
        print("| ---: | --- | ---: | ---: |")
        for busy, label, threads, best in rows:
            print(f"| {busy} | {label} | {threads} | {best:.2f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
