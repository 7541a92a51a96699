"""Every real source's attribution, as kilder.toml words it, travels with its figures: in the footer of the pages,
in the API's CSV, JSON and Excel answers an anonymous caller fetches, and in the databank's CSV and PX files. Checked
for a Statistics Denmark yearly figure (Gini) and for life expectancy (HISBK), and for every real figure in the API."""
from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest

from kdk.db import Marts
from kdk.export.bundle import build_bundle
from kdk.queries.scope import ANONYMOUS

FIGURES = {"befolkning.gini": "dst", "sundhed.middellevetid": "dst-middellevetid"}


@pytest.fixture(scope="module")
def attribution(con) -> dict[str, str]:
    """The attribution of each source by id, from the marts' copy of kilder.toml."""
    return dict(con.execute("SELECT id, attribution FROM kilde").fetchall())


@pytest.fixture(scope="module")
def bundle(built, con, tmp_path_factory) -> zipfile.ZipFile:
    release = con.execute("SELECT release_id FROM release").fetchone()[0]
    return zipfile.ZipFile(build_bundle(Marts(built.marts_path), ANONYMOUS, release, tmp_path_factory.mktemp("b"),
                                        ("csv", "px", "xlsx")))


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


@pytest.mark.parametrize("figure", FIGURES)
def test_the_databank_csv_and_px_carry_the_attribution(bundle, attribution, figure):
    wanted = attribution[FIGURES[figure]]
    csv = pd.read_csv(io.BytesIO(bundle.read("noegletal.csv")), sep=";", dtype=str, encoding="utf-8-sig")
    assert set(csv.loc[csv["NOEGLETAL_ID"] == figure, "KILDE"]) == {wanted}
    matrix = figure.replace(".", "_").upper()
    files = [n for n in bundle.namelist() if n.startswith("px/")
             and f'MATRIX="{matrix}"' in bundle.read(n).decode("windows-1252")]
    assert files
    for name in files:
        assert f'SOURCE="{wanted}";' in bundle.read(name).decode("windows-1252"), name


def test_every_real_figure_in_the_catalogue_has_a_source_in_the_api(client, attribution):
    real = [f["noegletal_id"] for f in client.get("/api/v1/noegletal?format=json").get_json()["noegletal"]
            if not f["demodata"]]
    assert len(real) >= 10
    for figure in real:
        assert client.get(api(figure, "json")).get_json()["kilder"][figure] in attribution.values(), figure
