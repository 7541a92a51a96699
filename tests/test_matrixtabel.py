"""Issue 22's Diagram | Tabel switch and downloads for the two charts that lacked honest ones, over HTTP as an
anonymous visitor: the comparison matrix on /sammenligning has the switch, a sentence of what it shows, and CSV and
Excel links to /api/v1/sammenligning, whose rows are exactly the matrix's cells (and nothing of an area the visitor
may not see); the indexed development chart's downloads and table give the index it draws, not the raw values."""
from __future__ import annotations

import io
import json
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from kdk.config import settings
from tests.dash_http import call, find_id, found, nodes, render
from tests.test_tabeltvilling import Table, charts, csv_link, csv_rows

MATRICE = "?kommune=101&sammenligningsomraade=skole&aar=2024&fane=matrice"


def matrix(client, app, search: str = MATRICE) -> dict:
    """The props of the matrix's figure (the chart with its switch) on the comparison page."""
    (figure,) = [f for f in charts(client, app, "/sammenligning", search)
                 if find(f, "Graph")["figure"]["data"][0]["type"] == "heatmap"]
    return figure


def find(tree, kind: str) -> dict:
    return next(n["props"] for n in nodes(tree) if n["type"] == kind)


def cells(figure: dict) -> list[tuple[str, str, int]]:
    """The heatmap's cells in reading order: (row's name, column's name, rank), the empty diagonal left out."""
    heat = find(figure, "Graph")["figure"]["data"][0]
    return [(y, x, z) for y, row in zip(heat["y"], heat["z"]) for x, z in zip(heat["x"], row) if z is not None]


@pytest.mark.parametrize("sorter", ["region", "navn"])
def test_the_matrix_csv_has_exactly_its_cells_in_its_order(client, app, sorter):
    figure = matrix(client, app, f"{MATRICE}&sorter={sorter}")
    rows = csv_rows(client, csv_link(figure))
    assert [(r["KOMMUNE_NAVN"], r["SAMMENLIGNET_NAVN"], int(r["RANG"])) for r in rows] == cells(figure)
    assert {(r["SAMMENLIGNINGSOMRAADE"], r["AAR"], r["DEMODATA"]) for r in rows} == {("skole", "2024", "Ja")}


def test_the_matrix_has_the_switch_a_sentence_and_links_like_every_chart(client, app):
    figure = matrix(client, app)
    buttons = [n["props"] for n in nodes(figure) if n["type"] == "Button"]
    assert [(b["children"], b["aria-pressed"]) for b in buttons] == [("Diagram", "true"), ("Tabel", "false")]
    title = find_id(figure, figure["aria-labelledby"])["children"]
    assert title == "Sammenligningsmatrice: Skole, 2024"
    sentence = find_id(figure, figure["aria-describedby"])["children"]
    assert sentence.startswith(f"Matrice: {title}") and "98 rækker og 98 kolonner" in sentence
    links = {a["props"]["children"]: a["props"]["href"] for a in found(figure, lambda d: d.get("type") == "A")}
    assert links["Excel"] == links["CSV"].replace("format=csv", "format=xlsx")
    answer = client.get(links["Excel"])
    assert answer.status_code == 200 and answer.data[:2] == b"PK"


def test_the_matrix_table_is_laid_out_as_the_matrix_with_headers(client, app):
    figure = matrix(client, app)
    heat = find(figure, "Graph")["figure"]["data"][0]
    answer = client.get(csv_link(figure).replace("format=csv", "format=html"))
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    table = Table(answer.data.decode("utf-8"))
    assert table.head == ["Kommune", *heat["x"]]
    assert [r[0] for r in table.rows] == heat["y"]
    assert [r[1:] for r in table.rows] == [["–" if z is None else str(int(z)) for z in row] for row in heat["z"]]
    assert {("thead", "th", "col"), ("tbody", "th", "row")} <= table.scopes
    assert "Sammenligningsmatrice: Skole, 2024" in table.caption and "demodata" in table.caption


def test_the_rows_can_be_narrowed_to_chosen_municipalities(client):
    rows = client.get("/api/v1/sammenligning?sammenligningsomraade=skole&aar=2024&kommune=147,101&format=json")
    data = rows.get_json()["data"]
    assert {r["kommunekode"] for r in data} == {"101", "147"} and len(data) == 2 * 97
    best = min((r for r in data if r["kommunekode"] == "101"), key=lambda r: r["rang"])
    assert best["rang"] == 1 and best["afstand"] > 0


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "html"])
def test_an_anonymous_visitor_gets_nothing_of_a_restricted_area(client, fmt):
    """`ubu` rests on a restricted outcome: to an anonymous visitor it is as unknown as an area that does not exist."""
    answers = [client.get(f"/api/v1/sammenligning?sammenligningsomraade={area}&format={fmt}")
               for area in ("ubu", "findesikke")]
    assert [a.status_code for a in answers] == [400, 400]
    texts = [a.get_json()["fejl"] if a.is_json else a.get_data(as_text=True) for a in answers]
    assert texts[0].replace("ubu", "findesikke") == texts[1]
    assert "Ukendt sammenligningsområde" in texts[0] and ", ubu" not in texts[0]


def test_a_token_with_the_area_gets_its_matrix(client, tmp_path, monkeypatch):
    """The restricted area is there for whom may see it: the anonymous 400 is its visibility, not a fault."""
    from kdk.auth import tokens, users

    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    token = tokens.create(users.add("anna", "korrekt-hest-batteri-hæfteklamme", "laeser", "101", {"ubu"}), "BI")
    url = "/api/v1/sammenligning?sammenligningsomraade=ubu&kommune=101&format=json"
    answer = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and len(answer.get_json()["data"]) == 97
    assert client.get(url).status_code == 400


@pytest.mark.parametrize("query", ["aar=1900", "aar=abc", "aar=2024&aar=2023", "sorter=tilfaeldig", "kommune=9999",
                                   "kommune=101;147", "format=px", "format=xml", "sammenligningsomraade=%00",
                                   "sammenligningsomraade=skole&sammenligningsomraade=aeldre", "sorter=", "aar=",
                                   "sammenligningsomraade="])
def test_a_bad_parameter_is_a_danish_400_never_a_500(client, query):
    fmt = "" if "format=" in query else "&format=json"
    answer = client.get(f"/api/v1/sammenligning?{query}{fmt}")
    assert answer.status_code == 400, answer.status_code
    message = answer.get_json()["fejl"] if answer.is_json else answer.get_data(as_text=True)
    assert any(word in message for word in ("Ukendt", "Angiv", "Ingen", "skal være", "findes som")), message


def test_the_endpoint_is_in_the_openapi_document_and_the_documentation(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/sammenligning" in paths
    page = client.get("/api/dokumentation").get_data(as_text=True)
    assert "/api/v1/sammenligning" in page


def development(client, app, path: str, search: str) -> tuple[dict, str]:
    """A key-figure page's development chart and the CSV link under it."""
    page = json.loads(render(client, app, path, search))
    caption = find_id(page, "noegletal-udvikling-hent")
    return find_id(page, "noegletal-udvikling")["figure"], csv_link(caption)


def plotted(figure: dict) -> dict[tuple[str, str], float]:
    return {(trace["name"], period): y for trace in figure["data"] for period, y in zip(trace["text"], trace["y"])
            if y is not None}


def downloaded(rows: list[dict]) -> dict[tuple[str, str], float]:
    return {(r["OMRAADE_NAVN"], r["TID"]): float(r["INDHOLD"].replace(",", ".")) for r in rows if r["INDHOLD"]}


INDEKSERET = [("/noegletal/oekonomi.udskrivningsprocent", "?kommuner=101,751&skala=indeks"),   # Aarhus: no 2015
              ("/noegletal/befolkning.taethed", "?skala=indeks")]


@pytest.mark.parametrize(("path", "search"), INDEKSERET)
def test_the_indexed_charts_csv_and_table_give_the_index_it_draws(client, app, path, search):
    figure, href = development(client, app, path, search)
    rows = csv_rows(client, href)
    assert downloaded(rows) == plotted(figure)
    unit = figure["layout"]["yaxis"]["title"]["text"].lower()   # "indeks (2015 = 100)", as the axis says
    basis = unit.split("(")[1].split(" ")[0]
    assert {r["ENHED"] for r in rows} == {unit} and f"&indeks={basis}" in href
    table = Table(client.get(href.replace("format=csv", "format=html")).data.decode("utf-8"))
    assert table.head[2] == f"Værdi ({unit})"
    assert {(r[0], r[1]): r[2] for r in table.rows}[(figure["data"][0]["name"], basis)] == "100,0"
    excel = client.get(href.replace("format=csv", "format=xlsx"))
    assert excel.status_code == 200 and unit.encode() in zip_text(excel.data)


def zip_text(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return b"".join(book.read(name) for name in book.namelist())


def test_choosing_the_index_in_the_picker_redraws_the_links_to_the_index(client, app):
    r = call(client, app, {"noegletal-kommuner.value": ["101", "147"], "noegletal-skala.value": "indeks",
                           "noegletal-url.search": ""},
             {"noegletal-kontekst.data": {"noegletal_id": "befolkning.taethed", "aar": "2025"},
              "noegletal-valg.data": {"kommuner": [], "skala": "niveau"}, "_pages_location.search": ""},
             "noegletal-skala.value")
    answer = r.get_json()["response"]
    rows = csv_rows(client, csv_link(answer["noegletal-udvikling-hent"]))
    assert downloaded(rows) == plotted(answer["noegletal-udvikling"]["figure"])


@pytest.mark.parametrize(("path", "search"), [*INDEKSERET,
                                              ("/noegletal/befolkning.indbyggere", "?kommuner=101,147,751"),
                                              ("/noegletal/befolkning.taethed", "?kommuner=101,147,751,461,851")])
def test_the_development_links_carry_exactly_the_areas_it_draws(client, app, path, search):
    """Every chosen municipality, and the whole country only where its line is drawn (not a count's sum)."""
    figure, href = development(client, app, path, search)
    assert {r["OMRAADE_NAVN"] for r in csv_rows(client, href)} == {trace["name"] for trace in figure["data"]}


@pytest.mark.parametrize("indeks", ["abc", "2015&indeks=2016", "", "1800"])
def test_a_bad_base_period_is_a_danish_400(client, indeks):
    answer = client.get(f"/api/v1/data?noegletal=befolkning.taethed&kommune=101&format=json&indeks={indeks}")
    assert answer.status_code == 400 and answer.get_json()["fejl"].startswith(("Ugyldigt basisår", "Angiv"))


def test_a_series_without_a_value_in_the_base_period_is_left_out_as_the_chart_leaves_it(client):
    query = "noegletal=oekonomi.udskrivningsprocent&kommune=101,751&periode=2015,2016&format=json"
    raw = {r["omraade_kode"] for r in client.get(f"/api/v1/data?{query}").get_json()["data"]}
    indexed = client.get(f"/api/v1/data?{query}&indeks=2015").get_json()["data"]
    assert raw == {"101", "751"} and {r["omraade_kode"] for r in indexed} == {"101"}
    assert [r["vaerdi"] for r in indexed][0] == 100.0


def test_the_whole_matrix_as_excel_is_limited_like_every_large_excel_export(app):
    """The whole matrix is 9 506 rows, seconds of openpyxl: beyond the per-worker limit a burst gets 429."""
    url = "/api/v1/sammenligning?sammenligningsomraade=skole&aar=2024&format=xlsx"
    limit = settings().xlsx_samtidige
    with ThreadPoolExecutor(limit + 3) as pool:
        answers = list(pool.map(lambda _: app.server.test_client().get(url), range(limit + 3)))
    codes = sorted(r.status_code for r in answers)
    assert set(codes) == {200, 429} and codes.count(200) >= limit, codes
    refused = next(r for r in answers if r.status_code == 429)
    assert int(refused.headers["Retry-After"]) > 0 and "CSV" in refused.get_json()["fejl"]


def test_the_matrix_table_marks_the_page_s_municipality_and_gives_each_rank_as_a_number(client, app):
    """The table the page asks for marks København, as the matrix outlines it, and each rank cell carries its number
    for sorting (assets/sortering.js) beside the text a reader sees; every column's header is a sort button."""
    link = csv_link(matrix(client, app)).replace("format=csv", "format=html")
    assert "fremhaev=101" in link
    text = client.get(link).data.decode("utf-8")
    assert re.findall(r'<tr class="egen"><th scope="row">([^<]*)</th>', text) == ["København"]
    assert re.findall(r'<th scope="col" class="egen"><button[^>]*>([^<]*)</button>', text) == ["København"]
    cells = re.findall(r'<td class="tal"( data-vaerdi="(\d+)")?>([^<]*)</td>', text)
    assert len(cells) == 98 * 98 and all(number == shown for _, number, shown in cells if number)
    assert sorted(shown for _, number, shown in cells if not number) == ["–"] * 98
    assert 'class="tvilling-data matrice-data sorterbar"' in text
    assert text.count('<button type="button" class="sorter"') == 99


def test_a_municipality_not_in_the_matrix_cannot_be_marked(client):
    answer = client.get("/api/v1/sammenligning?sammenligningsomraade=skole&aar=2024&format=html&fremhaev=999")
    assert answer.status_code == 400
    assert answer.get_json() == {"fejl": "Kan ikke fremhæve «999»: den er ikke blandt matricens kommuner."}
