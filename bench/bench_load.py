"""Benchmark: the app under load, as deployed (gunicorn, 2 workers × 4 threads), with locust as the browsers.

1. Builds fresh marts into a temporary folder (or, with --marts, serves that file instead, through a link in the
   temporary folder, so nothing is written beside it).
2. Creates a pool of reader accounts with `python -m kdk users add` (a user database in the temporary folder).
3. Starts the app (tests/conftest.py's `running_server`) and the yardstick app (bench/yardstick.py) with the same
   gunicorn settings.
4. Runs locust headless in its own process for --duration seconds: the mixed users of bench/locustfile.py, or with
   --webinar the webinar of bench/locust_webinar.py. With --swap, new marts are loaded twice during the run
   (`python -m kdk ingest` of tests/filer/jobindsats_lang.csv), as a data release would be.
   Before that, on the fresh app and under light load, the profile page's router callback against the yardstick's
   callback (bench/locust_yardstick.py, LIGHT_USERS users each for LIGHT_SECONDS; no profile from the render cache).
5. Prints, per request: p50/p95/p99, requests per second and errors; the app's own time per request (its
   Server-Timing header); CPU used by the app and by locust; the largest worker's memory; and the yardstick ratio.
   Targets beside the figures.
6. With --against-today (and --marts): steps 1–5 again on marts built fresh at today's size, then the profile's
   router callback p95 on --marts against today's (target: under 2×).

Locust's CSV, JSON and log, and the servers' logs, are kept in bench/out/load-<mode>/ (the run at today's size in
its today/). Run: `.venv/bin/python bench/bench_load.py [--users 300] [--duration 60] [--webinar] [--swap]
[--marts PATH [--against-today]]`.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kdk.config import PROJECT_DIR, Settings, settings  # noqa: E402
from kdk.marts.build import build  # noqa: E402
from tests.conftest import running_server  # noqa: E402

BENCH = PROJECT_DIR / "bench"
PASSWORD = "bench-korrekt-hest-batteri"
READERS = 10
ARRIVAL_SECONDS = 10              # all users have arrived this long after the start
LIGHT_USERS, LIGHT_SECONDS = 2, 30
SWAP_FILE = PROJECT_DIR / "tests/filer/jobindsats_lang.csv"
SWAP_FIGURE = "beskaeftigelse.ledighed"
TARGET_P95_MS, TARGET_RATIO, TARGET_SCALE = 500, 1.5, 2.0
CLIENT_TIMEOUT = 60               # s: locust's FastHttpUser gives up on a request after this (counted as an error)
ROUTER, YARDSTICK = "_pages_content.children · profile", "graf.figure · yardstick"


@dataclasses.dataclass
class Cpu:
    """CPU seconds during the main run, how long the app needed afterwards to empty its queue, and the memory of its
    largest worker then."""
    app: float
    machine: float
    locust: float = 0.0
    wall: float = 0.0      # s from locust's start to its exit (the run, and the users finishing their last task)
    backlog: float = 0.0
    worker_mb: float = 0.0


@dataclasses.dataclass
class Entry:
    """One locust statistics entry: a request name with its response-time histogram (ms → count)."""
    method: str
    name: str
    requests: int
    failures: int
    histogram: dict[float, int]

    def percentile(self, p: float) -> float:
        return percentile(self.histogram, self.requests, p)


def percentile(histogram: dict[float, int], n: int, p: float) -> float:
    """Locust's own rule (locust.stats.calculate_response_time_percentile), over a merged histogram."""
    done = 0
    for ms in sorted(histogram, reverse=True):
        done += histogram[ms]
        if n - done <= int(n * p):
            return ms
    return 0.0


def merged(entries: list[Entry]) -> Entry:
    histogram: dict[float, int] = {}
    for e in entries:
        for ms, count in e.histogram.items():
            histogram[ms] = histogram.get(ms, 0) + count
    return Entry("", "", sum(e.requests for e in entries), sum(e.failures for e in entries), histogram)


def read_entries(prefix: Path) -> list[Entry]:
    rows = json.loads(Path(f"{prefix}.json").read_text())
    return [Entry(r["method"], r["name"], r["num_requests"], r["num_failures"],
                  {float(ms): count for ms, count in r["response_times"].items()}) for r in rows]


def run_locust(locustfile: str, base: str, users: int, seconds: int, prefix: Path, env: dict[str, str]) -> float:
    """Locust headless in its own process; returns its CPU seconds. Results are written beside `prefix`."""
    command = [sys.executable, "-m", "locust", "-f", str(BENCH / locustfile), "--headless", "-u", str(users),
               "-r", str(max(1, users // ARRIVAL_SECONDS)), "-t", f"{seconds}s", "--host", base, "--csv", str(prefix),
               "--json-file", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "30"]
    with open(f"{prefix}.log", "w") as log:
        proc = subprocess.Popen(command, cwd=BENCH, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)   # wait4: the CPU time of exactly this child
        proc.returncode = os.waitstatus_to_exitcode(status)
    if not Path(f"{prefix}.json").exists():
        raise RuntimeError(f"locust failed (exit {proc.returncode}); see {prefix}.log")
    return usage.ru_utime + usage.ru_stime


def gunicorn_processes(app: str) -> list[psutil.Process]:
    """The gunicorn master and workers serving `app` (children of this process)."""
    found = []
    for p in psutil.Process().children(recursive=True):
        try:
            if app in p.cmdline():
                found.append(p)
        except psutil.NoSuchProcess:
            pass
    return found


def gunicorn_cpu(app: str) -> float:
    """CPU seconds used so far by the gunicorn master and workers serving `app`."""
    total = 0.0
    for p in gunicorn_processes(app):
        with contextlib.suppress(psutil.NoSuchProcess):
            times = p.cpu_times()
            total += times.user + times.system
    return total


def largest_worker_mb(app: str) -> float:
    """The resident memory of the largest process serving `app`, in MB."""
    sizes = []
    for p in gunicorn_processes(app):
        with contextlib.suppress(psutil.NoSuchProcess):
            sizes.append(p.memory_info().rss / 2**20)
    return max(sizes, default=0.0)


def machine_busy() -> float:
    """CPU seconds all processes on the machine have used (every core, since boot; guest time is inside user, and
    steal is the hypervisor's, not ours)."""
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + t.irq + t.softirq


def drain(app: str) -> float:
    """Wait until the app has worked off what was still queued when locust stopped; the seconds that took."""
    began = time.monotonic()
    while True:
        before = gunicorn_cpu(app)
        time.sleep(1)
        if gunicorn_cpu(app) - before < 0.05:
            return time.monotonic() - began - 1


def create_readers(env: dict[str, str]) -> list[str]:
    """Reader accounts (role laeser, ubu granted) through the command line, as an administrator would."""
    names = [f"laeser-{n:02d}" for n in range(READERS)]
    for name in names:
        subprocess.run([sys.executable, "-m", "kdk", "users", "add", name, "--rolle", "laeser", "--kommune", "101",
                        "--omraader", "ubu", "--password-stdin"], input=PASSWORD + "\n", text=True,
                       cwd=PROJECT_DIR, env={**os.environ, **env}, check=True, capture_output=True)
    return names


@dataclasses.dataclass
class Swap:
    """One data load during the run: when it started and ended (Unix time) and what the command said."""
    began: float
    ended: float
    result: str


def swap_during(st: Settings, env: dict[str, str], duration: int, log: list[Swap]) -> threading.Thread:
    """From a tenth into the run: two data loads, one after the other; the second only if it can start in the
    first 70 % of the run (a load takes about 10 s on an idle machine, several times that under load)."""
    def swap():
        start = time.time()
        time.sleep(duration / 10)
        for _ in range(2):
            if time.time() - start > duration * 0.7:
                break
            began = time.time()
            # The file revises published months (and blanks one), so the load states why (kdk/marts/revision.py).
            done = subprocess.run([sys.executable, "-m", "kdk", "ingest", str(SWAP_FILE), "--noegletal", SWAP_FIGURE,
                                   "--revision", "Belastningstest: en indlæsning under trafik"],
                                  cwd=PROJECT_DIR, env={**os.environ, **env, "KDK_MARTS": str(st.marts_path)},
                                  capture_output=True, text=True)
            result = done.stdout.strip().splitlines()[-1] if done.returncode == 0 else f"FAILED: {done.stderr[-300:]}"
            log.append(Swap(began, time.time(), result))

    thread = threading.Thread(target=swap, daemon=True)
    thread.start()
    return thread


def marts(source: str | None, tmp: Path) -> Settings:
    """Settings whose marts link is in `tmp`: to `source`, or to marts built fresh from the shipped data."""
    st = dataclasses.replace(settings(), marts_path=tmp / "kdk.duckdb")
    if source:
        st.marts_path.symlink_to(Path(source).resolve())
        print(f"serving {source} ({Path(source).resolve().stat().st_size / 1e6:.0f} MB)")
    else:
        began = time.perf_counter()
        build(st)
        print(f"marts built in {time.perf_counter() - began:.1f} s")
    return st


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--webinar", action="store_true", help="the webinar shape instead of mixed users")
    parser.add_argument("--swap", action="store_true", help="load new marts twice during the run")
    parser.add_argument("--marts", help="serve this marts file instead of a fresh build")
    parser.add_argument("--against-today", action="store_true",
                        help="with --marts: then the same run on marts of today's size, and the profile's p95 of the "
                             "two compared (the Kolada-size target)")
    args = parser.parse_args()
    if args.against_today and not args.marts:
        parser.error("--against-today compares the marts of --marts with today's: name them")
    mode = ("webinar" if args.webinar else "mixed") + ("-swap" if args.swap else "")
    out = BENCH / "out" / f"load-{mode}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    cpu, swaps = measure(args, args.marts, mode, out)
    report(args, mode, out, cpu, swaps)
    if args.against_today:
        today = out / "today"
        today.mkdir()
        print("\nthe same on today's size, for the comparison:")
        cpu, swaps = measure(args, None, mode, today)
        report(args, mode, today, cpu, swaps)
        compare(args.marts, out, today)


def measure(args, source: str | None, mode: str, out: Path) -> tuple[Cpu, list[Swap]]:
    """Steps 1–4 of this module's docstring on the marts `source` (None: built fresh); results beside `out`."""
    swaps: list[Swap] = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        st = marts(source, tmp)
        env = {"KDK_BRUGER_DB": f"sqlite:///{tmp / 'brugere.sqlite'}", "KDK_SECRET_KEY": secrets.token_hex(32)}
        readers = [] if args.webinar else create_readers({**env, "KDK_MARTS": str(st.marts_path)})
        load_env = {"KDK_LOAD_READERS": ",".join(readers), "KDK_LOAD_PASSWORD": PASSWORD}
        print(f"{len(readers)} reader accounts; starting the app and the yardstick under gunicorn …")
        with (running_server(st, extra_env=env) as base,
              running_server(st, extra_env=env, app="bench.yardstick:server") as yardstick):
            print(f"light load: {LIGHT_USERS} + {LIGHT_USERS} users for {LIGHT_SECONDS} s, profile vs yardstick …")
            run_locust("locust_yardstick.py", base, 2 * LIGHT_USERS, LIGHT_SECONDS, out / "light",
                       {"KDK_YARDSTICK_HOST": yardstick})
            cpu = Cpu(app=gunicorn_cpu("app:create_app()"), machine=machine_busy(), wall=time.monotonic())
            swapper = swap_during(st, env, args.duration, swaps) if args.swap else None
            print(f"{mode}: {args.users} users for {args.duration} s against {base} …")
            cpu.locust = run_locust("locust_webinar.py" if args.webinar else "locustfile.py", base, args.users,
                                    args.duration, out / "main", load_env)
            cpu.app, cpu.machine = gunicorn_cpu("app:create_app()") - cpu.app, machine_busy() - cpu.machine
            cpu.wall = time.monotonic() - cpu.wall
            cpu.backlog = drain("app:create_app()")
            cpu.worker_mb = largest_worker_mb("app:create_app()")
            if swapper:
                swapper.join()
        for log in tmp.glob("gunicorn-*.log"):
            shutil.copy(log, out)
    return cpu, swaps


def compare(source: str, out: Path, today: Path) -> None:
    """The Kolada-size target: the profile's p95 on `source`'s marts against today's, each over HTTP and in the app."""
    print(f"\n{source} against today's size, the profile's router callback under the same load:")
    for kind, label in (("POST", "over HTTP"), ("inproc", "in the app")):
        big, small = (next(e for e in read_entries(prefix / "main") if f"{e.method} {e.name}" == f"{kind} {ROUTER}")
                      for prefix in (out, today))
        big_p95, small_p95 = big.percentile(0.95), small.percentile(0.95)
        ratio = big_p95 / max(small_p95, 1)
        print(f"  {label:<11} p95 {big_p95:>5.0f} ms ({big.requests}) against {small_p95:>4.0f} ms ({small.requests}): "
              f"{ratio:.1f}× — target < {TARGET_SCALE}×: {'met' if ratio < TARGET_SCALE else 'MISSED'}")


def report(args, mode: str, out: Path, cpu: Cpu, swaps: list[Swap]) -> None:
    print_requests(out / "main", args.duration, f"{mode}: {args.users} users, {args.duration} s, 2 gunicorn workers "
                                                f"× 4 threads")
    print_usage(cpu, "the ingests among them" if args.swap else "")
    print_run(args, swaps, out)


def print_requests(prefix: Path, duration: int, heading: str) -> None:
    """Locust's results beside `prefix`: p50/p95/p99, requests per second and errors per request; the app's own time
    per request (Server-Timing); all callbacks against the target; the failures."""
    entries = read_entries(prefix)
    http = sorted((e for e in entries if e.method != "inproc"), key=lambda e: (e.method != "GET", e.name))
    inproc = sorted((e for e in entries if e.method == "inproc"), key=lambda e: -e.percentile(0.95))
    print(f"\n{heading}; locust and gunicorn share the machine's {psutil.cpu_count()} cores.\n")
    print(f"{'request':<58} {'count':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'req/s':>6} {'errors':>6}   (ms)")
    for e in http:
        print(f"{e.method + ' ' + e.name:<58.58} {e.requests:>6} {e.percentile(0.5):>6.0f} {e.percentile(0.95):>6.0f} "
              f"{e.percentile(0.99):>6.0f} {e.requests / duration:>6.1f} {e.failures:>6}")
    print(f"\nin the app (Server-Timing), slowest p95 first:\n{'request':<58} {'p50':>6} {'p95':>6}   (ms)")
    for e in inproc:
        print(f"{e.name:<58.58} {e.percentile(0.5):>6.0f} {e.percentile(0.95):>6.0f}")
    callbacks = merged([e for e in http if e.method == "POST" and e.name != "POST /login"])
    total = merged(http)
    p95 = callbacks.percentile(0.95)
    print(f"\nall callbacks: {callbacks.requests} requests, p50 {callbacks.percentile(0.5):.0f} ms, p95 {p95:.0f} ms, "
          f"p99 {callbacks.percentile(0.99):.0f} ms — target p95 < {TARGET_P95_MS} ms: "
          f"{'met' if p95 < TARGET_P95_MS else 'MISSED'}")
    print(f"errors: {total.failures} of {total.requests} requests — target none: "
          f"{'met' if total.failures == 0 else 'MISSED'}")
    print_failures(prefix)


def print_usage(cpu: Cpu, other_note: str = "") -> None:
    """The CPU the app, locust and the rest used during the run, the app's backlog and its largest worker."""
    other, cores = cpu.machine - cpu.app - cpu.locust, psutil.cpu_count()
    print(f"CPU during the run: app {cpu.app:.0f} s, locust {cpu.locust:.0f} s, everything else on the machine "
          f"{other:.0f} s{f' ({other_note})' if other_note else ''}, of {cores} cores × {cpu.wall:.0f} s = "
          f"{cores * cpu.wall:.0f} s; the app answered its last queued requests {cpu.backlog:.0f} s after locust "
          "stopped")
    print(f"memory: the largest gunicorn worker holds {cpu.worker_mb:,.0f} MB after the run")


def print_run(args, swaps: list[Swap], out: Path) -> None:
    """The data loads during the run, and the yardstick comparison before it."""
    if args.swap and not swaps:
        print("swap: no data load fitted in the run")
    if swaps:
        history = read_failures_over_time(out / "main")
        start = min(history) if history else 0
        for swap in swaps:
            print(f"swap: ingest from {swap.began - start:.0f} s to {swap.ended - start:.0f} s of the run: "
                  f"{swap.result}")
        print(f"failed requests that may have been under way while the marts were swapped (failures recorded from the "
              f"first load's start to {CLIENT_TIMEOUT} s, locust's request timeout, after the last one's end): "
              f"{failures_between(history, swaps[0].began, swaps[-1].ended + CLIENT_TIMEOUT)}")
    light = {e.method + " " + e.name: e for e in read_entries(out / "light")}
    print(f"\nyardstick (bench/yardstick.py: one DuckDB query, one bar figure) against profiles of "
          f"municipalities not rendered before (no render reused; the shared answers warm), before the run, "
          f"light load: {LIGHT_USERS} users on each app for {LIGHT_SECONDS} s")
    for kind, label in (("POST", "over HTTP"), ("inproc", "in the app")):
        profile, yard = light[f"{kind} {ROUTER}"], light[f"{kind} {YARDSTICK}"]
        ratio = profile.percentile(0.5) / max(yard.percentile(0.5), 1)
        print(f"  {label:<11} profile router median {profile.percentile(0.5):>5.0f} ms ({profile.requests}), yardstick "
              f"median {yard.percentile(0.5):>4.0f} ms ({yard.requests}): {ratio:.1f}× — target ≤ {TARGET_RATIO}×: "
              f"{'met' if ratio <= TARGET_RATIO else 'MISSED'}")
    print(f"\n(locust's CSV, JSON and log, and the servers' logs: {out.relative_to(PROJECT_DIR)}/)")


def read_failures_over_time(prefix: Path) -> dict[int, int]:
    """Unix second → failed requests so far, from locust's history of the whole run."""
    with open(f"{prefix}_stats_history.csv") as f:
        return {int(row["Timestamp"]): int(row["Total Failure Count"]) for row in csv.DictReader(f)
                if row["Name"] == "Aggregated"}


def failures_between(history: dict[int, int], start: float, end: float) -> int:
    before = [n for second, n in history.items() if second <= start]
    until = [n for second, n in history.items() if second <= end]
    return (max(until) if until else 0) - (max(before) if before else 0)


def print_failures(prefix: Path) -> None:
    for path, columns in ((Path(f"{prefix}_failures.csv"), ("Occurrences", "Method", "Name", "Error")),
                          (Path(f"{prefix}_exceptions.csv"), ("Count", "Message"))):
        if path.exists():
            for row in csv.DictReader(path.open()):
                print("  " + "  ".join((row[c].strip().splitlines() or [""])[0][:100] for c in columns))


if __name__ == "__main__":
    main()
