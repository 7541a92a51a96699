"""Benchmark: memory a visitor cannot grow. Sends 1 000 distinct cache-busting requests to the app under gunicorn
as deployed (2 workers): API selections with reordered and repeated ids and junk parameters, page renders of
different municipalities with junk and reordered query values, and page addresses with junk parameters. Prints
the largest worker's resident memory (RSS) after the warm-up and after the requests. Target: growth under 150 MB
(the caches are bounded in bytes: KDK_CACHE_SVAR_MB and KDK_CACHE_SIDER_MB).
Run: `.venv/bin/python bench/bench_cache_memory.py` (builds marts in a temporary folder; writes nothing else).
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import os
import random
import sys
import tempfile
from pathlib import Path

import duckdb
import psutil
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kdk.config import settings  # noqa: E402
from kdk.marts.build import build  # noqa: E402
from tests.conftest import running_server  # noqa: E402

REQUESTS = 1000
TARGET_MB = 150
ROUTER = ".._pages_content.children..._pages_store.data.."


def router_call(path: str, search: str) -> dict:
    """The page router's callback as the Dash renderer posts it."""
    return {"output": ROUTER,
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "state": [], "changedPropIds": ["_pages_location.pathname"]}


def requests_to_send(marts: Path) -> list[tuple[str, str, dict | None]]:
    """(method, path and query, JSON body) of REQUESTS distinct requests, in a fixed random order."""
    with duckdb.connect(str(marts), read_only=True) as con:
        public = "SELECT noegletal_id FROM dim_noegletal WHERE adgang = 'offentlig'"
        ids = [r[0] for r in con.execute(public).fetchall()]
        codes = [r[0] for r in con.execute("SELECT kommunekode FROM dim_kommune").fetchall()]
    rng = random.Random(18)
    sent = []
    for i in range(REQUESTS):
        kind = i % 4
        if kind == 0:   # the same few selections, ids reordered and repeated, junk and paging parameters
            chosen = rng.sample(ids[:4], 3)
            chosen += rng.sample(chosen, rng.randint(0, 2))
            sent.append(("GET", f"/api/v1/data?noegletal={','.join(chosen)}&kommune=alle&format=json"
                                f"&x={i}&pr_side={rng.choice([100, 1000, 10000])}", None))
        elif kind == 1:   # one-row selections of every key figure: many distinct result sets
            sent.append(("GET", f"/api/v1/data?noegletal={rng.choice(ids)}&kommune={rng.choice(codes)}"
                                f"&format=json&junk={i}", None))
        elif kind == 2:   # renders of different municipalities' profiles and comparisons, with junk values
            code = rng.choice(codes)
            page = rng.choice([(f"/kommune/{code}", f"?x={i}&omraade=skole"), (f"/kommune/{code}", f"?utm={i}"),
                               ("/sammenligning", f"?fane=matrice&kommune={code}&y={i}"), ("/temaer", f"?z={i}")])
            sent.append(("POST", "/_dash-update-component", router_call(*page)))
        else:   # page addresses with junk parameters (the shell)
            sent.append(("GET", f"/kommune/{rng.choice(codes)}?x={i}", None))
    return sent


def worker_rss_mb() -> float:
    """The largest gunicorn worker's resident memory (the workers are the master's children, ours)."""
    workers = [p for child in psutil.Process().children() for p in child.children()]
    return max(p.memory_info().rss for p in workers) / 2**20


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        st = dataclasses.replace(settings(), marts_path=Path(tmp) / "kdk.duckdb")
        build(st)
        sent = requests_to_send(st.marts_path)
        with running_server(st, workers=2) as base, requests.Session() as session:
            requests.get(f"{base}/", timeout=60)
            before = worker_rss_mb()

            def send(request: tuple[str, str, dict | None]) -> int:
                method, url, body = request
                return session.request(method, base + url, json=body, timeout=120).status_code

            with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
                statuses = list(pool.map(send, sent))
            after = worker_rss_mb()
    ok = sum(1 for s in statuses if s == 200)
    growth = after - before
    print(f"{len(sent)} distinct cache-busting requests ({ok} answered 200), 2 gunicorn workers "
          f"(KDK_CACHE_SVAR_MB={os.environ.get('KDK_CACHE_SVAR_MB', 'default')}, "
          f"KDK_CACHE_SIDER_MB={os.environ.get('KDK_CACHE_SIDER_MB', 'default')}): largest worker RSS "
          f"{before:.0f} MB before, {after:.0f} MB after, growth {growth:.0f} MB "
          f"(target < {TARGET_MB} MB) {'OK' if growth < TARGET_MB else 'OVER TARGET'}")


if __name__ == "__main__":
    main()
