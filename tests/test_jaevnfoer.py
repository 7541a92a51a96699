"""Issue 22's comparisons beyond the peers, over HTTP as an anonymous viewer: several municipalities drawn together
on a key figure's page, chosen in the picker or in the address (`?kommuner=`), at most ten; and the development as
an index with the first year = 100 (`?skala=indeks`)."""
from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from kdk.format import published
from kdk.queries.noegletal import indekseret
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


def choose(client, app, valgte: list[str] | None, search: str = "", valgt: dict | None = None,
           skala: str = "niveau") -> dict:
    """The trend callback for a choice in the picker; its answer, or {} for no update."""
    shown = {"noegletal_id": "befolkning.taethed", "aar": "2025"}
    r = call(client, app, {"noegletal-kommuner.value": valgte, "noegletal-skala.value": skala,
                           "noegletal-url.search": search},
             {"noegletal-kontekst.data": shown, "noegletal-valg.data": valgt or {"kommuner": [], "skala": "niveau"}},
             "noegletal-kommuner.value" if valgte else "noegletal-skala.value")
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
    assert choose(client, app, ["101"], valgt={"kommuner": ["101"], "skala": "niveau"}) == {}   # shown already


def test_the_address_from_back_or_forward_redraws_the_choice(client, app):
    r = call(client, app, {"noegletal-kommuner.value": [], "noegletal-skala.value": "niveau",
                           "noegletal-url.search": "?kommuner=751"},
             {"noegletal-kontekst.data": {"noegletal_id": "befolkning.taethed", "aar": "2025"},
              "noegletal-valg.data": {"kommuner": [], "skala": "niveau"}}, "noegletal-url.search")
    answer = r.get_json()["response"]
    assert names(answer["noegletal-udvikling"]["figure"]) == ["Aarhus", "Hele landet"]
    assert answer["noegletal-kommuner"]["value"] == ["751"] and "noegletal-url" not in answer


def test_an_index_is_computed_from_the_published_values_and_never_from_a_missing_base():
    serie = (("2015", 10.04), ("2016", 12.55), ("2017", None), ("2018", 15.0))
    # Published at one decimal first (10,0 and 12,6: half away from zero), then indexed: 12,6 / 10,0 = 126,0.
    assert indekseret(serie, 1, "2015") == (("2015", 100.0), ("2016", 126.0), ("2017", None), ("2018", 150.0))
    assert indekseret(serie, 0, "2016") == (("2015", 76.9), ("2016", 100.0), ("2017", None), ("2018", 115.4))
    assert indekseret(serie, 1, "2017") is None          # no value in the base year
    assert indekseret(serie, 1, "2014") is None          # no base year at all
    assert indekseret((("2015", 0.04), ("2016", 1.0)), 1, "2015") is None   # published as 0,0: no division by zero


SKAT = "/noegletal/oekonomi.udskrivningsprocent"


def test_the_indexed_view_starts_at_100_and_leaves_out_a_municipality_without_a_base_value(client, app, con):
    assert client.get(f"{SKAT}?kommuner=101,751&skala=indeks").status_code == 200
    page = render(client, app, SKAT, "?kommuner=101,751&skala=indeks")
    figure = udvikling(page)
    # Aarhus has no value in 2015, the first year shown: left out with a note, not divided by nothing.
    assert names(figure) == ["København", "Hele landet"]
    assert "Aarhus er udeladt af indekset: ingen værdi i 2015." in page
    d, rows = con.execute("""SELECT n.decimaler, list(f.vaerdi ORDER BY f.periode) FROM fct_noegletal f
                             JOIN dim_noegletal n USING (noegletal_id)
                             WHERE noegletal_id = 'oekonomi.udskrivningsprocent' AND omraade_kode = '101'
                               AND length(periode) = 4 AND erstattet_af IS NULL GROUP BY ALL""").fetchone()
    base = published(rows[0], d)
    assert figure["data"][0]["y"] == [published(100 * published(v, d) / base, 1) for v in rows]
    assert figure["data"][0]["y"][0] == 100.0
    assert figure["layout"]["yaxis"]["title"]["text"] == "Indeks (2015 = 100)"
    assert all("Indeks (2015 = 100)" in trace["hovertemplate"] for trace in figure["data"])
    assert "Indeks (2015 = 100), 2015" in figure["layout"]["title"]["subtitle"]["text"]
    go.Figure(figure)   # raises for a property or value plotly does not know


def test_the_regions_can_be_indexed_too_and_a_bad_scale_is_a_danish_400(client, app):
    figure = udvikling(render(client, app, FIGUR, "?skala=indeks"))
    assert len(figure["data"]) == 6 and all(trace["y"][0] == 100.0 for trace in figure["data"])
    for search in ("?skala=log", "?skala=indeks&skala=indeks"):
        assert client.get(f"{FIGUR}{search}").status_code == 400
    assert "Værdien «log» er ikke gyldig for «skala»" in render(client, app, FIGUR, "?skala=log")


def test_switching_to_the_index_redraws_and_puts_it_in_the_address(client, app):
    answer = choose(client, app, [], "?kommuner=101", {"kommuner": ["101"], "skala": "niveau"}, skala="indeks")
    assert answer["noegletal-url"]["search"] == "?skala=indeks"
    assert answer["noegletal-udvikling"]["figure"]["layout"]["yaxis"]["title"]["text"].startswith("Indeks (")
    answer = choose(client, app, ["101"], "?skala=indeks", {"kommuner": [], "skala": "indeks"}, skala="niveau")
    assert answer["noegletal-url"]["search"] == "?kommuner=101"
