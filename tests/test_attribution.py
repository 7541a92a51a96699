"""Every real source's attribution, as kilder.toml words it, travels with its figures: in the footer of the pages,
in the API's CSV, JSON and Excel answers an anonymous caller fetches, and in the databank's CSV and PX files. Checked
for a Statistics Denmark yearly figure (Gini) and for life expectancy (HISBK), and for every real figure in the API
and under its charts. The source is found by the figure's field, not its wording: a reworded source text keeps it."""
from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from tests.dash_http import find_figure, nodes, render
from tests.test_spreadsheet_safety import edited_copy

FIGURES = {"befolkning.gini": "dst", "sundhed.middellevetid": "dst-middellevetid"}


@pytest.fixture(scope="module")
def attribution(con) -> dict[str, str]:
    """The attribution of each source by id, from the marts' copy of kilder.toml."""
    return dict(con.execute("SELECT id, attribution FROM kilde").fetchall())


def api(figure: str, fmt: str) -> str:
    return f"/api/v1/data?noegletal={figure}&kommune=101,000&format={fmt}"


def test_the_footer_of_a_page_names_every_real_source(client, attribution):
    client.get("/noegletal/befolkning.gini")
    page = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)   # the frame the browser draws
    for kilde_id, text in attribution.items():
        if kilde_id != "demo":
            assert text in page, kilde_id


@pytest.mark.parametrize("figure", FIGURES)
def test_the_api_csv_json_and_excel_carry_the_attribution(client, attribution, figure):
    wanted = attribution[FIGURES[figure]]
    csv = pd.read_csv(io.BytesIO(client.get(api(figure, "csv")).data), sep=";", dtype=str, encoding="utf-8-sig")
    assert len(csv) and (csv["KILDE"] == wanted).all()
    answer = client.get(api(figure, "json")).get_json()
    assert answer["kilder"] == {figure: wanted}
    sheet = pd.read_excel(io.BytesIO(client.get(api(figure, "xlsx")).data), sheet_name="Data", dtype=str)
    assert len(sheet) and (sheet["KILDE"] == wanted).all()


@pytest.mark.langsom   # builds the whole databank bundle: about 16 s
@pytest.mark.parametrize("figure", FIGURES)
def test_the_databank_csv_and_px_carry_the_attribution(export_bundle, attribution, figure):
    wanted = attribution[FIGURES[figure]]
    csv = pd.read_csv(io.BytesIO(export_bundle.read("noegletal.csv")), sep=";", dtype=str, encoding="utf-8-sig")
    assert set(csv.loc[csv["NOEGLETAL_ID"] == figure, "KILDE"]) == {wanted}
    matrix = figure.replace(".", "_").upper()
    files = [n for n in export_bundle.namelist() if n.startswith("px/")
             and f'MATRIX="{matrix}"' in export_bundle.read(n).decode("windows-1252")]
    assert files
    for name in files:
        assert f'SOURCE="{wanted}";' in export_bundle.read(name).decode("windows-1252"), name


def test_every_real_figure_in_the_catalogue_has_a_source_in_the_api(client, attribution):
    real = [f["noegletal_id"] for f in client.get("/api/v1/noegletal?format=json").get_json()["noegletal"]
            if not f["demodata"]]
    assert len(real) >= 10
    for figure in real:
        assert client.get(api(figure, "json")).get_json()["kilder"][figure] in attribution.values(), figure


def chart_source(client, app, figure: str) -> str:
    """The note under the title of the first chart on the figure's page: the source line and the direction."""
    page = json.loads(render(client, app, f"/noegletal/{figure}"))
    return find_figure(page)["layout"]["title"]["subtitle"]["text"]


def test_the_chart_of_every_real_figure_names_its_sources_attribution(client, app):
    real = [f["noegletal_id"] for f in client.get("/api/v1/noegletal?format=json").get_json()["noegletal"]
            if not f["demodata"]]
    for figure in real:
        wanted = client.get(api(figure, "json")).get_json()["kilder"][figure]
        assert f"{wanted}<br>" in chart_source(client, app, figure), figure


def test_a_reworded_source_text_keeps_the_figures_attribution(fresh_marts, monkeypatch, client, app, attribution):
    con = edited_copy(fresh_marts, monkeypatch)
    con.execute("UPDATE dim_noegletal SET kilde = 'Omformuleret. Ingen kilde står først' "
                "WHERE noegletal_id = 'befolkning.gini'")
    con.close()
    csv = pd.read_csv(io.BytesIO(client.get(api("befolkning.gini", "csv")).data), sep=";", dtype=str,
                      encoding="utf-8-sig")
    assert (csv["KILDE"] == attribution["dst"]).all()
    assert f"{attribution['dst']}<br>" in chart_source(client, app, "befolkning.gini")


def test_the_footer_links_a_source_to_its_own_site(client, con):
    client.get("/")
    frame = client.get("/_dash-layout").get_json()
    sites = dict(con.execute("SELECT attribution, url FROM kilde WHERE url <> ''").fetchall())
    assert sites
    links = {node["props"]["children"]: node["props"]["href"] for node in nodes(frame)
             if node["type"] == "A" and isinstance(node["props"].get("children"), str)
             and node["props"]["children"] in sites}
    assert links == sites

