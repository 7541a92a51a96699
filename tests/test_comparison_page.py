"""The comparison page as an anonymous leader reads it, checked against the marts: which years' values the groups
use (never a later year's), where the national mean stood in for a missing value, how stable the group is, when the
model explains little, who is most alike and on what, the analysts' figures behind an expandable section, and the
demo sentence first."""
from __future__ import annotations

import json
import re

import pytest

from kdk import format as fmt
from kdk.similarity import R2_LAV
from tests.dash_http import nodes, render


def text(node) -> str:
    """The visible text of a rendered component and its children."""
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "".join(text(n) for n in node)
    if isinstance(node, dict):
        return text(node.get("props", {}).get("children"))
    return "" if node is None else str(node)


def group_section(client, app, search: str) -> dict:
    page = json.loads(render(client, app, "/sammenligning", search))
    return next(n for n in nodes(page) if n["type"] == "Div" and n["props"].get("className") == "gruppe")


def analysts(section: dict) -> dict:
    return next(n for n in nodes(section) if n["type"] == "Details" and text(n["props"]["children"][0])
                == "For analytikere")


def outside(section: dict, inner: dict) -> str:
    """The text of `section` without `inner`."""
    return text(json.loads(json.dumps(section).replace(json.dumps(inner), '""')))


def sentences(section: dict) -> list[str]:
    return [text(n) for n in nodes(section) if n["type"] == "P"]


def one(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchone()


def test_a_years_groups_say_which_years_values_they_use_and_none_is_later(client, app, con):
    """Each year of an area: every 'tal fra' year and every 'Data fra' year in the method is at or before the year;
    a candidate with no value by then is named as left out, and one from an earlier year is named with its year."""
    titles = dict(con.execute("SELECT noegletal_id, titel FROM dim_noegletal").fetchall())
    for (aar,) in con.execute("SELECT DISTINCT aar FROM bm_model WHERE sammenligningsomraade = 'skole' "
                              "ORDER BY aar").fetchall():
        section = group_section(client, app, f"?kommune=101&sammenligningsomraade=skole&aar={aar}")
        words = " ".join(sentences(section))
        used_years = [int(y) for y in re.findall(r"tal fra (\d{4})", words)]
        method = next(n for n in nodes(section) if n["props"].get("className") == "metodetabel")
        data_years = [int(text(row["props"]["children"][1])) for row in nodes(method) if row["type"] == "Tr"
                      and row["props"]["children"][0]["type"] == "Td"]
        assert data_years and max(data_years + used_years) <= aar, (aar, used_years, data_years)
        assert f"Grupperne for {aar} bygger på tal fra {aar}" in words
        older = con.execute("""SELECT kilde_aar, variabel FROM bm_model
                               WHERE sammenligningsomraade = 'skole' AND aar = ? AND kilde_aar < aar""",
                            [aar]).fetchall()
        for kilde_aar, variabel in older:
            name = re.escape(titles[variabel].lower())
            assert re.search(rf"{name}[^.]*: tal fra {kilde_aar}", words, re.IGNORECASE), (aar, variabel)
        left_out = con.execute("""SELECT noegletal_id FROM bm_definition
                                  WHERE sammenligningsomraade = 'skole' AND rolle = 'kandidat'
                                  AND noegletal_id NOT IN (SELECT variabel FROM bm_model
                                                           WHERE sammenligningsomraade = 'skole' AND aar = ?)""",
                               [aar]).fetchall()
        for (variabel,) in left_out:
            assert re.search(rf"{re.escape(titles[variabel])}[^.]* indgår ikke, da der ikke er tal fra {aar} eller før",
                             words), (aar, variabel)


@pytest.fixture(scope="module")
def stand_in(con) -> tuple:
    """An area-year where a kept variable's value is missing for a municipality (Holstebro's socioøkonomisk indeks
    in 2025 in the shipped data), found in the marts."""
    return one(con, """SELECT v.sammenligningsomraade, v.aar, v.kommunekode, k.navn, n.titel, m.vaegt, m.kilde_aar
                       FROM bm_variabel v JOIN bm_model m USING (sammenligningsomraade, aar, variabel)
                       JOIN dim_kommune k USING (kommunekode) JOIN dim_noegletal n ON n.noegletal_id = v.variabel
                       WHERE v.imputeret AND m.beholdt AND v.sammenligningsomraade <> 'ubu'
                       ORDER BY v.kommunekode = '661' DESC, v.aar DESC, v.sammenligningsomraade LIMIT 1""")


def test_a_missing_value_is_shown_as_the_national_mean_where_it_is_and_in_the_why(client, app, stand_in):
    area, aar, kode, navn, titel, vaegt, kilde_aar = stand_in
    assert (area, aar, kode) == ("skole", 2025, "661")
    section = group_section(client, app, f"?kommune={kode}&sammenligningsomraade={area}&aar={aar}")
    said = sentences(section)
    note = next(s for s in said if s.startswith(f"For {navn} mangler"))
    assert note.startswith(f"For {navn} mangler {titel.lower()} i {kilde_aar}, så landsgennemsnittet er brugt i "
                           f"stedet (imputeret: landsgennemsnit). Forholdet vejer {fmt.number(100 * vaegt)} pct.")
    assert any(s.startswith(f"{titel} mangler for {navn} (imputeret: landsgennemsnit): ") for s in said)   # the why
    cells = [text(n) for n in nodes(section) if n["type"] == "Table" and n["props"].get("className") == "vaerditabel"]
    assert all("imputeret: landsgennemsnit" in c for c in cells) and cells    # where its value is shown


def top(con, area: str, aar: int, kode: str, k: int) -> set[str]:
    return {c for (c,) in con.execute("""SELECT sammenligningskode FROM bm_sammenligning
                                         WHERE sammenligningsomraade = ? AND aar = ?
                                           AND kommunekode = ? AND rang <= ?""",
                                      [area, aar, kode, k]).fetchall()}


@pytest.mark.parametrize("area, aar, kode, k", [("sundhed", 2024, "101", 10), ("skole", 2025, "661", 5)])
def test_the_page_says_how_many_of_last_years_group_are_in_it_again(client, app, con, area, aar, kode, k):
    codes = [c for (c,) in con.execute("SELECT kommunekode FROM dim_kommune").fetchall()]
    kept = {c: len(top(con, area, aar, c, k) & top(con, area, aar - 1, c, k)) for c in codes}
    mean = fmt.number(sum(kept.values()) / len(kept), 1)
    said = sentences(group_section(client, app, f"?kommune={kode}&sammenligningsomraade={area}&aar={aar}&k={k}"))
    assert f"{kept[kode]} af sidste års {k} er med igen (for alle kommuner i gennemsnit {mean} af {k})." in said


def test_the_first_year_says_there_is_nothing_to_compare_with(client, app, con):
    (first,) = one(con, "SELECT min(aar) FROM bm_model WHERE sammenligningsomraade = 'skole'")
    said = sentences(group_section(client, app, f"?kommune=101&sammenligningsomraade=skole&aar={first}"))
    assert f"{first} er det første år med grupper på området, så der er intet år før at sammenligne med." in said


def test_a_model_that_explains_little_is_said_so_in_plain_danish(client, app, con):
    low = one(con, "SELECT sammenligningsomraade, aar, any_value(r2) FROM bm_model "
                   "WHERE r2 < ? AND sammenligningsomraade <> 'ubu' GROUP BY ALL ORDER BY 1, 2 LIMIT 1", R2_LAV)
    high = one(con, "SELECT sammenligningsomraade, aar FROM bm_model WHERE r2 >= ? AND NOT ingen_signifikante "
                    "AND sammenligningsomraade <> 'ubu' GROUP BY ALL ORDER BY 1, 2 LIMIT 1", R2_LAV)
    outcome = one(con, "SELECT n.titel FROM bm_definition d JOIN dim_noegletal n USING (noegletal_id) "
                       "WHERE d.sammenligningsomraade = ? AND d.rolle = 'udfald'", low[0])[0]
    said = " ".join(sentences(group_section(client, app, f"?kommune=101&sammenligningsomraade={low[0]}&aar={low[1]}")))
    assert (f"Forholdene forklarer kun en lille del ({fmt.number(100 * low[2])} pct.) af forskellene i "
            f"{outcome[0].lower()}{outcome[1:]} mellem kommunerne.") in said
    assert "Læs derfor grupperne med forsigtighed." in said
    said = " ".join(sentences(group_section(client, app,
                                            f"?kommune=101&sammenligningsomraade={high[0]}&aar={high[1]}")))
    assert "forklarer kun en lille del" not in said and "med forsigtighed" not in said


def test_the_leader_is_told_on_what_the_most_alike_is_alike_and_where_the_largest_difference_is(client, app, con):
    """The kept variables by their share of the squared distance to no. 1, recomputed from the published values."""
    kode, area, aar = "661", "tvaergaaende", 2025
    nr1, navn = one(con, """SELECT s.sammenligningskode, k.navn FROM bm_sammenligning s
                            JOIN dim_kommune k ON k.kommunekode = s.sammenligningskode
                            WHERE s.sammenligningsomraade = ? AND s.aar = ? AND s.kommunekode = ? AND s.rang = 1""",
                    area, aar, kode)
    parts = con.execute("""SELECT n.titel, m.vaegt * (a.z - b.z) ^ 2 AS del
                           FROM bm_model m JOIN dim_noegletal n ON n.noegletal_id = m.variabel
                           JOIN bm_variabel a ON a.sammenligningsomraade = m.sammenligningsomraade AND a.aar = m.aar
                                                AND a.variabel = m.variabel
                           JOIN bm_variabel b ON b.sammenligningsomraade = m.sammenligningsomraade AND b.aar = m.aar
                                                AND b.variabel = m.variabel
                           WHERE m.beholdt AND m.sammenligningsomraade = ? AND m.aar = ? AND a.kommunekode = ?
                             AND b.kommunekode = ? ORDER BY del""", [area, aar, kode, nr1]).fetchall()
    assert len(parts) >= 3
    names = [t[:1].lower() + t[1:] for t, _ in parts]
    alike = ", ".join(names[:-2]) + " og " + names[-2]
    said = sentences(group_section(client, app, f"?kommune={kode}&sammenligningsomraade={area}&aar={aar}"))
    assert f"Holstebro ligner {navn} mest på {alike}; den største forskel er {names[-1]}." in said


def test_distances_coefficients_p_values_and_r2_are_only_in_the_analysts_section(client, app, con):
    section = group_section(client, app, "?kommune=101&sammenligningsomraade=skole&aar=2024")
    details = analysts(section)
    assert not details["props"].get("open")
    inside, rest = text(details), outside(section, details)
    (distance,) = one(con, "SELECT afstand FROM bm_sammenligning WHERE sammenligningsomraade = 'skole' AND aar = 2024 "
                           "AND kommunekode = '101' AND rang = 1")
    for word in ("Afstand", "Koefficient", "p-værdi", "R²", fmt.number(distance, 2)):
        assert word in inside, word
    for word in ("Afstand", "Koefficient", "p-værdi", "R²", "(OLS)"):
        assert word not in rest, word


@pytest.mark.parametrize("search", ["?kommune=101&sammenligningsomraade=skole",
                                    "?kommune=101&sammenligningsomraade=aeldre&fane=matrice",
                                    "?kommune=101&sammenligningsomraade=dagtilbud&saet=147,151"])
def test_the_first_sentence_says_the_groups_rest_on_generated_demo_data(client, app, search):
    page = json.loads(render(client, app, "/sammenligning", search))
    side = next(n for n in nodes(page) if n["props"].get("className") == "sammenligningsside")
    body = side["props"]["children"][-1]          # after the controls and the tabs: the group or the matrix
    first = next(n for n in body["props"]["children"] if n and n["type"] != "H2")
    assert first["type"] == "P", first["type"]
    assert text(first).startswith("Grupperne bygger på genererede demodata – ikke officiel statistik: udgiften og ")
