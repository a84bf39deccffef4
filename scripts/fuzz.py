"""Long fuzzing runs of pycoreneuron-run (tests/fuzzing.py), with a table of outcome classes.

    python scripts/fuzz.py --cases 10000 --jobs 2 --out fuzz.json --markdown fuzz.md
    python scripts/fuzz.py --cases 500 --mpi --dataset DIR --mod examples/ringtest/mod
    python scripts/fuzz.py --kinds mod --cases 1000
    python scripts/fuzz.py --replay dataset:1234      # one case again, its output kept

Cases are numbered from --first-seed; each is made from its kind and seed alone, so the table's
failures can be replayed one by one. Exit code 1 when any case fails (traceback, memory,
crash, hang, partial output, a message that is not one line, C the translator printed that
does not compile).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import fuzzing  # noqa: E402


def _chunk(args: tuple) -> list:
    kinds, count, first, dataset, timeout, mpi, extra = args
    return fuzzing.fuzz(kinds, count, first, Path(dataset), timeout,
                        mpi=fuzzing_mpi() if mpi else None, extra=tuple(extra))


def fuzzing_mpi() -> list[str]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.conftest import mpiexec_command

    command = mpiexec_command()
    if command is None:
        raise SystemExit("no mpiexec: pip install .[mpi]")
    return command


def replay(spec: str, dataset: Path, timeout: float, extra: list[str]) -> int:
    kind, _, seed = spec.partition(":")
    work = Path(tempfile.mkdtemp(prefix="pcn-replay-"))
    case = fuzzing.make_case(int(seed), kind, dataset, work, tuple(extra))
    outcome = fuzzing.run_case(case, work, timeout, 4 << 30)
    print(f"{kind}:{seed}: {case.what}\nargv: {case.argv}\nclass: {outcome.cls} "
          f"({outcome.seconds:.2f} s)\nstderr:\n{(work / 'stderr').read_text(errors='replace')}"
          f"\n(kept in {work})")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=1000)
    p.add_argument("--first-seed", type=int, default=0)
    p.add_argument("--kinds", nargs="+", default=["dataset", "cli", "pattern"],
                   choices=["dataset", "cli", "pattern", "mod", "checkpoint"])
    p.add_argument("--dataset", type=Path, default=fuzzing.EXAMPLE)
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per case")
    p.add_argument("--mpi", action="store_true", help="run each case on 2 MPI ranks")
    p.add_argument("--mod", type=Path, help="MOD files the dataset needs (--mod DIR to each "
                   "run)")
    p.add_argument("--out", type=Path, help="JSON of the table and the failures")
    p.add_argument("--markdown", type=Path, help="the table as markdown")
    p.add_argument("--replay", metavar="KIND:SEED")
    args = p.parse_args(argv)
    args.mod = ["--mod", str(args.mod.resolve())] if args.mod else []  # cases run elsewhere
    if args.replay:
        return replay(args.replay, args.dataset, args.timeout, args.mod)
    start = time.time()
    per_job = -(-args.cases // args.jobs)
    chunks = [(args.kinds, min(per_job, args.cases - k * per_job),
               args.first_seed + k * per_job, str(args.dataset), args.timeout, args.mpi,
               args.mod)
              for k in range(args.jobs) if args.cases - k * per_job > 0]
    if args.jobs == 1:
        outcomes = _chunk(chunks[0])
    else:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            outcomes = [o for part in pool.map(_chunk, chunks) for o in part]
    result = fuzzing.table(outcomes)
    result.update(seconds=round(time.time() - start, 1), kinds=args.kinds,
                  dataset=str(args.dataset), mpi=args.mpi, first_seed=args.first_seed,
                  command=" ".join(["python", "scripts/fuzz.py", *(argv or sys.argv[1:])]))
    text = fuzzing.markdown(result)
    print(text)
    print(f"{result['cases']} cases in {result['seconds']} s; failures: "
          f"{len(result['failures'])}")
    for f in result["failures"][:20]:
        print(f"  {f['kind']}:{f['seed']} {f['class']}: {f['what']} -> {f['detail']}")
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")
    if args.markdown:
        args.markdown.write_text(text)
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
