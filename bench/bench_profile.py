"""Benchmark: the profile's render in-process (Dash's page callback through Flask's test client), cold and warm.

Reads the marts `--marts` names (default: the live link); writes nothing. Renders /kommune/101 first and freezes
the garbage collector's view, as gunicorn's warm-up does, then the profiles of `--antal` municipalities spread
evenly over the codes: each one's first render (its own queries not cached yet: cold) and its second (warm).
Prints the median and p95 of wall time and of CPU time (this process, all threads: less disturbed by other load on
the machine). With `--dybde n`, then n areas in depth not visited before: a random municipality, data area, page
and year each (seeded), their median and slowest wall time. With `--opvarmning`, the app is first warmed as a
gunicorn worker is (web/warmup.py, every page), and the bench prints the warm-up's pages and time and then the
first profile's render in each language (Danish /kommune/101, English /en/kommune/101): the time to a first visitor's
profile after a start. Asserts nothing.

    .venv/bin/python bench/bench_profile.py [--marts /tmp/kolada/kdk.duckdb] [--antal 30] [--side "?omraade=skole"]
                                            [--dybde 40] [--opvarmning]
"""
from __future__ import annotations

import argparse
import gc
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUTER = ".._pages_content.children..._pages_store.data.."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marts", type=Path, default=ROOT / "data" / "kdk.duckdb")
    parser.add_argument("--antal", type=int, default=30, help="municipalities to render")
    parser.add_argument("--side", default="", help="query string of the profile, e.g. '?omraade=skole'")
    parser.add_argument("--dybde", type=int, default=0, help="areas in depth not visited before to render")
    parser.add_argument("--opvarmning", action="store_true", help="warm the app as a gunicorn worker, then render")
    args = parser.parse_args()
    os.environ["KDK_MARTS"] = str(args.marts)
    os.environ.setdefault("KDK_LOG_LEVEL", "WARNING")
    from app import create_app
    from kdk.queries import noegletal, omraader
    from kdk.queries.scope import ANONYMOUS

    server = create_app()
    client = server.test_client()   # the app registers the pages, so that pages.kommune can be imported
    from pages.kommune import PR_SIDE
    client.get("/")   # Dash registers the pages' callbacks on the first request

    def render(kode: str, search: str = args.side, prefix: str = "") -> tuple[float, float]:
        body = {"output": ROUTER, "outputs": [{"id": "_pages_content", "property": "children"},
                                              {"id": "_pages_store", "property": "data"}],
                "inputs": [{"id": "_pages_location", "property": "pathname", "value": f"{prefix}/kommune/{kode}"},
                           {"id": "_pages_location", "property": "search", "value": search}],
                "state": [], "changedPropIds": ["_pages_location.pathname"]}
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.post("/_dash-update-component", json=body)
        if response.status_code != 200:
            raise RuntimeError(f"{prefix}/kommune/{kode}{search}: HTTP {response.status_code}")
        return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000

    if args.opvarmning:
        from kdk.db import marts
        from web import warmup
        wall, cpu = time.perf_counter(), time.process_time()
        done, of = warmup.warm(server, 600, marts().live)
        print(f"warm-up: {done} of {of} pages in {time.perf_counter() - wall:.1f} s wall, "
              f"{time.process_time() - cpu:.1f} s CPU")
        english = render("101", prefix="/en")
        print(f"  first English profile after the warm-up: {english[0]:.0f} ms wall, {english[1]:.0f} ms CPU")
    first = render("101")
    gc.freeze()   # as gunicorn.conf.py does after its warm-up
    codes = sorted(omraader.kommuner(ANONYMOUS)["kommunekode"])
    chosen = [c for c in codes[::max(1, len(codes) // args.antal)] if c != "101"][:args.antal]
    cold = [render(c) for c in chosen]
    warm = [render(c) for c in chosen]
    print(f"{args.marts} ({len(codes)} municipalities), profile{args.side}, {len(chosen)} municipalities")
    print(f"  first render after {'the warm-up' if args.opvarmning else 'start'}: {first[0]:.0f} ms wall, "
          f"{first[1]:.0f} ms CPU")
    for label, times in (("cold", cold), ("warm", warm)):
        for n, kind in ((0, "wall"), (1, "CPU")):
            values = sorted(t[n] for t in times)
            p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
            print(f"  {label} {kind:4}: median {statistics.median(values):4.0f} ms, p95 {p95:4.0f} ms")
    if args.dybde:
        pick = random.Random(8)
        figures, years = omraader.noegletal_pr_omraade(ANONYMOUS), noegletal.aar(ANONYMOUS)
        pages = set()
        for _ in range(args.dybde):
            area = pick.choice(sorted(figures))
            side = pick.randint(1, math.ceil(len(figures[area]) / PR_SIDE))
            pages.add((pick.choice(codes), area, side, pick.choice(years)))
        times = sorted(render(kode, f"?omraade={area}&aar={year}&side={side}")[0] for kode, area, side, year in pages)
        print(f"  {len(times)} areas in depth not visited before (random municipality, area, page and year): "
              f"median {statistics.median(times):.0f} ms wall, slowest {times[-1]:.0f} ms")


if __name__ == "__main__":
    main()
