"""Benchmark: the 300 mixed users of bench/locustfile.py through nginx over two app servers on one PostgreSQL, all on
this machine (tests/flaade.py: each server gunicorn as deployed, 2 workers × 4 threads, warmed; nginx with the shipped
deploy/nginx.conf, without its limits per client address, since every locust user comes from 127.0.0.1).

Builds fresh marts into a temporary folder (bench/bench_load.py's `marts`), creates its reader accounts in the
PostgreSQL user database (`create_readers`), runs locust as bench_load.py does (`run_locust`), then prints the same
table (`print_requests`, `print_usage`) and each server's share of the requests that reached the app servers (from
their access logs; nginx answers the static files from its cache after the first). Locust's CSV, JSON and log are
kept in bench/out/load-flaade/. Run: `.venv/bin/python bench/bench_flaade.py [--users 300] [--duration 60]
[--servers 2]`.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_load import (  # noqa: E402
    BENCH,
    PASSWORD,
    Cpu,
    create_readers,
    drain,
    gunicorn_cpu,
    largest_worker_mb,
    machine_busy,
    marts,
    print_requests,
    print_usage,
    run_locust,
)
from tests.flaade import Flaade, flaade  # noqa: E402

APP = "app:create_app()"


def requests_served(fleet: Flaade) -> dict[str, int]:
    """Each app server's name → the requests in its access log so far."""
    return {s.name: len(s.access_log.read_text().splitlines()) if s.access_log.exists() else 0
            for s in fleet.servers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--servers", type=int, default=2, help="app servers behind nginx (default 2)")
    args = parser.parse_args()
    out = BENCH / "out" / "load-flaade"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        st = marts(None, tmp)
        print(f"starting PostgreSQL, {args.servers} app servers (warmed) and nginx …")
        with flaade(st, tmp / "flaade", args.servers, extra_env={"KDK_OPVARMNING_SEKUNDER": "30"},
                    per_address=False) as fleet:
            readers = create_readers({"KDK_BRUGER_DB": fleet.settings.user_db, "KDK_MARTS": str(st.marts_path),
                                      "KDK_SECRET_KEY": fleet.settings.secret_key})
            before = requests_served(fleet)
            cpu = Cpu(app=gunicorn_cpu(APP), machine=machine_busy(), wall=time.monotonic())
            print(f"mixed: {args.users} users for {args.duration} s against {fleet.front} (nginx) …")
            cpu.locust = run_locust("locustfile.py", fleet.front, args.users, args.duration, out / "main",
                                    {"KDK_LOAD_READERS": ",".join(readers), "KDK_LOAD_PASSWORD": PASSWORD})
            cpu.app, cpu.machine = gunicorn_cpu(APP) - cpu.app, machine_busy() - cpu.machine
            cpu.wall = time.monotonic() - cpu.wall
            cpu.backlog = drain(APP)
            cpu.worker_mb = largest_worker_mb(APP)
            served = {name: n - before[name] for name, n in requests_served(fleet).items()}
    print_requests(out / "main", args.duration, f"mixed through nginx: {args.users} users, {args.duration} s, "
                                                f"{args.servers} app servers × 2 gunicorn workers × 4 threads")
    print_usage(cpu, "nginx and PostgreSQL among them")
    total = sum(served.values()) or 1
    print("requests that reached each app server: " + ", ".join(
        f"{name} {n} ({100 * n / total:.0f} %)".replace(".", ",") for name, n in served.items()))
    print(f"\n(locust's CSV, JSON and log: {out.relative_to(BENCH.parent)}/)")


if __name__ == "__main__":
    main()
