"""The benchmark matrix as Markdown tables: one per database, a row per endpoint x
period, a column per data shape; each cell the median ms at every size and the
largest/smallest ratio, ``!`` marking what misses its target."""

from __future__ import annotations

import os
import statistics
from typing import Any

# Cold-path targets at the largest size (issue 9): median ms per database, and ratio.
TARGET_MS = {"postgresql": 50.0, "sqlite": 100.0}
TARGET_RATIO = 1.5
MISSING = "-"


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def _size(size: int) -> str:
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    if size >= 1000 and size % 1000 == 0:
        return f"{size // 1000}k"
    return str(size)


def report_cell(medians: list[float | None], target_ms: float) -> str:
    """``a / b xr`` for the medians at each size, smallest first (``-``: not measured)."""
    if all(m is None for m in medians):
        return MISSING
    text = " / ".join(
        MISSING if m is None else _ms(m) + ("!" if m > target_ms else "") for m in medians
    )
    first, last = medians[0], medians[-1]
    if len(medians) > 1 and first is not None and last is not None:
        ratio = last / first
        text += f" x{ratio:.1f}" + ("!" if ratio > TARGET_RATIO else "")
    return text


def _builds(results: dict[str, Any], shapes: list[str], sizes: list[int]) -> list[str]:
    lines = [
        "",
        "Build (bulk insert + rollups_rebuild), seconds:",
        "",
        "| shape | " + " | ".join(_size(s) for s in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for shape in shapes:
        cells = []
        for size in sizes:
            build = results["builds"].get(f"{shape}/{size}")
            cells.append(
                f"{build['insert_s']:.1f} + {build['rollups_s']:.1f}" if build else MISSING
            )
        lines.append(f"| {shape} | " + " | ".join(cells) + " |")
    return lines


METRICS = {
    "timings": "median ms",
    "cpu": "median CPU ms (app + database server process)",
}


def _errors(errors: dict[str, str]) -> list[str]:
    cells: dict[str, list[str]] = {}
    for cell, error in sorted(errors.items()):
        cells.setdefault(error, []).append(cell)
    return [f"ERROR in {len(c)} cells ({c[0]}, ...): {error}" for error, c in cells.items()]


def report_render(
    results: dict[str, Any], *, shapes: list[str], sizes: list[int], metric: str = "timings"
) -> str:
    """The table of ``metric``: wall-clock ``timings`` (the targets' measure) or ``cpu``."""
    database = results["database"]
    target = TARGET_MS.get(database, TARGET_MS["sqlite"])
    timings: dict[str, list[float]] = results.get(metric, {})
    endpoints = list(
        dict.fromkeys(key.split("/")[2] for key in [*timings, *results.get("errors", {})])
    )
    periods = list(results["periods"])
    sizes = sorted(sizes)
    over, steep, worst = 0, 0, (0.0, "")
    lines = [
        f"### {database}: {METRICS[metric]} of {results['runs']} runs"
        " (fewer past the cell budget) at "
        + " / ".join(_size(s) for s in sizes)
        + (f" and ratio {_size(sizes[-1])}/{_size(sizes[0])}" if len(sizes) > 1 else "")
        + f" (`!`: over {target:.0f} ms or ratio over {TARGET_RATIO})",
        "",
        "| endpoint | period | " + " | ".join(shapes) + " |",
        "|---|---|" + "---|" * len(shapes),
    ]
    for endpoint in endpoints:
        for period in periods:
            cells = []
            for shape in shapes:
                medians: list[float | None] = []
                failed = [
                    results["errors"][cell]
                    for size in sizes
                    if (cell := f"{shape}/{size}/{endpoint}/{period}") in results.get("errors", {})
                ]
                for size in sizes:
                    runs = timings.get(f"{shape}/{size}/{endpoint}/{period}")
                    medians.append(statistics.median(runs) if runs else None)
                cells.append(
                    f"ERROR {failed[0].split()[0]}" if failed else report_cell(medians, target)
                )
                largest = medians[-1]
                if largest is not None:
                    over += largest > target
                    first = medians[0]
                    steep += bool(first) and largest / (first or 1) > TARGET_RATIO
                    worst = max(worst, (largest, f"{endpoint} {period} {shape}"))
            lines.append(f"| {endpoint} | {period} | " + " | ".join(cells) + " |")
    first_last = ", ".join(f"{name} {a}..{b}" for name, (a, b) in results["periods"].items())
    lines += [
        "",
        f"Periods (today {results['today']}): {first_last}.",
        "Load average (1 min) while timing: "
        + ", ".join(f"{load:.1f}" for load in results.get("load_average", []))
        + f" on {os.cpu_count()} CPUs.",
        *_errors(results.get("errors", {})),
        f"At {_size(sizes[-1])}: {over} cells over {target:.0f} ms"
        + (f", {steep} over ratio {TARGET_RATIO}" if len(sizes) > 1 else "")
        + f"; slowest {_ms(worst[0])} ms ({worst[1]}).",
    ]
    return "\n".join(lines + (_builds(results, shapes, sizes) if metric == "timings" else []))
