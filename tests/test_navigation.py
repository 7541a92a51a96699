"""Finding one's way, over HTTP as an anonymous visitor (issue 22's navigation): a profile in a year where some key
figures have no value folds them into one-line rows with a count; a catalogue search says how many restricted figures
match without naming them, and one without hits suggests the nearest titles."""
from __future__ import annotations

import json
import re

from tests.dash_http import call, nodes, render


def page(client, app, path: str, search: str = "") -> list[dict]:
    return list(nodes(json.loads(render(client, app, path, search))))


def with_class(tree: list[dict], name: str) -> list[dict]:
    return [n for n in tree if n["props"].get("className") == name]


def cards(tree: list[dict]) -> set[str]:
    return {n["props"]["id"] for n in tree if str(n["props"].get("id", "")).startswith("kort-")}


def test_a_year_without_values_folds_those_figures_into_one_line_rows_with_a_count(client, app):
    assert "kort-befolkning.indbyggere" in cards(page(client, app, "/kommune/751"))

    in_2025 = page(client, app, "/kommune/751", "?aar=2025")
    assert "kort-befolkning.indbyggere" not in cards(in_2025)   # no tall card of dashes
    assert "kort-beskaeftigelse.ledighed" in cards(in_2025)      # a figure with a 2025 value keeps its card
    folded = with_class(in_2025, "uden-tal-raekke")
    text = json.dumps(folded, ensure_ascii=False)
    assert "Indbyggertal" in text and "Ingen tal for 2025 — seneste år 2022" in text
    assert '"href": "/kommune/751?omraade=befolkning#kort-befolkning.indbyggere"' in text   # its latest value
    counted = [int(re.match(r"(\d+) nøgletal har ingen tal for 2025", n["props"]["children"])[1])
               for n in with_class(in_2025, "uden-tal-antal")]
    assert sum(counted) == len(folded) > 0


def restricted_titles(con) -> list[str]:
    return [t for (t,) in con.execute("SELECT titel FROM dim_noegletal WHERE adgang <> 'offentlig'").fetchall()]


def search(client, app, q: str) -> str:
    """The catalogue's list and count for a search typed into the field, as the browser's callback gets them."""
    r = call(client, app, {"katalog-soeg.value": q, "katalog-omraade.value": "", "katalog-data.value": ""})
    assert r.status_code == 200
    return json.dumps(r.get_json(), ensure_ascii=False)


def test_a_search_says_how_many_restricted_figures_match_without_naming_them(client, app, con):
    restricted = restricted_titles(con)
    matching = [t for t in restricted if "0-17-årig" in t.lower()]
    assert len(matching) >= 2
    for answer in (render(client, app, "/noegletal", "?q=0-17-%C3%A5rig"), search(client, app, "0-17-årig")):
        hint = re.search(r"(\d+) nøgletal med adgangsbegrænsning matcher søgningen", answer)
        assert hint and int(hint[1]) == len(matching), answer[:300]
        assert "Log ind" in answer and "Andel 0-17-årige" in answer   # the public figure is listed
        assert not [t for t in restricted if t in answer]
    assert "adgangsbegrænsning" not in search(client, app, "ledighed")   # nothing hidden matches


def test_a_search_without_hits_suggests_the_nearest_titles(client, app):
    answer = search(client, app, "sygfravær")   # a typo of «sygefravær»
    assert "0 af " in answer
    assert "Mente du" in answer
    assert '"href": "/noegletal/personale.sygefravaer_dage"' in answer
    assert '"href": "/noegletal?q=sygefrav%C3%A6r"' in answer   # the search again with the word it found
