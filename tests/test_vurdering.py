"""One judgement, used everywhere (kdk.fortolkning.vurder): what an anonymous visitor reads and sees coloured on the
profile, the themes and the map is checked against SQL on the marts, and the judgement itself against hand-worked
cases."""
from __future__ import annotations

import json
import re

import pytest

from components import farver
from kdk import format as fmt
from kdk.config import PROJECT_DIR
from kdk.fortolkning import (
    BEDRE,
    DAARLIGERE,
    FORRIGE,
    GRUPPE,
    LAND,
    NEUTRAL,
    PAA_NIVEAU,
    TAERSKEL,
    UKENDT,
    gruppe_saetning,
    placering,
    spredning,
    vurder,
)
from kdk.marts.findings import IngestError
from kdk.marts.katalog import load_catalogue
from tests.dash_http import nodes, render
from tests.test_profile_numbers import text

PCT = {"retning": "ned", "enhed": "pct.", "decimaler": 1, "niveau_sammenlignes": True}
KR = {"retning": "op", "enhed": "kr.", "decimaler": 0, "niveau_sammenlignes": True}
ANTAL = {"retning": "ned", "enhed": "antal", "decimaler": 0, "niveau_sammenlignes": False}

LATEST = """
WITH y AS (SELECT * FROM fct_noegletal WHERE length(periode) = 4 AND erstattet_af IS NULL),
latest AS (SELECT noegletal_id, max(periode) FILTER (WHERE vaerdi IS NOT NULL) AS periode FROM y GROUP BY ALL),
spread AS (
    SELECT noegletal_id, quantile_cont(vaerdi, 0.75) - quantile_cont(vaerdi, 0.25) AS iqr
    FROM y JOIN latest USING (noegletal_id, periode) JOIN dim_kommune k ON k.kommunekode = y.omraade_kode
    WHERE vaerdi IS NOT NULL GROUP BY ALL)
SELECT m.omraade_kode AS kode, d.noegletal_id, d.dataomraade, d.retning, d.decimaler, m.vaerdi, l.vaerdi AS land,
       s.iqr
FROM dim_noegletal d JOIN latest USING (noegletal_id) JOIN spread s USING (noegletal_id)
JOIN y m ON m.noegletal_id = d.noegletal_id AND m.periode = latest.periode
JOIN dim_kommune k ON k.kommunekode = m.omraade_kode
JOIN y l ON l.noegletal_id = d.noegletal_id AND l.periode = latest.periode AND l.omraade_kode = '000'
WHERE d.adgang = 'offentlig' AND m.vaerdi IS NOT NULL
"""


def page_of(client, app, path: str, search: str = "") -> dict:
    return json.loads(render(client, app, path, search))


def card_of(page: dict, fid: str) -> dict:
    return next(n for n in nodes(page) if n["type"] == "Article" and n["props"].get("id") == f"kort-{fid}")


def area_card(client, app, kode: str, area: str, fid: str) -> dict:
    """The card of `fid` in its area in depth, on whichever of the area's pages (`side`) it falls."""
    for side in range(1, 10):
        page = page_of(client, app, f"/kommune/{kode}", f"?omraade={area}" + (f"&side={side}" if side > 1 else ""))
        found = [n for n in nodes(page) if n["type"] == "Article" and n["props"].get("id") == f"kort-{fid}"]
        if found:
            return found[0]
    raise AssertionError(f"no card of {fid} in /kommune/{kode}?omraade={area}")


def kommuner(con) -> list[str]:
    return [k for (k,) in con.execute("SELECT kommunekode FROM dim_kommune ORDER BY kommunekode").fetchall()]


# --- the judgement itself ---------------------------------------------------------------------------------------

def test_a_difference_of_percentages_is_in_percentage_points():
    judged = vurder(PCT, 8.1, 5.5, GRUPPE, spredning=2.0)
    assert (judged.dom, judged.forskel, judged.farve) == (DAARLIGERE, "2,6 procentpoint højere", True)
    assert judged.mod("landet") == "2,6 procentpoint højere end landet"


def test_a_difference_of_levels_is_relative_and_never_zero_percent():
    assert vurder(KR, 112_000, 100_000, LAND, 10_000).forskel == "12 pct. højere"
    assert vurder(KR, 88_000, 100_000, LAND, 10_000).dom == DAARLIGERE
    assert vurder(KR, 100_400, 100_000, LAND).dom == PAA_NIVEAU   # 0,4 %: shown as 0 pct., so on level
    assert vurder({**KR, "enhed": "karakter", "decimaler": 1}, 7.6, 7.0, LAND).forskel == "0,6 point højere"
    assert vurder({**KR, "enhed": "promille", "decimaler": 1}, 29.0, 24.9, LAND).forskel == "4,1 promillepoint højere"


def test_a_gap_under_the_threshold_or_zero_as_shown_is_on_level_without_colour():
    judged = vurder(PCT, 5.7, 5.5, LAND, spredning=1.0)   # 0,2 < 0,25 · 1,0
    assert (judged.dom, judged.farve, judged.mod("landet")) == (PAA_NIVEAU, False, "på niveau med landet")
    assert vurder(PCT, 5.7, 5.5, LAND, spredning=0.4).dom == DAARLIGERE   # 0,2 > 0,25 · 0,4
    assert vurder(PCT, 5.54, 5.46, LAND).dom == PAA_NIVEAU                # 5,5 against 5,5 as shown
    assert TAERSKEL == 0.25


def test_a_count_is_never_judged_against_a_total_but_its_change_is():
    assert vurder(ANTAL, 2_600, 9_000, LAND, 300) == vurder(ANTAL, 2_600, 9_000, "region", 300)
    assert (vurder(ANTAL, 2_600, 9_000, LAND, 300).dom, vurder(ANTAL, 2_600, 9_000, LAND).mod("landet")) == \
        (UKENDT, None)
    assert vurder(ANTAL, 2_600, 445, GRUPPE, 300).farve is False          # a fact, not a judgement
    assert vurder(ANTAL, 2_400, 2_600, FORRIGE).dom == BEDRE              # fewer than last year


def test_neutral_figures_and_missing_values_get_no_colour():
    neutral = vurder({**PCT, "retning": "neutral"}, 8.1, 5.5, LAND, 2.0)
    assert (neutral.dom, neutral.forskel, neutral.farve) == (NEUTRAL, "2,6 procentpoint højere", False)
    assert vurder(PCT, None, 5.5).dom == UKENDT and vurder(PCT, 5.5, float("nan")).dom == UKENDT


def test_the_spread_is_the_interquartile_range():
    assert spredning([1, 2, 3, 4, 5, 6, 7, 8, 9, None]) == 4.0
    assert spredning([1, 2, 3]) is None


def test_the_group_sentence_says_it_plainly():
    assert gruppe_saetning(PCT, 3.0, 5.0, 1.0, 0, 10, 10) == \
        "Lavere end alle 10 sammenlignelige kommuner, 2,0 procentpoint lavere end deres gennemsnit."
    assert gruppe_saetning(PCT, 5.1, 5.0, 1.0, 6, 3, 10) == \
        "Højere end 6, lavere end 3 og lig med 1 af de 10 sammenlignelige kommuner, på niveau med deres gennemsnit."
    assert placering("Læsø", "Indbyggertal", 0.5) == "Læsø ligger i midterfeltet blandt kommunerne."


def test_the_catalogue_says_whether_a_level_is_compared_and_the_build_checks_it(tmp_path):
    source = (PROJECT_DIR / "data" / "noegletal.toml").read_text(encoding="utf-8")
    catalogue = load_catalogue(PROJECT_DIR / "data" / "noegletal.toml")
    assert catalogue.figures["befolkning.indbyggere"]["niveau_sammenlignes"] is False          # a count: sum
    assert catalogue.figures["beskaeftigelse.langtidsledige"]["niveau_sammenlignes"] is False
    assert catalogue.figures["beskaeftigelse.ledighed"]["niveau_sammenlignes"] is True
    for bad in ("true", '"ja"'):
        changed = source.replace('id = "befolkning.indbyggere"',
                                 f'id = "befolkning.indbyggere"\nniveau_sammenlignes = {bad}', 1)
        path = tmp_path / "noegletal.toml"
        path.write_text(changed, encoding="utf-8")
        with pytest.raises(IngestError, match="befolkning.indbyggere har niveau_sammenlignes"):
            load_catalogue(path)


# --- what a visitor reads and sees ------------------------------------------------------------------------------

def test_no_municipalitys_population_is_judged_against_the_national_total(client, app, con):
    for kode in kommuner(con):
        card = card_of(page_of(client, app, f"/kommune/{kode}"), "befolkning.indbyggere")
        assert "landet" not in text(card) and "Hele landet" not in json.dumps(card, ensure_ascii=False), kode
        assert card["props"]["className"] == "noegletal-kort neutral", kode
    in_depth = page_of(client, app, "/kommune/101", "?omraade=befolkning")
    row = next(n for n in nodes(in_depth) if n["props"].get("id") == "kort-befolkning.indbyggere")
    charts = [g["props"]["figure"] for n in nodes(in_depth) if n["props"].get("className") == "dybde-raekke"
              and row in list(nodes(n)) for g in nodes(n) if g["type"] == "Graph"]
    assert len(charts) == 2
    assert "Hele landet" not in json.dumps(charts, ensure_ascii=False) and "Region" not in json.dumps(charts)


def test_copenhagens_long_term_unemployed_is_never_better_than_the_country(client, app, con):
    years = [y for (y,) in con.execute(
        "SELECT periode FROM fct_noegletal WHERE noegletal_id = 'beskaeftigelse.langtidsledige' "
        "AND omraade_kode = '101' AND vaerdi IS NOT NULL AND length(periode) = 4 ORDER BY periode").fetchall()]
    assert len(years) >= 2
    for year in years:
        card = card_of(page_of(client, app, "/kommune/101", f"?aar={year}&omraade=beskaeftigelse"),
                       "beskaeftigelse.langtidsledige")
        said = text(card)
        assert "bedre end landet" not in said and "landet" not in said, year
        assert card["props"]["className"] == "noegletal-kort neutral", year


def test_a_gap_of_two_tenths_of_a_point_reads_on_level_without_colour(client, app, con):
    gaps = con.execute(f"""SELECT kode, noegletal_id, dataomraade FROM ({LATEST}) JOIN dim_noegletal d
        USING (noegletal_id, dataomraade, retning, decimaler)
        WHERE d.enhed LIKE 'pct.%' AND retning <> 'neutral' AND round(abs(vaerdi - land), 1) = 0.2
          AND 0.2 < {TAERSKEL} * iqr ORDER BY kode, noegletal_id""").fetchall()
    assert len(gaps) >= 5
    for kode, fid, area in gaps[:20]:
        card = area_card(client, app, kode, area, fid)
        said = text(card)
        assert card["props"]["className"] == "noegletal-kort neutral", (kode, fid)
        assert "på niveau med landet" in said and "bedre end landet" not in said and "dårligere" not in said, \
            (kode, fid)


SUMMARY_ITEM = re.compile(r"^(?P<titel>.+?): (?P<v>[\d.,]+) (?P<enhed>.+?) \(\d{4}\) mod (?P<g>[\d.,]+) .+? i "
                          r"sammenlignelige kommuner, (?P<forskel>.+)\.$")


def _summary(page: dict) -> dict[str, list[str]]:
    """The theme summary's items by heading: "… at være opmærksom på" (first list) and "Det går godt"."""
    section = next(n for n in nodes(page) if n["props"].get("className") == "opsummering")
    found: dict[str, list[str]] = {"opmaerksom": [], "godt": []}
    for lst in (n for n in nodes(section) if n["type"] in ("Ol", "Ul")):
        found["opmaerksom" if lst["type"] == "Ol" else "godt"] = [text(li) for li in nodes(lst) if li["type"] == "Li"]
    return found


def test_the_themes_summary_says_percentage_points_and_never_a_trivial_gap(client, app, con):
    checked = 0
    for kode in kommuner(con):
        for slug in ("rekruttering", "boern-og-unge"):
            for item in sum(_summary(page_of(client, app, f"/tema/{slug}", f"?kommune={kode}")).values(), []):
                found = SUMMARY_ITEM.match(item)
                assert found, item
                assert not found["forskel"].startswith("0 "), item
                if found["enhed"].startswith("pct."):
                    v, g = (float(found[k].replace(".", "").replace(",", ".")) for k in ("v", "g"))
                    side = "højere" if v > g else "lavere"
                    assert found["forskel"] == f"{fmt.number(abs(v - g), 1)} procentpoint {side}", item
                    checked += 1
    assert checked >= 50


@pytest.mark.langsom   # both themes for all 98 municipalities, and the cards they name: about 10 s
def test_nothing_goes_well_in_a_theme_while_the_profile_colours_it_worse_than_the_country(client, app, con):
    ids = dict(con.execute("SELECT titel, noegletal_id FROM dim_noegletal").fetchall())
    areas = dict(con.execute("SELECT noegletal_id, dataomraade FROM dim_noegletal").fetchall())
    seen = 0
    for kode in kommuner(con):
        for slug in ("rekruttering", "boern-og-unge"):
            summary = _summary(page_of(client, app, f"/tema/{slug}", f"?kommune={kode}"))
            for kind, contradiction in (("godt", "daarligere"), ("opmaerksom", "bedre")):
                for item in summary[kind]:
                    fid = ids[SUMMARY_ITEM.match(item)["titel"]]
                    card = area_card(client, app, kode, areas[fid], fid)
                    assert contradiction not in card["props"]["className"], (kode, slug, item)
                    seen += 1
    assert seen >= 100


def test_the_cards_group_count_is_the_number_the_charts_show(client, app, con):
    incomplete = con.execute("""
        WITH y AS (SELECT * FROM fct_noegletal WHERE length(periode) = 4),
        latest AS (SELECT noegletal_id, max(periode) FILTER (WHERE vaerdi IS NOT NULL) AS periode FROM y GROUP BY 1)
        SELECT DISTINCT b.kommunekode, n.dataomraade
        FROM dim_noegletal n JOIN latest l USING (noegletal_id)
        JOIN bm_sammenligning b ON b.sammenligningsomraade = n.dataomraade AND b.rang <= 10
             AND b.aar = least(l.periode::INT, (SELECT max(aar) FROM bm_sammenligning))
        LEFT JOIN y v ON v.noegletal_id = n.noegletal_id AND v.periode = l.periode
             AND v.omraade_kode = b.sammenligningskode
        WHERE n.adgang = 'offentlig' AND v.vaerdi IS NULL ORDER BY 1, 2 LIMIT 6""").fetchall()
    assert incomplete   # some group members lack a value: the count is not always 10
    for kode, area in incomplete:
        page = page_of(client, app, f"/kommune/{kode}", f"?omraade={area}")
        for row in (n for n in nodes(page) if n["props"].get("className") == "dybde-raekke"):
            card = next(n for n in nodes(row) if n["type"] == "Article")
            said = re.search(r"Gns\. af (\d+) sammenlignelige", json.dumps(card, ensure_ascii=False))
            if not said:
                continue
            n = int(said[1])
            figures = [g["props"]["figure"] for g in nodes(row) if g["type"] == "Graph"]
            names = [t.get("name") for f in figures for t in f["data"]]
            assert f"Gns. af {n} sammenlignelige (uvægtet)" in names, (kode, card["props"]["id"], names)
            bars = next(f for f in figures if f["data"][0]["type"] == "bar")["data"][0]["marker"]["color"]
            assert bars.count(farver.REGION_FARVE) == n, (kode, card["props"]["id"])


def _rgb(colour: str) -> tuple[int, ...]:
    if colour.startswith("#"):
        return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return tuple(int(float(c)) for c in re.findall(r"[\d.]+", colour)[:3])


MAPS = {"front page": ("/", "?noegletal={fid}"), "key figure's page": ("/noegletal/{fid}", ""),
        "comparison page": ("/sammenligning", "?kommune=101&sammenligningsomraade={omraade}&noegletal={fid}")}


def map_of(client, app, where: str, fid: str) -> dict:
    """The map a page draws of `fid` in its latest year."""
    path, search = MAPS[where]
    omraade = "skole" if fid.startswith("skole.") else "tvaergaaende"   # the comparison area holding the figure
    page = page_of(client, app, path.format(fid=fid), search.format(fid=fid, omraade=omraade))
    return next(n["props"]["figure"] for n in nodes(page) if n["type"] == "Graph"
                and n["props"]["figure"]["data"][0].get("fill") == "toself")


@pytest.mark.parametrize("where", list(MAPS))
def test_the_map_colours_each_municipality_as_its_card_judges_it(client, app, con, where):
    fid = "skole.elevfravaer"   # lower is better
    facts = {r[0]: r for r in con.execute(f"SELECT kode, vaerdi, land, iqr FROM ({LATEST}) WHERE noegletal_id = ?",
                                          [fid]).fetchall()}
    shapes = map_of(client, app, where, fid)["data"][:-1]
    kinds = set()
    for shape in (s for s in shapes if s["customdata"][0][0] in facts):   # those without a value are grey
        _, vaerdi, land, iqr = facts[shape["customdata"][0][0]]
        red, _, blue = _rgb(shape["fillcolor"])
        gap = round(vaerdi - land, 1)
        if abs(gap) < TAERSKEL * iqr or gap == 0:
            assert shape["fillcolor"] == farver.PAA_NIVEAU_FARVE, shape["name"]
            assert "på niveau med hele landet" in shape["hovertemplate"], shape["name"]
            kinds.add(PAA_NIVEAU)
        else:
            assert (blue > red) == (gap < 0), (shape["name"], vaerdi, land, shape["fillcolor"])
            kinds.add(BEDRE if gap < 0 else DAARLIGERE)
    assert kinds == {PAA_NIVEAU, BEDRE, DAARLIGERE}


@pytest.mark.parametrize("where", list(MAPS))
@pytest.mark.parametrize("fid", ["befolkning.indbyggere", "beskaeftigelse.langtidsledige"])
def test_the_map_of_a_count_has_no_better_or_worse_colours(client, app, fid, where):
    figure = map_of(client, app, where, fid)
    assert figure["data"][-1]["marker"]["colorscale"] == farver.NEUTRAL_SKALA
    assert not any("landet" in shape["hovertemplate"] for shape in figure["data"][:-1])


@pytest.mark.parametrize("fid", ["befolkning.indbyggere", "beskaeftigelse.langtidsledige"])
def test_a_counts_ranking_draws_no_national_or_regional_total(client, app, fid):
    """The national total of a count is no level for a municipality: a line at it would only squash the bars."""
    page = page_of(client, app, "/sammenligning", f"?kommune=101&sammenligningsomraade=tvaergaaende&noegletal={fid}")
    ranking = next(n["props"]["figure"] for n in nodes(page) if n["type"] == "Graph"
                   and n["props"]["figure"]["data"][0]["type"] == "bar")
    labels = [a["text"] for a in ranking["layout"].get("annotations", [])]
    assert not {"Hele landet", "Region"} & set(labels), labels


def test_judgements_say_pct_in_danish_style_never_a_percent_sign(client, app):
    """The profile's placings ("blandt de 10 pct. af kommunerne …") and the theme's relative gaps ("12 pct. højere")
    are written as the rest of the UI writes a share: "pct.", not "%"."""
    said = " ".join(text(n) for path in ("/kommune/101", "/tema/rekruttering") for n in
                    nodes(page_of(client, app, path, "?kommune=101" if path.startswith("/tema") else ""))
                    if n["type"] in ("P", "Li"))
    assert re.search(r"blandt de (10|25) pct\. af kommunerne", said), said[:500]
    assert not re.search(r"\d %", said), re.findall(r".{40}\d %.{10}", said)
