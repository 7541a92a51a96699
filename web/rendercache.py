"""Rendered pages kept in memory: the page router's callback answered from a cache when the same kind of viewer asks
for the same address in the same marts, and the app's shell (`/_dash-layout`) when the same viewer asks again.

Dash's page router (`_pages_content.children`) turns an address into the page's component tree. For the pages in
CACHED (their layout depends only on the address, the viewer's scope and the marts) that answer is a pure function
of (pathname, search, scope, live marts file, embargo state), so its JSON is reused as it is: 300 webinar viewers
opening the same profile cost one render. The shell (header with the municipality picker, footer with sources and
release) depends on the scope, the signed-in user's name and role, and the marts. While one request renders an
answer, others asking for the same one wait for it instead of rendering it again.

A kept body is also kept compressed, once for each encoding asked for (brotli or gzip, as the browser accepts):
300 viewers of a webinar get the same bytes without compressing them 300 times.

Reads the callback's JSON body, the viewer's scope (web/viewer.py) and the marts' version and embargo state
(kdk.queries.cache.epoch); writes rendered bodies into a per-process LRU cache bounded by MAX_BYTES, and adds
`cache;desc=hit|miss` to the response's Server-Timing. Only HTTP 200 answers without an error message are kept.
"""
from __future__ import annotations

import gzip
import threading
from collections import OrderedDict

import brotli
from flask import Flask, Response, g, request

from kdk.queries.cache import epoch
from web import viewer

ROUTER = ".._pages_content.children..._pages_store.data.."
CACHED = ("/kommune/", "/sammenligning", "/tema/", "/temaer", "/noegletal", "/datastatus")   # and "/" itself
MAX_BYTES = 64 * 2**20
WAIT_SECONDS = 30
ENCODINGS = {"br": lambda body: brotli.compress(body, quality=5), "gzip": lambda body: gzip.compress(body, 6)}


class Renders:
    """An LRU of rendered bodies by key, bounded in bytes; a key being rendered makes other askers wait for it.
    Each kept body has its compressed versions beside it, made when first asked for."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._bodies: OrderedDict[tuple, bytes] = OrderedDict()
        self._encoded: dict[tuple, dict[str, bytes]] = {}
        self._size = 0
        self._rendering: dict[tuple, threading.Event] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[bytes | None, bool]:
        """(body, False) when kept; (None, True) when the caller is to render it and then call `done`; (None, False)
        when the one rendering it failed or took too long (the caller renders it, without the duty to call done)."""
        with self._lock:
            if key in self._bodies:
                self._bodies.move_to_end(key)
                return self._bodies[key], False
            rendering = self._rendering.get(key)
            if rendering is None:
                self._rendering[key] = threading.Event()
                return None, True
        rendering.wait(WAIT_SECONDS)
        with self._lock:
            return self._bodies.get(key), False

    def encoded(self, key: tuple, body: bytes, encoding: str) -> bytes:
        """The kept `body` of `key` compressed with `encoding` (one of ENCODINGS), compressed once."""
        with self._lock:
            kept = self._encoded.get(key, {}).get(encoding)
        if kept is not None:
            return kept
        compressed = ENCODINGS[encoding](body)
        with self._lock:
            if key in self._bodies and encoding not in self._encoded.setdefault(key, {}):
                self._encoded[key][encoding] = compressed
                self._size += len(compressed)
                self._evict()
        return compressed

    def clear(self) -> None:
        """Forget every kept body (a new release makes them unreachable anyway)."""
        with self._lock:
            self._bodies.clear()
            self._encoded.clear()
            self._size = 0

    def _evict(self) -> None:
        while self._size > self.max_bytes:
            oldest, body = self._bodies.popitem(last=False)
            self._size -= len(body) + sum(len(b) for b in self._encoded.pop(oldest, {}).values())

    def done(self, key: tuple, body: bytes | None) -> None:
        """The render of `key` has finished: keep its body (None: nothing to keep) and wake those waiting for it."""
        with self._lock:
            if body is not None and key not in self._bodies and len(body) <= self.max_bytes:
                self._bodies[key] = body
                self._size += len(body)
                self._evict()
            rendering = self._rendering.pop(key, None)
        if rendering is not None:
            rendering.set()


def key() -> tuple | None:
    """The cache key of this request, or None when it is neither the shell nor a router call for a page in
    CACHED."""
    if request.method == "GET" and request.path.endswith("/_dash-layout"):
        user = viewer.user()
        return "/_dash-layout", (user.brugernavn, user.rolle) if user else None, viewer.scope(), *epoch()
    if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
        return None
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or body.get("output") != ROUTER:
        return None
    values = {f"{i.get('id')}.{i.get('property')}": i.get("value") for i in body.get("inputs", [])
              if isinstance(i, dict)}
    path, search = values.get("_pages_location.pathname"), values.get("_pages_location.search") or ""
    if not isinstance(path, str) or not isinstance(search, str) or not (path == "/" or path.startswith(CACHED)):
        return None
    return path, search, viewer.scope(), *epoch()


def install(server: Flask) -> None:
    renders = server.extensions["kdk.renders"] = Renders(MAX_BYTES)

    @server.before_request
    def rendered_before():
        k = key()
        if k is None:
            return None
        body, mine = renders.get(k)
        if body is not None:
            encoding = request.accept_encodings.best_match(list(ENCODINGS))
            response = Response(renders.encoded(k, body, encoding) if encoding else body, mimetype="application/json")
            if encoding:
                response.headers["Content-Encoding"] = encoding
            response.headers["Vary"] = "Accept-Encoding"
            response.headers["Server-Timing"] = "cache;desc=hit"
            return response
        g.render = (k, mine)
        return None

    @server.after_request
    def keep_render(response: Response) -> Response:
        k, mine = g.pop("render", (None, False))
        if k is not None:
            body = response.get_data() if response.status_code == 200 and not response.is_streamed else b""
            keep = body if body and b'"sideUpdate"' not in body else None   # sideUpdate: the error message was set
            if mine:
                renders.done(k, keep)
            response.headers["Server-Timing"] = "cache;desc=miss"
        return response

    @server.teardown_request
    def release_render(_exc):
        k, mine = g.pop("render", (None, False))
        if mine:
            renders.done(k, None)   # the request failed before its answer: let the waiting render it themselves
