"""The comparison groups on real structural conditions: Statistics Denmark's yearly series (education, relative
poverty, full-time unemployment) are candidates in every year they cover, kept by the published rule, and each
year's groups rest on values from that year or an earlier one, exactly as published in the facts; the method on the
page says which conditions are real and which generated."""
from __future__ import annotations

import pandas as pd

from kdk.marts import sammenligning
from kdk.similarity import ALPHA
from tests.dash_http import nodes
from tests.test_comparison_page import group_section, text

DST_UNEMPLOYMENT = "beskaeftigelse.fuldtidsledighed"


def df(con, sql, *params) -> pd.DataFrame:
    return con.execute(sql, list(params)).df()


def real_model_rows(con) -> pd.DataFrame:
    return df(con, """SELECT m.sammenligningsomraade, m.aar, m.variabel, m.p_vaerdi, m.beholdt, m.ingen_signifikante,
                             m.kilde_aar
                      FROM bm_model m JOIN dim_noegletal n ON n.noegletal_id = m.variabel WHERE NOT n.demodata""")


def test_every_area_weighs_real_education_and_poverty_and_unemployment_from_its_own_year(con):
    """Each year's model of every area has the education share and relative poverty among its candidates, and every
    area that weighs unemployment has it in every year, from that year's own figures where DST has them (2007–)."""
    real = real_model_rows(con)
    years = df(con, "SELECT DISTINCT sammenligningsomraade, aar FROM bm_model")
    for variabel in ("befolkning.videregaaende_uddannelse", "befolkning.relativ_fattigdom"):
        present = real[real["variabel"] == variabel]
        assert len(present) == len(years), variabel
    unemployment = df(con, "SELECT DISTINCT sammenligningsomraade FROM bm_definition "
                           "WHERE noegletal_id LIKE 'beskaeftigelse.%' "
                           "AND rolle = 'kandidat'")["sammenligningsomraade"]
    assert len(unemployment) >= 5
    dst_years = set(df(con, "SELECT DISTINCT periode::INTEGER AS aar FROM fct_noegletal WHERE noegletal_id = ?",
                       DST_UNEMPLOYMENT)["aar"])
    rows = real[real["variabel"] == DST_UNEMPLOYMENT].set_index(["sammenligningsomraade", "aar"])["kilde_aar"]
    for area, aar in years[years["sammenligningsomraade"].isin(unemployment)].itertuples(index=False):
        assert (area, aar) in rows.index, (area, aar)
        assert rows[(area, aar)] == (aar if aar in dst_years else max(y for y in dst_years if y <= aar))


def test_real_variables_are_kept_where_they_are_significant_and_only_there(con):
    """The method, not a hand list, decides: a real variable is kept exactly when p < 0,05 (or it is the strongest
    of a model where nothing is significant), and the shipped data has real variables kept and left out."""
    real = real_model_rows(con)
    alone = df(con, """SELECT sammenligningsomraade, aar, arg_min(variabel, p_vaerdi) AS strongest FROM bm_model
                       WHERE ingen_signifikante GROUP BY ALL""").set_index(["sammenligningsomraade", "aar"])
    alone = alone["strongest"]
    for r in real.itertuples(index=False):
        expected = (r.p_vaerdi < ALPHA) if not r.ingen_signifikante \
            else alone[(r.sammenligningsomraade, r.aar)] == r.variabel
        assert r.beholdt == expected, r
    dst = real[real["variabel"].isin(["befolkning.videregaaende_uddannelse", "befolkning.relativ_fattigdom",
                                      DST_UNEMPLOYMENT])]
    assert dst["beholdt"].any() and not dst["beholdt"].all()


def test_a_years_groups_read_the_facts_of_their_source_year_never_a_later_one(con):
    """Every value behind a year's groups (bm_variabel) is the published fact of its kilde_aar, and kilde_aar is
    never after the year: a value borrowed from a later year would differ from the source year's fact."""
    assert df(con, "SELECT count(*) AS n FROM bm_variabel WHERE kilde_aar > aar")["n"].item() == 0
    assert df(con, "SELECT count(*) AS n FROM bm_model WHERE kilde_aar > aar")["n"].item() == 0
    compared = df(con, """
        SELECT v.sammenligningsomraade, v.aar, v.variabel, v.kommunekode, v.kilde_aar, v.vaerdi, f.vaerdi AS fakta
        FROM bm_variabel v LEFT JOIN fct_noegletal f
          ON f.noegletal_id = v.variabel AND f.omraade_kode = v.kommunekode AND f.periode = v.kilde_aar::VARCHAR
         AND f.erstattet_af IS NULL AND f.release_id = v.release_id
        WHERE NOT v.imputeret""")
    assert len(compared) > 0
    wrong = compared[(compared["vaerdi"] - compared["fakta"]).abs().fillna(1) > 1e-9]
    assert wrong.empty, wrong.head()


def test_a_candidate_without_figures_by_a_year_is_left_out_of_that_years_model(con):
    """The shipped data now covers every candidate in every year of the groups, so the rule for a candidate that
    starts later is checked on the same facts with DST's unemployment before 2020 removed: the groups of 2015–2019
    are computed without it (no model or value rows) and those from 2020 with that year's own figures."""
    facts = df(con, "SELECT * FROM fct_noegletal")
    late = facts[(facts["noegletal_id"] != DST_UNEMPLOYMENT) | (facts["periode"] >= "2020")]
    kommunekoder = sorted(df(con, "SELECT kommunekode FROM dim_kommune")["kommunekode"])
    tables = sammenligning.build_tables(df(con, "SELECT * FROM bm_definition"), late, kommunekoder, "test")
    for name in ("bm_model", "bm_variabel"):
        rows = tables[name][tables[name]["variabel"] == DST_UNEMPLOYMENT]
        assert rows["aar"].min() == 2020, name
        assert (rows.loc[rows["aar"] <= 2024, "kilde_aar"] == rows.loc[rows["aar"] <= 2024, "aar"]).all(), name
    assert set(tables["bm_model"]["aar"]) == set(df(con, "SELECT DISTINCT aar FROM bm_model")["aar"])


def test_the_method_says_which_conditions_are_real_and_which_are_generated(client, app, con):
    """Every area's method an anonymous viewer may open (its outcome is public) names its real conditions and its
    generated ones, and marks each candidate in its table, as the catalogue's `demodata` says."""
    for area, aar in con.execute("""SELECT m.sammenligningsomraade, max(m.aar) FROM bm_model m
                                       JOIN bm_definition d ON d.sammenligningsomraade = m.sammenligningsomraade
                                                           AND d.rolle = 'udfald'
                                       JOIN dim_noegletal n ON n.noegletal_id = d.noegletal_id
                                       WHERE n.adgang = 'offentlig' GROUP BY m.sammenligningsomraade""").fetchall():
        candidates = con.execute("""SELECT n.titel, n.demodata FROM bm_model m
                                    JOIN dim_noegletal n ON n.noegletal_id = m.variabel
                                    WHERE m.sammenligningsomraade = ? AND m.aar = ?""", [area, aar]).fetchall()
        section = group_section(client, app, f"?kommune=101&sammenligningsomraade={area}&aar={aar}")
        method = next(n for n in nodes(section) if n["props"].get("className") == "metode")
        said = next(text(n) for n in nodes(method) if n["type"] == "P" and text(n).startswith("Officiel statistik: "))
        real, _, generated = said.lower().partition("genererede demodata: ")
        assert generated, said                   # the shipped outcomes and some conditions are generated
        for titel, demo in candidates:
            assert titel.lower() in (generated if demo else real), (area, titel, said)
        rows = {text(row["props"]["children"][0]): text(row["props"]["children"][-1]) for row in nodes(method)
                if row["type"] == "Tr" and row["props"]["children"][0]["type"] == "Td"}
        for titel, demo in candidates:
            shown = next(kilde for navn, kilde in rows.items() if navn.startswith(titel))
            assert shown == ("Demodata" if demo else "Officiel statistik"), (area, titel, shown)
