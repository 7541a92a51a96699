"""Capacity under abuse (issue 18, item 5), as an outsider sees it: large Excel exports are limited per worker and
the rest are told to come back or to take CSV; slow clients hold no thread of the app under gunicorn, and the
documented nginx in front (deploy/nginx.conf, run by tests/flaade.py's helpers) is valid and keeps them from the app
too."""
from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from kdk.config import settings
from tests.conftest import running_server
from tests.flaade import nginx_config, nginx_in_front

# Every municipality, every period, four public key figures: over 4 000 rows, a large export.
STOR = ("/api/v1/data?noegletal=befolkning.indbyggere,befolkning.taethed,oekonomi.udskrivningsprocent,skole.karakter"
        "&kommune=alle&format=xlsx")


def test_large_excel_exports_beyond_the_limit_get_429_with_retry_after_and_a_pointer_to_csv(app):
    server = app.server
    limit = settings().xlsx_samtidige
    rows = server.test_client().get(STOR.replace("xlsx", "csv"))                      # the rows, now kept
    assert rows.status_code == 200 and int(rows.headers["X-Total-Count"]) > 4000

    def export(_):
        return server.test_client().get(STOR)

    with ThreadPoolExecutor(limit + 4) as pool:
        answers = list(pool.map(export, range(limit + 4)))
    codes = sorted(r.status_code for r in answers)
    assert set(codes) == {200, 429} and codes.count(200) >= limit, codes
    for refused in (r for r in answers if r.status_code == 429):
        assert int(refused.headers["Retry-After"]) > 0
        assert "CSV" in refused.get_json()["fejl"] and "Prøv igen" in refused.get_json()["fejl"]
    assert server.test_client().get(STOR).status_code == 200                            # free again afterwards


@pytest.fixture(scope="module")
def access_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("kapacitet") / "access.log"


@pytest.fixture(scope="module")
def gunicorn_app(built, access_log):
    """The app under gunicorn as deployed (2 workers x 4 threads), without the warm-up (a quick start)."""
    with running_server(built, extra_env={"KDK_ACCESS_LOG": str(access_log)}, warm=False) as base:
        yield base


@contextlib.contextmanager
def slow_clients(base: str, n: int = 16):
    """`n` connections to `base` that send, a byte every half second (faster than any per-read timeout), their
    headers (the first half) or the body of a login form (the second half); yields both halves."""
    host, port = base.removeprefix("http://").split(":")
    heads = [socket.create_connection((host, int(port))) for _ in range(n // 2)]
    bodies = [socket.create_connection((host, int(port))) for _ in range(n - n // 2)]
    for s in heads:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    for s in bodies:
        s.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  b"Content-Length: 1000\r\n\r\nbrugernavn=")
    stop = threading.Event()

    def trickle():
        while not stop.wait(0.5):
            for s in heads + bodies:
                with contextlib.suppress(OSError):
                    s.sendall(b"X")

    sender = threading.Thread(target=trickle, daemon=True)
    sender.start()
    try:
        yield heads, bodies
    finally:
        stop.set()
        sender.join()
        for s in heads + bodies:
            s.close()


def answered_at_once(base: str) -> bool:
    started = time.monotonic()
    return (requests.get(base + "/api/v1/noegletal?format=json", timeout=5).status_code == 200
            and time.monotonic() - started < 2)


def closed(s: socket.socket) -> bool:
    """Whether the server has closed `s`, with no answer or a 408."""
    s.settimeout(3)
    try:
        data = s.recv(100)
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return data == b"" or data.startswith(b"HTTP/1.1 408")


def test_slow_clients_neither_block_the_app_nor_keep_their_connections(gunicorn_app):
    """2 x the threads of the deployed app (2 workers x 4) send their headers or a login form's body a byte at a
    time: a normal request is answered at once, and the slow ones are closed once the time a request may take to
    arrive (10 s) is up."""
    with slow_clients(gunicorn_app) as (heads, bodies):
        opened = time.monotonic()
        time.sleep(1)
        assert answered_at_once(gunicorn_app)
        time.sleep(max(0.0, opened + 12 - time.monotonic()))
        assert all(closed(s) for s in heads + bodies)


def test_the_deployment_nginx_configuration_is_valid(tmp_path):
    main, _ = nginx_config(["http://127.0.0.1:8050"], tmp_path)
    check = subprocess.run(["nginx", "-t", "-c", str(main)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr


def test_behind_nginx_slow_clients_never_reach_the_app(gunicorn_app, tmp_path):
    """Through the documented nginx, 3 x the app's threads of slow clients: a normal request is answered at once, and
    the slow headers are cut off by nginx's client_header_timeout (10 s)."""
    with nginx_in_front(gunicorn_app, tmp_path) as front, slow_clients(front, 24) as (heads, _bodies):
        opened = time.monotonic()
        time.sleep(1)
        assert answered_at_once(front)
        time.sleep(max(0.0, opened + 12 - time.monotonic()))
        assert all(closed(s) for s in heads)


def test_the_address_nginx_forwards_is_the_clients_and_cannot_be_forged_through_it(gunicorn_app, access_log,
                                                                                   tmp_path):
    """gunicorn believes X-Forwarded-For from the proxy's address (forwarded_allow_ips, 127.0.0.1), so the app
    logs, audits and throttles the client nginx saw; nginx replaces whatever address a client claims."""
    forged = {"X-Forwarded-For": "203.0.113.9"}
    assert requests.get(gunicorn_app + "/api/v1/openapi.json?fra=proxy", headers=forged, timeout=5).ok
    with nginx_in_front(gunicorn_app, tmp_path) as front:
        assert requests.get(front + "/api/v1/openapi.json?fra=klient", headers=forged, timeout=5).ok
    time.sleep(0.5)
    lines = access_log.read_text().splitlines()
    assert [line.split()[0] for line in lines if "fra=proxy" in line] == ["203.0.113.9"]
    assert [line.split()[0] for line in lines if "fra=klient" in line] == ["127.0.0.1"]
