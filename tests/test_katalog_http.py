"""The key-figure catalogue (/noegletal) and a key figure's page (/noegletal/<id>) over HTTP, on the real marts.

What the anonymous viewer gets: every public key figure and no restricted one, the search and the filters (from
the URL and from the live callback), the pages' statuses, and a figure's facts and three charts in Danish.
"""
from __future__ import annotations

import json
import re

import pytest

from kdk.fortolkning import RETNING_TEKST
from tests.dash_http import call, find_id, nodes, outputs, patched, render

RESTRICTED_AREAS = ("ubu",)
PUBLIC = "SELECT * FROM dim_noegletal WHERE adgang = 'offentlig'"


@pytest.fixture(scope="module", autouse=True)
def callbacks_registered(app):
    """Dash adds the pages' callbacks to the app on its first request."""
    app.server.test_client().get("/")


def ids(con, where: str = "TRUE") -> set[str]:
    return {r[0] for r in con.execute(f"SELECT noegletal_id FROM ({PUBLIC}) WHERE {where}").fetchall()}


def listed(page: str) -> list[str]:
    """The key figures a rendered catalogue links to, in order."""
    return re.findall(r'"href": "/noegletal/([^"?#]+)"', page)


def catalogue(client, app, search: str = "") -> str:
    return render(client, app, "/noegletal", search)


def all_figures(node) -> list[dict]:
    if isinstance(node, dict):
        if isinstance(node.get("figure"), dict) and "data" in node["figure"]:
            return [node["figure"]]
        return [f for v in node.values() for f in all_figures(v)]
    if isinstance(node, list):
        return [f for v in node for f in all_figures(v)]
    return []


def graphs_by_id(page: dict) -> dict[str, dict]:
    return {n["props"].get("id"): n["props"]["figure"] for n in nodes(page) if n["type"] == "Graph"}


def danish(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


# --- The catalogue -------------------------------------------------------------------------------------------


def test_catalogue_lists_every_public_figure_and_no_restricted_one(client, app, con):
    page = catalogue(client, app)
    public = con.execute(f"SELECT noegletal_id, titel FROM ({PUBLIC})").fetchall()
    assert sorted(listed(page)) == sorted(i for i, _ in public)
    for _, titel in public:
        assert titel in page
    restricted = con.execute("SELECT noegletal_id, titel FROM dim_noegletal WHERE adgang = 'begraenset'").fetchall()
    assert restricted, "the marts should hold restricted figures for this test to mean something"
    for fid, titel in restricted:
        assert fid not in page and titel not in page
    assert "Udsatte børn og unge" not in page   # nor its data area
    assert f"{len(public)} af {len(public)} nøgletal" in page


def test_catalogue_is_grouped_by_data_area_in_catalogue_order(client, app, con):
    page = catalogue(client, app)
    order = [r[0] for r in con.execute(f"""
        SELECT d.noegletal_id FROM ({PUBLIC}) d JOIN dim_dataomraade a ON a.kode = d.dataomraade
        ORDER BY a.raekkefoelge, d.raekkefoelge""").fetchall()]
    assert listed(page) == order
    areas = [r[0] for r in con.execute(f"""
        SELECT a.navn FROM dim_dataomraade a WHERE a.kode IN (SELECT dataomraade FROM ({PUBLIC}))
        ORDER BY a.raekkefoelge""").fetchall()]
    headings = re.findall(r'"type": "H2", "namespace": "dash_html_components"', page)
    assert len(headings) == len(areas)
    positions = [page.index(f'"children": ["{a}", ') for a in areas]
    assert positions == sorted(positions)


def test_catalogue_row_shows_unit_direction_data_kind_periodicity_and_latest_period(client, app):
    page = catalogue(client, app, "?q=registreret+ledighed")
    assert listed(page) == ["beskaeftigelse.ledighed"]
    for text in ("pct. af arbejdsstyrken", RETNING_TEKST["ned"], "Rigtige data", "Månedlig", "bruttoledige"):
        assert text in page
    assert re.search(r'"(jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\.? 20\d\d"', page)   # latest month
    assert re.search(r'"98 af 98 \(20\d\d\)"', page)                                            # coverage
    demo = catalogue(client, app, "?q=karaktergennemsnit")
    assert listed(demo) == ["skole.karakter"] and "Demodata" in demo and "Årlig" in demo


@pytest.mark.parametrize("q", ["anbragte", "ANBRAGTE", "underretninger", "familiepleje"])
def test_search_for_a_restricted_figure_finds_nothing(client, app, con, q):
    page = catalogue(client, app, f"?q={q}")
    assert listed(page) == []
    assert "Ingen nøgletal passer til søgningen" in page and f'"0 af {len(ids(con))} nøgletal"' in page


def test_search_matches_title_and_definition(client, app, con):
    page = catalogue(client, app, "?q=ledighed")
    expected = ids(con, "lower(titel) LIKE '%ledighed%' OR lower(definition) LIKE '%ledighed%'")
    assert "beskaeftigelse.ledighed" in expected
    assert set(listed(page)) == expected
    assert f'"{len(expected)} af {len(ids(con))} nøgletal"' in page


def test_search_finds_a_word_that_is_only_in_a_definition(client, app, con):
    only_in_definition = ids(con, "definition ILIKE '%KommuneKredit%' AND titel NOT ILIKE '%KommuneKredit%'")
    assert only_in_definition == {"oekonomi.gaeld"}
    page = catalogue(client, app, "?q=kommunekredit")
    assert listed(page) == ["oekonomi.gaeld"]
    assert "KommuneKredit" in page   # the excerpt is the sentence that matched, not the first one


@pytest.mark.parametrize("q", ["ældre+hjemmehjælp", "ÆLDRE+HJEMMEHJÆLP", "aeldre+hjemmehjaelp",
                               "%C3%A6ldre+hjemmehj%C3%A6lp"])
def test_search_ignores_case_and_spelling_of_danish_letters_and_needs_every_word(client, app, con, q):
    expected = ids(con, "lower(titel || ' ' || definition) LIKE '%ældre%' "
                        "AND lower(titel || ' ' || definition) LIKE '%hjemmehjælp%'")
    assert "aeldre.hjemmehjaelp" in expected
    assert set(listed(catalogue(client, app, f"?q={q}"))) == expected


@pytest.mark.parametrize("search, where", [
    ("?omraade=skole", "dataomraade = 'skole'"),
    ("?data=demo", "demodata"),
    ("?data=rigtige", "NOT demodata"),
    ("?omraade=beskaeftigelse&data=rigtige", "dataomraade = 'beskaeftigelse' AND NOT demodata"),
    ("?q=udgifter&omraade=oekonomi", "dataomraade = 'oekonomi' AND lower(titel || definition) LIKE '%udgifter%'"),
])
def test_filters_by_area_and_real_or_demo(client, app, con, search, where):
    expected = ids(con, where)
    assert expected
    page = catalogue(client, app, search)
    assert set(listed(page)) == expected
    assert f'"{len(expected)} af {len(ids(con))} nøgletal"' in page


def test_the_url_sets_the_controls(client, app):
    page = json.loads(catalogue(client, app, "?q=ledighed&omraade=beskaeftigelse&data=rigtige"))
    values = {n["props"]["id"]: n["props"]["value"] for n in nodes(page)
              if isinstance(n["props"].get("id"), str) and "value" in n["props"]}
    assert values == {"katalog-soeg": "ledighed", "katalog-omraade": "beskaeftigelse", "katalog-data": "rigtige"}
    both = ["beskaeftigelse.ledighed", "beskaeftigelse.fuldtidsledighed"]   # Jobindsats' and DST's
    assert listed(json.dumps(page, ensure_ascii=False)) == both


@pytest.mark.parametrize("url, status", [
    ("/noegletal", 200), ("/noegletal?q=ledighed", 200), ("/noegletal?q=", 200), ("/noegletal?omraade=skole", 200),
    ("/noegletal?data=demo&omraade=aeldre&q=udgift", 200), ("/noegletal?data=rigtige", 200),
    ("/noegletal?omraade=ubu", 400), ("/noegletal?omraade=ubu", 400), ("/noegletal?omraade=xyz", 400),
    ("/noegletal?data=alle", 400), ("/noegletal?data=demo&data=rigtige", 400), ("/noegletal?q=" + "x" * 201, 400),
    ("/noegletal/skole.karakter", 200), ("/noegletal/skole.karakter?aar=2020", 200),
    ("/noegletal/beskaeftigelse.ledighed?aar=2024", 200), ("/noegletal/befolkning.indbyggere?aar=2007", 200),
    ("/noegletal/findes.ikke", 404), ("/noegletal/ubu.anbragte", 404), ("/noegletal/ubu.anbragte", 404),
    ("/noegletal/skole.karakter?aar=1990", 400), ("/noegletal/skole.karakter?aar=abc", 400),
    ("/noegletal/beskaeftigelse.ledighed?aar=2015", 400), ("/noegletal/skole.karakter?aar=2020&aar=2021", 400),
    ("/noegletal/skole.karakter/mere", 404),
])
def test_page_status(client, url, status):
    r = client.get(url)
    assert r.status_code == status
    text = r.data.decode()
    assert '<html lang="da">' in text and "Traceback" not in text


def test_bad_area_renders_the_danish_400(client, app):
    page = catalogue(client, app, "?omraade=ubu")
    assert "Ugyldig værdi" in page and "«ubu»" in page and listed(page) == []


def without_suggestions(page: str) -> str:
    """A rendered page without its links to the nearest public figures, which follow the text of the id asked for
    (tests/test_deling.py checks they never name a restricted figure)."""
    tree = json.loads(page)
    for node in nodes(tree):
        children = node["props"].get("children")
        if isinstance(children, list):
            node["props"]["children"] = [c for c in children if not isinstance(c, dict)
                                         or c.get("props", {}).get("className") != "forslag"]
    return json.dumps(tree, ensure_ascii=False)


def test_restricted_figure_is_as_unknown_as_a_made_up_one(client, app, con):
    restricted = without_suggestions(render(client, app, "/noegletal/ubu.anbragte"))
    unknown = without_suggestions(render(client, app, "/noegletal/findes.ikke"))
    assert "Nøgletallet findes ikke" in restricted and "404" in restricted
    assert restricted.replace("ubu.anbragte", "X") == unknown.replace("findes.ikke", "X")
    titel = con.execute("SELECT titel FROM dim_noegletal WHERE noegletal_id = 'ubu.anbragte'").fetchone()
    assert titel[0] not in restricted and "figure" not in restricted


def test_bad_year_renders_the_danish_400(client, app):
    page = render(client, app, "/noegletal/skole.karakter", "?aar=1990")
    assert "Ugyldig værdi" in page and "«1990»" in page and "figure" not in page


# --- A key figure's page -------------------------------------------------------------------------------------


def test_figure_page_states_what_the_figure_is_in_danish(client, app, con):
    page = render(client, app, "/noegletal/beskaeftigelse.ledighed", "?aar=2024")
    meta = con.execute("SELECT * FROM dim_noegletal WHERE noegletal_id = 'beskaeftigelse.ledighed'").df().iloc[0]
    for text in (meta["titel"], meta["definition"], meta["taeller"], meta["naevner"], meta["enhed"], meta["kilde"],
                 RETNING_TEKST[meta["retning"]], "Rigtige data", "Månedlig", "Offentlig",
                 "summen af tællerne delt med summen af nævnerne"):
        assert text in page, text
    assert '"href": "/datastatus#beskaeftigelse"' in page and "Datastatus for beskæftigelse" in page
    assert '"href": "/noegletal"' in page
    assert "Niveau i 2024" in page


def test_figure_page_shows_levels_as_danish_numbers(client, app, con):
    page = render(client, app, "/noegletal/beskaeftigelse.ledighed", "?aar=2024")
    land = con.execute("""SELECT vaerdi FROM fct_noegletal WHERE noegletal_id = 'beskaeftigelse.ledighed'
                          AND omraade_kode = '000' AND periode = '2024'""").fetchone()[0]
    assert f"{danish(land, 1)} pct. af arbejdsstyrken" in page            # decimal comma
    assert "," in danish(land, 1) and "." not in danish(land, 1)
    people = render(client, app, "/noegletal/befolkning.indbyggere", "?aar=2022")
    total = con.execute("""SELECT vaerdi FROM fct_noegletal WHERE noegletal_id = 'befolkning.indbyggere'
                           AND omraade_kode = '000' AND periode = '2022'""").fetchone()[0]
    assert re.fullmatch(r"\d{1,3}(\.\d{3})+", danish(total, 0))
    assert f'"{danish(total, 0)}"' in people                            # thousands point, unit 'antal' not repeated
    assert "644.431 (København)" in people                               # the highest municipality
    assert "Tæller" not in people and "Nævner" not in people            # empty for a count: left out
    assert "summen af kommunernes tal" in people


def test_demo_figure_is_labelled_as_demo(client, app):
    page = render(client, app, "/noegletal/skole.karakter")
    assert "Demodata" in page and "genererede tal til demonstration, ikke officiel statistik" in page
    assert "vægtet" in page   # aggregation 'vaegtet' in plain Danish


def test_figure_page_draws_ranking_map_and_trend(client, app, con):
    page = json.loads(render(client, app, "/noegletal/skole.karakter", "?aar=2020"))
    graphs = graphs_by_id(page)
    assert set(graphs) == {"noegletal-rangering", "noegletal-kort", "noegletal-udvikling"}
    for figure in graphs.values():
        assert figure["layout"]["title"]["text"] == "Karaktergennemsnit, 9. klasse (bundne prøver)"
        assert figure["layout"]["separators"] == ",."
    values = con.execute("""SELECT count(*) FROM fct_noegletal f JOIN dim_kommune k ON k.kommunekode = f.omraade_kode
                            WHERE noegletal_id = 'skole.karakter' AND periode = '2020' AND vaerdi IS NOT NULL
                            """).fetchone()[0]
    ranking = graphs["noegletal-rangering"]
    bars = [t for t in ranking["data"] if t["type"] == "bar"]
    assert len(bars) == 1 and len(bars[0]["x"]) == values
    assert "2020" in ranking["layout"]["title"]["subtitle"]["text"]
    assert f"alle {values} kommuner" in ranking["layout"]["title"]["subtitle"]["text"]
    kort = graphs["noegletal-kort"]
    assert len({t["customdata"][0][0] for t in kort["data"] if t.get("customdata")}) == 98
    assert "2020" in kort["layout"]["title"]["subtitle"]["text"]
    trend = graphs["noegletal-udvikling"]
    regions = [r[0] for r in con.execute("SELECT navn FROM dim_region").fetchall()]
    assert sorted(t["name"] for t in trend["data"]) == sorted(["Hele landet", *regions])
    assert all(len(t["x"]) == 11 for t in trend["data"])   # 2015-2025


def test_monthly_figure_trend_is_monthly(client, app):
    page = json.loads(render(client, app, "/noegletal/beskaeftigelse.ledighed"))
    trend = graphs_by_id(page)["noegletal-udvikling"]
    assert len(trend["data"]) == 6
    assert all(len(t["x"]) > 24 for t in trend["data"])
    assert trend["layout"]["xaxis"]["type"] == "date"


def test_figure_page_never_shows_restricted_figures(client, app):
    page = render(client, app, "/noegletal/befolkning.taethed")
    assert not any(f'{area}.' in page for area in RESTRICTED_AREAS)


# --- Server callbacks ----------------------------------------------------------------------------------------


def call_server(client, app, inputs: dict, state: dict | None = None):
    """Like tests.dash_http.call, but only server callbacks (the catalogue also has a clientside one on its inputs)."""
    state = state or {}
    key = next(k for k, v in app.callback_map.items() if v.get("callback") is not None
               and [f"{i['id']}.{i['property']}" for i in v["inputs"]] == list(inputs))
    body = {
        "output": key, "outputs": outputs(key),
        "inputs": [{"id": k.rsplit(".", 1)[0], "property": k.rsplit(".", 1)[1], "value": v} for k, v in inputs.items()],
        "state": [{"id": k.rsplit(".", 1)[0], "property": k.rsplit(".", 1)[1], "value": v} for k, v in state.items()],
        "changedPropIds": [list(inputs)[0]],
    }
    return client.post("/_dash-update-component", json=body)


def live(client, app, q, omraade="", data=""):
    controls = {"katalog-soeg.value": q, "katalog-omraade.value": omraade, "katalog-data.value": data}
    r = call_server(client, app, controls)
    assert r.status_code == 200, r.data[:300]
    response = r.get_json()["response"]
    return json.dumps(response["katalog-liste"]["children"], ensure_ascii=False), response["katalog-antal"]["children"]


def test_live_search_callback_narrows_the_list(client, app, con):
    total = len(ids(con))
    liste, antal = live(client, app, "ledighed")
    expected = ids(con, "lower(titel) LIKE '%ledighed%' OR lower(definition) LIKE '%ledighed%'")
    assert set(listed(liste)) == expected and antal == f"{len(expected)} af {total} nøgletal"
    liste, antal = live(client, app, "", "skole", "demo")
    assert set(listed(liste)) == ids(con, "dataomraade = 'skole' AND demodata")
    liste, antal = live(client, app, "anbragte")
    assert listed(liste) == [] and antal == f"0 af {total} nøgletal" and "Ingen nøgletal" in liste


@pytest.mark.parametrize("q, omraade, data", [(None, "xyz", ""), (None, "ubu", "alle"), ("", None, None)])
def test_live_search_callback_reads_values_it_never_offers_as_no_filter(client, app, con, q, omraade, data):
    liste, antal = live(client, app, q, omraade, data)
    assert sorted(listed(liste)) == sorted(ids(con))
    assert "ubu." not in liste


def year(client, app, changed: str, value: str, shown: dict | None, address_now: str = "") -> dict:
    """The figure page's year callback for a changed picker or address, with `address_now` the query in the
    browser's address bar; its answer, or {} for no update."""
    inputs = {"noegletal-aar.value": (shown or {}).get("aar"), "noegletal-url.search": ""} | {changed: value}
    r = call(client, app, inputs, {"noegletal-kontekst.data": shown, "_pages_location.search": address_now}, changed)
    assert r.status_code in (200, 204), r.data[:300]
    return r.get_json()["response"] if r.status_code == 200 else {}


@pytest.mark.parametrize("changed, value, address", [("noegletal-aar.value", "2020", "?aar=2020"),
                                                     ("noegletal-url.search", "?aar=2020", None)])   # back/forward
def test_another_year_sends_level_ranking_and_a_map_patch_that_match_a_full_render(client, app, changed, value,
                                                                                      address):
    before = json.loads(render(client, app, "/noegletal/skole.karakter"))
    answer = year(client, app, changed, value, {"noegletal_id": "skole.karakter", "aar": "2025"})
    after = json.loads(render(client, app, "/noegletal/skole.karakter", "?aar=2020"))
    assert patched(find_id(before, "noegletal-kort")["figure"], answer["noegletal-kort"]["figure"]) == \
        find_id(after, "noegletal-kort")["figure"]
    for part, prop in (("noegletal-rangering", "figure"), ("noegletal-niveau", "children"),
                       ("noegletal-rangering-hent", "children"), ("noegletal-kort-hent", "children")):
        assert answer[part][prop] == find_id(after, part)[prop], part
    assert answer["noegletal-url"]["search"] == address if address else "noegletal-url" not in answer
    assert len(json.dumps(answer)) < len(json.dumps(after)) / 4   # the trend and the outlines are not sent again


def test_in_the_presentation_view_another_year_keeps_the_charts_large(client, app):
    """Back or forward in the presentation view: the ranking and the patched map are the ones the view draws."""
    path, search = "/noegletal/skole.karakter", "?aar=2020&visning=praesentation"
    before = json.loads(render(client, app, path, "?visning=praesentation"))
    answer = year(client, app, "noegletal-url.search", search, {"noegletal_id": "skole.karakter", "aar": "2025"},
                  search)
    after = json.loads(render(client, app, path, search))
    assert answer["noegletal-rangering"]["figure"] == find_id(after, "noegletal-rangering")["figure"]
    assert patched(find_id(before, "noegletal-kort")["figure"], answer["noegletal-kort"]["figure"]) == \
        find_id(after, "noegletal-kort")["figure"]
    assert find_id(after, "noegletal-rangering")["figure"]["layout"]["title"]["subtitle"]["font"]["size"] >= 18


def test_year_picker_does_nothing_for_the_shown_year_or_a_bad_one(client, app):
    shown = {"noegletal_id": "skole.karakter", "aar": "2025"}
    assert year(client, app, "noegletal-aar.value", "2025", shown) == {}   # the page's own render
    assert year(client, app, "noegletal-url.search", "", shown) == {}     # the address it was drawn for
    assert year(client, app, "noegletal-aar.value", "1999", shown) == {}
    assert year(client, app, "noegletal-aar.value", "2020", None) == {}
    assert year(client, app, "noegletal-aar.value", "2020", {"noegletal_id": "ubu.anbragte"}) == {}


def test_map_click_opens_the_profile(client, app):
    r = call(client, app, {"noegletal-kort.clickData": {"points": [{"customdata": ["751"]}]}})
    assert r.status_code == 200 and r.get_json()["response"]["nav"]["href"] == "/kommune/751"
    assert call(client, app, {"noegletal-kort.clickData": {"points": []}}).status_code == 204
    assert call(client, app, {"noegletal-kort.clickData": None}).status_code == 204


def test_a_figures_caveat_is_shown_once_and_styled_as_a_quiet_caveat(client, app, con):
    caveats = con.execute("""SELECT noegletal_id, forbehold FROM dim_noegletal
                             WHERE forbehold <> '' AND adgang = 'offentlig'""").fetchall()
    assert "befolkning.gini" in dict(caveats)
    for fid, caveat in caveats:
        page = render(client, app, f"/noegletal/{fid}")
        assert page.count(caveat[:60]) == 1, fid
    css = client.get("/assets/style.css").get_data(as_text=True)
    rule = re.search(r"\.forbehold \{([^}]*)\}", css)
    assert rule and "var(--daempet)" in rule[1]
