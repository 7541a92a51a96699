"""The pickers as an anonymous visitor gets them over HTTP: the spellings a user types find the municipality meant,
every picker speaks Danish, and the header's picker finds key figures too, never a restricted one.

`finds` searches an option as Dash 4's dropdown does (js-search: every typed word, in lower case, is part of a word
of the option's value, label or search text), so what it finds here is what the browser shows.
"""
from __future__ import annotations

import json

import pytest

from components.vaelgere import LABELS, kommune_option
from tests.dash_http import found, nodes, render

VARIANTS = [("Århus", "751"), ("aarhus", "751"), ("ÅRHUS KOMMUNE", "751"), ("Aarhus Kommune", "751"),
            ("Københavns Kommune", "101"), ("Koebenhavn", "101"), ("kobenhavn", "101"),
            ("Bornholms Regionskommune", "400"), ("Bornholm", "400"),
            ("Ringkøbing Skjern", "760"), ("Ringkøbing-Skjern Kommune", "760"), ("ringkobingskjern", "760"),
            ("Ringkoebing-Skjern", "760"), ("Lyngby Taarbaek", "173"), ("Høje Tåstrup", "169"),
            ("Ålborg", "851"), ("Åbenrå", "580"), ("Aero", "492"), ("Køge Kommune", "259")]


def finds(query: str, option: dict) -> bool:
    words = " ".join(str(option.get(k, "")) for k in ("value", "label", "search")).lower().split()
    return all(any(typed in word for word in words) for typed in query.lower().split())


@pytest.fixture(scope="module")
def kommuner(con) -> list[dict]:
    rows = con.execute("SELECT kommunekode, navn FROM dim_kommune ORDER BY navn").fetchall()
    return [{"kommunekode": kode, "navn": navn} for kode, navn in rows]


@pytest.mark.parametrize("query, kode", VARIANTS)
def test_a_name_variant_finds_that_municipality_only(kommuner, query, kode):
    hits = [k["kommunekode"] for k in kommuner if finds(query, kommune_option(k))]
    assert hits == [kode]


def test_the_option_shows_name_and_code_and_is_found_by_code(kommuner):
    aarhus = kommune_option(next(k for k in kommuner if k["kommunekode"] == "751"))
    assert (aarhus["label"], aarhus["value"]) == ("Aarhus (751)", "751")
    assert finds("751", aarhus)


SHELL_AND_PAGES = [("/tema/rekruttering", "?kommune=101"),
                   ("/sammenligning", "?kommune=101&sammenligningsomraade=skole"), ("/brug-i-excel", "")]


def pickers(tree) -> list[dict]:
    return [n["props"] for n in nodes(tree) if n["type"] == "Dropdown"]


def every_picker(client, app) -> list[dict]:
    shell = client.get("/_dash-layout").get_json()
    return pickers(shell) + [p for path, search in SHELL_AND_PAGES
                             for p in pickers(json.loads(render(client, app, path, search)))]


def test_every_municipality_picker_finds_aarhus_as_aarhus(client, app):
    municipal = [p for p in every_picker(client, app)
                 if any(isinstance(o, dict) and o.get("value") == "751" for o in p.get("options", []))]
    assert len(municipal) >= 4   # the header, the theme, the comparison's municipality and Excel's
    for picker in municipal:
        assert [o["value"] for o in picker["options"] if finds("Århus", o)] == ["751"], picker.get("id")


def test_every_picker_speaks_danish(client, app):
    every = every_picker(client, app) + pickers(json.loads(render(client, app, "/", "")))
    assert len(every) >= 8
    assert [p.get("id") for p in every if p.get("labels") != LABELS] == []
    assert LABELS["search"] == "Søg" and LABELS["no_options_found"] == "Ingen match"


def header_options(client) -> list[dict]:
    shell = client.get("/_dash-layout").get_json()
    return next(found(shell, lambda d: d.get("id") == "kommunevaelger"))["options"]


def test_the_header_finds_key_figures_the_viewer_may_see_and_no_other(client, con):
    restricted = [t for (t,) in con.execute("SELECT titel FROM dim_noegletal WHERE adgang <> 'offentlig'").fetchall()]
    assert restricted
    options = header_options(client)
    assert [o["value"] for o in options if finds("Karakter", o)] == ["/noegletal/skole.karakter"]
    assert next(o["label"] for o in options if o["value"] == "/noegletal/skole.karakter").startswith("Nøgletal: ")
    assert [o["value"] for o in options if finds("Århus", o)] == ["751"]
    shell = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert [t for t in restricted if t in shell] == []
    assert not [o for o in options if finds("ubu", o) or finds("anbragte", o)]


def test_a_reader_of_the_area_finds_its_restricted_figures_and_the_next_anonymous_visitor_does_not(app, userdb):
    from kdk.auth import users
    from tests.test_auth import GOOD, sign_in

    users.add("ubu-laeser", GOOD, "laeser", "101", {"ubu"})
    reader, anonymous = app.server.test_client(), app.server.test_client()
    sign_in(reader, "ubu-laeser")
    assert "/noegletal/ubu.anbragte" in [o["value"] for o in header_options(reader)]
    assert not [o for o in header_options(anonymous) if o["value"].startswith("/noegletal/ubu.")]
