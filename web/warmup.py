"""A worker's warm-up before it takes traffic: the pages asked for most, as the pages that may be kept list them
at registration (web/rendercache.py, `Keep.warm`), are rendered once, the most asked for first, until every one
is rendered or a time budget is spent (KDK_OPVARMNING_SEKUNDER, 30 s by default; today's marts take a few seconds,
marts of Kolada's size about 20 s on an idle core).

The pages are rendered through the app itself (a Flask test client posting the page router's callback, as a browser
does), so the cached answers that real requests use are the ones filled, and a page that fails to render stops the
worker before it serves anyone. One render fills what every municipality shares: a profile for one year answers all
municipalities' profiles and every area's first page for that year (kdk.queries.profil), an area in depth fills the
series of its key figures for every year and their rankings for the year shown, and the themes and the comparison
areas fill theirs. A restricted area is rendered as a reader granted it sees it (web/viewer.py, WARM_UP_SCOPE), so
that readers granted it share its answers from the start. The pages most asked for (rank ENGLISH_RANKS: the front
page and a profile) are warmed in English too, after their Danish and before the rest, and so are the English shell
and index page: an English page is a render and answers of its own (web/rendercache.py keys a render by its path,
/en/… for English), and warming every page's twin would double the warm-up (measured in docs/performance.md). A new
release is warmed the same way, with its file pinned, while the old one is still served (web/epoch.py). Reads the
marts; writes only the process's caches.
"""
from __future__ import annotations

import logging
import time

from flask import Flask

from kdk import sprog
from kdk.queries import omraader
from kdk.queries.cache import pinned
from kdk.queries.scope import ANONYMOUS, Scope
from web.rendercache import ROUTER, kept_pages
from web.viewer import WARM_UP_SCOPE

log = logging.getLogger(__name__)
RELEASE = "kdk.release"   # a WSGI environ key (no HTTP header can set one): the release a warm-up request reads
ENGLISH_RANKS = frozenset({0})   # the ranks (web/rendercache.py, `Warm.rank`) warmed in English as well


def addresses() -> list[tuple[str, str, Scope]]:
    """(path, query, viewer's scope) of the pages to render, the most asked for first: the addresses each page that
    declares its render may be kept lists (web/rendercache.py, `Keep.warm`), in the order of their ranks, those of
    ENGLISH_RANKS followed by their English twins (`/en/…`)."""
    kode = min(omraader.kommuner(ANONYMOUS)["kommunekode"])
    listed = [w for page in kept_pages() for w in page["keep"].warm(kode)]
    listed += [w._replace(path=sprog.adresse(w.path, sprog.ENGELSK)) for w in listed if w.rank in ENGLISH_RANKS]
    return [(w.path, w.search, w.scope) for w in sorted(listed, key=lambda w: w.rank)]


def warm(server: Flask, budget_seconds: float, release: str) -> tuple[int, int]:
    """Render `addresses()` of the marts file `release` in order until all are done or `budget_seconds` have passed;
    (rendered, of all). Raises RuntimeError when a request fails (HTTP 500 or more)."""
    began = time.monotonic()
    with server.test_client() as client:
        client.environ_base[RELEASE] = release
        for language in sprog.SPROG:
            front = sprog.adresse("/", language)   # the shell is answered in the language of the page it frames
            for path in (front, "/_dash-layout"):
                _check(path, client.get(path, headers={"Referer": f"http://localhost{front}"}).status_code)
        _check("/_dash-dependencies", client.get("/_dash-dependencies").status_code)
        with server.test_request_context("/"), pinned(release):
            pages = addresses()
        done = 0
        for path, search, scope in pages:
            if time.monotonic() - began > budget_seconds:
                break
            body = {"output": ROUTER, "outputs": [{"id": "_pages_content", "property": "children"},
                                                  {"id": "_pages_store", "property": "data"}],
                    "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                               {"id": "_pages_location", "property": "search", "value": search}],
                    "state": [], "changedPropIds": ["_pages_location.pathname"]}
            response = client.post("/_dash-update-component", json=body, environ_overrides={WARM_UP_SCOPE: scope})
            _check(path + search, response.status_code)
            done += 1
    log.info("warmed %d of %d pages in %.1f s", done, len(pages), time.monotonic() - began)
    return done, len(pages)


def _check(address: str, status: int) -> None:
    if status >= 500:
        raise RuntimeError(f"warm-up request {address} failed with HTTP {status}")
