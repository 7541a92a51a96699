"""Life expectancy (DST HISBK) and its rolling five-year periods (`2021:2025`): read by ingest, shown as
"2021–2025", ordered by end year."""
from __future__ import annotations

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
