"""Capacity under abuse (issue 18, item 5), as an outsider sees it: large Excel exports are limited per worker and
the rest are told to come back or to take CSV; slow clients hold no thread of the app under gunicorn."""
from __future__ import annotations

import contextlib
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from kdk.config import settings
from tests.conftest import running_server
from tests.test_http import app, client, monkeypatch_module  # noqa: F401

# Every municipality, every period, four public key figures: over 4 000 rows, a large export.
STOR = ("/api/v1/data?noegletal=befolkning.indbyggere,befolkning.taethed,oekonomi.udskrivningsprocent,skole.karakter"
        "&kommune=alle&format=xlsx")


def test_large_excel_exports_beyond_the_limit_get_429_with_retry_after_and_a_pointer_to_csv(app):  # noqa: F811
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


def test_slow_clients_neither_block_the_app_nor_keep_their_connections(built):
    """2 x the threads of the deployed app (2 workers x 4) open connections and send, a byte at a time and faster
    than any per-read timeout, their headers (half of them) or the body of a login form (the other half): a normal
    request is answered at once, and the slow ones are closed once the time a request may take to arrive (10 s)
    is up."""
    with running_server(built, extra_env={"KDK_OPVARMNING_SEKUNDER": "0"}) as base:    # no warm-up: a quick start
        host, port = base.removeprefix("http://").split(":")
        slow = [socket.create_connection((host, int(port))) for _ in range(16)]
        opened = time.monotonic()
        stop = threading.Event()

        def trickle():
            for s in slow[::2]:
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            for s in slow[1::2]:
                s.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                          b"Content-Length: 1000\r\n\r\nbrugernavn=")
            while not stop.wait(0.5):
                for s in slow:
                    with contextlib.suppress(OSError):
                        s.sendall(b"X")

        sender = threading.Thread(target=trickle, daemon=True)
        sender.start()
        try:
            time.sleep(1)
            started = time.monotonic()
            assert requests.get(base + "/api/v1/noegletal?format=json", timeout=5).status_code == 200
            assert time.monotonic() - started < 2
            time.sleep(max(0.0, opened + 12 - time.monotonic()))
            for s in slow:                          # closed by the server: the end of the stream, no answer
                s.settimeout(3)
                with contextlib.suppress(ConnectionResetError):
                    assert s.recv(100) == b""
        finally:
            stop.set()
            sender.join()
            for s in slow:
                s.close()
