"""Exports in the databank formats: golden CSV, independent read-back (pandas, pyaxis), identical bytes twice,
the command line, and scope rules (restricted and embargoed data)."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from pyaxis import pyaxis

from kdk.cli import main
from kdk.config import settings
from kdk.db import Marts
from kdk.export import px, statbank
from kdk.export.bundle import build_bundle
from kdk.export.rows import Selection, export_rows
from kdk.marts.katalog import load_catalogue
from kdk.queries.scope import ANONYMOUS, Scope

GOLDEN = Path(__file__).parent / "golden" / "udsnit.csv"
EVERYTHING = Scope(omraader=frozenset({"personale", "ubu"}), se_embargo=True)


@pytest.fixture(scope="module")
def marts(built):
    return Marts(built.marts_path)


@pytest.fixture(scope="module")
def release_id(con):
    return con.execute("SELECT release_id FROM release").fetchone()[0]


def within_rounding(written: pd.Series, value: pd.Series, decimals: pd.Series) -> bool:
    """The written number is the marts value rounded to the key figure's decimals (half away from zero)."""
    step = 10.0 ** -decimals.astype(float)
    return bool(((written - value).abs() <= step / 2 + 1e-9).all() and len(written) > 0)


def test_golden_csv_byte_for_byte(marts):
    rows = export_rows(marts, ANONYMOUS, Selection(
        noegletal=("beskaeftigelse.langtidsledige", "beskaeftigelse.ledighed"), perioder=("2024M03",),
        omraader=("000", "1081", "1082", "101", "147", "665", "741", "825")))
    data = statbank.write(rows)
    assert data == GOLDEN.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")                                   # UTF-8 BOM
    text = data.decode("utf-8-sig")
    assert text.count("\r\n") == len(text.splitlines()) and "\n" not in text.replace("\r\n", "")   # CRLF only
    lines = text.split("\r\n")
    assert lines[0] == "NOEGLETAL_ID;NOEGLETAL;DATAOMRAADE;ENHED;OMRAADE;OMRAADE_NAVN;TID;INDHOLD;STATUS;DEMODATA;KILDE"
    assert lines[1].split(";")[4:6] == ["000", "Hele landet"]                 # hele landet first
    assert ";101;København;2024M03;" in text and ";3,6;" in text               # text codes, decimal comma
    assert ";741;Samsø;2024M03;;.." in text                                   # suppressed: empty with ..


def test_full_export_reads_back_exactly_with_pandas(marts, con):
    data = statbank.write(export_rows(marts, EVERYTHING))
    df = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", dtype={"OMRAADE": str}, low_memory=False)
    df["TID"] = df["TID"].astype(str)   # years read as numbers, months as text
    facts = con.execute("""SELECT f.noegletal_id, f.omraade_kode, f.periode, f.vaerdi, d.decimaler, f.status
                           FROM fct_noegletal f JOIN dim_noegletal d USING (noegletal_id)""").df()
    both = df.merge(facts, left_on=["NOEGLETAL_ID", "OMRAADE", "TID"],
                    right_on=["noegletal_id", "omraade_kode", "periode"], how="outer", indicator=True)
    assert (both["_merge"] == "both").all() and len(df) == len(facts)
    shown = both["status"] == "normal"
    assert within_rounding(both.loc[shown, "INDHOLD"], both.loc[shown, "vaerdi"], both.loc[shown, "decimaler"])
    assert both.loc[~shown, "INDHOLD"].isna().all()
    assert set(both.loc[both["status"] == "diskretioneret", "STATUS"]) == {".."}
    assert df.columns[0] == "NOEGLETAL_ID"   # the BOM is read as the encoding mark, not part of the name
    assert df["OMRAADE"].str.fullmatch(r"000|10\d\d|\d{3}").all()


def test_px_files_read_back_exactly_with_pyaxis(marts, con, tmp_path):
    rows = export_rows(marts, EVERYTHING, Selection(noegletal=("beskaeftigelse.langtidsledige", "skole.karakter")))
    names = con.execute("""SELECT kommunekode AS kode, navn FROM dim_kommune UNION ALL SELECT regionskode, navn
                           FROM dim_region UNION ALL SELECT '000', 'Hele landet'""").df().set_index("navn")["kode"]
    checked = 0
    for name, group in px.matrices(rows):
        path = tmp_path / name
        path.write_bytes(px.write(group, dt.date(2026, 8, 22)))
        parsed = pyaxis.parse(str(path), encoding="windows-1252", null_values=r'^"\.\.\."$', sd_values=r'^"\.\.\"$')
        data = parsed["DATA"].assign(kode=lambda d: d["område"].map(names))
        assert parsed["METADATA"]["CODEPAGE"] == ["windows-1252"]
        merged = data.merge(group, left_on=["kode", "tid"], right_on=["omraade_kode", "periode"])
        assert len(merged) == len(group)
        shown = merged["status"] == "normal"
        assert within_rounding(merged.loc[shown, "DATA"].astype(float), merged.loc[shown, "vaerdi"],
                               merged.loc[shown, "decimaler"])
        suppressed = merged["status"] == "diskretioneret"
        assert merged.loc[suppressed, "DATA"].isna().all()            # pyaxis reads ".." as disclosure-controlled
        assert path.read_bytes().count(b'".."') == suppressed.sum()
        checked += 1
    assert checked == 3   # langtidsledige monthly and yearly, karakter yearly


def test_the_same_release_twice_gives_identical_files(marts, release_id, tmp_path):
    first = build_bundle(marts, EVERYTHING, release_id, tmp_path / "a")
    second = build_bundle(marts, EVERYTHING, release_id, tmp_path / "b")
    a, b = zipfile.ZipFile(first), zipfile.ZipFile(second)
    assert a.namelist() == b.namelist() and "manifest.json" in a.namelist()
    for name in a.namelist():
        if name != "manifest.json":
            assert a.read(name) == b.read(name), name
    import hashlib
    import json

    manifest = json.loads(a.read("manifest.json"))
    figures = len(load_catalogue(settings().catalogue_path).figures)
    assert manifest["release_id"] == release_id and manifest["antal_noegletal"] == figures
    assert all(hashlib.sha256(a.read(n)).hexdigest() == h for n, h in manifest["filer"].items())


def test_anonymous_exports_leave_out_restricted_and_embargoed_data(fresh_marts):
    con = duckdb.connect(str(fresh_marts.marts_path.resolve()))
    con.execute("UPDATE release SET embargo_til = TIMESTAMP '2099-01-01 10:00'")
    con.close()
    marts = Marts(fresh_marts.marts_path)
    assert export_rows(marts, ANONYMOUS).empty                           # everything is under embargo
    assert not export_rows(marts, Scope(se_embargo=True)).empty
    public = export_rows(marts, Scope(se_embargo=True))
    assert not public["noegletal_id"].str.startswith("ubu.").any()


def test_command_line_export_and_its_errors(fresh_marts, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    release = duckdb.connect(str(fresh_marts.marts_path), read_only=True).execute(
        "SELECT release_id FROM release").fetchone()[0]
    assert main(["export", "--release", release, "--out", str(tmp_path), "--format", "csv,xlsx",
                 "--omraader", "skole", "--perioder", "2024"]) == 0
    archive = zipfile.ZipFile(tmp_path / f"kdk-release-{release}.zip")
    assert sorted(archive.namelist()) == ["manifest.json", "noegletal.csv", "noegletal.xlsx"]
    csv = pd.read_csv(io.BytesIO(archive.read("noegletal.csv")), sep=";", decimal=",", dtype={"OMRAADE": str},
                      encoding="utf-8-sig")
    assert set(csv["TID"].astype(str)) == {"2024"} and csv["NOEGLETAL_ID"].str.startswith("skole.").all()
    workbook = pd.read_excel(io.BytesIO(archive.read("noegletal.xlsx")), sheet_name=None, dtype={"OMRAADE": str})
    assert set(workbook) == {"Data", "Om data"} and len(workbook["Data"]) == len(csv)
    assert main(["export", "--release", "nope", "--out", str(tmp_path)]) == 1
    assert "Releasen «nope» findes ikke" in capsys.readouterr().err
    assert main(["export", "--release", release, "--out", str(tmp_path), "--format", "pdf"]) == 1
    assert "Ukendt format: pdf" in capsys.readouterr().err
