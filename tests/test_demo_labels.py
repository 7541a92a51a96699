"""Generated demo data is labelled in every output: a DEMODATA column in the databank CSV, on every API row (csv,
json, xlsx) and in the OpenAPI schema, a NOTEX in a demo figure's PX file, the first sentence of the comparison
page's first sentence, and the share of generated values on /publicering."""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from pyaxis import pyaxis

from kdk import format as fmt
from kdk.auth import users
from tests.dash_http import render
from tests.test_admin import sign_in_with_code
from tests.test_auth import GOOD
from tests.test_spreadsheet_safety import edited_copy

API = "/api/v1/data?noegletal=skole.karakter,beskaeftigelse.ledighed&kommune=101,000&periode=2024"
DEMO_NOTE = "Værdierne er genererede demodata, ikke officiel statistik."


@pytest.fixture(scope="module")
def demo(con) -> dict[str, bool]:
    """The catalogue's demo flag by key figure id."""
    return dict(con.execute("SELECT noegletal_id, demodata FROM dim_noegletal").fetchall())


COUNTS = """SELECT count(*) FILTER (WHERE d.demodata), count(*) FROM fct_noegletal f
            JOIN dim_noegletal d USING (noegletal_id)"""   # the generated values and all values of the release


@pytest.mark.langsom   # builds the whole databank bundle: about 16 s
def test_the_databank_csv_marks_every_generated_row(export_bundle, demo, con):
    csv = pd.read_csv(io.BytesIO(export_bundle.read("noegletal.csv")), sep=";", decimal=",", dtype=str,
                      encoding="utf-8-sig")
    assert list(csv.columns)[-2:] == ["DEMODATA", "KILDE"]          # added last columns: old readers keep theirs
    assert (csv["DEMODATA"] == csv["NOEGLETAL_ID"].map(demo).map({True: "Ja", False: "Nej"})).all()
    generated, total = con.execute(COUNTS).fetchone()
    assert (csv["DEMODATA"] == "Ja").sum() == generated and len(csv) == total


@pytest.mark.langsom   # builds the whole databank bundle: about 16 s
def test_a_demo_figures_px_file_says_so_in_a_mandatory_note(export_bundle, tmp_path):
    for name, is_demo in (("px/skole_karakter.px", True), ("px/beskaeftigelse_ledighed.px", False)):
        path = tmp_path / name.split("/")[1]
        path.write_bytes(export_bundle.read(name))
        metadata = pyaxis.parse(str(path), encoding="windows-1252")["METADATA"]
        assert (metadata.get("NOTEX") == [DEMO_NOTE]) == is_demo, name


def test_every_api_row_says_whether_it_is_demo_data(client, demo):
    rows = client.get(API + "&format=json").get_json()["data"]
    assert len(rows) == 4 and all(r["demodata"] is demo[r["noegletal_id"]] for r in rows)
    csv = pd.read_csv(io.BytesIO(client.get(API).data), sep=";", decimal=",", dtype=str, encoding="utf-8-sig")
    sheet = pd.read_excel(io.BytesIO(client.get(API + "&format=xlsx").data), sheet_name="Data", dtype=str)
    for table in (csv, sheet):
        assert list(table.columns)[-2:] == ["DEMODATA", "KILDE"]
        assert dict(zip(table["NOEGLETAL_ID"], table["DEMODATA"])) == {"skole.karakter": "Ja",
                                                                        "beskaeftigelse.ledighed": "Nej"}


def test_the_openapi_schema_lists_the_demo_flag_on_a_row(client):
    schema = client.get("/api/v1/openapi.json").get_json()
    row = schema["paths"]["/api/v1/data"]["get"]["responses"]["200"]["content"]["application/json"]["schema"][
        "properties"]["data"]["items"]
    assert "demodata" in row["required"] and row["properties"]["demodata"]["type"] == "boolean"
    assert schema["info"]["description"].rstrip(".").endswith(";STATUS;DEMODATA;KILDE")


def first_sentence(client, app) -> str:
    """The first sentence under the comparison group's heading."""
    page = render(client, app, "/sammenligning", "?kommune=101&sammenligningsomraade=skole")
    return re.search(r'"children": "De \d+ kommuner, der ligner [^"]+".*?"children": "([^"]+)"', page)[1]


def test_the_comparison_page_starts_by_saying_the_groups_rest_on_generated_data(client, app):
    method = first_sentence(client, app)
    assert method.startswith("Grupperne bygger på genererede demodata – ikke officiel statistik: udgiften og 3 af 8 "
                             "strukturelle forhold er demodata."), method



def test_the_comparison_method_does_not_say_so_when_all_its_data_are_real(fresh_marts, monkeypatch, client, app):
    con = edited_copy(fresh_marts, monkeypatch)
    con.execute("UPDATE dim_noegletal SET demodata = false")
    con.close()
    assert first_sentence(client, app).startswith("København ligner ")


def test_the_publication_page_warns_how_much_of_the_bundle_is_generated(client, app, userdb, con):
    users.add("red", GOOD, "redaktion")
    sign_in_with_code(client, "red")
    page = render(client, app, "/publicering")
    generated, total = con.execute(COUNTS).fetchone()
    share = fmt.number(100 * generated / total)
    assert f"{fmt.number(generated)} af {fmt.number(total)} værdier ({share} pct.) er genererede demodata – ikke " \
           "officiel statistik" in page
