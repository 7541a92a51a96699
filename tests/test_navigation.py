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


def hint(answer: str) -> str | None:
    """The search's note about closed data, as shown."""
    found = re.search(r"Søgningen ser kun i de nøgletal, du har adgang til[^\"]*", answer)
    return found[0] if found else None


def test_a_search_tells_of_closed_data_without_revealing_their_titles(client, app, con):
    """A visitor cannot learn a restricted title's words by searching: the note about closed data depends only on
    what the visitor sees and on the closed areas' names (public: /brug-i-excel names them), never on the titles.
    A count of restricted title matches let an outsider rebuild «anbragte» letter by letter (review, stop 30)."""
    restricted = restricted_titles(con)
    word = "underretninger"
    assert any(word in t.lower() for t in restricted)
    in_titles, nonsense = search(client, app, word), search(client, app, "zzqxyv")
    assert hint(in_titles) and hint(in_titles) == hint(nonsense)
    assert "udsatte børn og unge" in hint(in_titles) and "Log ind" in in_titles
    assert not [t for t in restricted if t in in_titles]
    for letters in ("a", "an", "anb", "anbr"):   # growing prefixes of a restricted word: one note or none, no count
        answer = search(client, app, letters)
        assert hint(answer) in (None, hint(nonsense)) and "matcher søgningen" not in answer
    assert hint(render(client, app, "/noegletal", "?q=b%C3%B8rn"))   # the closed area's public name


def test_a_search_without_hits_suggests_the_nearest_titles(client, app):
    answer = search(client, app, "sygfravær")   # a typo of «sygefravær»
    assert "0 af " in answer
    assert "Mente du" in answer
    assert '"href": "/noegletal/personale.sygefravaer_dage"' in answer
    assert '"href": "/noegletal?q=sygefrav%C3%A6r"' in answer   # the search again with the word it found
