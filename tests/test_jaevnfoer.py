"""Issue 22's comparisons beyond the peers, over HTTP as an anonymous viewer: several municipalities drawn together
on a key figure's page, chosen in the picker or in the address (`?kommuner=`), at most ten; and the development as
an index with the first year = 100 (`?skala=indeks`); and per municipality what the newest release changed since
the one before it (/kommune/<kode>/nyt), never a restricted figure or an embargoed release to whom may not see it."""
from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from kdk.auth import users
from kdk.cli import main
from kdk.format import published
from kdk.queries.noegletal import indekseret
from tests.dash_http import call, find_id, render
from tests.test_auth import GOOD, sign_in
from tests.test_ingest import all_98, wide_file

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
             {"noegletal-kontekst.data": shown, "noegletal-valg.data": valgt or {"kommuner": [], "skala": "niveau"},
              "_pages_location.search": ""},
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
              "noegletal-valg.data": {"kommuner": [], "skala": "niveau"}, "_pages_location.search": ""},
             "noegletal-url.search")
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


# --- "Nyt siden sidste udgivelse" --------------------------------------------------------------------------------

def load(tmp_path, noegletal: str, kbh: str, others: str, years: tuple[str, ...], *options: str) -> None:
    """A release of `noegletal` that sets København to `kbh` and every other municipality to `others` in `years`."""
    values = all_98(others) | {"101": kbh}
    path = wide_file(tmp_path / f"{noegletal}.csv", values, years=years)
    assert main(["ingest", str(path), "--noegletal", noegletal, *options]) == 0


@pytest.fixture
def released(fresh_marts, monkeypatch, client):
    """The app reads a private copy of the marts, to which a test adds releases."""
    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    return fresh_marts


def test_news_lists_a_revised_value_and_a_new_period_with_the_reason(released, tmp_path, client, app, con):
    before = con.execute("""SELECT vaerdi FROM fct_noegletal WHERE noegletal_id = 'befolkning.socio_indeks'
                            AND omraade_kode = '101' AND periode = '2025'""").fetchone()[0]
    load(tmp_path, "befolkning.socio_indeks", "2,22", "1,00", ("2025", "2026"),
         "--revision", "Indekset for 2025 er genberegnet")
    assert client.get("/kommune/101/nyt").status_code == 200
    page = render(client, app, "/kommune/101/nyt")
    unit = "indeks, land = 1,00"
    assert "Socioøkonomisk indeks" in page and "/noegletal/befolkning.socio_indeks?kommuner=101" in page
    assert f"Revideret 2025: {published(before, 2):.2f} {unit} → 2,22 {unit}".replace(".", ",") in page
    assert f"Ny periode 2026: 2,22 {unit}" in page
    assert "Begrundelse: Indekset for 2025 er genberegnet." in page
    assert "1 nøgletal med nye perioder eller reviderede tal for København" in page
    profile = render(client, app, "/kommune/101")
    assert "Nyt siden sidste udgivelse: 1 nøgletal med nye tal eller rettelser" in profile
    assert '"href": "/kommune/101/nyt"' in profile
    assert "2,22" not in render(client, app, "/kommune/147/nyt")   # Frederiksberg's news is its own (1,00)


def test_news_never_shows_a_restricted_figure_or_an_embargoed_release_to_an_anonymous_viewer(
        released, tmp_path, client, app, userdb):
    load(tmp_path, "ubu.underretninger", "71,3", "60,0", ("2025",), "--revision", "Underretningerne er talt om")
    users.add("ubu-laeser", GOOD, "laeser", "101", {"ubu"})
    entitled = app.server.test_client()
    assert sign_in(entitled, "ubu-laeser").status_code == 302
    shown = render(entitled, app, "/kommune/101/nyt")   # the change is there, for whom may see it
    assert "Underretninger pr. 1.000 0-17-årige" in shown and "71,3" in shown
    for page in (render(client, app, "/kommune/101/nyt"), render(client, app, "/kommune/101")):
        assert "Underretninger" not in page and "71,3" not in page and "talt om" not in page
    assert "har ingen nye perioder eller reviderede tal for København" in render(client, app, "/kommune/101/nyt")
    load(tmp_path, "befolkning.socio_indeks", "2,22", "1,00", ("2025",), "--revision", "Genberegnet",
         "--embargo-til", "2099-01-10 08:00")
    page = render(client, app, "/kommune/101/nyt")
    assert "2,22" not in page and "Socioøkonomisk" not in page and "Genberegnet" not in page


def test_news_of_an_unknown_municipality_is_a_404(client):
    assert client.get("/kommune/999/nyt").status_code == 404
