"""The deployment on several machines, on this one (issue 23): one PostgreSQL, n app servers and nginx in front.

`flaade(built, folder)` starts a throwaway PostgreSQL cluster (tests/postgres.py), makes its user tables, and starts
n app servers under gunicorn as deployed (tests/conftest.py's `running_server`), each a master of its own on its own
loopback port with its own data folder holding a copy of `built`'s marts, all with the PostgreSQL user database, one
KDK_SECRET_KEY, one shared export folder, their own access log and a name (KDK_SERVER_NAVN, answered as X-KDK-Server),
and, when asked, each its release fetcher (`python -m kdk hent`, as deploy/kdk-hent.service) on one shared
publication folder. In front: nginx with deploy/nginx.conf as shipped, its upstream listing the n servers
(`nginx_config`). Everything is written inside `folder` (the cluster as tests/postgres.py places it); every process
is stopped at the end.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests

from kdk.config import PROJECT_DIR, Settings, using
from tests.conftest import free_port, running_server
from tests.postgres import postgres_server

UPSTREAM = re.compile(r"^(\s*)server 127\.0\.0\.1:8050( [^;]*)?;$", re.MULTILINE)
PER_ADDRESS = re.compile(r"^\s*limit_(conn kdk_forbindelser|req zone=)[^;]*;\n", re.MULTILINE)


def nginx_config(app_bases: list[str], folder: Path, per_address: bool = True) -> tuple[Path, int]:
    """deploy/nginx.conf as shipped, on a free loopback port, its upstream the servers at `app_bases` (each with the
    shipped line's health parameters), in a main configuration whose files are all in `folder`; returns the main
    configuration and the port. `per_address=False` leaves out the limits per client address (for a load bench,
    whose users all come from 127.0.0.1)."""
    port = free_port()
    site = (PROJECT_DIR / "deploy" / "nginx.conf").read_text()
    upstream = UPSTREAM.search(site)
    assert upstream, "deploy/nginx.conf has no `server 127.0.0.1:8050 …;` line in its upstream"
    indent, parameters = upstream[1], upstream[2] or ""
    servers = "\n".join(f"{indent}server {base.removeprefix('http://')}{parameters};" for base in app_bases)
    site = site[:upstream.start()] + servers + site[upstream.end():]
    if not per_address:
        site = PER_ADDRESS.sub("", site)
    for old, new in (("listen 80;", f"listen 127.0.0.1:{port};"),
                     ("/var/lib/nginx/kdk-cache", str(folder / "cache"))):
        assert old in site
        site = site.replace(old, new)
    (folder / "kdk.conf").write_text(site)
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = " ".join(f"{kind}_temp_path {folder / kind};" for kind in kinds)
    main = folder / "nginx.conf"
    main.write_text(f"user root; pid {folder / 'nginx.pid'}; error_log {folder / 'error.log'}; events {{}}\n"
                    f"http {{ access_log off; {temp} include {folder / 'kdk.conf'}; }}\n")
    return main, port


@contextlib.contextmanager
def nginx_in_front(app_bases: str | list[str], folder: Path, per_address: bool = True) -> Iterator[str]:
    """nginx with deploy/nginx.conf in front of the app server(s) at `app_bases` (`per_address`: see nginx_config);
    yields its base URL once it answers."""
    main, port = nginx_config([app_bases] if isinstance(app_bases, str) else app_bases, folder, per_address)
    proc = subprocess.Popen(["nginx", "-c", str(main), "-g", "daemon off;"])
    front = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                requests.get(front + "/api/v1/openapi.json", timeout=5)
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline, (folder / "error.log").read_text()
                time.sleep(0.2)
        yield front
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@dataclasses.dataclass
class AppServer:
    """One app server of the fleet: its name, its port, its settings (its own marts) and environment."""

    name: str
    port: int
    settings: Settings
    env: dict[str, str]
    _running: contextlib.ExitStack = dataclasses.field(default_factory=contextlib.ExitStack)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return Path(self.env["KDK_ACCESS_LOG"])

    def start(self) -> None:
        """Start its gunicorn master on its port; returns once it answers."""
        self._running.enter_context(running_server(self.settings, extra_env=self.env, port=self.port))

    def stop(self) -> None:
        """Stop its gunicorn master (SIGTERM: the requests under way are finished, then it exits)."""
        self._running.close()


@dataclasses.dataclass
class Flaade:
    """The running fleet: nginx's base URL, the app servers, and the settings of the shared user database."""

    front: str
    servers: list[AppServer]
    settings: Settings


def own_marts(built: Settings, folder: Path) -> Settings:
    """A data folder holding a copy of `built`'s marts, as a server that fetched the release holds it."""
    st = dataclasses.replace(built, marts_path=folder / "kdk.duckdb")
    st.marts_dir.mkdir(parents=True)
    target = st.marts_dir / built.marts_path.resolve().name
    shutil.copyfile(built.marts_path.resolve(), target)
    st.marts_path.symlink_to(target.relative_to(folder))
    return st


@contextlib.contextmanager
def fetcher(st: Settings, source: Path) -> Iterator[None]:
    """The release fetcher of the data folder of `st`, as deploy/kdk-hent.service runs it but every second:
    `python -m kdk hent --fra source --hver 1`, its output in `hent.log` beside the marts; stopped at the end."""
    with (st.marts_path.parent / "hent.log").open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "kdk", "hent", "--fra", str(source), "--hver", "1"],
                                cwd=PROJECT_DIR, env={**os.environ, "KDK_MARTS": str(st.marts_path)}, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            yield
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@contextlib.contextmanager
def flaade(built: Settings, folder: Path, n: int = 2, extra_env: dict[str, str] | None = None,
           per_address: bool = True, hent_fra: Path | None = None) -> Iterator[Flaade]:
    """One PostgreSQL, `n` app servers (named app1 … appN) and nginx in front of them, all in `folder`; yields the
    fleet once nginx answers. `extra_env` adds KDK_* settings to every server (the warm-up is off unless it sets
    KDK_OPVARMNING_SEKUNDER); `per_address`: see nginx_config; `hent_fra`: a publication folder each server's
    release fetcher (`fetcher`) watches."""
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(postgres_server(folder / "pg"))
        shared = dataclasses.replace(built, user_db=url, secret_key=secrets.token_hex(32),
                                     export_dir=folder / "eksport")
        shared.export_dir.mkdir(parents=True)
        from kdk.auth import store

        with using(shared):
            store.engine()   # the tables, made once before the servers start (not by four workers at once)
        servers = []
        for i in range(1, n + 1):
            st = own_marts(built, folder / f"app{i}")
            env = {"KDK_BRUGER_DB": url, "KDK_SECRET_KEY": shared.secret_key, "KDK_EKSPORT_DIR": str(shared.export_dir),
                   "KDK_SERVER_NAVN": f"app{i}", "KDK_ACCESS_LOG": str(folder / f"app{i}" / "access.log"),
                   "KDK_OPVARMNING_SEKUNDER": "0", **(extra_env or {})}
            server = AppServer(f"app{i}", free_port(), st, env)
            server.start()
            stack.callback(server.stop)
            servers.append(server)
            if hent_fra is not None:
                stack.enter_context(fetcher(st, hent_fra))
        (folder / "nginx").mkdir()
        front = stack.enter_context(nginx_in_front([s.base for s in servers], folder / "nginx", per_address))
        yield Flaade(front, servers, shared)
