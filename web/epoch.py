"""Which marts release a request reads, decided once per request: a WSGI wrapper holding kdk.queries.cache.pinned()
around it, so a page's many cached queries neither follow the marts link nor read the clock again, and all read
one release.

A worker warmed before it took traffic (gunicorn.conf.py, `serve_warmed`) also warms each new release before it
serves it: the first request that finds the link moved starts the warm-up (web/warmup.py, with the new file pinned)
in a background thread, and requests go on reading the release warmed before until it is done, so that 300 users
never meet a release whose answers are all still to be computed. A process that was not warmed (tests, `make dev`)
reads the live release at once. Reads the marts link and the clock; writes nothing but the process's caches.
"""
from __future__ import annotations

import contextvars
import gc
import logging
import threading

from flask import Flask

from kdk.config import settings
from kdk.db import marts
from kdk.queries.cache import pinned
from web import warmup

log = logging.getLogger(__name__)


class Releases:
    """The release this process serves, and the one it is warming."""

    def __init__(self, server: Flask):
        self.server = server
        self.served: str | None = None    # None: serve the live release, no warm-up first
        self.warming: threading.Thread | None = None
        self._lock = threading.Lock()

    def for_request(self) -> str:
        """The release a new request reads; starts warming the live one when it is new."""
        live = marts().live
        with self._lock:
            if self.served is None or live == self.served:
                return live
            if self.warming is None:
                # in a copy of this request's context, so the warm-up reads the settings the app serves
                self.warming = threading.Thread(target=contextvars.copy_context().run, args=(self._warm, live),
                                                name="kdk-warm-release", daemon=True)
                self.warming.start()
            return self.served

    def _warm(self, release: str) -> None:
        try:
            done, of = warmup.warm(self.server, settings().warmup_seconds, release)
            log.info("release %s warmed (%d of %d pages), now served", release, done, of)
        except Exception:
            log.exception("warm-up of release %s failed; serving it anyway", release)
        gc.freeze()   # the new answers, out of the garbage collector's walks, as after the worker's start
        with self._lock:
            self.served, self.warming = release, None


def install(server: Flask) -> None:
    releases = server.extensions["kdk.releases"] = Releases(server)
    inner = server.wsgi_app

    def one_epoch(environ, start_response):
        with pinned(environ.get(warmup.RELEASE) or releases.for_request()):
            return inner(environ, start_response)

    server.wsgi_app = one_epoch


def serve_warmed(server: Flask, release: str) -> None:
    """From now on this process serves `release`, which it has warmed, and warms each later one before serving it."""
    server.extensions["kdk.releases"].served = release
