"""Server-Timing on every response: how long the app itself took to answer, in milliseconds.

A WSGI wrapper around the Flask app: the clock starts when the request enters the app and stops when the
response's status and headers are handed to the server, so it covers Flask's before/after-request handlers,
Dash's callback dispatch, the layout, the queries, the JSON and the compression — not the network or the
server's queue. Reads only the clock; writes one header, `Server-Timing: app;dur=<ms>` (a standard header that
browsers show in their developer tools), joined with any Server-Timing the app set itself (web/rendercache.py's
`cache;desc=hit`). The load benchmark (bench/locustfile.py) reads it.
"""
from __future__ import annotations

import time

from flask import Flask


def install(server: Flask) -> None:
    inner = server.wsgi_app

    def timed(environ, start_response):
        start = time.perf_counter()

        def start_timed(status, headers, exc_info=None):
            metrics = [f"app;dur={(time.perf_counter() - start) * 1000:.1f}"]
            metrics += [value for name, value in headers if name.lower() == "server-timing"]
            headers = [(name, value) for name, value in headers if name.lower() != "server-timing"]
            return start_response(status, [*headers, ("Server-Timing", ", ".join(metrics))], exc_info)

        return inner(environ, start_timed)

    server.wsgi_app = timed
