"""The English site over HTTP (issue 24): every page at `/en/…` says `<html lang="en">` while `/` stays Danish;
`Accept-Language` decides only a first visit to `/`; Dash's requests, which carry no language in their path, are
answered in the language of the page they serve (the router's pathname, else the Referer), and the render cache
cannot hand one language's page to the other."""
from __future__ import annotations

import html
import inspect
import json
import re

import pytest

from kdk import sprog
from tests.dash_http import call, find_figure

ENGLISH_BROWSER = {"Accept-Language": "en-GB,en;q=0.9"}
DANISH_BROWSER = {"Accept-Language": "da-DK,da;q=0.9,en;q=0.8"}
# Every page a visitor reaches, with values that draw it (the Dash pages and the Flask pages outside Dash).
PAGES = ["/", "/kommune/101", "/kommune/101?omraade=skole", "/kommune/101?visning=praesentation",
         "/kommune/101/nyt", "/sammenligning?kommune=101", "/sammenligning?kommune=101&fane=matrice", "/noegletal",
         "/noegletal/skole.karakter", "/tabel?noegletal=skole.karakter&kommune=101,751", "/temaer",
         "/tema/rekruttering?kommune=101", "/datastatus", "/brug-i-excel", "/login", "/api/dokumentation",
         "/indlejr/skole.karakter/udvikling"]


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True))[1]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_served_in_english_under_en_and_in_danish_at_its_own_address(client, path):
    english = client.get("/en" + path)
    assert english.status_code == 200 and html_lang(english) == "en"
    danish = client.get(path)
    assert danish.status_code == 200 and html_lang(danish) == "da"


@pytest.mark.parametrize("path", ["/en", "/en/"])
def test_the_english_front_page_is_at_en_with_or_without_the_slash(client, path):
    r = client.get(path)
    assert r.status_code == 200 and html_lang(r) == "en"
    drawn = route(client, path, referer="/")
    assert '"href": "/en/kommune/' in drawn and '"href": "/kommune/' not in drawn


def test_a_page_that_does_not_exist_is_a_404_in_english_too(client):
    r = client.get("/en/findes-ikke")
    assert r.status_code == 404 and html_lang(r) == "en"


def test_an_english_browser_is_sent_to_english_on_its_first_visit_only(client):
    first = client.get("/", headers=ENGLISH_BROWSER)
    assert first.status_code == 302 and first.headers["Location"] == "/en/"
    assert "Accept-Language" in first.headers["Vary"]
    again = client.get("/", headers=ENGLISH_BROWSER)   # the visit is remembered: Danish is chosen at /
    assert again.status_code == 200 and html_lang(again) == "da"


def test_a_shared_front_page_address_keeps_its_query_for_an_english_browser(client):
    """A host's link to the front page in the presentation view, with a key figure chosen, opened by a first visitor
    whose browser prefers English: the English front page in the same view, with the same key figure."""
    r = client.get("/?noegletal=personale.sygefravaer_dage&visning=praesentation", headers=ENGLISH_BROWSER)
    assert r.status_code == 302
    assert r.headers["Location"] == "/en/?noegletal=personale.sygefravaer_dage&visning=praesentation"


def test_a_visit_to_the_english_front_page_is_remembered_too(client):
    """One who came to /en/ and switches to Danish is not sent back to English."""
    assert client.get("/en/", headers=ENGLISH_BROWSER).status_code == 200
    danish = client.get("/", headers=ENGLISH_BROWSER)
    assert danish.status_code == 200 and html_lang(danish) == "da"


@pytest.mark.parametrize("languages", ["da-DK,da;q=0.9,en;q=0.8", "da", "nb-NO,nb;q=0.9", ""])
def test_a_browser_that_does_not_prefer_english_gets_the_danish_front_page(client, languages):
    r = client.get("/", headers={"Accept-Language": languages})
    assert r.status_code == 200 and html_lang(r) == "da" and "Accept-Language" in r.headers["Vary"]


def test_accept_language_decides_nothing_but_the_front_page(client):
    assert client.get("/kommune/101", headers=ENGLISH_BROWSER).status_code == 200   # a link shared is followed
    assert html_lang(client.get("/kommune/101", headers=ENGLISH_BROWSER)) == "da"
    assert client.get("/en/", headers=DANISH_BROWSER).status_code == 200          # and a chosen language kept
    assert html_lang(client.get("/en/kommune/101", headers=DANISH_BROWSER)) == "en"


def test_a_redirect_from_an_english_page_stays_english(client):
    r = client.get("/en/foelg")   # needs a sign-in
    assert r.status_code == 302 and r.headers["Location"].startswith("/en/login")


def from_page(client, referer: str | None) -> None:
    """The client's next requests come from the page at `referer` on this site (None: from nowhere)."""
    if referer is None:
        client.environ_base.pop("HTTP_REFERER", None)
    else:
        client.environ_base["HTTP_REFERER"] = f"http://localhost{referer}"


def route(client, path: str, search: str = "", referer: str | None = None) -> str:
    """The router's answer for `path` as JSON text, sent from the page at `referer`."""
    return routed(client, path, search, referer)[0]


def routed(client, path: str, search: str = "", referer: str | None = None) -> tuple[str, str]:
    """The router's answer for `path` as JSON text, and its Server-Timing (which says whether it was kept)."""
    from_page(client, referer)
    r = call(client, client.application.extensions["kdk.dash"],
             {"_pages_location.pathname": path, "_pages_location.search": search})
    assert r.status_code == 200, r.data[:300]
    return json.dumps(r.get_json(), ensure_ascii=False), r.headers.get("Server-Timing", "")


def looks_english(drawn: str) -> bool:
    """Whether a rendered profile of Copenhagen is English: its links lead to English pages and its numbers have
    English separators (the population, 6 digits)."""
    return '"href": "/en/kommune/101/nyt"' in drawn and re.search(r'"\d{3},\d{3} \(\d{4}\)"', drawn) is not None


def looks_danish(drawn: str) -> bool:
    return '"href": "/en/' not in drawn and re.search(r'"\d{3}\.\d{3} \(\d{4}\)"', drawn) is not None


def test_the_render_cache_keeps_each_language_to_its_own_address(client):
    # Each page asked for first from a page in the other language (a language switch): the address decides.
    assert looks_english(route(client, "/en/kommune/101", referer="/kommune/101"))
    assert looks_danish(route(client, "/kommune/101", referer="/en/kommune/101"))
    # Asked again from anywhere, each is the kept render of its own address.
    for referer in ("/kommune/101", "/en/kommune/101", None):
        drawn, timing = routed(client, "/en/kommune/101", referer=referer)
        assert looks_english(drawn) and "cache;desc=hit" in timing
        drawn, timing = routed(client, "/kommune/101", referer=referer)
        assert looks_danish(drawn) and "cache;desc=hit" in timing


def shell(client, referer: str):
    return client.get("/_dash-layout", headers={"Referer": f"http://localhost{referer}"})


def switch(layout: dict) -> dict:
    """The language switch's props, with `name` the language it names (what a screen reader reads)."""
    props = next(n["props"] for n in nodes(layout) if "sprogskift" in n["props"].get("className", ""))
    return {**props, "name": next(n["props"]["children"] for n in nodes(props["children"])
                                  if n["props"].get("className") == "sprog-navn")}


def nodes(tree):
    if isinstance(tree, dict):
        if "props" in tree:
            yield tree
        for value in tree.values():
            yield from nodes(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from nodes(value)


def test_the_shell_is_drawn_in_the_language_of_the_page_it_frames(client):
    english = shell(client, "/en/kommune/101?omraade=skole")
    assert switch(english.get_json()) == {**switch(english.get_json()), "name": "Dansk", "hrefLang": "da",
                                          "href": "/", "title": "See this page in Danish"}
    shown = json.dumps(english.get_json(), ensure_ascii=False)
    assert '"href":"/en/"' in shown.replace(" ", "") and '"href":"/api/dokumentation?lang=en"' in shown.replace(" ", "")
    danish = shell(client, "/kommune/101")
    assert switch(danish.get_json())["name"] == "English" and switch(danish.get_json())["href"] == "/en/"
    assert "/en/" not in json.dumps(danish.get_json()).replace('"/en/"', "")   # only the switch leads to English
    # One address, two answers: a cache between the browser and the app must tell them apart.
    for response in (english, danish):
        assert "Referer" in response.headers["Vary"]


def test_a_shell_asked_for_from_another_site_is_danish(client):
    r = client.get("/_dash-layout", headers={"Referer": "https://example.org/en/kommune/101"})
    assert switch(r.get_json())["name"] == "English"


def trend(client, referer: str) -> dict:
    """The key figure page's trend callback (not the router) for two municipalities, from a page at `referer`."""
    answer = trend_answer(client, referer)
    assert "response" in answer, answer
    return answer["response"]


def trend_answer(client, referer: str) -> dict:
    from_page(client, referer)
    r = call(client, client.application.extensions["kdk.dash"],
             {"noegletal-kommuner.value": ["101", "751"], "noegletal-skala.value": "niveau",
              "noegletal-url.search": ""},
             {"noegletal-kontekst.data": {"noegletal_id": "befolkning.indbyggere", "aar": "2024"},
              "noegletal-valg.data": {"kommuner": [], "skala": "niveau"}, "_pages_location.search": ""},
             "noegletal-kommuner.value")
    assert r.status_code == 200, r.data[:300]
    return r.get_json()


def test_a_callback_from_an_english_page_answers_in_english(client):
    english = find_figure(trend(client, "/en/noegletal/befolkning.indbyggere"))
    danish = find_figure(trend(client, "/noegletal/befolkning.indbyggere"))
    assert english["layout"]["separators"] == ".," and danish["layout"]["separators"] == ",."


@pytest.mark.parametrize(("path", "target"), [("/en/en/kommune/101?omraade=skole", "/en/kommune/101?omraade=skole"),
                                              ("/en/en/", "/en/"), ("/en/en", "/en/")])
def test_a_doubled_language_prefix_leads_to_the_page_once(client, path, target):
    """/en/en/… is no page: it is sent to the English page it means, never drawn as a 404 answered with a 200."""
    r = client.get(path)
    assert r.status_code == 308 and r.headers["Location"] == target
    assert client.get(target).status_code == 200


@pytest.mark.parametrize("path", ["/en/en//evil.example/x", "/en/en/%2Fevil.example", "/en/en///evil.example"])
def test_a_doubled_language_prefix_never_sends_a_visitor_to_another_site(client, path):
    """An attacker's link /en/en//evil.example must not become a redirect to //evil.example (another host)."""
    location = client.get(path).headers.get("Location", "")
    assert not location.startswith("//") and "://" not in location, location


def test_a_failing_callback_on_an_english_page_says_so_in_english(client, monkeypatch):
    def broken(*_args):
        raise RuntimeError("a bug")

    # The app's own callback, not `pages.noegletal_side`: each Dash app made since runs the page modules again, so
    # that name may be a newer module than the one this app calls.
    dash_app = client.application.extensions["kdk.dash"]
    callback = next(v["callback"] for k, v in dash_app.callback_map.items() if "noegletal-udvikling.figure" in k)
    monkeypatch.setitem(inspect.unwrap(callback).__globals__, "udvikling", broken)
    english = json.dumps(trend_answer(client, "/en/noegletal/befolkning.indbyggere"))
    assert "the view could not be updated" in english and "Der opstod" not in english
    assert "Der opstod en fejl" in json.dumps(trend_answer(client, "/noegletal/befolkning.indbyggere"),
                                              ensure_ascii=False)


def test_a_pages_registered_name_title_and_description_are_translated(client):
    """What a page registers with Dash (its name in the navigation, its title, the description that search engines
    and link previews show) is a Danish text translated where it is shown."""
    description, name = "Nøgletal for Danmarks kommuner på et kort.", "Sammenligning"
    title = "Temaer – Kend din kommune"
    with sprog.brug("en"):
        english = {text: sprog.gettext(text) for text in (description, name, title)}
    assert all(english[text] != text for text in english)   # the catalogue translates them
    front = client.get("/en/").get_data(as_text=True)
    assert f'<meta name="description" content="{html.escape(english[description])}">' in front
    assert f'content="{description}"' in client.get("/").get_data(as_text=True)
    assert f'<meta property="og:title" content="{english[title]}">' in client.get("/en/temaer").get_data(as_text=True)
    assert json.loads(route(client, "/en/temaer"))["response"]["_pages_store"]["data"]["title"] == english[title]
    navigation = [n["props"]["children"] for n in nodes(shell(client, "/en/").get_json())
                  if isinstance(n["props"].get("id"), dict) and n["props"]["id"].get("type") == "hovednav"]
    assert english[name] in navigation and name not in navigation


def test_viewers_follow_a_host_in_their_own_language(app, client, sqlite_userdb):
    """The page a host shows reaches each viewer in the language the viewer follows in, whichever the host's."""
    from tests.test_foelg import memo_passes, report, start_session

    host, kode, token = start_session(app)
    assert report(host, kode, token, "/en/kommune/101?omraade=skole&visning=praesentation&trin=2").status_code == 200
    memo_passes()
    english = client.get(f"/en/foelg/{kode}/tilstand").get_json()["adresse"]
    assert english == "/en/kommune/101?omraade=skole&visning=praesentation&trin=2"
    assert html_lang(client.get(english)) == "en"
    assert client.get(f"/foelg/{kode}/tilstand").get_json()["adresse"] == \
        "/kommune/101?omraade=skole&visning=praesentation&trin=2"


def test_a_chart_embedded_from_an_english_page_is_english(client):
    """The embed address a chart offers (`data-indlejr`, to which assets/deling.js adds the page's address) keeps the
    page's language, and so does the embed's link back."""
    drawn = route(client, "/en/kommune/101", "?omraade=skole")
    embeds = re.findall(r'"data-indlejr": "([^"]*)"', drawn)
    assert embeds and all(e.startswith("/en/indlejr/") for e in embeds), embeds
    embed = client.get(embeds[0] + "/en/kommune/101?omraade=skole")
    assert embed.status_code == 200 and html_lang(embed) == "en"
    assert 'href="http://localhost/en/kommune/101?omraade=skole"' in embed.get_data(as_text=True)
    danish = route(client, "/kommune/101", "?omraade=skole")
    assert all(e.startswith("/indlejr/") for e in re.findall(r'"data-indlejr": "([^"]*)"', danish))
