"""What each import on the run path costs: resident memory and time, in a fresh interpreter.

    python benchmarks/import_cost.py

Each stage imports one more piece of what `pycoreneuron-run` loads, in the order it loads them,
and prints the process's resident memory (VmRSS) and the time since the interpreter started
the stage list.
"""

from __future__ import annotations

import subprocess
import sys

STAGES = [
    ("python", "pass"),
    ("numpy", "import numpy"),
    ("pycoreneuron", "import pycoreneuron"),
    ("pycoreneuron._core", "import pycoreneuron._core"),
    ("pycoreneuron.cli", "import pycoreneuron.cli"),
    ("pycoreneuron.engine.simulate", "import pycoreneuron.engine.simulate"),
]

PROBE = """
import time
t0 = time.perf_counter()
{code}
t1 = time.perf_counter()
rss = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS'))
print(rss, t1 - t0)
"""


def main() -> int:
    print("| imported | resident MB | added MB | import ms |")
    print("| --- | ---: | ---: | ---: |")
    code, previous = "", None
    for name, line in STAGES:
        code += line + "\n"
        best = None
        for _ in range(5):  # the fastest of five fresh interpreters
            out = subprocess.run([sys.executable, "-c", PROBE.format(code=code)],
                                 capture_output=True, text=True, check=True).stdout.split()
            rss, seconds = int(out[0]) / 1024, float(out[1])
            best = (rss, seconds) if best is None or seconds < best[1] else best
        added = "" if previous is None else f"{best[0] - previous:.1f}"
        print(f"| {name} | {best[0]:.1f} | {added} | {best[1] * 1000:.0f} |")
        previous = best[0]
    return 0


if __name__ == "__main__":
    sys.exit(main())
