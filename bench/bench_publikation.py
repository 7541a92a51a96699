"""Benchmark: the KØF publication, `kdk.publikation.publish`, for all 98 municipalities and hele landet, with the
combined file. Target: under 3 minutes on 2 cores. Builds marts into a temporary folder first; prints the total
time and the median time a part takes from its address to its PDF (several render at once, `--sider`).
Run: `.venv/bin/python bench/bench_publikation.py [--sider 3]`.
"""
from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kdk import publikation  # noqa: E402
from kdk.config import settings  # noqa: E402
from kdk.marts.build import build  # noqa: E402

TARGET_SECONDS = 180.0


class PartTimes(logging.Handler):
    """Collects the seconds of each part from kdk.publikation's log."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.seconds: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("rendered"):
            self.seconds.append(record.args[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sider", type=int, default=publikation.PAGES, help="browser pages rendering at once")
    args = parser.parse_args()
    times = PartTimes()
    log = logging.getLogger(publikation.__name__)
    log.setLevel(logging.INFO)
    log.addHandler(times)
    with tempfile.TemporaryDirectory() as tmp:
        st = dataclasses.replace(settings(), marts_path=Path(tmp) / "kdk.duckdb")
        release = build(st).release_id
        os.environ["KDK_MARTS"] = str(st.marts_path)   # read by this process and the private server it starts
        start = time.perf_counter()
        files = publikation.publish(release, "rekruttering", Path(tmp) / "ud", pages=args.sider)
        total = time.perf_counter() - start
    verdict = "OK" if total < TARGET_SECONDS else "OVER TARGET"
    print(f"publication rekruttering, {len(files) - 1} parts + combined, {args.sider} pages at once: {total:.1f} s "
          f"{verdict}; a part from address to PDF median {statistics.median(times.seconds):.2f} s, slowest "
          f"{max(times.seconds):.2f} s; {os.cpu_count()} cores")
    print(f"target: < {TARGET_SECONDS:.0f} s for all 99 and the combined file")


if __name__ == "__main__":
    main()
