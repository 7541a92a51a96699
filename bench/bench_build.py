"""Benchmark: time of `python -m kdk build` from the shipped sources (target under 10 s on 2 cores).

Builds three times into a temporary folder (the live marts are not touched) and prints the times of the whole
build, which includes disclosure control (secondary suppression and the interval audit, kdk.marts.disclosure),
and of that step alone, with the audit's summary.
Run: `make bench-build` or `.venv/bin/python bench/bench_build.py`.
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
from kdk.marts.build import build  # noqa: E402

TARGET_SECONDS = 10.0


def main(runs: int = 3) -> None:
    times, disclosure = [], []
    with tempfile.TemporaryDirectory() as tmp:
        st = dataclasses.replace(settings(), marts_path=Path(tmp) / "kdk.duckdb")
        for _ in range(runs):
            start = time.perf_counter()
            result = build(st)
            times.append(time.perf_counter() - start)
            disclosure.append(result.disclosure_seconds)
    print(f"build: {result.rows} fact rows, release {result.release_id}")
    print(f"disclosure control and audit: median {statistics.median(disclosure):.2f} s of the build; "
          f"{result.audit.tekst()}")
    print(f"build time over {runs} runs: median {statistics.median(times):.2f} s, "
          f"min {min(times):.2f} s, max {max(times):.2f} s (target < {TARGET_SECONDS:.0f} s) "
          f"{'OK' if statistics.median(times) < TARGET_SECONDS else 'OVER TARGET'}")


if __name__ == "__main__":
    main()
