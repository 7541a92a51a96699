"""One word, one meaning (docs/ordliste.md): an address keeps working when a page's parameter is renamed to follow
the glossary; one demo badge; one rule for whether a cell's value is shown."""
from __future__ import annotations

import json

import pytest

from kdk import status as regel
from tests.dash_http import nodes, render

OLD = "/sammenligning?kommune=101&omraade=skole&k=5&fane=matrice"
NEW = "/sammenligning?kommune=101&sammenligningsomraade=skole&k=5&fane=matrice"


def state(client, app, url: str) -> dict:
    """The state the comparison page keeps for `url` (what its controls show)."""
    path, _, query = url.partition("?")
    page = json.loads(render(client, app, path, "?" + query))
    return next(n["props"]["data"] for n in nodes(page) if n["props"].get("id") == "sammenligning-kontekst")


def test_an_old_comparison_link_is_moved_permanently_to_the_same_view(client, app):
    r = client.get(OLD)
    assert r.status_code in (301, 308) and r.headers["Location"] == NEW
    assert client.get(NEW).status_code == 200
    assert state(client, app, NEW) == {"kommune": "101", "sammenligningsomraade": "skole", "k": "5",
                                       "fane": "matrice", "aar": state(client, app, NEW)["aar"]}


def test_the_profile_links_to_a_comparison_by_the_new_name(client, app):
    profile = render(client, app, "/kommune/101", "?omraade=skole")
    assert "/sammenligning?kommune=101&sammenligningsomraade=" in profile


@pytest.mark.parametrize("path, search", [("/kommune/101", "?omraade=skole"), ("/tema/boern-og-unge", "?kommune=860"),
                                          ("/noegletal", ""), ("/noegletal/skole.karakter", "")])
def test_every_demo_badge_says_the_same_and_explains_itself(client, app, path, search):
    page = json.loads(render(client, app, path, search))
    badges = [n["props"] for n in nodes(page) if "maerke demo" in str(n["props"].get("className"))]
    assert badges and all(b == {"children": "Demodata", "className": "maerke demo",
                                "title": "Genererede demodata, ikke officiel statistik"} for b in badges), badges


@pytest.mark.parametrize("status, vaerdi, shown", [
    ("normal", 3.4, True), ("foreloebig", 0.0, True), ("estimat", -1.0, True),
    ("normal", None, False), ("normal", float("nan"), False), ("diskretioneret", None, False),
    ("diskretioneret", 3.0, False), ("mangler", 2.0, False), ("ukendt", 1.0, False)])
def test_a_cell_is_shown_only_with_a_published_status_and_a_value(status, vaerdi, shown):
    assert regel.vises(status, vaerdi) is shown
    assert regel.kendt(vaerdi) is not (vaerdi is None or vaerdi != vaerdi)


def test_the_data_status_badges_are_the_same_badge_with_its_explanation(client, app):
    """/datastatus marks figures, areas and sources partly generated too ("Delvist demodata (3 af 8)"): the same
    badge, with the same explanation on hover, as every other page."""
    page = json.loads(render(client, app, "/datastatus", ""))
    badges = [n["props"] for n in nodes(page) if str(n["props"].get("className")).startswith("maerke ")
              and n["props"]["className"] != "maerke revideret"]
    texts = {b["children"] for b in badges}
    assert {"Demodata", "Rigtige data"} <= texts and any(t.startswith("Delvist demodata (") for t in texts), texts
    assert all(b["title"] for b in badges), [b for b in badges if not b.get("title")]
    assert all(b["className"] == ("maerke rigtig" if b["children"] == "Rigtige data" else "maerke demo")
               for b in badges), badges
