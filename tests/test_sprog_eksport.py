"""The API and the exports in English (`lang=en`): the same keys, codes and numbers as in Danish, English labels,
column names and messages; an unknown language is a 400; the PX file carries both languages and an independent
reader (pyaxis) reads it in each, with the same values."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from pyaxis import pyaxis

from kdk import periods, sprog
from kdk.db import Marts
from kdk.export import px
from kdk.export.rows import Selection, export_rows
from kdk.queries.scope import ANONYMOUS
from tests.conftest import altered

DATA = "/api/v1/data?noegletal=beskaeftigelse.ledighed,skole.karakter&kommune=000,1081,101,741"
JSON = {"Accept": "application/json"}


def test_json_in_english_has_the_same_keys_codes_and_values_with_english_labels(client):
    da = client.get(DATA + "&format=json").get_json()
    en = client.get(DATA + "&format=json&lang=en").get_json()
    assert en.keys() == da.keys() and [r.keys() for r in en["data"]] == [r.keys() for r in da["data"]]
    strip = ("omraade_navn",)
    assert ([{k: v for k, v in r.items() if k not in strip} for r in en["data"]]
            == [{k: v for k, v in r.items() if k not in strip} for r in da["data"]])
    names = {r["omraade_kode"]: r["omraade_navn"] for r in en["data"]}
    assert names["000"] == "All of Denmark" and names["101"] == "København"   # a proper name stays


@pytest.mark.parametrize("path", ["/api/v1/data?format=json", "/api/v1/data?noegletal=xx.yy&format=json",
                                  "/api/v1/sammenligning?sorter=x&format=json", "/api/v1/noegletal?format=xlsx",
                                  "/api/v1/data?noegletal=skole.karakter&periode=20x4&format=json"])
def test_a_bad_request_in_english_gets_an_english_message_under_the_same_key(client, path):
    da = client.get(path, headers=JSON)
    en = client.get(path + "&lang=en", headers=JSON)
    assert en.status_code == da.status_code == 400
    assert set(en.get_json()) == {"fejl"} and en.get_json()["fejl"] != da.get_json()["fejl"]
    message = en.get_json()["fejl"]
    assert not any(word in message for word in ("Angiv", "Ukendt", "Brug", "findes", "eller"))
    assert any(word in message for word in ("Give", "Unknown", "Use", "available"))


@pytest.mark.parametrize("path", ["/api/v1/noegletal", "/api/v1/data?noegletal=skole.karakter",
                                  "/api/v1/sammenligning", "/api/v1/openapi.json", "/api/v1"])
@pytest.mark.parametrize("lang", ["xx", "EN", "", "en&lang=da"])
def test_an_unknown_language_is_a_400_that_says_so_in_both_languages(client, path, lang):
    r = client.get(f"{path}{'&' if '?' in path else '?'}format=json&lang={lang}", headers=JSON)
    assert r.status_code == 400
    message = r.get_json()["fejl"]
    assert "Ukendt sprog" in message and "Unknown language" in message and "lang=en" in message


def test_the_csv_in_english_has_english_columns_labels_and_decimal_points(client):
    da = client.get(DATA).data.decode("utf-8-sig").split("\r\n")
    en = client.get(DATA + "&lang=en").data.decode("utf-8-sig").split("\r\n")
    assert en[0] == "KEY_FIGURE_ID;KEY_FIGURE;DATA_AREA;UNIT;AREA;AREA_NAME;TIME;VALUE;STATUS;DEMO_DATA;SOURCE"
    assert len(en) == len(da)
    assert ";000;All of Denmark;2024M03;" in "\n".join(en) and ";000;Hele landet;2024M03;" in "\n".join(da)
    table = pd.read_csv(io.StringIO("\n".join(en)), sep=";", dtype={"AREA": str, "TIME": str, "STATUS": "string"})
    danish = pd.read_csv(io.StringIO("\n".join(da)), sep=";", decimal=",",
                         dtype={"OMRAADE": str, "TID": str, "STATUS": "string"})
    assert table["VALUE"].dtype == float and table["VALUE"].equals(danish["INDHOLD"])   # a decimal point in English
    assert set(table["DEMO_DATA"]) <= {"Yes", "No"} and list(table["AREA"]) == list(danish["OMRAADE"])
    assert (table["STATUS"].fillna("") == danish["STATUS"].fillna("")).all()         # the codes are the same


def test_the_workbook_in_english_has_english_sheets_columns_and_legend_and_number_cells(client):
    da = openpyxl.load_workbook(io.BytesIO(client.get(DATA + "&format=xlsx").data))
    en = openpyxl.load_workbook(io.BytesIO(client.get(DATA + "&format=xlsx&lang=en").data))
    assert da.sheetnames == ["Data", "Om data"] and en.sheetnames == ["Data", "About the data"]
    rows_en, rows_da = list(en["Data"].values), list(da["Data"].values)
    assert rows_en[0][:4] == ("KEY_FIGURE_ID", "KEY_FIGURE", "DATA_AREA", "UNIT")
    assert [r[7] for r in rows_en[1:]] == [r[7] for r in rows_da[1:]]               # the same number cells
    assert any(isinstance(r[7], float) for r in rows_en[1:])
    about = [c for row in en["About the data"].values for c in row if isinstance(c, str)]
    assert "Data extraction" in about and "Meaning" in about and "Preliminary value" in about
    assert ("Key figure", "Title", "Definition", "Unit", "Source", "Demo data") in list(en["About the data"].values)
    assert not {"Dataudtræk", "Betydning", "Foreløbig værdi"} & set(about)


def test_the_comparison_matrix_csv_in_english(client):
    en = client.get("/api/v1/sammenligning?lang=en").data.decode("utf-8-sig").split("\r\n")
    assert en[0].startswith("COMPARISON_AREA;YEAR;MUNICIPALITY;MUNICIPALITY_NAME;")


def test_the_html_table_in_english(client):
    html = client.get(DATA + "&format=html&lang=en").get_data(as_text=True)
    assert '<th scope="col">Area</th>' in html and '<th scope="row">All of Denmark</th>' in html
    assert "Område" not in html and "Hele landet" not in html


def test_the_html_table_in_english_names_months_and_quarters_in_english(client):
    html = client.get("/api/v1/data?noegletal=beskaeftigelse.ledighed&kommune=000&periode=2024M03&format=html"
                      "&lang=en").get_data(as_text=True)
    assert "<td>Mar 2024</td>" in html and "mar. 2024" not in html
    danish = client.get("/api/v1/data?noegletal=beskaeftigelse.ledighed&kommune=000&periode=2024M03&format=html")
    assert "<td>mar. 2024</td>" in danish.get_data(as_text=True)
    with sprog.brug("en"):
        assert [periods.label(p) for p in ("2024", "2024K1", "2024M09", "2021:2025")] == [
            "2024", "Q1 2024", "Sept 2024", "2021–2025"]
    assert [periods.label(p) for p in ("2024K1", "2024M09")] == ["1. kvt. 2024", "sep. 2024"]


def test_the_openapi_document_documents_lang_and_is_english_on_request(client):
    da = client.get("/api/v1/openapi.json").get_json()
    en = client.get("/api/v1/openapi.json?lang=en").get_json()
    for doc in (da, en):
        for path, operations in doc["paths"].items():
            lang = [p for p in operations["get"]["parameters"] if p["name"] == "lang"]
            assert lang and lang[0]["schema"]["enum"] == ["da", "en"], path
    assert en["paths"].keys() == da["paths"].keys()
    assert en["paths"]["/api/v1/noegletal"]["get"]["summary"] == "The key-figure catalogue"
    assert "KEY_FIGURE_ID" in en["info"]["description"]


def test_the_api_documentation_page_in_english(client):
    page = client.get("/en/api/dokumentation")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Parameters for /api/v1/data" in text and "Required" in text and "API key" in text
    assert "Påkrævet" not in text and "Eksempler" not in text
    assert 'href="/api/v1/data?noegletal=beskaeftigelse.fuldtidsledighed&amp;kommune=101,147&amp;format=csv' \
           '&amp;lang=en"' in text   # the examples answer in English
    assert 'href="/en/brug-i-excel"' in text


def test_the_api_index_in_english_points_to_english_answers(client):
    links = client.get("/api/v1?lang=en", headers=JSON).get_json()
    assert set(links) == set(client.get("/api/v1", headers=JSON).get_json())
    assert all(url.endswith("lang=en") for url in links.values())


def test_a_browser_at_the_bare_api_in_english_gets_the_english_page_with_the_message(client):
    r = client.get("/api/v1/data?lang=en", headers={"Accept": "text/html"})
    text = r.get_data(as_text=True)
    assert r.status_code == 400 and "Give at least one key figure" in text and "API documentation" in text


@pytest.fixture
def english_title(fresh_marts):
    """Marts in which one key figure has an English title (as the catalogue's English columns give it)."""
    return altered(fresh_marts, "engelsk-titel",
                   ("ALTER TABLE dim_noegletal ADD COLUMN IF NOT EXISTS titel_en VARCHAR", []),
                   ("UPDATE dim_noegletal SET titel_en = CASE noegletal_id WHEN 'skole.karakter' "
                    "THEN 'Average grade, 9th grade exams' END", []))


def test_the_px_file_holds_both_languages_and_pyaxis_reads_each_with_the_same_values(english_title, tmp_path):
    rows = export_rows(Marts(english_title.marts_path), ANONYMOUS, Selection(noegletal=("skole.karakter",)))
    [(name, group)] = px.matrices(rows)
    path = tmp_path / name
    path.write_bytes(px.write(group, dt.date(2026, 8, 22)))
    text = path.read_bytes().decode("windows-1252")
    assert 'LANGUAGE="da";' in text and 'LANGUAGES="da","en";' in text
    read = {lang: pyaxis.parse(str(path), encoding="windows-1252", lang=lang, null_values=r'^"\.\.\."$',
                               sd_values=r'^"\.\.\"$') for lang in ("da", "en")}
    da, en = read["da"], read["en"]
    demo = bool(group["demodata"].iloc[0])
    assert da["METADATA"]["TITLE"] == [f"{group['titel_da'].iloc[0]} efter område og tid" + " (demodata)" * demo]
    assert en["METADATA"]["TITLE"] == ["Average grade, 9th grade exams by area and time" + " (demo data)" * demo]
    assert en["METADATA"]["CONTENTS"] == ["Average grade, 9th grade exams"]
    assert en["METADATA"]["STUB"] == ["area"] and en["METADATA"]["HEADING"] == ["time"]
    assert list(en["DATA"].columns) == ["area", "time", "DATA"] and list(da["DATA"].columns) == ["område", "tid",
                                                                                                   "DATA"]
    assert en["DATA"]["DATA"].equals(da["DATA"]["DATA"]) and en["DATA"]["time"].equals(da["DATA"]["tid"])
    land = da["DATA"]["område"] == "Hele landet"
    assert land.any() and (en["DATA"]["area"][land] == "All of Denmark").all()
    assert en["DATA"]["area"][~land].equals(da["DATA"]["område"][~land])   # proper names stay
    assert en["DATA"]["DATA"].notna().sum() > 90


def test_english_rows_give_the_english_title_or_the_danish_marked_as_untranslated(english_title):
    with sprog.brug("en"):
        rows = export_rows(Marts(english_title.marts_path), ANONYMOUS, Selection(
            noegletal=("beskaeftigelse.ledighed", "skole.karakter"), omraader=("000",)))
    titles, danish = dict(zip(rows["noegletal_id"], rows["titel"])), dict(zip(rows["noegletal_id"], rows["titel_da"]))
    assert titles["skole.karakter"] == "Average grade, 9th grade exams"
    assert titles["beskaeftigelse.ledighed"] == f"{danish['beskaeftigelse.ledighed']} {sprog.MANGLER}"
    assert set(rows["omraade_navn"]) == {"All of Denmark"}


def test_the_px_file_notes_an_estimate_in_both_languages(built):
    rows = export_rows(Marts(built.marts_path), ANONYMOUS, Selection(noegletal=("skole.karakter",),
                                                                      omraader=("000", "101", "147")))
    year = rows["periode"].eq("2016")
    rows = rows.assign(status=rows["status"].mask(rows["periode"].eq("2015") | (year & rows["omraade_kode"].eq("000")),
                                                  "estimat"))
    text = px.write(rows, dt.date(2026, 8, 22)).decode("windows-1252")
    assert ('CELLNOTE("*","2015")="Estimat: omregnet til nuværende kommuner.";\r\n'
            'CELLNOTE[en]("*","2015")="Estimate: recalculated to today\'s municipalities.";') in text
    assert ('CELLNOTE("Hele landet","2016")="Estimat: omregnet til nuværende kommuner.";\r\n'
            'CELLNOTE[en]("All of Denmark","2016")="Estimate: recalculated to today\'s municipalities.";') in text
