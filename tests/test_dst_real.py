"""Statistics Denmark's yearly series (data/kilder/dst/): every municipal and national value in the source files is
the value in the marts, exactly as published; the two unemployment figures say which is which."""
from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from kdk.config import PROJECT_DIR
from tests.dash_http import nodes, render
from tests.test_profile_numbers import cards, text

FOLDER = PROJECT_DIR / "data" / "kilder" / "dst"
FIGURES = {   # the source's indicator -> the key figure it feeds
    "gini_koefficient": "befolkning.gini",
    "andel_relativ_fattigdom_60pct_median": "befolkning.relativ_fattigdom",
    "fuldtidsledige_pct_arbejdsstyrke_aarsgns": "beskaeftigelse.fuldtidsledighed",
    "andel_15_69_med_videregaaende_udd": "befolkning.videregaaende_uddannelse",
}


def source_values() -> pd.DataFrame:
    """The source files as text, so the oracle is the digits DST published (no float in between)."""
    kommuner = pd.read_csv(FOLDER / "dst_kommune_aar.csv", dtype=str)
    landet = pd.read_csv(FOLDER / "dst_hele_landet_aar.csv", dtype=str).melt(
        id_vars="aar", var_name="indikator", value_name="vaerdi").dropna().assign(kommunekode="000")
    both = pd.concat([kommuner[["kommunekode", "aar", "indikator", "vaerdi"]], landet], ignore_index=True)
    return both.assign(noegletal_id=both["indikator"].map(FIGURES))


def test_every_dst_value_equals_the_marts_exactly(con):
    src = source_values()
    assert len(src) == 6958 + 71   # 7 029 values: 98 municipalities and hele landet
    marts = con.execute("""SELECT noegletal_id, omraade_kode AS kommunekode, periode AS aar, vaerdi AS marts, status
                           FROM fct_noegletal WHERE noegletal_id IN ? AND length(omraade_kode) = 3""",
                        [list(FIGURES.values())]).df()
    both = src.merge(marts, on=["noegletal_id", "kommunekode", "aar"], how="outer", indicator=True)
    assert (both["_merge"] == "both").all(), both[both["_merge"] != "both"].head()
    assert (both["status"] == "normal").all()
    assert (both["vaerdi"].map(Decimal) == both["marts"].map(lambda v: Decimal(repr(v)))).all(), \
        both[both["vaerdi"].map(float) != both["marts"]].head()


def test_unemployment_means_that_are_exact_halves_keep_their_published_rounding(con):
    """The 294 yearly means that DST's 12 monthly values put exactly on a half at the third decimal were rounded
    half up (1,925 -> 1,93); the marts must show the same, not a float's 1,92."""
    src = source_values()
    ledighed = src[src["noegletal_id"] == "beskaeftigelse.fuldtidsledighed"]
    marts = con.execute("""SELECT omraade_kode AS kommunekode, periode AS aar, vaerdi FROM fct_noegletal
                           WHERE noegletal_id = 'beskaeftigelse.fuldtidsledighed'""").df()
    shown = ledighed.merge(marts, on=["kommunekode", "aar"], suffixes=("", "_marts"))
    assert len(shown) == len(ledighed) == 1782
    assert (shown["vaerdi"].map(Decimal) == shown["vaerdi_marts"].map(lambda v: Decimal(repr(v)))).all()
    halves = shown[shown["vaerdi"].map(lambda v: (Decimal(v) * 120) % 1 == 0 and (Decimal(v) * 1000) % 10 == 0)]
    assert len(halves) > 0
    assert (halves["vaerdi"].map(Decimal) == halves["vaerdi"].map(
        lambda v: Decimal(v).quantize(Decimal("0.01"), ROUND_HALF_UP))).all()


def test_dst_figures_are_real_and_not_summed_to_regions(con):
    dim = con.execute("SELECT noegletal_id, demodata, kilde_id FROM dim_noegletal WHERE noegletal_id IN ?",
                      [list(FIGURES.values())]).df()
    assert len(dim) == 4 and not dim["demodata"].any()
    assert (dim["kilde_id"] == "dst").all()   # the source the data-status page, charts and exports credit
    regions = con.execute("""SELECT count(*) FROM fct_noegletal WHERE noegletal_id IN ?
                             AND length(omraade_kode) = 4 AND vaerdi IS NOT NULL""",
                          [list(FIGURES.values())]).fetchone()[0]
    assert regions == 0   # a region value would be invented: DST publishes none and these cannot be added up


@pytest.mark.parametrize("fid, names", [
    ("beskaeftigelse.ledighed", ["Jobindsats", "registreret", "måned"]),
    ("beskaeftigelse.fuldtidsledighed", ["Danmarks Statistik", "fuldtidsledig", "AUP02", "gennemsnit"]),
])
def test_the_two_unemployment_figures_name_their_source_and_definition(client, fid, names):
    catalogue = client.get("/api/v1/noegletal?format=json").get_json()["noegletal"]
    figure = next(f for f in catalogue if f["noegletal_id"] == fid)
    text = f"{figure['titel']} {figure['definition']}".lower()
    assert all(name.lower() in text for name in names), text
    assert ("dst" in figure["titel"].lower()) != ("jobindsats" in figure["titel"].lower())


def test_the_profile_shows_dsts_national_value_and_no_invented_region_value(client, app, con):
    page = json.loads(render(client, app, "/kommune/101", "?omraade=befolkning"))
    gini = cards(page)["befolkning.gini"]["sammenligning"]
    landet = pd.read_csv(FOLDER / "dst_hele_landet_aar.csv", dtype=str).set_index("aar")["gini_koefficient"]
    assert gini["Hele landet"] == landet["2024"].replace(".", ",")
    assert gini["Region Hovedstaden"] == "ikke opgjort for regionerne"


def test_the_gini_page_shows_dsts_caveat_and_no_region_levels(client, app):
    page = json.loads(render(client, app, "/noegletal/befolkning.gini", "?aar=2023"))
    level = next(n for n in nodes(page) if "niveau" in str(n["props"].get("className", "")).split())
    rows = [r["props"]["children"] for r in nodes(level) if r["type"] == "Tr"]
    assert {text(th): text(td) for th, td in rows} == {"Hele landet": "30,61 Gini-koefficient (0-100)",
                                                       "Regionerne": "ikke opgjort for regionerne"}
    assert "få personer med meget store positive eller negative indkomster" in json.dumps(page, ensure_ascii=False)
