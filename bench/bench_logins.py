"""Benchmark: 100 simultaneous logins against the app under gunicorn as deployed (2 workers), on 2 cores.
Prints p50/p95/max of the login POST (argon2id verification included), and the floor those logins cannot go below
on this machine: the same 100 argon2id verifications alone, two at a time (one per core). Target: p95 under 2 s.
Run: `.venv/bin/python bench/bench_logins.py` (builds marts and a user database in a temporary folder).
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kdk.auth import passwords, users  # noqa: E402
from kdk.config import settings  # noqa: E402
from kdk.marts.build import build  # noqa: E402
from tests.conftest import running_server  # noqa: E402

LOGINS = 100
PASSWORD = "bench-korrekt-hest-batteri"
TARGET_P95 = 2.0


def login(base: str, name: str) -> tuple[float, int]:
    session = requests.Session()
    form = session.get(f"{base}/login", timeout=60).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)[1]
    start = time.perf_counter()
    r = session.post(f"{base}/login", data={"username": name, "password": PASSWORD, "csrf_token": token},
                     timeout=60, allow_redirects=False)
    return time.perf_counter() - start, r.status_code


def verify_once(stored: str) -> None:
    passwords.verify(stored, PASSWORD)


def argon2_floor() -> float:
    """Seconds that LOGINS argon2id verifications take alone, one process per core of the two."""
    stored = passwords.hash_password(PASSWORD)
    with multiprocessing.Pool(2) as pool:
        pool.map(verify_once, [stored] * 2)                      # start the processes outside the timing
        start = time.perf_counter()
        pool.map(verify_once, [stored] * LOGINS, chunksize=1)
        return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        st = dataclasses.replace(settings(), marts_path=Path(tmp) / "kdk.duckdb")
        build(st)
        db = f"sqlite:///{Path(tmp) / 'brugere.sqlite'}"
        os.environ["KDK_BRUGER_DB"] = db
        names = [f"bench-{n:03d}" for n in range(LOGINS)]
        for name in names:
            users.add(name, PASSWORD, "laeser", "101")
        with (running_server(st, workers=2, extra_env={"KDK_BRUGER_DB": db}) as base,
              concurrent.futures.ThreadPoolExecutor(max_workers=LOGINS) as pool):
            results = list(pool.map(lambda n: login(base, n), names))
    times = sorted(t for t, _ in results)
    ok = sum(1 for _, status in results if status == 302)
    p95 = times[int(0.95 * len(times)) - 1]
    print(f"{LOGINS} simultaneous logins, 2 gunicorn workers: {ok} succeeded; "
          f"p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s, max {times[-1]:.2f} s "
          f"(target p95 < {TARGET_P95:.0f} s) {'OK' if p95 < TARGET_P95 and ok == LOGINS else 'OVER TARGET'}")
    print(f"floor on this machine: the {LOGINS} argon2id verifications alone, on 2 cores, take {argon2_floor():.2f} s")


if __name__ == "__main__":
    main()
