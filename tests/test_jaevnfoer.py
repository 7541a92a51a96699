"""Issue 22's comparisons beyond the peers, over HTTP as an anonymous viewer: several municipalities drawn together
on a key figure's page, chosen in the picker or in the address (`?kommuner=`), at most ten."""
from __future__ import annotations

import json

import pytest

from tests.dash_http import call, find_id, render

FIGUR = "/noegletal/befolkning.taethed"
TI = "101,147,151,153,155,157,159,161,163,165"   # ten municipalities in Region Hovedstaden


def udvikling(page: str) -> dict:
    """The development chart of a rendered key-figure page."""
    return find_id(json.loads(page), "noegletal-udvikling")["figure"]


def names(figure: dict) -> list[str]:
    return [trace["name"] for trace in figure["data"]]


def labels(figure: dict) -> list[str]:
    return [a["text"] for a in figure["layout"].get("annotations", [])]


def test_chosen_municipalities_are_drawn_together_with_the_country_each_labelled(client, app):
    assert client.get(f"{FIGUR}?kommuner=101,751,461").status_code == 200
    figure = udvikling(render(client, app, FIGUR, "?kommuner=101,751,461"))
    assert names(figure) == ["København", "Aarhus", "Odense", "Hele landet"]
    assert labels(figure) == names(figure) and figure["layout"]["showlegend"] is False
    assert all(any(v is not None for v in trace["y"]) for trace in figure["data"])


def test_ten_municipalities_are_drawn_and_an_eleventh_is_a_danish_400(client, app):
    assert len(udvikling(render(client, app, FIGUR, f"?kommuner={TI}"))["data"]) == 11   # and the country
    assert client.get(f"{FIGUR}?kommuner={TI}").status_code == 200
    assert client.get(f"{FIGUR}?kommuner={TI},167").status_code == 400
    assert "Du kan højst vælge 10 kommuner at tegne sammen. Adressen har 11." in render(
        client, app, FIGUR, f"?kommuner={TI},167")


@pytest.mark.parametrize("kommuner", ["999", "101,,751", "101,101", "", "abc", "101;751"])
def test_a_bad_choice_of_municipalities_is_a_danish_400(client, app, kommuner):
    assert client.get(f"{FIGUR}?kommuner={kommuner}").status_code == 400
    assert f"Værdien «{kommuner}» er ikke gyldig for «kommuner»" in render(client, app, FIGUR, f"?kommuner={kommuner}")


def choose(client, app, valgte: list[str] | None, search: str = "", valgt: dict | None = None) -> dict:
    """The trend callback for a choice in the picker; its answer, or {} for no update."""
    shown = {"noegletal_id": "befolkning.taethed", "aar": "2025"}
    r = call(client, app, {"noegletal-kommuner.value": valgte, "noegletal-url.search": search},
             {"noegletal-kontekst.data": shown, "noegletal-valg.data": valgt or {"kommuner": []}})
    assert r.status_code in (200, 204), r.data[:300]
    return r.get_json()["response"] if r.status_code == 200 else {}


def test_the_picker_draws_the_choice_puts_it_in_the_address_and_refuses_an_eleventh(client, app):
    answer = choose(client, app, ["101", "751", "461"], "?aar=2020")
    assert names(answer["noegletal-udvikling"]["figure"]) == ["København", "Aarhus", "Odense", "Hele landet"]
    assert answer["noegletal-url"]["search"] == "?aar=2020&kommuner=101,751,461"
    assert "kommune=000%2C101%2C751%2C461" in json.dumps(answer["noegletal-udvikling-hent"])
    answer = choose(client, app, [*TI.split(","), "167"])
    assert answer["noegletal-kommuner"]["value"] == TI.split(",")
    assert answer["noegletal-udvikling-note"]["children"] == "Du kan højst vælge 10 kommuner at tegne sammen."
    assert len(answer["noegletal-udvikling"]["figure"]["data"]) == 11
    assert choose(client, app, ["999"]) == {}
    assert choose(client, app, ["101"], valgt={"kommuner": ["101"]}) == {}   # what is shown already


def test_the_address_from_back_or_forward_redraws_the_choice(client, app):
    r = call(client, app, {"noegletal-kommuner.value": [], "noegletal-url.search": "?kommuner=751"},
             {"noegletal-kontekst.data": {"noegletal_id": "befolkning.taethed", "aar": "2025"},
              "noegletal-valg.data": {"kommuner": []}}, "noegletal-url.search")
    answer = r.get_json()["response"]
    assert names(answer["noegletal-udvikling"]["figure"]) == ["Aarhus", "Hele landet"]
    assert answer["noegletal-kommuner"]["value"] == ["751"] and "noegletal-url" not in answer
