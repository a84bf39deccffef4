"""Proof that pcn_exp gives libm's bits: random arguments by the billion, and every argument
a model's run produces.

    python benchmarks/exp_bits.py --random 1000000000
    python benchmarks/exp_bits.py --model COREDAT --mod MODDIR --tstop 100

--random N draws N doubles in each range (uniform; the last: any bit pattern, NaNs and
infinities included) from a seeded stream and compares pcn_exp (the variant this machine's
libm needs, src/kernels/pcn_exp.h) with libm's exp bit for bit, in C (about 4 ns a pair).
--model runs pycoreneuron-run with PYCORENEURON_EXP=check: the mechanisms are compiled with
pcn_exp.h's checking variant, which computes libm's exp and both variants for every call the
run makes (and returns libm's); the counts are summed over the mechanisms.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

RANGES = [(-50.0, 50.0), (-745.2, 709.8), (-1100.0, 1100.0), (0.0, 0.0)]
CHUNK = 50_000_000
REPORT = re.compile(r"pcn_exp check \((?P<file>[^)]*)\): (?P<calls>\d+) calls, "
                    r"(?P<fma>\d+) differ from libm with the FMA variant, (?P<plain>\d+)")


def random_check(n: int, seed: int) -> int:
    from pycoreneuron import _core

    variant = _core.exp_variant()
    print(f"this libm's exp is pcn_exp variant {variant} "
          f"({ {1: 'FMA build', 2: 'plain build', 0: 'neither: libm is called'}[variant]})")
    if variant == 0:
        return 1
    print("| range | arguments | differ | seconds |\n| --- | ---: | ---: | ---: |")
    failed = 0
    for k, (lo, hi) in enumerate(RANGES):
        start, bad, done, first = time.perf_counter(), 0, 0, None
        while done < n:
            count = min(CHUNK, n - done)
            b, f = _core.exp_mismatches(variant, seed + 1000 * k + done // CHUNK, count, lo, hi)
            bad, first, done = bad + b, first if first is not None else f, done + count
        where = "any bit pattern" if lo == hi else f"[{lo:g}, {hi:g})"
        note = "" if first is None else f" (first: {first!r})"
        print(f"| {where} | {n:,} | {bad}{note} | {time.perf_counter() - start:.0f} |")
        failed += bad
    return 1 if failed else 0


def model_check(coredat: str, mod: str | None, tstop: float, threads: int) -> int:
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "pycoreneuron", "-e", repr(tstop), "-d", coredat,
                   "-o", out, "--threads", str(threads), "--verbose", "0"]
        if mod:
            command += ["--mod", mod]
        env = dict(os.environ, PYCORENEURON_EXP="check")
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        return 2
    calls = fma = plain = 0
    for m in REPORT.finditer(result.stderr):
        calls, fma, plain = calls + int(m["calls"]), fma + int(m["fma"]), plain + int(m["plain"])
    print(f"{coredat}: {calls:,} exp calls; differ from libm: {fma:,} with the FMA variant, "
          f"{plain:,} with the plain one")
    from pycoreneuron import _core

    return 1 if (fma if _core.exp_variant() == 1 else plain) else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--random", type=float, default=0, metavar="N",
                   help="random arguments per range (1e9 for the proof)")
    p.add_argument("--seed", type=int, default=20261207)
    p.add_argument("--model", metavar="COREDAT", help="a dataset to run with every call checked")
    p.add_argument("--mod", metavar="DIR", help="its MOD files")
    p.add_argument("--tstop", type=float, default=100.0)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    status = 0
    if args.random:
        status |= random_check(int(args.random), args.seed)
    if args.model:
        status |= model_check(args.model, args.mod, args.tstop, args.threads)
    return status


if __name__ == "__main__":
    sys.exit(main())
