"""Life expectancy (DST HISBK) and its rolling five-year periods (`2021:2025`): read by ingest, shown as
"2021–2025", ordered by end year."""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from pyaxis import pyaxis

from components import charts
from kdk import periods
from kdk.db import Marts
from kdk.export import px
from kdk.export.rows import Selection, export_rows
from kdk.marts.ingest_reader import ReadOptions, read_source
from kdk.queries.scope import ANONYMOUS
from tests.dash_http import call

ROD = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def kommuner() -> pd.DataFrame:
    return pd.read_csv(ROD / "data" / "kilder" / "kommuner" / "kommuner.csv", dtype=str)


def test_ingest_reads_dst_five_year_periods_and_refuses_a_period_of_another_length(kommuner, tmp_path):
    fil = tmp_path / "hisbk.csv"
    fil.write_text("kommune;periode;vaerdi\n101;2020:2024;80,6\n101;2021:2025;80,9\n101;2021:2024;80,0\n"
                   "101;2021-2025;80,0\n", encoding="utf-8")
    data, fund = read_source(fil, ReadOptions(noegletal_id="sundhed.middellevetid"), kommuner)
    assert list(data["periode"]) == ["2020:2024", "2021:2025"]
    assert [(f.regel, f.linje) for f in fund] == [("ugyldig_periode", 4), ("ugyldig_periode", 5)]
    assert "2021:2025" in fund[0].besked


def test_five_year_periods_are_shown_with_a_dash_and_ordered_by_end_year():
    assert periods.label("2021:2025") == "2021–2025"
    assert periods.kind("2021:2025") == "femaar"
    assert periods.previous("2021:2025") == "2020:2024"
    assert sorted(["2021:2025", "2000:2004", "2009:2013"]) == ["2000:2004", "2009:2013", "2021:2025"]


KILDE = ROD / "data" / "kilder" / "dst-middellevetid"
FID = "sundhed.middellevetid"


def source_values() -> pd.DataFrame:
    kommuner = pd.read_csv(KILDE / "middellevetid_kommune.csv", dtype={"kommunekode": str})
    landet = pd.read_csv(KILDE / "middellevetid_hele_landet.csv").assign(kommunekode="000")
    return pd.concat([kommuner, landet], ignore_index=True)


def test_every_life_expectancy_equals_the_marts_exactly(con):
    source = source_values()
    marts = con.execute("SELECT omraade_kode, periode, vaerdi, status FROM fct_noegletal WHERE noegletal_id = ?",
                        [FID]).df()
    merged = source.merge(marts, left_on=["kommunekode", "periode"], right_on=["omraade_kode", "periode"],
                          how="outer", indicator=True)
    assert len(source) == 2178 and (merged["_merge"] == "both").all()   # no region rows, nothing invented
    shown = merged[merged["middellevetid_aar"].notna()]
    assert len(shown) == 2090 and (shown["vaerdi"] == shown["middellevetid_aar"]).all()
    hidden = merged[merged["middellevetid_aar"].isna()]
    assert set(hidden["kommunekode"]) == {"492", "563", "741", "825"} and hidden["vaerdi"].isna().all()


def render(client, app, path: str, search: str = ""):
    """The page content the router callback returns for a URL (status, JSON text), as the Dash renderer asks."""
    r = call(client, app, {"_pages_location.pathname": path, "_pages_location.search": search})
    return r.status_code, json.dumps(r.get_json(), ensure_ascii=False) if r.status_code == 200 else r.get_data()


@pytest.mark.parametrize("path, search", [("/", "?noegletal=sundhed.middellevetid"),
                                          ("/", "?noegletal=sundhed.middellevetid&aar=2000:2004"),
                                          ("/noegletal/sundhed.middellevetid", "")])
def test_pages_offer_the_five_year_periods_shown_with_a_dash(client, app, path, search):
    status, body = render(client, app, path, search)
    assert status == 200 and '{"label": "2021–2025", "value": "2021:2025"}' in body


def test_five_year_periods_round_trip_through_the_api_as_json_and_csv(client, con):
    marts = con.execute("""SELECT omraade_kode, periode, vaerdi FROM fct_noegletal WHERE noegletal_id = ?
                           AND omraade_kode IN ('000', '101') ORDER BY omraade_kode, periode""", [FID]).df()
    url = f"/api/v1/data?noegletal={FID}&kommune=000,101"
    body = client.get(url + "&format=json").get_json()
    got = pd.DataFrame(body["data"]).sort_values(["omraade_kode", "periode"], ignore_index=True)
    assert list(got["periode"]) == list(marts["periode"]) and "2021:2025" in set(got["periode"])
    assert list(got["vaerdi"]) == list(marts["vaerdi"])
    csv = pd.read_csv(io.BytesIO(client.get(url).data), sep=";", decimal=",", dtype={"OMRAADE": str, "TID": str})
    csv = csv.sort_values(["OMRAADE", "TID"], ignore_index=True)
    assert list(csv["TID"]) == list(marts["periode"]) and list(csv["INDHOLD"]) == list(marts["vaerdi"])


def test_five_year_periods_round_trip_through_px(built, con, tmp_path):
    rows = export_rows(Marts(built.marts_path), ANONYMOUS, Selection(noegletal=(FID,)))
    [(name, group)] = px.matrices(rows)
    path = tmp_path / name
    path.write_bytes(px.write(group, dt.date(2026, 8, 22)))
    parsed = pyaxis.parse(str(path), encoding="windows-1252", null_values=r'^"\.\.\."$', sd_values=r'^"\.\.\"$')
    data = parsed["DATA"]
    assert list(data["tid"].unique()) == sorted(set(rows["periode"]))   # DST's codes, oldest first
    kbh = data[data["område"] == "København"].set_index("tid")["DATA"].astype(float)
    marts = con.execute("SELECT periode, vaerdi FROM fct_noegletal WHERE noegletal_id = ? AND omraade_kode = '101'",
                        [FID]).df().set_index("periode")["vaerdi"]
    assert kbh.index[-1] == "2021:2025" and kbh.sort_index().equals(marts.sort_index().rename("DATA"))


@pytest.mark.parametrize("search, shown", [("?omraade=sundhed", ["80,9", "2021–2025"]),
                                           ("?omraade=sundhed&aar=2020", ["2016–2020"])])
def test_the_profile_card_shows_the_five_year_period_ending_in_the_chosen_year(client, app, search, shown):
    status, body = render(client, app, "/kommune/101", search)
    card = body[body.index('"children": "Middellevetid"'):][:3000]
    assert status == 200 and all(text in card for text in shown)


def test_aeroes_profile_explains_why_there_is_no_life_expectancy(client, app):
    status, body = render(client, app, "/kommune/492", "?omraade=sundhed")
    card = body[body.index('"children": "Middellevetid"'):][:3000]
    assert status == 200
    assert "Danmarks Statistik offentliggør ikke middellevetid for kommuner med for få dødsfald" in card
    assert "for få personer" not in card


def test_the_region_is_not_computed_but_said_to_be_not_counted(client, app):
    status, body = render(client, app, "/kommune/101", "?omraade=sundhed")
    card = body[body.index('"children": "Middellevetid"'):][:6000]
    assert status == 200 and '"Region Hovedstaden"' in card and "ikke opgjort for regionerne" in card


def test_a_five_year_line_says_its_span_plainly_and_puts_each_period_at_its_last_year():
    meta = {"titel": "Middellevetid", "enhed": "år", "decimaler": 1, "retning": "op", "demodata": False,
            "kildeangivelse": "Kilde: Danmarks Statistik, HISBK", "periode_note": ""}
    points = [("2000:2004", 77.0), ("2001:2005", 77.3), ("2021:2025", 81.2)]
    figure = charts.trend(meta, [("København", points, "#000")])
    assert "2000–2004 til 2021–2025" in figure["layout"]["title"]["subtitle"]["text"]
    assert figure["data"][0]["x"] == [2004, 2005, 2025]
    assert figure["data"][0]["text"] == ["2000–2004", "2001–2005", "2021–2025"]
