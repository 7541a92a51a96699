"""The caching contract, attacked: a kept render (web/rendercache.py) never shows one viewer what another may see,
nor anything about the person who happened to ask first.

Every registered page (the list comes from Dash's page registry, not from this file) is rendered by viewers whose
rights differ (anonymous; a reader granted Personale; a reader granted nothing, whose scope is the anonymous one)
and by two readers with the same rights but different names and municipalities. Each viewer's answer when others
asked first, with the cache shared, must be byte for byte what that viewer gets from an empty cache: so no kept body
crosses a scope, and nothing in a kept body depends on the user beyond the scope.
"""
from __future__ import annotations

import re

import dash
import pytest

from components.light import html
from kdk import sprog
from kdk.auth import users
from kdk.queries import temaer
from kdk.queries.scope import ANONYMOUS
from tests.dash_http import call
from tests.test_auth import GOOD, sign_in
from web import guard, viewer

RESTRICTED = "ubu"   # the restricted data area of the shipped sources
READERS = {"anna": ("101", {RESTRICTED}), "anders": ("147", {RESTRICTED}), "bo": ("101", set())}
ORDER = ("anonym", "anna", "anders", "bo", "anonym", "anders")   # each scope asked before and after the others


def template_values() -> dict[str, list[str]]:
    """Values for the pages' path templates: public ones and, where a path names a figure, a restricted one."""
    return {"kode": ["101"], "slug": list(temaer.temaer(ANONYMOUS)["slug"][:1]),
            "noegletal_id": ["befolkning.indbyggere", f"{RESTRICTED}.anbragte"]}


def addresses(app) -> list[tuple[str, str]]:
    """(path, query) of every registered page, with and without a restricted data area where the page reads one."""
    if not app.callback_map:
        app.server.test_client().get("/")
    with app.server.test_request_context("/"):
        values = template_values()
    found = []
    for page in dash.page_registry.values():
        template = page.get("path_template")
        paths = [page["path"]] if not template else [
            re.sub(r"<(\w+)>", lambda m, v=v: v, template) for name in re.findall(r"<(\w+)>", template)
            for v in values[name]]
        for path in paths:
            found += [(path, ""), (path, f"?omraade={RESTRICTED}")]
    return found


@pytest.fixture
def viewers(app, userdb):
    """A signed-in test client for each reader, and one for the anonymous viewer."""
    clients = {"anonym": app.server.test_client()}
    for name, (kommune, areas) in READERS.items():
        users.add(name, GOOD, "laeser", kommune, areas)
        clients[name] = app.server.test_client()
        assert sign_in(clients[name], name).status_code == 302
    return clients


def page(client, app, path: str, search: str) -> bytes:
    r = call(client, app, {"_pages_location.pathname": path, "_pages_location.search": search})
    assert r.status_code == 200, r.data[:300]
    return r.data


def assert_kept_renders_follow_the_scope(app, viewers, path, search):
    renders = app.server.extensions["kdk.renders"]
    fresh = {}
    for name in dict.fromkeys(ORDER):
        renders.clear()
        fresh[name] = page(viewers[name], app, path, search)
    renders.clear()
    for name in ORDER:
        assert page(viewers[name], app, path, search) == fresh[name], f"{name} got another's render of {path}{search}"


def test_no_page_serves_a_kept_render_across_scopes_or_users(app, viewers):
    pages = addresses(app)
    assert ("/kommune/101", f"?omraade={RESTRICTED}") in pages and ("/", "") in pages
    for path, search in pages:
        assert_kept_renders_follow_the_scope(app, viewers, path, search)


def test_the_shell_is_never_served_to_another_user(app, viewers):
    fresh = {}
    for name in dict.fromkeys(ORDER):
        app.server.extensions["kdk.renders"].clear()
        fresh[name] = viewers[name].get("/_dash-layout").data
    app.server.extensions["kdk.renders"].clear()
    for name in ORDER:
        assert viewers[name].get("/_dash-layout").data == fresh[name]
    assert b"anna" in fresh["anna"] and b"anna" not in fresh["anders"]


def test_a_kept_page_that_reads_the_signed_in_user_is_caught(app, viewers, monkeypatch):
    """A future page author writes the reader's name into a kept page: the name of whoever asked first must not
    reach the next reader with the same rights."""
    theme = next(p for p in dash.page_registry.values() if p["module"] == "pages.tema")
    real = theme["layout"]

    def personal(slug=None, kommune=None, **_):
        user = viewer.user()
        return html.Div([real(slug=slug, kommune=kommune), html.P(user.brugernavn if user else "anonym")])

    monkeypatch.setitem(theme, "layout", personal)
    slug = temaer.temaer(ANONYMOUS)["slug"][0]
    assert_kept_renders_follow_the_scope(app, viewers, f"/tema/{slug}", "?kommune=101")


def test_a_render_is_kept_only_for_a_page_that_declares_it(app, client, monkeypatch):
    """Whether a page's render is kept is said at its registration (`keep=`), never by its URL: a page under
    /temaer or /noegletal that does not declare it is rendered anew for every viewer."""
    def mark(path, search):
        return call(client, app, {"_pages_location.pathname": path, "_pages_location.search": search}
                    ).headers["Server-Timing"].split(", ")[-1]

    app.server.extensions["kdk.renders"].clear()
    for path, search in addresses(app):
        declared = "keep" in guard.page_for(path)[0] if guard.page_for(path) else False
        mark(path, search)
        assert (mark(path, search) == "cache;desc=hit") <= declared, f"{path}{search} is kept undeclared"
    themes = next(p for p in dash.page_registry.values() if p["path"] == "/temaer")
    monkeypatch.delitem(themes, "keep", raising=False)
    for _ in range(2):
        assert mark("/temaer", "").startswith("app;dur="), "an undeclared page under /temaer is kept"


def test_the_warm_up_renders_what_the_kept_pages_declare(app):
    """The warm-up list is derived from the pages' declarations: each address it renders is of a page that may be
    kept, and a page that declares nothing to warm adds nothing."""
    from web import warmup

    with app.server.test_request_context("/"):
        listed = warmup.addresses()
    assert listed[0] == ("/", "", ANONYMOUS) and ("/kommune/101", "", ANONYMOUS) in listed
    english = [(path, search) for path, search, _ in listed if sprog.sprog_i_sti(path)[0] == "en"]
    assert english == [("/en/", ""), ("/en/kommune/101", "")], "the front page and a profile, in English too"
    assert listed.index(("/en/kommune/101", "", ANONYMOUS)) < listed.index(("/kommune/101", "?omraade=skole",
                                                                           ANONYMOUS)), "before the next rank"
    assert all("keep" in guard.page_for(path)[0] for path, _, _ in listed)
    assert not any(path == "/temaer" or path.startswith("/noegletal") for path, _, _ in listed)


def test_a_cached_answer_cannot_be_changed_by_one_caller_for_the_next(app):
    """Cached query answers are shared by every request: a caller that changes one (a list of years, a row) gets
    an error, and the next caller gets the answer as it was."""
    from kdk.queries import noegletal, omraader, profil

    with app.server.test_request_context("/"):
        years, areas = noegletal.aar(ANONYMOUS), omraader.dataomraader(ANONYMOUS)
        for change in (lambda: years.append("1900"), lambda: years.reverse(),
                       lambda: areas[0].update(kode="x"), lambda: areas[0].pop("kode")):
            with pytest.raises((AttributeError, TypeError)):
                change()
        assert "1900" not in noegletal.aar(ANONYMOUS) and noegletal.aar(ANONYMOUS) == years
        assert omraader.dataomraader(ANONYMOUS)[0]["kode"] != "x"
        rows = profil.profil(ANONYMOUS, "101", years[-1], tuple(a["kode"] + ".x" for a in areas) + (
            "befolkning.indbyggere",))
        with pytest.raises(TypeError):
            rows[0]["vaerdi"] = -1


def test_one_call_forgets_every_kept_answer_and_render(app, client):
    """Query answers and rendered pages are kept by one cache implementation, all registered: `clear_all` empties
    every one of them, as a new release makes them stale."""
    from kdk.queries.cache import ANSWERS, clear_all

    def mark():
        return call(client, app, {"_pages_location.pathname": "/kommune/151", "_pages_location.search": ""}
                    ).headers["Server-Timing"].split(", ")[-1]

    mark()
    assert mark() == "cache;desc=hit" and ANSWERS.stats()[0] > 0
    clear_all()
    assert ANSWERS.stats() == (0, 0) and app.server.extensions["kdk.renders"].stats() == (0, 0)
    assert mark() == "cache;desc=miss"
