"""Turn a benchmark run's JSON into the Markdown table the READMEs show.

    python -m pytest benchmarks --benchmark-json=bench.json
    python benchmarks/report.py bench.json
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}g}"


def table(results: dict) -> str:
    rows: dict[tuple[str, int], dict[str, dict]] = {}
    for bench in results["benchmarks"]:
        info = bench["extra_info"]
        if not info:
            continue
        size = bench["params"]["size"]
        rows.setdefault((size, info["threads"]), {})[info["simulator"]] = info
    lines = [
        "| model | compartments | threads | simulator | solver s | wall s | ns/comp-step "
        "| peak MB | solver ratio to CoreNEURON |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (size, threads), by_sim in sorted(rows.items(), key=lambda kv: (
            next(iter(kv[1].values()))["compartments"], kv[0][1])):
        core = by_sim.get("coreneuron")
        for simulator in ("coreneuron", "pycoreneuron"):
            info = by_sim.get(simulator)
            if info is None:
                continue
            ratio = None
            if core and info["solver_s"] and core["solver_s"]:
                ratio = info["solver_s"] / core["solver_s"]
            lines.append(
                f"| {size} ({info['tstop_ms']:g} ms) | {info['compartments']:,} | {threads} "
                f"| {simulator} | {_fmt(info['solver_s'])} | {_fmt(info['wall_s'])} "
                f"| {_fmt(info['ns_per_compartment_step'])} | {_fmt(info['peak_rss_mb'])} "
                f"| {_fmt(ratio)} |")
    machine = results.get("machine_info", {})
    cpu = machine.get("cpu", {}).get("brand_raw") or platform.processor() or "unknown CPU"
    lines.append("")
    lines.append(f"Measured on {cpu}, {machine.get('system', '')} "
                 f"{machine.get('release', '')}, {results.get('datetime', '')[:10]}.")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python benchmarks/report.py BENCH.json", file=sys.stderr)
        return 2
    print(table(json.loads(Path(argv[0]).read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
