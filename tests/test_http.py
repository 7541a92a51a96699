"""Every page and every server callback over HTTP, through the Flask test client on the real marts."""
from __future__ import annotations

import json
import re

import pytest

from tests.dash_http import call, choose, find_figure, find_id, href, nodes, patched, render

PAGE_CALLBACK = ".._pages_content.children..._pages_store.data.."


@pytest.mark.parametrize("url, status", [
    ("/", 200), ("/kommune/101", 200), ("/kommune/860?omraade=skole&aar=2020", 200),
    ("/?noegletal=befolkning.indbyggere&aar=2010", 200),
    ("/kommune/999", 404), ("/kommune/abc", 404), ("/findes-ikke", 404),
    ("/kommune/101?aar=abc", 400), ("/kommune/101?omraade=xyz", 400), ("/kommune/101?aar=2020&aar=2021", 400),
    ("/kommune/101?omraade=ubu", 400),   # restricted data area: not visible to anonymous viewers
    ("/kommune/101?omraade=oekonomi&side=1", 200), ("/kommune/101?omraade=oekonomi&side=2", 400),   # one page
    ("/kommune/101?omraade=oekonomi&side=0", 400), ("/kommune/101?omraade=oekonomi&side=x", 400),
    ("/kommune/101?side=1", 400),   # the overview has no pages
    ("/?noegletal=ubu.anbragte", 400), ("/?noegletal=beskaeftigelse.ledighed&aar=1999", 400),
])
def test_page_status(client, url, status):
    r = client.get(url)
    assert r.status_code == status
    text = r.data.decode()
    assert '<html lang="da">' in text
    assert "Traceback" not in text


def test_pages_are_compressed(client):
    r = client.get("/kommune/101", headers={"Accept-Encoding": "gzip, br"})
    assert r.headers.get("Content-Encoding") in {"gzip", "br"}


def test_profile_shows_real_population_and_unemployment_in_danish(client, app):
    page = render(client, app, "/kommune/101")
    assert "København" in page
    assert "644.431 (2022)" in page                       # real population, Danish thousands separator
    assert re.search(r"\d,\d pct\. \((jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\.? 2026\)", page)
    assert "Registreret ledighed" in page and "Region Hovedstaden" in page
    assert "ubu." not in page   # restricted figures are left out


def test_overview_shows_the_first_8_figures_of_an_area_and_links_to_all(client, app):
    page = json.loads(render(client, app, "/kommune/101"))
    sections = {node["props"]["id"]: json.dumps(node, ensure_ascii=False) for node in nodes(page)
                if str(node["props"].get("id", "")).startswith("omraade-")}
    economy = sections["omraade-oekonomi"]   # 9 key figures: the 9th (administration) is a link away
    assert economy.count('"id": "kort-') == 8 and "oekonomi.administration" not in economy
    assert "Se alle 9 nøgletal om økonomi" in economy and '"href": "/kommune/101?omraade=oekonomi"' in economy
    school = sections["omraade-skole"]   # 8 key figures: all shown, no extra link
    assert school.count('"id": "kort-') == 8 and "Se alle" not in school
    in_depth = render(client, app, "/kommune/101", "?omraade=oekonomi")
    assert in_depth.count('"id": "kort-') == 9 and "Side 1 af" not in in_depth   # one page: no pager


def test_profile_in_depth_and_year_state(client, app):
    page = render(client, app, "/kommune/101", "?omraade=skole&aar=2020")
    assert "Karaktergennemsnit" in page and "Befolkningstæthed" not in page
    assert '"value": "2020"' in page


def test_unknown_municipality_renders_the_danish_404(client, app):
    page = render(client, app, "/kommune/999")
    assert "Kommunen findes ikke" in page and "Gå til forsiden" in page


def test_unknown_path_renders_the_danish_404(client, app):
    assert "Siden findes ikke" in render(client, app, "/noget/andet")


def test_front_page_map_has_a_shape_per_municipality(client, app):
    page = json.loads(render(client, app, "/", "?noegletal=befolkning.taethed&aar=2022"))
    figure = find_figure(page)
    codes = {t["customdata"][0][0] for t in figure["data"] if t.get("customdata")}
    assert len(codes) == 98
    assert figure["layout"]["separators"] == ",."
    assert "Befolkningstæthed" in figure["layout"]["title"]["text"]
    assert "2022" in figure["layout"]["title"]["subtitle"]["text"]


def front_page(client, app, choice: dict, shown: tuple[str, str], changed: str, address_now: str = "") -> dict:
    """The front page callback's answer for a changed control or address, with (key figure, year) on screen and
    `address_now` the query in the browser's address bar."""
    inputs = {"forside-noegletal.value": shown[0], "forside-aar.value": shown[1], "forside-url.search": ""} | choice
    r = call(client, app, inputs, {"forside-kontekst.data": {"noegletal": shown[0], "aar": shown[1]},
                                   "_pages_location.search": address_now}, changed)
    assert r.status_code in (200, 204), r.data[:300]
    return r.get_json()["response"] if r.status_code == 200 else {}


@pytest.mark.parametrize("choice, changed, address", [
    ({"forside-aar.value": "2023"}, "forside-aar.value", "?noegletal=beskaeftigelse.ledighed&aar=2023"),
    ({"forside-noegletal.value": "befolkning.taethed"}, "forside-noegletal.value", "?noegletal=befolkning.taethed"),
    ({"forside-url.search": "?noegletal=skole.karakter&aar=2020"}, "forside-url.search", None),   # back/forward
])
def test_another_year_or_key_figure_patches_the_map_to_what_its_address_draws(client, app, choice, changed,
                                                                                address):
    shown = ("beskaeftigelse.ledighed", "2025")
    before = json.loads(render(client, app, "/"))
    answer = front_page(client, app, choice, shown, changed)
    search = address or choice["forside-url.search"]
    after = json.loads(render(client, app, "/", search))
    assert patched(find_figure(before), answer["forside-kort"]["figure"]) == find_figure(after)
    assert answer["forside-url"]["search"] == address if address else "forside-url" not in answer
    assert answer["forside-kort-hent"]["children"] == find_id(after, "forside-kort-hent")["children"]   # downloads
    assert answer["forside-kontekst"]["data"] == {"noegletal": answer["forside-noegletal"]["value"],
                                                  "aar": answer["forside-aar"]["value"]}
    assert answer["forside-aar"]["value"] in {o["value"] for o in answer["forside-aar"]["options"]}
    # colours and texts, not the outlines again
    assert not [op for op in answer["forside-kort"]["figure"]["operations"] if op["location"][-1] in ("x", "y")]
    assert len(json.dumps(answer)) < len(json.dumps(after)) / 5


def test_in_the_presentation_view_the_map_is_patched_in_its_large_type(client, app):
    """Back or forward in the presentation view: the patched map is the one the view draws, large type and all."""
    before = json.loads(render(client, app, "/", "?visning=praesentation"))
    search = "?aar=2023&visning=praesentation"
    answer = front_page(client, app, {"forside-url.search": search}, ("beskaeftigelse.ledighed", "2025"),
                        "forside-url.search", search)
    after = find_figure(json.loads(render(client, app, "/", search)))
    assert patched(find_figure(before), answer["forside-kort"]["figure"]) == after
    assert after["layout"]["title"]["subtitle"]["font"]["size"] >= 18


def test_front_page_controls_do_nothing_for_what_is_shown_or_not_allowed(client, app):
    shown = ("beskaeftigelse.ledighed", "2024")
    assert front_page(client, app, {}, shown, "forside-aar.value") == {}   # the page's own render
    assert front_page(client, app, {"forside-url.search": "?noegletal=beskaeftigelse.ledighed&aar=2024"}, shown,
                      "forside-url.search") == {}
    for choice in ({"forside-noegletal.value": "ubu.anbragte"}, {"forside-aar.value": "1999"},
                   {"forside-noegletal.value": None}, {"forside-url.search": "?aar=1999"}):
        assert front_page(client, app, choice, shown, next(iter(choice))) == {}, choice


def test_map_click_opens_the_profile(client, app):
    click = {"points": [{"customdata": ["751"]}]}
    assert href(call(client, app, {"forside-kort.clickData": click})) == "/kommune/751"
    assert call(client, app, {"forside-kort.clickData": {"points": []}}).status_code == 204


@pytest.mark.parametrize("body", [
    "not json", {"output": "nav.href"}, {"output": "no.such.callback", "inputs": []},
    {"output": "nav.href", "inputs": [], "state": []},
    {"output": "nav.href", "inputs": "x", "state": []},
    {"output": PAGE_CALLBACK, "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/"}]},
    [1, 2, 3],
])
def test_malformed_callback_requests_get_400(client, body):
    if isinstance(body, str):
        r = client.post("/_dash-update-component", data=body, content_type="application/json")
    else:
        r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 400
    assert r.get_json() == {"fejl": "Ugyldig forespørgsel til serveren."}


@pytest.mark.parametrize("url, status", [
    ("/sammenligning", 200), ("/sammenligning?kommune=101", 200),
    ("/sammenligning?kommune=101&sammenligningsomraade=skole&k=5&aar=2020", 200),
    ("/sammenligning?kommune=101&fane=matrice&sorter=navn", 200),
    ("/sammenligning?kommune=101&saet=147,151", 200),
    ("/sammenligning?kommune=999", 400), ("/sammenligning?kommune=101&k=7", 400),
    ("/sammenligning?kommune=101&sammenligningsomraade=skolen", 400), ("/sammenligning?kommune=101&saet=101", 400),
    ("/sammenligning?kommune=101&saet=147,abc", 400), ("/sammenligning?kommune=101&aar=1990", 400),
    ("/sammenligning?kommune=101&sammenligningsomraade=skole&noegletal=aeldre.udgift", 400),
])
def test_comparison_page_status(client, url, status):
    assert client.get(url).status_code == status


def test_comparison_page_lists_the_group_with_method_and_charts(client, app):
    page = json.loads(render(client, app, "/sammenligning", "?kommune=101&sammenligningsomraade=skole&k=5"))
    text = json.dumps(page, ensure_ascii=False)
    assert "De 5 kommuner, der ligner København mest: skole" in text
    assert text.count('"href": "/kommune/') >= 5
    assert "Sådan er grupperne fundet" in text and "R²" in text
    figure = find_figure(page)
    assert figure["layout"]["title"]["text"] == "Folkeskoleudgifter pr. elev"


def test_comparison_matrix_tab(client, app):
    page = json.loads(render(client, app, "/sammenligning", "?kommune=101&fane=matrice"))
    heatmap = find_figure(page)["data"][0]
    assert heatmap["type"] == "heatmap" and len(heatmap["z"]) == len(heatmap["y"]) == 98
    assert all(len(row) == 98 and row[i] is None for i, row in enumerate(heatmap["z"]))   # none ranked against itself
    assert sorted(r for r in heatmap["z"][0] if r is not None) == list(range(1, 98))


def test_comparison_controls_write_the_url(client, app):
    context = {"kommune": "101", "sammenligningsomraade": "skole", "aar": "2024", "k": "10",
               "noegletal": "skole.karakter", "saet": "147,151"}
    assert href(choose(client, app, "k", "5", context)) == (
        "/sammenligning?kommune=101&sammenligningsomraade=skole&aar=2024&k=5&noegletal=skole.karakter")
    assert href(choose(client, app, "sammenligningsomraade", "aeldre", context)) == (
        "/sammenligning?kommune=101&sammenligningsomraade=aeldre&k=10")
    added = href(choose(client, app, "tilfoej", "461", context))
    assert "saet=147%2C151%2C461" in added
    fresh = href(choose(client, app, "tilfoej", "461", {**context, "saet": None}))
    assert fresh.count("%2C") == 10   # the computed 10 plus the added one


def test_every_server_callback_is_covered_here(app, client):
    client.get("/")
    tested = {"forside-noegletal.value", "forside-kort.clickData",
              "_pages_location.pathname", '{"param":["ALL"],"type":"sammenligning-valg"}.value',
              "katalog-soeg.value", "noegletal-aar.value", "noegletal-kort.clickData",   # test_katalog_http.py
              "noegletal-kommuner.value",   # test_jaevnfoer.py
              "publicering-start.n_clicks", "publicering-interval.n_intervals", "excel-noegletal.value",
              "publikation-start.n_clicks", "publikation-interval.n_intervals",   # test_publikation.py
              "forside-kontekst.data", "noegletal-kontekst.data",   # test_kortliste_http.py
              "tabel-noegletal.value"}   # test_tabel.py
    server_side = {f"{_id(v['inputs'][0]['id'])}.{v['inputs'][0]['property']}" for k, v in app.callback_map.items()
                   if v.get("callback") is not None}
    assert len(server_side) >= 10
    assert server_side <= tested, f"callbacks without an HTTP test: {server_side - tested}"


def _id(component_id) -> str:
    return component_id if isinstance(component_id, str) else json.dumps(component_id, separators=(",", ":"),
                                                                          sort_keys=True)
