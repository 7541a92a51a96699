"""The numbers on the profile's cards, checked against the facts themselves: for a few municipalities and years,
every card's value, rank, region, land, comparison-group mean and "Højere end … af de 10" must be what a direct query
over fct_noegletal and bm_sammenligning gives (an anonymous viewer: public figures only)."""
from __future__ import annotations

import json
import re

import pytest

from components import farver
from components.noegletalskort import IKKE_OPGJORT
from components.sparkline import sparkline
from kdk import format as fmt
from tests.dash_http import nodes, render

K = 10
EXPECTED = """
WITH figure AS (
    SELECT noegletal_id, decimaler, retning, niveau_sammenlignes,
           CASE WHEN dataomraade IN (SELECT sammenligningsomraade FROM bm_definition) THEN dataomraade
                ELSE 'tvaergaaende' END AS sammenligningsomraade
    FROM dim_noegletal WHERE adgang = 'offentlig'),
yearly AS (SELECT *, right(periode, 4) AS slutaar FROM fct_noegletal WHERE length(periode) = 4 OR periode LIKE '%:%'),
period AS (   -- a five-year figure's period is the one ending in the chosen year (2020:2024 for 2024)
    SELECT noegletal_id, CASE WHEN $aar IS NULL THEN max(periode) FILTER (WHERE vaerdi IS NOT NULL)
                              ELSE coalesce(max(periode) FILTER (WHERE slutaar = $aar), $aar) END AS periode
    FROM yearly GROUP BY noegletal_id),
value AS (SELECT y.noegletal_id, y.omraade_kode, y.vaerdi FROM yearly y JOIN period p USING (noegletal_id, periode)),
municipal AS (
    SELECT v.*, rank() OVER (PARTITION BY noegletal_id ORDER BY vaerdi DESC) AS rang,
           count(*) OVER (PARTITION BY noegletal_id) AS antal
    FROM value v JOIN dim_kommune k ON k.kommunekode = v.omraade_kode WHERE v.vaerdi IS NOT NULL),
span AS (SELECT min(aar) AS lo, max(aar) AS hi FROM bm_sammenligning),
members AS (
    SELECT f.noegletal_id, b.sammenligningskode AS kode
    FROM figure f JOIN period p USING (noegletal_id), span
    JOIN bm_sammenligning b ON b.sammenligningsomraade = f.sammenligningsomraade AND b.kommunekode = $kode
         AND b.rang <= $k
         AND b.aar = least(greatest(right(p.periode, 4)::INT, span.lo), span.hi)),
mine AS (SELECT * FROM municipal WHERE omraade_kode = $kode),
grp AS (
    SELECT m.noegletal_id, avg(v.vaerdi) AS gruppe, count(v.vaerdi) AS n,
           count(*) FILTER (WHERE v.vaerdi < mine.vaerdi) AS under,
           count(*) FILTER (WHERE v.vaerdi > mine.vaerdi) AS over
    FROM members m JOIN municipal v ON v.noegletal_id = m.noegletal_id AND v.omraade_kode = m.kode
    LEFT JOIN mine ON mine.noegletal_id = m.noegletal_id
    GROUP BY m.noegletal_id)
SELECT f.noegletal_id, f.decimaler, f.retning, f.niveau_sammenlignes, mine.vaerdi, mine.rang, mine.antal,
       r.vaerdi AS region, l.vaerdi AS land,
       grp.gruppe, grp.n, grp.under, grp.over
FROM figure f
LEFT JOIN mine USING (noegletal_id)
LEFT JOIN value r ON r.noegletal_id = f.noegletal_id AND r.omraade_kode = (
    SELECT regionskode FROM dim_kommune WHERE kommunekode = $kode)
LEFT JOIN value l ON l.noegletal_id = f.noegletal_id AND l.omraade_kode = '000'
LEFT JOIN grp USING (noegletal_id)
"""


def text(node) -> str:
    """The visible text of a rendered component."""
    children = node["props"].get("children") if isinstance(node, dict) else node
    if children is None:
        return ""
    if isinstance(children, (str, int, float)):
        return str(children)
    if isinstance(children, dict):
        return text(children)
    return "".join(text(c) if isinstance(c, dict) else str(c) for c in children if c is not None)


def cards(page: dict) -> dict[str, dict]:
    """Each card's texts by key figure: its value, rank line, sentence and the comparisons (label → value)."""
    found = {}
    for node in nodes(page):
        if node["type"] == "Article" and str(node["props"].get("id", "")).startswith("kort-"):
            parts = {n["props"].get("className"): n for n in nodes(node["props"]["children"])}
            terms = [text(n) for n in nodes(parts["sammenligning"]) if n["type"] == "Dt"] if "sammenligning" in parts \
                else []
            values = [text(n) for n in nodes(parts["sammenligning"]) if n["type"] == "Dd"] if "sammenligning" in parts \
                else []
            found[node["props"]["id"][5:]] = {
                "vaerdi": text(parts["vaerdi"]), "rang": text(parts["rang"]) if "rang" in parts else None,
                "saetning": text(parts["saetning"]) if "saetning" in parts else "",
                "sammenligning": dict(zip(terms, values))}
    return found


@pytest.mark.parametrize("kode, aar", [("101", None), ("860", None), ("461", "2020"), ("825", "2016")])
def test_every_card_shows_what_the_facts_say(client, app, con, kode, aar):
    region = con.execute("SELECT regionsnavn FROM dim_kommune WHERE kommunekode = ?", [kode]).fetchone()[0]
    expected = {r[0]: r for r in con.execute(EXPECTED, {"kode": kode, "aar": aar, "k": K}).fetchall()}
    not_summable = {r[0] for r in con.execute("SELECT noegletal_id FROM dim_noegletal WHERE aggregering = 'ingen'")
                    .fetchall()}
    overview = cards(json.loads(render(client, app, f"/kommune/{kode}", f"?aar={aar}" if aar else "")))
    assert len(overview) >= 40
    for fid, card in overview.items():
        _, d, retning, niveau, vaerdi, rang, antal, region_v, land_v, gruppe, n, under, over = expected[fid]
        assert card["vaerdi"] == fmt.number(vaerdi, d), fid
        if vaerdi is None:
            continue
        assert card["rang"].startswith(f"Nr. {rang} af {antal} kommuner"), fid
        if niveau:   # a count or total shows no region or country to compare with
            shown = IKKE_OPGJORT if fid in not_summable else fmt.number(region_v, d)
            assert card["sammenligning"][region] == shown, fid
            assert card["sammenligning"]["Hele landet"] == fmt.number(land_v, d), fid
        else:
            assert region not in card["sammenligning"] and "Hele landet" not in card["sammenligning"], fid
        if n:
            assert card["sammenligning"][f"Gns. af {n} sammenlignelige"] == fmt.number(gruppe, d), fid
            sentence = card["saetning"].lower()
            assert f"alle {n} sammenlignelige" in sentence or f"af de {n} sammenlignelige" in sentence, fid
            for word, count in (("højere end", under), ("lavere end", over)):
                assert bool(re.search(rf"{word} (alle )?{count}\b", sentence)) == bool(count), fid   # never "… 0 af"


GROUP_SERIES = """
WITH members AS (
    SELECT sammenligningskode AS kode FROM bm_sammenligning
    WHERE sammenligningsomraade = 'skole' AND kommunekode = $kode AND rang <= $k AND aar = (
        SELECT max(periode)::INT FROM fct_noegletal WHERE noegletal_id = $id AND length(periode) = 4
        AND vaerdi IS NOT NULL))
SELECT periode::INT, avg(vaerdi) FROM fct_noegletal JOIN members ON omraade_kode = kode
WHERE noegletal_id = $id AND length(periode) = 4 GROUP BY periode ORDER BY periode
"""


def test_the_in_depth_trend_draws_the_groups_mean_region_and_land(client, app, con):
    page = json.loads(render(client, app, "/kommune/101", "?omraade=skole"))
    trend = next(n["props"]["figure"] for n in nodes(page) if n["type"] == "Graph"
                 and n["props"]["figure"]["layout"]["title"]["text"] == "Karaktergennemsnit, 9. klasse (bundne prøver)"
                 and n["props"]["figure"]["data"][0]["type"] == "scatter")
    lines = {t["name"]: dict(zip(t["x"], t["y"])) for t in trend["data"]}
    group = dict(con.execute(GROUP_SERIES, {"kode": "101", "k": K, "id": "skole.karakter"}).fetchall())
    d = con.execute("SELECT decimaler FROM dim_noegletal WHERE noegletal_id = 'skole.karakter'").fetchone()[0]
    assert lines["Gns. af 10 sammenlignelige (uvægtet)"] == {aar: fmt.published(v, d) for aar, v in group.items()}
    for name, area in (("København", "101"), ("Region Hovedstaden", "1084"), ("Hele landet", "000")):
        facts = con.execute("SELECT periode::INT, vaerdi FROM fct_noegletal WHERE noegletal_id = 'skole.karakter' "
                            "AND omraade_kode = ? AND length(periode) = 4", [area]).fetchall()
        assert lines[name] == pytest.approx(dict(facts))


def test_each_cards_trend_draws_the_municipalitys_yearly_values(client, app, con):
    page = json.loads(render(client, app, "/kommune/860", "?omraade=skole"))
    drawn = {node["props"]["id"][5:]: next(n["props"]["src"] for n in nodes(node["props"]["children"])
                                           if n["type"] == "Img")
             for node in nodes(page) if node["type"] == "Article" and str(node["props"].get("id")).startswith("kort-")}
    assert len(drawn) >= 5
    for fid, src in drawn.items():
        values = [v for (v,) in con.execute("SELECT vaerdi FROM fct_noegletal WHERE noegletal_id = ? AND "
                                            "omraade_kode = '860' AND length(periode) = 4 ORDER BY periode",
                                            [fid]).fetchall()]
        assert src == sparkline(values, farver.KOMMUNE_FARVE, "")["props"]["src"], fid
