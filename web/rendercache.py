"""Rendered pages kept in memory: the page router's callback answered from a cache when the same kind of viewer asks
for the same address in the same marts, and the app's shell (`/_dash-layout`) when the same viewer asks again.

Dash's page router (`_pages_content.children`) turns an address into the page's component tree. A page declares
at registration that its render may be kept: `dash.register_page(..., keep=Keep(...))`, the one place that says
so (no URL decides it). For such a page (its layout depends only on the address, the viewer's scope and the
marts) that answer is a pure function of (pathname, the query values the page reads and the view every page reads
(`visning`), scope, live marts file, embargo state), so its JSON is reused as it is: 300 webinar viewers opening the
same profile cost one render. The key holds only those values, sorted and without blanks, so `?x=1`, `?x=2` or
reordered parameters share one render; a view the page refuses (web/guard.py) is rendered but not kept, and so is
a render that asks who the viewer is beyond the scope (web/viewer.py, `keeping`: it is logged, so a page that does
so is noticed). The shell (header with the
municipality picker, footer with sources and release) depends on the scope, the signed-in user's name and role,
and the marts. While one request renders an answer, others asking for the same one wait for it instead of
rendering it again.

A kept body is also kept compressed, once for each encoding asked for (brotli or gzip, as the browser accepts):
300 viewers of a webinar get the same bytes without compressing them 300 times.

Reads the callback's JSON body, the viewer's scope (web/viewer.py) and the marts' version and embargo state
(kdk.queries.cache.epoch); writes rendered bodies into a per-process LRU cache bounded in bytes
(`Settings.renders_max_bytes`, KDK_CACHE_SIDER_MB; kdk.queries.cache.Kept), and adds
`cache;desc=hit|miss` to the response's Server-Timing. Only HTTP 200 answers without an error message are kept.
"""
from __future__ import annotations

import gzip
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import parse_qs

import brotli
import dash
from flask import Flask, Response, g, request

from kdk import sprog
from kdk.config import settings
from kdk.queries.cache import MISSING, Kept, epoch
from kdk.queries.scope import ANONYMOUS, Scope
from web import guard, viewer

ROUTER = ".._pages_content.children..._pages_store.data.."
SHELL = "/_dash-layout"
WAIT_SECONDS = 30
ENCODINGS = {"br": lambda body: brotli.compress(body, quality=5), "gzip": lambda body: gzip.compress(body, 6)}


class Warm(NamedTuple):
    """An address a worker renders before it takes traffic (web/warmup.py), as a viewer with `scope` asks for it.
    `rank` orders the warm-up, the most asked for first: 0 the front page and a profile, 1 an area in depth, 2 a
    theme, 3 the comparison, 4 a profile in an earlier year."""
    rank: int
    path: str
    search: str = ""
    scope: Scope = ANONYMOUS


@dataclass(frozen=True)
class Keep:
    """A page's declaration, as `keep=` of its `dash.register_page`, that its render may be kept: its layout reads
    nothing but its address's values, the viewer's scope and the marts (never who the viewer is). `warm(kode)`
    lists the addresses a worker renders first, `kode` being a municipality every viewer sees."""
    warm: Callable[[str], Iterable[Warm]] = lambda kode: ()


def kept_pages() -> list[dict]:
    """The registered pages that declare their render may be kept."""
    return [page for page in dash.page_registry.values() if isinstance(page.get("keep"), Keep)]


@dataclass
class Rendered:
    """A kept body, and its compressed copies (by encoding) made when first asked for."""
    body: bytes
    encoded: dict[str, bytes] = field(default_factory=dict)

    def size(self) -> int:
        return len(self.body) + sum(len(b) for b in self.encoded.values())


class Renders(Kept):
    """Rendered bodies by key, bounded in bytes with their compressed copies (kdk.queries.cache.Kept); a key being
    rendered makes other askers wait for it."""

    def __init__(self, max_bytes: int):
        super().__init__(max_bytes, getsizeof=Rendered.size)

    def encoded(self, key: tuple, kept: Rendered, encoding: str) -> bytes:
        """The kept body of `key` compressed with `encoding` (one of ENCODINGS), compressed once."""
        compressed = kept.encoded.get(encoding)
        if compressed is None:
            compressed = ENCODINGS[encoding](kept.body)
            self.put(key, Rendered(kept.body, {**kept.encoded, encoding: compressed}))
        return compressed


def key() -> tuple | None:
    """The cache key of this request, or None when it is neither the shell nor a router call for a page that
    declares `keep`."""
    if request.method == "GET" and request.path.endswith("/_dash-layout"):
        user = viewer.user()
        return SHELL, sprog.aktivt(), (user.brugernavn, user.rolle) if user else None, viewer.scope(), *epoch()
    if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
        return None
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or body.get("output") != ROUTER:
        return None
    values = {f"{i.get('id')}.{i.get('property')}": i.get("value") for i in body.get("inputs", [])
              if isinstance(i, dict)}
    path, search = values.get("_pages_location.pathname"), values.get("_pages_location.search") or ""
    if not isinstance(path, str) or not isinstance(search, str):
        return None
    query = page_query(path, search)
    return None if query is None else (path, query, viewer.scope(), *epoch())


def page_query(path: str, search: str) -> tuple | None:
    """The query values the page at `path` reads, sorted by name: junk or reordered parameters share the page's
    render. None for a view that is not kept: no page, a page that does not declare `keep`, or values the page refuses
    (web/guard.py; a blank one too, as a fresh render and a plain GET refuse it), which are rendered for the asker
    but may not evict good ones."""
    args = parse_qs(search[1:], keep_blank_values=True) if search.startswith("?") else {}
    found = guard.page_for(path)
    if found is None or not isinstance(found[0].get("keep"), Keep) or guard.page_problem(path, args) is not None:
        return None
    args = {k: v for k, v in args.items() if any(v)}
    reads = _reads(found[0])
    return tuple(sorted((k, v[0]) for k, v in args.items() if reads is None or k in reads))


def _reads(page: dict) -> frozenset[str] | None:
    """The query names a page's layout reads: its named parameters, or the `params` registered with the page when
    it takes all of them (`**params`; a layout's `**_` takes the ones it ignores), and those every page's render
    reads (the view, guard.SHARED_RENDERED); None when not known."""
    parameters = inspect.signature(page["layout"]).parameters.values()
    if any(p.kind is p.VAR_KEYWORD and p.name != "_" for p in parameters):
        return frozenset(page["params"]) | guard.SHARED_RENDERED if "params" in page else None
    return frozenset(p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)) \
        | guard.SHARED_RENDERED


def install(server: Flask) -> None:
    renders = server.extensions["kdk.renders"] = Renders(settings().renders_max_bytes)

    @server.before_request
    def rendered_before():
        k = key()
        if k is None:
            return None
        kept, mine = renders.claim(k, WAIT_SECONDS)
        if kept is not MISSING:
            encoding = request.accept_encodings.best_match(list(ENCODINGS))
            body = renders.encoded(k, kept, encoding) if encoding else kept.body
            response = Response(body, mimetype="application/json")
            if encoding:
                response.headers["Content-Encoding"] = encoding
            response.headers["Vary"] = "Accept-Encoding"
            response.headers["Server-Timing"] = "cache;desc=hit"
            return response
        if k[0] != SHELL:
            viewer.keeping(k[2])   # a page kept for every viewer with this scope: it may not ask who the viewer is
        g.render = (k, mine)
        return None

    @server.after_request
    def keep_render(response: Response) -> Response:
        k, mine = g.pop("render", (None, False))
        if k is not None:
            body = response.get_data() if response.status_code == 200 and not response.is_streamed else b""
            kept = body and b'"sideUpdate"' not in body and not viewer.personal()   # sideUpdate: an error
            keep = Rendered(body) if kept else MISSING
            if mine:
                renders.done(k, keep)
            response.headers["Server-Timing"] = "cache;desc=miss"
        return response

    @server.teardown_request
    def release_render(_exc):
        k, mine = g.pop("render", (None, False))
        if mine:
            renders.done(k)   # the request failed before its answer: let the waiting render it themselves
