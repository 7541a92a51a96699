"""The turnout at the municipal election of 2017 (data/kilder/kommunalvalg-2017/): its source is credited, every
municipal turnout is the source's exactly, and hele landet and the regions are the ratio of the summed counts."""
from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pandas as pd

from kdk.config import PROJECT_DIR
from tests.dash_http import nodes, render
from tests.test_profile_numbers import cards, text

ATTRIBUTION = "Kilde: Valgdatabasen (Danmarks Statistik/Indenrigsministeriet), KV2017"
FOLDER = PROJECT_DIR / "data" / "kilder" / "kommunalvalg-2017"
FID = "demokrati.stemmeprocent"


def test_the_footer_credits_the_election_database(client):
    footer = next(n for n in nodes(client.get("/_dash-layout").get_json()) if n["type"] == "Footer")
    assert ATTRIBUTION in [text(li) for li in nodes(footer) if li["type"] == "Li"]


def source() -> pd.DataFrame:
    """The source file as text, so the oracle is the digits in the file (no float in between)."""
    raw = pd.read_csv(FOLDER / "kv2017_stemmeprocent.csv", dtype=str)
    regions = pd.read_csv(PROJECT_DIR / "data" / "kilder" / "kommuner" / "kommuner.csv", dtype=str)
    return raw.merge(regions[["kommunekode", "regionskode"]], on="kommunekode", validate="one_to_one")


def marts(con) -> pd.DataFrame:
    return con.execute("SELECT omraade_kode, periode, vaerdi, status FROM fct_noegletal WHERE noegletal_id = ?",
                       [FID]).df()


def exact(v: float) -> Decimal:
    return Decimal(repr(float(v)))


def ratio_of_sums(rows: pd.DataFrame) -> Decimal:
    """100 * sum(afgivne) / sum(stemmeberettigede), exactly, rounded half away from zero at 2 decimals."""
    afgivne, berettigede = (sum(map(int, rows[column])) for column in ("afgivne_stemmer", "stemmeberettigede"))
    share = Fraction(100 * afgivne, berettigede)
    return (Decimal(share.numerator) / Decimal(share.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_every_municipal_turnout_equals_the_source_exactly(con):
    src = source()
    assert len(src) == 98
    got = src.merge(marts(con), left_on="kommunekode", right_on="omraade_kode", how="left")
    assert (got["periode"] == "2017").all() and (got["status"] == "normal").all()
    assert (got["stemmeprocent"].map(Decimal) == got["vaerdi"].map(exact)).all(), \
        got[got["stemmeprocent"].map(float) != got["vaerdi"]].head()


def test_one_election_gives_one_period_and_no_other_area_than_regions_and_the_country(con):
    rows = marts(con)
    assert set(rows["periode"]) == {"2017"}
    assert len(rows) == 98 + 5 + 1 and rows["vaerdi"].notna().all()


def test_hele_landet_and_the_regions_are_the_ratio_of_the_summed_counts(con):
    src = source()
    rows = marts(con).set_index("omraade_kode")["vaerdi"]
    assert ratio_of_sums(src) == Decimal("70.84") == exact(rows["000"])   # SOURCE.md: 70,84 %
    for region, counts in src.groupby("regionskode"):
        assert exact(rows[region]) == ratio_of_sums(counts), region


def card(client, app, kode: str) -> dict:
    """The turnout card on a municipality's Demokrati page: its texts (tests.test_profile_numbers.cards), all of its
    text, and the CSS classes of everything in it."""
    page = json.loads(render(client, app, f"/kommune/{kode}", "?omraade=demokrati"))
    article = next(n for n in nodes(page) if n["props"].get("id") == f"kort-{FID}")
    return cards(article)[FID] | {"tekst": text(article), "klasser": {
        c for n in nodes(article) for c in str(n["props"].get("className", "")).split()}}


def test_the_profile_card_shows_the_real_turnout_beside_its_region_and_the_country(client, app):
    shown = card(client, app, "101")
    hovedstaden = ratio_of_sums(source().query("regionskode == '1084'"))
    assert shown["vaerdi"] == "61,88" and "pct. · 2017" in shown["tekst"]
    assert {area: shown["sammenligning"][area] for area in ("Region Hovedstaden", "Hele landet")} == {
        "Region Hovedstaden": str(hovedstaden).replace(".", ","), "Hele landet": "70,84"}
    assert "Stemmeprocent ved kommunalvalget" in shown["tekst"] and "Demodata" not in shown["tekst"]
    assert "demo" not in shown["klasser"]


def test_a_single_election_draws_no_trend_and_claims_no_change(client, app):
    shown = card(client, app, "840")   # Bornholm
    assert not shown["klasser"] & {"sparkline", "aendring"}
    assert "siden" not in shown["tekst"] and "Uændret" not in shown["tekst"]


def test_the_figure_page_is_real_data_and_dates_its_single_election_plainly(client, app):
    page = render(client, app, f"/noegletal/{FID}")
    graphs = [n["props"]["figure"] for n in nodes(json.loads(page)) if n["type"] == "Graph"]
    trend = next(f for f in graphs if f["data"] and f["data"][0]["x"] == [2017])
    assert trend["layout"]["title"]["subtitle"]["text"].startswith("pct., 2017<br>")
    assert "2017–2017" not in page and "Rigtige data" in page and ATTRIBUTION.removeprefix("Kilde: ") in page


def test_the_data_status_page_lists_the_source_under_its_area(client, app):
    page = json.loads(render(client, app, "/datastatus"))
    section = next(n for n in nodes(page) if n["props"].get("id") == "demokrati")
    assert text(section).startswith("Demokrati") and ATTRIBUTION in text(section)
