"""Følg oplægsholderen under load: one host changes page every CHANGE_EVERY seconds while the other users follow,
each polling the session's state document every second (as assets/foelg.js does: If-None-Match with the last ETag,
so an unchanged state is a 304). Only the channel is measured; opening each page the host shows is the webinar
bench's load (bench/locust_webinar.py).

The host signs in as a browser does (password, then a first TOTP code, which sets up the second factor), starts a
session at /foelg and reports each page with its CSRF token. Each follower records, besides its polls, how long
after the host's change it saw the new version ("follow · lag"; the host and the followers share locust's clock).

Run `.venv/bin/python bench/locust_foelg.py --users 1000 --duration 60`: it serves the worktree's marts through a
link in a temporary folder, makes a user database there with the host (`python -m kdk users add`), starts the app
under gunicorn as deployed (tests/conftest.py's `running_server`, 2 workers × 4 threads), runs this file in locust
(its own process, headless), and prints the poll's p50/p95/p99 against the target (p95 < 300 ms, no errors), the
follow lag, and the CPU the app, locust and everything else used. Or against a running app with a host account:
`KDK_FOELG_VAERT=navn KDK_FOELG_KODEORD=… .venv/bin/locust -f bench/locust_foelg.py --headless -u 1001 -r 100 -t 60s
--host http://127.0.0.1:8050`. Reads HTTP responses; writes only locust's statistics (bench/out/foelg/).
"""
from __future__ import annotations

import itertools
import os
import re
import time

import gevent
import pyotp
from locust import FastHttpUser, constant, constant_pacing, events, task

CHANGE_EVERY = 10   # s between the host's page changes
POLL = "/foelg/[kode]/tilstand"
PAGES = ["/kommune/101", "/kommune/101?omraade=skole", "/temaer", "/tema/rekruttering?visning=praesentation&trin=1",
         "/tema/rekruttering?visning=praesentation&trin=2", "/sammenligning?kommune=147", "/noegletal"]
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SESSION: dict = {"changed": {}}   # the host's code and CSRF token, and when each version was reported


class Host(FastHttpUser):
    fixed_count = 1
    wait_time = constant(CHANGE_EVERY)

    def on_start(self) -> None:
        name, password = os.environ["KDK_FOELG_VAERT"], os.environ["KDK_FOELG_KODEORD"]
        form = {"username": name, "password": password, "csrf_token": self.csrf("/login")}
        self.client.post("/login?next=/foelg", data=form, name="/login")
        secret = re.search(r"<code>([A-Z2-7]{16,})</code>", self.client.get("/login/kode").text)[1]
        self.client.post("/login/kode", data={"kode": pyotp.TOTP(secret).now(), "csrf_token": self.csrf("/login/kode")},
                         name="/login/kode")
        self.client.post("/foelg", data={"csrf_token": self.csrf("/foelg")}, name="/foelg")
        started = self.client.get("/foelg/vaert").json()
        self.pages = itertools.cycle(PAGES)
        self.version = 1
        SESSION.update(started)

    def csrf(self, path: str) -> str:
        return CSRF.search(self.client.get(path).text)[1]

    @task
    def change_page(self) -> None:
        with self.client.post(f"/foelg/{SESSION['kode']}/tilstand", json={"adresse": next(self.pages)},
                              headers={"X-CSRFToken": SESSION["csrf"]}, name=POLL,
                              catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return
            self.version = response.json()["version"]
            SESSION["changed"][self.version] = time.monotonic()


class Follower(FastHttpUser):
    wait_time = constant_pacing(1)   # a poll every second, however long the last one took

    def on_start(self) -> None:
        while "kode" not in SESSION:   # the host is still signing in
            gevent.sleep(0.1)
        self.etag = None
        self.version = None

    @task
    def poll(self) -> None:
        headers = {"If-None-Match": self.etag} if self.etag else {}
        with self.client.get(f"/foelg/{SESSION['kode']}/tilstand", headers=headers, name=POLL,
                             catch_response=True) as response:
            if response.status_code == 304:
                return
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return
            self.etag = response.headers.get("ETag")
            version = response.json()["version"]
            changed = SESSION["changed"].get(version)
            if self.version is not None and version != self.version and changed is not None:
                lag_ms = 1000 * (time.monotonic() - changed)
                events.request.fire(request_type="follow", name="lag", response_time=lag_ms, response_length=0,
                                    exception=None, context={})
            self.version = version


def main() -> None:
    """Serve the app, run this file in locust, print the figures (the module's docstring)."""
    import argparse
    import secrets
    import shutil
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    import psutil
    from bench_load import gunicorn_cpu, machine_busy, marts, read_entries, run_locust

    from kdk.config import PROJECT_DIR, settings
    from tests.conftest import running_server

    parser = argparse.ArgumentParser(description="Følg oplægsholderen under load")
    parser.add_argument("--users", type=int, default=1000, help="followers (default 1000)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    args = parser.parse_args()
    out = PROJECT_DIR / "bench" / "out" / "foelg"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    password = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        st = marts(str(settings().marts_path), tmp)
        env = {"KDK_BRUGER_DB": f"sqlite:///{tmp / 'brugere.sqlite'}", "KDK_SECRET_KEY": secrets.token_hex(32)}
        subprocess.run([sys.executable, "-m", "kdk", "users", "add", "vaert", "--rolle", "redaktion",
                        "--password-stdin"], input=password, text=True, cwd=PROJECT_DIR, check=True,
                       env={**os.environ, **env, "KDK_MARTS": str(st.marts_path)}, stdout=subprocess.DEVNULL)
        with running_server(st, extra_env=env) as base:
            print(f"{args.users} followers and a host for {args.duration} s against {base} …")
            app, machine, wall = gunicorn_cpu("app:create_app()"), machine_busy(), time.monotonic()
            locust = run_locust("locust_foelg.py", base, args.users + 1, args.duration, out / "main",
                                {"KDK_FOELG_VAERT": "vaert", "KDK_FOELG_KODEORD": password})
            app, machine = gunicorn_cpu("app:create_app()") - app, machine_busy() - machine
            wall = time.monotonic() - wall
    entries = {f"{e.method} {e.name}": e for e in read_entries(out / "main")}
    cores = psutil.cpu_count()
    print(f"\n{'request':<40} {'count':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'req/s':>6} {'errors':>6}   (ms)")
    for name, e in sorted(entries.items()):
        print(f"{name:<40.40} {e.requests:>7} {e.percentile(0.5):>6.0f} {e.percentile(0.95):>6.0f} "
              f"{e.percentile(0.99):>6.0f} {e.requests / args.duration:>6.1f} {e.failures:>6}")
    poll = entries[f"GET {POLL}"]
    errors = sum(e.failures for e in entries.values())
    met = poll.percentile(0.95) < 300 and errors == 0
    print(f"\npoll p95 {poll.percentile(0.95):.0f} ms, {errors} errors — target p95 < 300 ms, no errors: "
          f"{'met' if met else 'MISSED'}")
    print(f"CPU: the app {app:.0f} s = {100 * app / (cores * wall):.0f} % of {cores} cores × {wall:.0f} s; locust "
          f"{locust:.0f} s; everything else on the machine {machine - app - locust:.0f} s")


if __name__ == "__main__":
    main()
