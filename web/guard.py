"""The request guard: page URLs and Dash callback payloads are checked before Dash sees them.

- A page URL (GET or HEAD) must match a registered page, and its path and query values must pass the page's own
  `validate` function (registered with the page); otherwise the response is Dash's page shell with
  HTTP 404 or 400, and the page renders the same message, in the page's language, in the browser.
- A callback POST must be well-formed JSON naming a registered server callback with exactly its outputs, inputs
  and states, in its order, each value of the type the callback's parameter is annotated with (checked strictly by
  pydantic; the router's URL parts as text); otherwise 400 with a short JSON message. Dash never sees a malformed
  payload. Its message is in the language of the page that sent it (web/sprog.py).
- Every page also takes the presentation view (`visning=praesentation`, components/praesentation.py) and, in it,
  the step shown (`trin`, 0–999), checked here with the page's own values (`shared_problem`).
- A page URL that uses a query parameter the page has renamed (registered as `omdoebt={"old": "new"}`) is
  answered with a permanent redirect (308) to the same view under the new name, so old links keep working.
- Any other error is logged in English and answered with a page (or JSON, for the API and Dash's calls) in the
  request's language, never a stack trace.
"""
from __future__ import annotations

import difflib
import functools
import inspect
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

import dash
from flask import Flask, Response, jsonify, redirect, request
from pydantic import TypeAdapter, ValidationError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from kdk import sprog
from kdk.sprog import N_, gettext

log = logging.getLogger(__name__)

OPEN_PREFIXES = ("/_dash-", "/_reload-hash", "/_favicon", "/assets/", "/favicon.ico")

# What a callback input's value must be, where the callback's code relies on it: the router's URL parts (Dash's
# router raises on a pathname that is not a path).
VALUE_CHECKS = {"_pages_location.pathname": lambda v: isinstance(v, str) and v.startswith("/"),
                "_pages_location.search": lambda v: v is None or isinstance(v, str)}

MAX_GYLDIGE, NAERMESTE = 12, 5   # valid values listed in full; of more, the nearest few


@dataclass(frozen=True)
class Problem:
    """What is wrong with a page's address: its HTTP status and the message the page shows (title, text), in the
    active language."""
    status: int
    titel: str
    tekst: str
    forslag: tuple[tuple[str, str], ...] = ()   # (text, address) of pages near the one asked for


class FastProblem(Problem):
    """A problem whose title and text are fixed texts (marked with N_, kept in a module-level constant), read in the
    language active where they are shown."""

    def __getattribute__(self, name: str):
        value = super().__getattribute__(name)
        return gettext(value) if name in ("titel", "tekst") else value


def naermeste(vaerdi, gyldige: Iterable[str], antal: int = NAERMESTE) -> list[str]:
    """The valid values nearest to `vaerdi`: by size among numbers (years, codes), else by spelling."""
    gyldige = list(gyldige)
    text = str(vaerdi)
    if text.isascii() and text.isdigit() and all(v.isascii() and v.isdigit() for v in gyldige):
        return sorted(gyldige, key=lambda v: (abs(int(v) - int(text)), v))[:antal]
    return difflib.get_close_matches(text, gyldige, n=antal, cutoff=0.0)


def forslag(vaerdi, navne: dict[str, str], adresse: str) -> tuple[tuple[str, str], ...]:
    """Links to the pages nearest to the one asked for by `vaerdi`: `navne` maps each valid id to its name; a value
    is matched to the ids (by size among numbers) and to the names (by spelling); `adresse` has {} for the id."""
    if str(vaerdi).isascii() and str(vaerdi).isdigit():
        near = naermeste(vaerdi, navne)
    else:
        by_text = {name.lower(): key for key, name in navne.items()} | {key.lower(): key for key in navne}
        near = list(dict.fromkeys(by_text[t] for t in naermeste(str(vaerdi).lower(), by_text, 2 * NAERMESTE)))
    return tuple((f"{navne[key]} ({key})", adresse.format(key)) for key in near[:NAERMESTE])


def ugyldig(navn: str, vaerdi, gyldige: Iterable[str] = (), forklaring: str = "") -> Problem:
    """A bad value of the query parameter `navn`, with what a valid one is (`forklaring`), or the valid values
    (`gyldige`), or the nearest of them when they are many, so the reader can correct the address."""
    gyldige = sorted(set(gyldige))
    if forklaring:
        hjaelp = forklaring
    elif not gyldige:
        hjaelp = gettext("Gå tilbage, eller vælg igen fra siden.")
    elif len(gyldige) <= MAX_GYLDIGE:
        hjaelp = gettext("Gyldige værdier: {vaerdier}.").format(vaerdier=", ".join(gyldige))
    else:
        hjaelp = gettext("Nærmeste gyldige værdier: {vaerdier} ({antal} i alt).").format(
            vaerdier=", ".join(naermeste(vaerdi, gyldige)), antal=len(gyldige))
    tekst = gettext("Værdien «{vaerdi}» er ikke gyldig for «{navn}».").format(vaerdi=vaerdi, navn=navn)
    return Problem(400, gettext("Ugyldig værdi"), f"{tekst} {hjaelp}")


IKKE_FUNDET = FastProblem(404, N_("Siden findes ikke"), N_("Adressen passer ikke til en side i Kend din kommune."))
VISNINGER = ("praesentation",)             # the views every page has besides its ordinary one
SHARED_RENDERED = frozenset({"visning"})   # the query values every page takes that change its render


def _template_regex(template: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", re.escape(template)) + "/?$")


def page_for(path: str) -> tuple[dict, dict[str, str]] | None:
    """The registered page `path` (in either language: /en/… is the English page of /…) shows and the values its
    path template gives, or None (not found)."""
    path = sprog.sprog_i_sti(path)[1]
    for page in dash.page_registry.values():
        if page["module"].endswith("not_found_404"):
            continue
        template = page.get("path_template")
        match = _template_regex(template).match(path) if template else (path == page["path"] or None)
        if match:
            return page, match.groupdict() if template else {}
    return None


def page_problem(path: str, args: dict[str, list[str]]) -> Problem | None:
    """None when `path` with query `args` is a valid page view, else what is wrong with it."""
    found = page_for(path)
    if found is None:
        return IKKE_FUNDET
    page, path_values = found
    validate = single_values(page.get("validate") or (lambda **_: None))
    values = {k: v[0] if len(v) == 1 else v for k, v in args.items()}
    return validate(**path_values, **values) or shared_problem(**values)


def renamed(path: str, args: MultiDict) -> str | None:
    """The address of the same view when the query `args` use a name the page at `path` has renamed, else None."""
    found = page_for(path)
    names = found[0].get("omdoebt", {}) if found else {}
    if not names.keys() & args.keys():
        return None
    return f"{path}?{urlencode([(names.get(k, k), v) for k, v in args.items(multi=True)])}"


def single_values(validate):
    """A page's `validate` that first refuses a query parameter given more than once (a list, as Dash's router
    passes it to the page's layout), so the page's own checks see text only."""
    @functools.wraps(validate)
    def checked(**values) -> Problem | None:
        for name, value in values.items():
            if isinstance(value, list):
                return ugyldig(name, ", ".join(value))
        return validate(**values)
    return checked


@single_values
def shared_problem(visning=None, trin=None, **_) -> Problem | None:
    """What is wrong with the query values every page takes: the view (`visning`, one of VISNINGER) and, only in
    the presentation view, the step shown (`trin`, 0–999; assets/praesentation.js keeps it in the address)."""
    if visning is not None and visning not in VISNINGER:
        return ugyldig("visning", visning, VISNINGER)
    if trin is not None and (visning is None or not re.fullmatch(r"0|[1-9][0-9]{0,2}", trin)):
        return ugyldig("trin", trin)
    return None


def callback_problem(body, callback_map: dict) -> str | None:
    """None when `body` is a well-formed call of a registered callback, else an English reason for the log."""
    if not isinstance(body, dict):
        return "body is not a JSON object"
    output = body.get("output")
    spec = callback_map.get(output) if isinstance(output, str) else None
    if spec is None or "callback" not in spec:   # unknown, or a clientside callback, which runs in the browser only
        return f"unknown callback output {str(output)[:80]!r}"
    outputs = _declared_outputs(output)
    given = body.get("outputs")
    given = given if output.startswith("..") else [given]   # one output is sent as an object, several as a list
    if not isinstance(given, list) or len(given) != len(outputs) or not all(map(_is_declared, given, outputs)):
        return "outputs do not match the callback"
    for key in ("inputs", "state"):
        given = body.get(key, [])
        if not isinstance(given, list) or len(given) != len(spec.get(key, [])):
            return f"{key} do not match the callback"
        for item, declared in zip(given, spec.get(key, [])):
            if not _is_declared(item, declared):
                return f"{key} are not the callback's own ({str(item)[:80]!r})"
    values = [[i.get("value") for i in item] if isinstance(item, list) else item.get("value")
              for item in [*body.get("inputs", []), *body.get("state", [])]]   # a list for a pattern's ALL
    for (name, adapter), value in zip(_parameter_types(spec["callback"]), values):
        try:
            adapter.validate_python(value, strict=True)
        except ValidationError:
            return f"a value of the wrong type for {name} ({str(value)[:80]!r})"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "malformed changedPropIds"
    return None


@functools.cache
def _parameter_types(callback) -> list[tuple[str, TypeAdapter]]:
    """Each of a callback's parameters (by position: its inputs, then its states) with a validator of the type it is
    annotated with; an unannotated parameter takes any value."""
    return [(p.name, TypeAdapter(object if p.annotation is p.empty else p.annotation))
            for p in inspect.signature(callback, eval_str=True).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def _declared_outputs(output: str) -> list[dict]:
    """The outputs a callback map key names: 'id.property', or '..id.property...id.property..' for several."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [dict(zip(("id", "property"), part.rsplit(".", 1))) for part in parts]


def _property(name):
    """A property's name without the '@…' suffix Dash adds to an output that several callbacks may set."""
    return name.split("@")[0] if isinstance(name, str) else name


def _is_declared(item, declared: dict) -> bool:
    """Whether a payload's output, input or state is the one the callback declares at its place, with a value of
    the form the callback relies on: Dash hands them to the callback by position, and the kept renders read them by
    name (web/rendercache.py), so the two must agree. A pattern-matching id (declared as JSON text) is a dict
    fitting the pattern, or a list of them for ALL."""
    prop = _property(declared["property"])
    if str(declared["id"]).startswith("{"):
        pattern = json.loads(declared["id"])
        items = item if isinstance(item, list) else [item]
        return all(isinstance(i, dict) and _fits(i.get("id"), pattern) and _property(i.get("property")) == prop
                   for i in items)
    if not isinstance(item, dict) or item.get("id") != declared["id"] or _property(item.get("property")) != prop:
        return False
    check = VALUE_CHECKS.get(f"{declared['id']}.{declared['property']}")
    return check is None or check(item.get("value"))


def _fits(id_, pattern: dict) -> bool:
    """Whether a component id fits a pattern-matching id: the same keys, the same fixed values, and text, a number or
    a boolean (what Dash allows in an id) where the pattern has a wildcard (ALL, MATCH, ALLSMALLER: a list)."""
    return isinstance(id_, dict) and id_.keys() == pattern.keys() and all(
        isinstance(id_[key], (str, int, float, bool)) if isinstance(value, list) else id_[key] == value
        for key, value in pattern.items())


def json_body():
    """The request's body as JSON, or None when it is not JSON or is nested deeper than Python's parser goes (which
    raises RecursionError, not the ValueError that `silent` turns into None)."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


def install(server: Flask, app: dash.Dash) -> None:
    @server.before_request
    def guard_pages():
        if request.path.startswith("/api/"):
            if isinstance(request.routing_exception, MethodNotAllowed):
                return None   # Flask answers 405
            if request.blueprint is None:   # not an API route (web/api.py, web/apidok.py): Dash's catch-all
                return jsonify({"fejl": gettext("Adressen findes ikke i API'et. Se {dokumentation}.").format(
                    dokumentation=sprog.adresse("/api/dokumentation"))}), 404
            return None
        if request.method not in ("GET", "HEAD") or request.path.startswith(OPEN_PREFIXES) or request.blueprint:
            return None   # Dash's own files, or a Flask route of ours (login, API, downloads)
        moved = renamed(request.path, request.args)
        if moved:
            return redirect(moved, 308)
        problem = page_problem(request.path, request.args.to_dict(flat=False))
        if problem:
            log.info("page request refused (%s): %s", problem.status, request.full_path[:200])
            return Response(app.index(), status=problem.status, mimetype="text/html")
        return None

    @server.before_request
    def guard_callbacks():
        if request.method == "POST" and request.path.endswith("/_dash-update-component"):
            reason = callback_problem(json_body(), app.callback_map)
            if reason:
                log.warning("callback request refused: %s", reason)
                return jsonify({"fejl": gettext("Ugyldig forespørgsel til serveren.")}), 400
        return None

    @server.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _error_response(exc.code or 500, exc.description or "")

    @server.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _error_response(500, "")


FEJLBESKEDER = {400: N_("Forespørgslen er ugyldig."), 403: N_("Du har ikke adgang til siden."),
                404: N_("Siden findes ikke."), 405: N_("Metoden er ikke tilladt."),
                500: N_("Der opstod en fejl på serveren. Prøv igen om lidt.")}


def _error_response(status: int, detail: str):
    """An HTTP error as JSON (the API, Dash's calls) or a small page, in the request's language."""
    message = gettext(FEJLBESKEDER.get(status, N_("Der opstod en fejl.")))
    if request.path.startswith(("/_dash-", "/api/")) or request.accept_mimetypes.best == "application/json":
        return jsonify({"fejl": message}), status
    back = gettext("Gå til forsiden")
    html = (f'<!doctype html><html lang="{sprog.aktivt()}"><meta charset="utf-8"><title>{message}</title>'
            f'<body style="font-family:system-ui;margin:3rem"><h1>{message}</h1>'
            f'<p><a href="{sprog.adresse("/")}">{back}</a></p></body></html>')
    return Response(html, status=status, mimetype="text/html")
