"""Benchmark: the comparison groups for all 7 areas × all years (target under 1 s).

Builds the marts once into a temporary folder (the live marts are not touched), reads the facts and the area
definition back from that file, then times
(a) kdk.marts.sammenligning.build_tables in full (inputs, the method, the bm_* tables) and
(b) only the kdk.similarity.compare calls, on inputs prepared once outside the timer exactly as build_tables
    prepares them.
Prints; asserts nothing. Run: `.venv/bin/python bench/bench_similarity.py` from the repo root.
"""
from __future__ import annotations

import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd  # noqa: E402

from kdk import similarity  # noqa: E402
from kdk.config import settings  # noqa: E402
from kdk.marts import sammenligning  # noqa: E402
from kdk.marts.build import build  # noqa: E402
from kdk.marts.store import read_tables  # noqa: E402

TARGET_SECONDS = 1.0
RUNS = 5


def compare_inputs(definition: pd.DataFrame, facts: pd.DataFrame, kommunekoder: list[str]) -> list[tuple]:
    """(sammenligningsomraade, aar, y, x) for every area and year, as sammenligning.build_tables prepares them."""
    return [(a.sammenligningsomraade, a.aar, a.y, a.x)
            for a in sammenligning.area_years(definition, facts, kommunekoder)]


def timed(fn, runs: int = RUNS) -> tuple[list[float], object]:
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return times, out


def line(label: str, times: list[float]) -> str:
    med = statistics.median(times)
    return (f"{label}: median {med:.3f} s, min {min(times):.3f} s, max {max(times):.3f} s over {len(times)} runs "
            f"{'OK' if med < TARGET_SECONDS else 'OVER TARGET'}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = build(dataclasses.replace(settings(), marts_path=Path(tmp) / "kdk.duckdb"))
        tables = read_tables(result.path)
    definition, facts = tables["bm_definition"], tables["fct_noegletal"]
    kommunekoder = sorted(tables["dim_kommune"]["kommunekode"])

    full_times, full = timed(lambda: sammenligning.build_tables(definition, facts, kommunekoder, result.release_id))
    inputs = compare_inputs(definition, facts, kommunekoder)
    method_times, results = timed(lambda: [similarity.compare(y, x) for _, _, y, x in inputs])

    # the replicated inputs must give what build_tables gives, else (b) measures something else
    ours = pd.concat([r.rangering.assign(sammenligningsomraade=o, aar=a) for (o, a, _, _), r in zip(inputs, results)])
    key = ["sammenligningsomraade", "aar", "kode", "rang"]
    theirs = full["bm_sammenligning"].drop(columns="release_id").rename(columns={"kommunekode": "kode"}).sort_values(
        key, ignore_index=True)
    same = ours.sort_values(key, ignore_index=True)[theirs.columns].equals(theirs)

    areas = len({o for o, *_ in inputs})
    print(f"comparison groups: {areas} areas, {len(inputs)} area-years, {len(kommunekoder)} municipalities, "
          f"{len(full['bm_sammenligning'])} ranking rows (replicated inputs {'match' if same else 'DIFFER from'} "
          f"build_tables)")
    print(line("(a) sammenligning.build_tables in full", full_times))
    print(line("(b) similarity.compare calls only  ", method_times))
    print(f"    per area-year: {statistics.median(method_times) / len(inputs) * 1000:.1f} ms (median run)")
    print("target: < 1 s for all 7 areas × all years")


if __name__ == "__main__":
    main()
