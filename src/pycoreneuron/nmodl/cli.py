"""pycoreneuron-nrnivmodl DIR: translate and compile a folder of MOD files (cached)."""

from __future__ import annotations

import argparse
import sys

from ..errors import PyCoreNeuronError


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="pycoreneuron-nrnivmodl",
        description="Translate every .mod file of DIR to C and compile them into one shared "
                    "library, cached by content (a second call with nothing changed compiles "
                    "nothing). Use the folder with pycoreneuron-run --mod DIR.")
    ap.add_argument("dir", help="folder of .mod files")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the compile command")
    args = ap.parse_args(argv)
    from .build import build

    refused: list = []
    try:
        lib, built = build(args.dir, verbose=args.verbose, refused=refused)
    except PyCoreNeuronError as e:
        for r in refused:
            print(f"pycoreneuron-nrnivmodl: {r}", file=sys.stderr)
        print(f"pycoreneuron-nrnivmodl: {e}", file=sys.stderr)
        return 1
    for r in refused:  # every file the translator refused, one line each
        print(f"pycoreneuron-nrnivmodl: {r}", file=sys.stderr)
    state = "built" if built else "up to date (cache hit)"
    if refused:
        print(f"{state} without the {len(refused)} file(s) above: {lib}")
        return 1
    print(f"{state}: {lib}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
