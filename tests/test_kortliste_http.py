"""The map's list (components/kortliste.py) over HTTP: redrawn for another key figure or year it is the list that
address draws, and a key figure the viewer may not see, or a year it does not have, redraws nothing."""
from __future__ import annotations

import json

import pytest

from tests.dash_http import call, find_id, render

PAGES = [  # the store the map's page keeps what it shows in, the list's id, and the page and address of a view
    ("forside-kontekst", "noegletal", "forside-kortliste", "/", "?noegletal=befolkning.taethed&aar=2020"),
    ("noegletal-kontekst", "noegletal_id", "noegletal-kortliste", "/noegletal/befolkning.taethed", "?aar=2020"),
]


@pytest.mark.parametrize(("store", "key", "liste", "path", "search"), PAGES)
def test_the_list_redrawn_for_a_view_is_the_list_its_address_draws(client, app, store, key, liste, path, search):
    r = call(client, app, {f"{store}.data": {key: "befolkning.taethed", "aar": "2020"}})
    assert r.status_code == 200, r.data[:300]
    rows = r.get_json()["response"][liste]["children"]
    assert rows == find_id(json.loads(render(client, app, path, search)), liste)["children"]
    text = json.dumps(rows, ensure_ascii=False)
    assert "Befolkningstæthed, 2020" in text and text.count('"href": "/kommune/') == 98


@pytest.mark.parametrize(("store", "key", "liste", "path", "search"), PAGES)
@pytest.mark.parametrize(("noegletal", "aar"), [("ubu.anbragte", "2020"), ("befolkning.taethed", "1899"),
                                                ("befolkning.taethed", None), (["befolkning.taethed"], "2020")])
def test_a_hidden_figure_or_a_year_it_lacks_redraws_nothing(client, app, store, key, liste, path, search,
                                                            noegletal, aar):
    r = call(client, app, {f"{store}.data": {key: noegletal, "aar": aar}})
    assert r.status_code == 204 and b"anbragte" not in r.data
