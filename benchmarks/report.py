"""Turn benchmark runs' JSON into the Markdown tables the READMEs show.

    python -m pytest benchmarks --quick --benchmark-json=bench.json
    python benchmarks/report.py bench.json [more.json ...]

Several files (e.g. a quick run and a run of one larger size) are merged; a later file's figure
for the same size, layout and simulator replaces an earlier one's.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Layouts in table order, with how the table names them (see sweep.LAYOUTS).
LAYOUT_NAMES = {
    "1thread": "1 thread",
    "2threads": "2 threads, 2-group dataset",
    "2threads-1group": "2 threads, 1-group dataset",
    "2ranks": "2 MPI ranks, 2-rank dataset",
}


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}g}"


def _ratio(ours: float | None, theirs: float | None) -> float | None:
    return ours / theirs if ours and theirs else None


def collect(results: list[dict]) -> dict[tuple[str, str], dict[str, dict]]:
    """(size, layout) -> simulator -> its figures.

    CoreNEURON's figures for a row are those of the runs made alternately with pycoreneuron's
    (bench_pycoreneuron's "coreneuron_paired": the same load on both sides) where there are
    some, else those of bench_coreneuron."""
    rows: dict[tuple[str, str], dict[str, dict]] = {}
    paired: dict[tuple[str, str], dict] = {}
    for result in results:
        for bench in result["benchmarks"]:
            info = bench["extra_info"]
            if not info or "layout" not in info:
                continue
            key = (bench["params"]["size"], info["layout"])
            rows.setdefault(key, {})[info["simulator"]] = info
            if "coreneuron_paired" in info:
                paired[key] = {**info, **info["coreneuron_paired"], "simulator": "coreneuron"}
    for key, info in paired.items():
        rows[key]["coreneuron"] = info
    return rows


def comparison(rows: dict[tuple[str, str], dict[str, dict]]) -> list[str]:
    lines = [
        "| model | compartments | run | solver s CoreNEURON | solver s ours | ratio "
        "| wall s CoreNEURON | wall s ours | ratio | ns/comp-step CoreNEURON | ns/comp-step ours "
        "| peak MB CoreNEURON | peak MB ours | ratio |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    order = list(LAYOUT_NAMES)
    sizes = sorted({size for size, _ in rows}, key=lambda size: min(
        info["compartments"] for (s, _), sims in rows.items() if s == size
        for info in sims.values()))
    for size in sizes:
        for layout in order:
            sims = rows.get((size, layout))
            if not sims:
                continue
            core = sims.get("coreneuron")
            name = LAYOUT_NAMES[layout]
            if layout == "2threads-1group":
                # CoreNEURON runs one thread per group: on this dataset it has only its 1-thread
                # run, which is the figure a user of this dataset gets from it.
                core = core or rows.get((size, "1thread"), {}).get("coreneuron")
                name += " (CoreNEURON: 1 thread, one per group)"
            ours = sims.get("pycoreneuron")
            any_info = ours or core
            cells = [f"{size} ({any_info['tstop_ms']:g} ms)", f"{any_info['compartments']:,}",
                     name]
            for key in ("solver_s", "wall_s", "ns_per_compartment_step", "peak_rss_mb"):
                theirs = core and core[key]
                mine = ours and ours[key]
                cells += [_fmt(theirs), _fmt(mine)]
                if key != "ns_per_compartment_step":
                    cells.append(_fmt(_ratio(mine, theirs), 2))
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def speedups(rows: dict[tuple[str, str], dict[str, dict]]) -> list[str]:
    """Solver-time speed-up of each parallel layout over the same simulator's 1 thread."""
    lines = [
        "| model | CoreNEURON 2 threads | ours 2 threads | ours 2 threads, 1 group "
        "| CoreNEURON 2 ranks | ours 2 ranks |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    columns = [("coreneuron", "2threads"), ("pycoreneuron", "2threads"),
               ("pycoreneuron", "2threads-1group"), ("coreneuron", "2ranks"),
               ("pycoreneuron", "2ranks")]
    for size in dict.fromkeys(size for size, _ in rows):
        cells = [size]
        for simulator, layout in columns:
            one = rows.get((size, "1thread"), {}).get(simulator)
            many = rows.get((size, layout), {}).get(simulator)
            value = _ratio(one and one["solver_s"], many and many["solver_s"])
            cells.append("–" if value is None else f"{value:.2f}×")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def memory_slopes(rows: dict[tuple[str, str], dict[str, dict]]) -> list[str]:
    """Bytes of peak memory per added compartment between consecutive sizes (1 thread)."""
    ones = sorted(((sims["coreneuron"]["compartments"], size, sims) for (size, layout), sims
                   in rows.items() if layout == "1thread" and "coreneuron" in sims
                   and "pycoreneuron" in sims), key=lambda row: row[0])
    lines = ["| between | CoreNEURON bytes/compartment | ours bytes/compartment |",
             "| --- | ---: | ---: |"]
    for (n0, size0, sims0), (n1, size1, sims1) in zip(ones, ones[1:], strict=False):
        cells = [f"{size0} and {size1}"]
        for simulator in ("coreneuron", "pycoreneuron"):
            grown = sims1[simulator]["peak_rss_mb"] - sims0[simulator]["peak_rss_mb"]
            cells.append(f"{grown * 2**20 / (n1 - n0):.0f}")
        lines.append("| " + " | ".join(cells) + " |")
    return lines if len(lines) > 2 else []


def machine(results: list[dict]) -> str:
    info = results[-1].get("machine_info", {})
    cpu = info.get("cpu", {})
    dates = sorted({r.get("datetime", "")[:10] for r in results})
    loads = [load for r in results for b in r["benchmarks"]
             for load in b["extra_info"].get("load_1min_each", [])]
    rounds = sorted({b["extra_info"]["rounds"] for r in results for b in r["benchmarks"]
                     if "rounds" in b["extra_info"]})
    text = (f"Measured on {cpu.get('brand_raw', 'unknown CPU')} "
            f"({cpu.get('count', '?')} cores, {cpu.get('hz_actual_friendly', '')}), "
            f"{info.get('system', '')} {info.get('release', '')}, Python "
            f"{info.get('python_version', '')}, {', '.join(dates)}")
    if rounds:
        text += f"; best of {'/'.join(map(str, rounds))} runs of each figure"
    if loads:
        text += f"; 1-minute load average {min(loads):.1f} to {max(loads):.1f} during the runs"
    return text + "."


FAMILY_NAMES = {
    "ringtest": "The ringtest (passive dendrites, hh soma)",
    "dense": "The channel-dense family (ten active channels and calcium dynamics in every "
             "compartment)",
}


def family_rows(rows: dict[tuple[str, str], dict[str, dict]]
                ) -> dict[str, dict[tuple[str, str], dict[str, dict]]]:
    """The rows of each model family (results made before families were recorded: ringtest)."""
    out: dict[str, dict[tuple[str, str], dict[str, dict]]] = {}
    for key, sims in rows.items():
        family = next(iter(sims.values())).get("family", "ringtest")
        out.setdefault(family, {})[key] = sims
    return out


def table(results: list[dict]) -> str:
    lines: list[str] = []
    for family, rows in family_rows(collect(results)).items():
        lines += [f"**{FAMILY_NAMES.get(family, family)}**", "", *comparison(rows), "",
                  "Speed-up of solver time over the same simulator's 1-thread run "
                  "(the 2-group and 2-rank datasets hold the same model as the 1-group one):",
                  "", *speedups(rows), ""]
        slopes = memory_slopes(rows)
        if slopes:
            lines += ["Growth of peak memory with model size, 1 thread:", "", *slopes, ""]
    return "\n".join([*lines, machine(results)])


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python benchmarks/report.py BENCH.json [MORE.json ...]", file=sys.stderr)
        return 2
    print(table([json.loads(Path(arg).read_text()) for arg in argv]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
