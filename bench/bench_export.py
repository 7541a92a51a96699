"""Benchmark: a full release export (all key figures, areas and periods) as the databank bundle: CSV + PX,
and separately with Excel. Target: under 5 s on 2 cores. Builds marts into a temporary folder first.
Run: `.venv/bin/python bench/bench_export.py`.
"""
from __future__ import annotations

import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kdk.config import settings  # noqa: E402
from kdk.db import Marts  # noqa: E402
from kdk.export.bundle import DATABANK, build_bundle  # noqa: E402
from kdk.marts.build import build  # noqa: E402
from kdk.queries.scope import Scope  # noqa: E402

TARGET_SECONDS = 5.0
EVERYTHING = Scope(omraader=frozenset({"personale", "ubu"}), se_embargo=True)


def timed(marts: Marts, release: str, out: Path, formats: tuple[str, ...], runs: int = 3) -> tuple[list[float], int]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        path = build_bundle(marts, EVERYTHING, release, out, formats)
        times.append(time.perf_counter() - start)
    return times, path.stat().st_size


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        st = dataclasses.replace(settings(), marts_path=Path(tmp) / "kdk.duckdb")
        release = build(st).release_id
        marts = Marts(st.marts_path)
        for formats in (DATABANK, ("csv", "px", "xlsx")):
            times, size = timed(marts, release, Path(tmp) / "ud", formats)
            median = statistics.median(times)
            verdict = ("OK" if median < TARGET_SECONDS else "OVER TARGET") if formats == DATABANK else "(no target)"
            print(f"full release export {'+'.join(formats):12s}: median {median:.2f} s, min {min(times):.2f} s "
                  f"(zip {size / 1e6:.1f} MB) {verdict}")
    print(f"target: < {TARGET_SECONDS:.0f} s for the databank bundle (CSV + PX, all key figures, areas and periods);"
          " Excel of a whole release is for convenience and has no target")


if __name__ == "__main__":
    main()
