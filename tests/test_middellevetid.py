"""Life expectancy (DST HISBK) and its rolling five-year periods (`2021:2025`): read by ingest, shown as
"2021–2025", ordered by end year."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kdk import periods
from kdk.marts.ingest_reader import ReadOptions, read_source

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


@pytest.fixture(scope="module")
def app(built):
    mp = pytest.MonkeyPatch()
    mp.setenv("KDK_MARTS", str(built.marts_path))
    import app as module

    yield module.app
    mp.undo()


@pytest.fixture
def client(app):
    return app.server.test_client()


def render(client, app, path: str, search: str = ""):
    """The page content the router callback returns for a URL (status, JSON text), as the Dash renderer asks."""
    client.get("/")
    key = next(k for k, v in app.callback_map.items()
               if [f"{i['id']}.{i['property']}" for i in v["inputs"]] == ["_pages_location.pathname",
                                                                          "_pages_location.search"])
    r = client.post("/_dash-update-component", json={
        "output": key, "outputs": [{"id": "_pages_content", "property": "children"},
                                   {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "state": [], "changedPropIds": ["_pages_location.pathname"]})
    return r.status_code, json.dumps(r.get_json(), ensure_ascii=False) if r.status_code == 200 else r.get_data()


@pytest.mark.parametrize("path, search", [("/", "?noegletal=sundhed.middellevetid"),
                                          ("/", "?noegletal=sundhed.middellevetid&aar=2000:2004"),
                                          ("/noegletal/sundhed.middellevetid", "")])
def test_pages_offer_the_five_year_periods_shown_with_a_dash(client, app, path, search):
    status, body = render(client, app, path, search)
    assert status == 200 and '{"label": "2021–2025", "value": "2021:2025"}' in body
