"""The mechanism descriptor cache seen from two installs: the built-in MOD files at two paths
(two virtual environments, say), one cache folder. Times, in fresh processes, describing
every built-in from path A (cold cache), from A again, then from B.

    python benchmarks/descriptor_cache.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROBE = """
import sys, time
from pathlib import Path
t0 = time.perf_counter()
from pycoreneuron.nmodl.catalogue import describe_file
for f in sorted(Path(sys.argv[1]).glob("*.mod")):
    describe_file(f)
print(f"{time.perf_counter() - t0:.3f}")
"""


def main() -> None:
    from pycoreneuron.nmodl.catalogue import builtin_mod_dir

    work = Path(tempfile.mkdtemp(prefix="desc-cache."))
    try:
        for inst in ("A", "B"):
            shutil.copytree(builtin_mod_dir(), work / inst / "mod")
        env = dict(os.environ, PYCORENEURON_CACHE=str(work / "cache"))

        def seconds(inst: str) -> str:
            r = subprocess.run([sys.executable, "-c", PROBE, str(work / inst / "mod")],
                               env=env, check=True, capture_output=True, text=True)
            return r.stdout.strip()

        n = len(list((work / "A" / "mod").glob("*.mod")))
        print(f"{n} built-in MOD files; seconds to describe them all, fresh process each")
        print(f"path A, cold cache: {seconds('A')}")
        print(f"path A again:       {seconds('A')}")
        print(f"path B (same text): {seconds('B')}")
        print(f"path A again:       {seconds('A')}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
