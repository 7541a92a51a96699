"""Følg oplægsholderen at /foelg: a host starts a follow session and shows pages; anonymous viewers follow them.

- `/foelg` (a host: a signed-in user who `kan_vaere_vaert`): start a session, see its code and the viewers' address
  large, stop it. Start and stop are CSRF-protected forms, audited.
- `/foelg/vaert`: the host's running session and a CSRF token, for assets/foelg.js in the host's browser, which
  reports every address the host shows (POST `/foelg/<kode>/tilstand`, JSON, with the token in X-CSRFToken). Only
  the session's host may; the address must be a page an anonymous visitor may open (checked as an anonymous request
  for it would be, web/guard.py), so no restricted, embargoed or administrative address ever reaches viewers.
- `/foelg/<kode>`: the viewers' entry, without signing in; assets/foelg.js then polls `/foelg/<kode>/tilstand`
  (JSON {version, adresse}; ETag per version, so an unchanged state is a 304; Cache-Control: no-cache) and opens
  each new address. A poll without a session cookie is answered in front of the app (`install`). Viewers see
  public data only, always: a signed-in browser is refused here and by the poll (403), so every page a viewer
  follows renders for an anonymous visitor. An unknown, stopped or expired code is a 404 page (JSON for the
  poll). A client address that has asked for too many codes never given out gets a 429 with Retry-After
  instead, for the entry and the poll, except for the codes it already follows (kdk.auth.kodegaet).
- Languages: a session keeps the host's address without its language prefix (a host on `/en/kommune/101` shows
  `/kommune/101`), and each viewer follows in the language it follows in: the entry `/en/foelg/<kode>` and the poll
  `/en/foelg/<kode>/tilstand` (which assets/foelg.js asks on an English page) give the address under /en, whatever
  language the host uses. Every page and message is in the request's language.

Reads and writes follow sessions (kdk.auth.foelg), the guesses per address (kdk.auth.kodegaet) and the audit log;
the poll reads the session through its per-process memo and needs no session cookie, and is never kept by the
render cache (it is no Dash callback).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, redirect, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from werkzeug.exceptions import SecurityError
from werkzeug.http import parse_etags, quote_etag
from werkzeug.wsgi import get_host
from wtforms.validators import ValidationError

from kdk import sprog
from kdk.auth import audit, kodegaet, throttle
from kdk.auth import foelg as visninger
from kdk.auth.users import User
from kdk.sprog import N_, gettext
from web import guard
from web.login import EmptyForm, page, refused, safe_next

foelg = Blueprint("foelg", __name__, template_folder="templates")
MAKS_ADRESSE = 500
POLL = re.compile(r"/foelg/([^/]{1,20})/tilstand")
UKENDT = (N_("Visningen findes ikke"), N_("Der er ingen igangværende visning med den kode. Tjek koden, eller spørg "
          "oplægsholderen om en ny; en visning slutter, når oplægsholderen stopper den, og senest ved midnat."))
UKENDT_KORT = N_("Visningen findes ikke.")
FOR_MANGE = N_("For mange forkerte koder. Prøv igen senere, eller spørg oplægsholderen om koden.")
LOGGET_IND = (N_("Du er logget ind"), N_("Seere følger oplægsholderen som anonyme besøgende og ser kun offentlige "
              "tal. Log ud, eller åbn adressen i et privat vindue, for at følge med."))


def offentlig(adresse: object) -> str | None:
    """`adresse`, without its language prefix, when it is the path and query of a page an anonymous visitor may
    open, else None. It is checked as a request for it without cookies, to this request's host, would be, in an
    application context of its own (so no signed-in user of this request is seen)."""
    if not isinstance(adresse, str) or len(adresse) > MAKS_ADRESSE or safe_next(adresse) != adresse \
            or urlsplit(adresse).fragment:
        return None
    adresse = sprog.sprog_i_sti(adresse)[1]
    with current_app.app_context(), current_app.test_request_context(adresse, base_url=request.host_url):
        return adresse if guard.page_problem(request.path, request.args.to_dict(flat=False)) is None else None


def _signed_in() -> User | None:
    return current_user.user if current_user.is_authenticated else None


def _vaert() -> User:
    """The signed-in host asking; sign in first (302) or 403 (audited) for anyone else."""
    user = _signed_in()
    if user is None:
        abort(Response(status=302, headers={"Location": f"/login?next={request.path}"}))
    if not user.kan_vaere_vaert:
        audit.log("adgang_naegtet", user.brugernavn, request.path, request.remote_addr)
        abort(page("side.html", gettext("Ingen adgang"), 403, gettext(
            "Kun redaktionen, administratorer og demo-værter kan starte en visning, som andre følger.")))
    return user


def _checked_form() -> None:
    """A form's CSRF token must be valid, else a 400 page."""
    if not EmptyForm().validate_on_submit():
        abort(page("side.html", gettext("Følg mig"), 400, gettext("Formularen er udløbet. Gå tilbage, og prøv igen.")))


def _ukendt() -> Response:
    return page("side.html", gettext(UKENDT[0]), 404, gettext(UKENDT[1]))


def opslag(kode: str, klient: str) -> visninger.Tilstand | int | None:
    """The running session `kode` as the client at address `klient` asks for it: its state, read once (it may end
    between two reads); None when there is none (a code never given out is counted as a guess); or, for a client
    that has guessed too often, the whole seconds it must wait."""
    found = visninger.normaliseret(kode)
    wait = kodegaet.GAET.vent(klient, found or kode)
    if wait:
        return wait
    state = visninger.tilstand(found) if found else None
    if state is not None:
        kodegaet.GAET.fundet(klient, state.kode)
    elif found is None or not visninger.udstedt(found):
        kodegaet.GAET.forkert(klient)
    return state


def _live_state(kode: str) -> visninger.Tilstand:
    """The live session's state, or the 404 page, or 429 for a client that has guessed too often."""
    state = opslag(kode, request.remote_addr or "")
    if isinstance(state, int):
        abort(refused("side.html", gettext("For mange forsøg"), throttle.Decision(False, retry_after=state)))
    if state is None:
        abort(_ukendt())
    return state


def _fra_henviser() -> str:
    """The public page the host came from (the Referer, same site only), else the front page."""
    parts = urlsplit(request.referrer or "")
    adresse = parts.path + (f"?{parts.query}" if parts.query else "")
    return (parts.netloc == request.host and offentlig(adresse)) or "/"


@foelg.get("/foelg")
def vaertside():
    """The host's page; its start form carries the page the host came from, where the session begins."""
    user = _vaert()
    return page("foelg.html", gettext("Følg mig"), session=visninger.aktiv(user.id), form=EmptyForm(),
                fra=_fra_henviser(), seeradresse=request.host_url.rstrip("/"))


@foelg.post("/foelg")
def start():
    user = _vaert()
    _checked_form()
    session = visninger.start(user.id, offentlig(request.form.get("fra")) or "/")
    audit.log("foelg_start", user.brugernavn, session.kode, request.remote_addr)
    return redirect("/foelg")


@foelg.post("/foelg/<kode>/stop")
def stop(kode: str):
    user = _vaert()
    _checked_form()
    if not visninger.stop(visninger.normaliseret(kode) or "", user.id):
        return _ukendt()
    audit.log("foelg_stop", user.brugernavn, kode.upper(), request.remote_addr)
    return redirect("/foelg")


@foelg.get("/foelg/vaert")
def vaert_tilstand():
    """The host's running session for the host's browser: its code and a CSRF token to report with; 204 if none."""
    user = _signed_in()
    session = visninger.aktiv(user.id) if user is not None and user.kan_vaere_vaert else None
    if session is None:
        return Response(status=204)
    response = jsonify({"kode": session.kode, "csrf": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response


@foelg.post("/foelg/<kode>/tilstand")
def vis(kode: str):
    """The host shows a page: JSON {adresse}; the session's new state, or 400/403/404 with a message."""
    user = _signed_in()
    if user is None or not user.kan_vaere_vaert:
        return jsonify({"fejl": gettext("Kun oplægsholderen kan styre visningen.")}), 403
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except (ValidationError, CSRFError):
        return jsonify({"fejl": gettext("Sikkerhedsnøglen mangler eller er udløbet. Genindlæs siden.")}), 400
    body = guard.json_body()
    adresse = offentlig(body.get("adresse") if isinstance(body, dict) else None)
    if adresse is None:
        return jsonify({"fejl": gettext("Kun offentlige sider kan vises for seerne.")}), 400
    state = visninger.vis(visninger.normaliseret(kode) or "", user.id, adresse)
    if state is None:
        return jsonify({"fejl": gettext("Visningen findes ikke, eller den er ikke din.")}), 404
    return jsonify({"version": state.version, "adresse": state.adresse})


def tilstand(kode: str, if_none_match: str | None, klient: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """The state viewers poll, as the client at address `klient` asks for it, as WSGI status, headers and body: tiny
    JSON, the address in the active language, an ETag per version, revalidated on every poll (a 304 when unchanged);
    a JSON 404 for an unknown, stopped or expired code, a JSON 429 for a client that has guessed too often."""
    state = opslag(kode, klient)
    if isinstance(state, int):
        return ("429 TOO MANY REQUESTS", [("Content-Type", "application/json"), ("Retry-After", str(state))],
                json.dumps({"fejl": gettext(FOR_MANGE)}).encode())
    if state is None:
        return ("404 NOT FOUND", [("Content-Type", "application/json"), ("Cache-Control", "no-cache")],
                json.dumps({"fejl": gettext(UKENDT_KORT)}).encode())
    etag = f"{state.kode}.{state.version}"
    headers = [("ETag", quote_etag(etag)), ("Cache-Control", "no-cache")]
    if parse_etags(if_none_match).contains(etag):
        return "304 NOT MODIFIED", headers, b""
    body = json.dumps({"version": state.version, "adresse": sprog.adresse(state.adresse)}).encode()
    return "200 OK", [*headers, ("Content-Type", "application/json")], body


@foelg.get("/foelg/<kode>/tilstand")
def tilstand_med_cookie(kode: str):
    """The poll of a browser with a session cookie (the others are answered by `install`'s fast path): refused
    when it is signed in, so no follower sees the pages with a user's rights."""
    if _signed_in() is not None:
        return jsonify({"fejl": " ".join(map(gettext, LOGGET_IND))}), 403
    status, headers, body = tilstand(kode, request.headers.get("If-None-Match"), request.remote_addr or "")
    return Response(body, status=status, headers=headers)


@foelg.get("/foelg/<kode>")
def seer(kode: str):
    """The viewers' entry: the page assets/foelg.js starts following from, for an anonymous browser only."""
    state = _live_state(kode)
    if _signed_in() is not None:
        return page("side.html", gettext(LOGGET_IND[0]), 403, gettext(LOGGET_IND[1]))
    return page("foelg_seer.html", gettext("Du følger {kode}").format(kode=state.kode), kode=state.kode,
                maal=sprog.adresse(state.adresse))


def install(server: Flask, security_headers: Callable[[], dict[str, str]]) -> None:
    """The routes, and the viewers' poll answered before the rest of the app: a GET of `/foelg/<kode>/tilstand`
    (or `/en/foelg/<kode>/tilstand`, answered in English) without a session cookie needs no release pinned, no page
    guard, no Flask (a third of the work per poll), and gets the app's security headers. A request to a host the app
    does not serve (TRUSTED_HOSTS, web/links.py) is left to the app, which refuses it. Call it after every other WSGI
    wrapper is installed, so it is the outermost."""
    server.register_blueprint(foelg)
    inner = server.wsgi_app
    cookie = f"{server.config['SESSION_COOKIE_NAME']}="

    def polls_first(environ, start_response):
        language, path = sprog.sprog_i_sti(environ.get("PATH_INFO", ""))
        match = POLL.fullmatch(path)
        if match is None or environ.get("REQUEST_METHOD") != "GET" or cookie in environ.get("HTTP_COOKIE", "") \
                or not _served_host(environ, server.config["TRUSTED_HOSTS"]):
            return inner(environ, start_response)
        with sprog.brug(language):
            status, headers, body = tilstand(match[1], environ.get("HTTP_IF_NONE_MATCH"),
                                             environ.get("REMOTE_ADDR", ""))
        start_response(status, [*headers, ("Content-Length", str(len(body))), *security_headers().items()])
        return [body]

    server.wsgi_app = polls_first


def _served_host(environ, trusted_hosts: list[str]) -> bool:
    try:
        get_host(environ, trusted_hosts)
    except SecurityError:
        return False
    return True
