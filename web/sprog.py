"""Which language a request is answered in (kdk/sprog.py), decided here for every request.

- A page's address says it: `/en/…` is the English page of `/…`. The prefix is taken off before Flask and Dash see
  the path (`sprog_fra_adressen`, around the WSGI app), so every route and page serves both languages; Dash's
  router, which reads the browser's address, is told to take it off too (`strip_relative_path`).
- Dash's own requests (`/_dash-layout`, callbacks) carry no language in their path. The page router's call is
  answered in the language of the page it draws (its `pathname`, also the render cache's key); any other is
  answered in the language of the page it came from (the Referer: same site, sent by the referrer policy), and
  says so (`Vary: Referer`), so that no cache hands the Danish shell to an English page.
- The API takes `lang=en` (web/api.py reads `api_sprog`).
- An address with the prefix twice (`/en/en/…`) is sent to the page it means.
- `Accept-Language` decides only a visitor's first visit to `/`: one who prefers English to Danish is sent to
  `/en/`. Every answer to a front page (`/` or `/en/`, that redirect included) sets the cookie VISITED_COOKIE, which
  remembers that the visitor has been there, so `/` is Danish from then on.

Also: `<html lang>` of the page, redirects from a Flask route to an address in the request's language, and the
Jinja templates' `gettext`, `ngettext` and `adresse`. Reads the request; writes the language into the context for
the request's duration.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import dash
from flask import Flask, g, redirect, request

from kdk import sprog
from web.guard import json_body
from web.rendercache import ROUTER

VISITED_COOKIE = "kdk_besoegt"   # the front page has been visited: Accept-Language no longer decides `/`


def install(server: Flask, app: dash.Dash) -> None:
    inner = server.wsgi_app

    def sprog_fra_adressen(environ, start_response):
        found, path = sprog.sprog_i_sti(environ.get("PATH_INFO", ""))
        if found != sprog.STANDARD:
            environ["PATH_INFO"] = path
            environ["kdk.sprog"] = found
        return inner(environ, start_response)

    server.wsgi_app = sprog_fra_adressen
    strip = app.strip_relative_path
    app.strip_relative_path = lambda path: strip(sprog.sprog_i_sti(path)[1] if isinstance(path, str) else path)

    index = app.interpolate_index
    app.interpolate_index = lambda **parts: index(**parts).replace(
        '<html lang="da">', f'<html lang="{sprog.aktivt()}">', 1)

    @server.before_request
    def set_language():
        g.kdk_sprog = sprog.saet(request_language())
        if request.environ.get("kdk.sprog") and sprog.sprog_i_sti(request.path)[0] != sprog.STANDARD:
            # /en/en/…: the page it means, once (else Flask's checks and Dash's router would read it differently)
            rest = "/" + sprog.sprog_i_sti(request.path)[1].lstrip("/")   # never "//host": another site
            return redirect(with_query(rest), 308)
        if (request.path == "/" and request.method == "GET" and VISITED_COOKIE not in request.cookies
                and request.environ.get("kdk.sprog") is None and prefers_english()):
            return redirect(with_query(sprog.adresse("/", sprog.ENGELSK)), 302)   # a shared link keeps its view
        return None

    @server.after_request
    def in_language(response):
        location = response.headers.get("Location")
        if location and sprog.aktivt() != sprog.STANDARD and request.environ.get("kdk.sprog"):
            response.headers["Location"] = sprog.adresse(location)
        if request.method == "GET" and request.path.startswith("/_dash-"):
            response.vary.add("Referer")   # the shell: one address, answered in the language of the page it frames
        if request.path == "/" and request.method == "GET":
            response.vary.add("Accept-Language")
            if VISITED_COOKIE not in request.cookies:
                response.set_cookie(VISITED_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                                    secure=request.is_secure)
        return response

    @server.teardown_request
    def reset_language(_exc):
        token = g.pop("kdk_sprog", None)
        if token is not None:
            sprog.nulstil(token)

    server.jinja_env.add_extension("jinja2.ext.i18n")
    server.jinja_env.install_gettext_callables(sprog.gettext, sprog.ngettext, newstyle=True)  # type: ignore[attr-defined]
    server.jinja_env.globals.update(adresse=sprog.adresse, sprog=sprog.aktivt)


def with_query(path: str) -> str:
    """`path` with this request's query, as it came."""
    return path + (f"?{request.query_string.decode()}" if request.query_string else "")


def request_language() -> str:
    """The language this request is answered in (see the module's docstring)."""
    given = request.environ.get("kdk.sprog")
    if given:
        return given
    if request.path.startswith("/api/"):
        return api_sprog()
    if not request.path.startswith("/_dash-"):
        return sprog.STANDARD
    body = json_body() if request.method == "POST" else None
    if isinstance(body, dict) and body.get("output") == ROUTER:
        for item in body.get("inputs") or ():
            if isinstance(item, dict) and item.get("id") == "_pages_location" and item.get("property") == "pathname":
                return sprog.sprog_i_sti(item.get("value"))[0] if isinstance(item.get("value"), str) else sprog.STANDARD
        return sprog.STANDARD
    referrer = urlsplit(request.referrer or "")
    return sprog.sprog_i_sti(referrer.path)[0] if referrer.netloc == request.host else sprog.STANDARD


def api_sprog() -> str:
    """The API's language: `lang=en` or `lang=da` (the default); web/api.py refuses any other value."""
    value = request.args.get("lang", sprog.STANDARD)
    return value if value in sprog.SPROG else sprog.STANDARD


def prefers_english() -> bool:
    """Whether the browser's Accept-Language ranks English above Danish (a first visit to `/`)."""
    best = request.accept_languages.best_match(["da", "en"])
    return best == "en"
