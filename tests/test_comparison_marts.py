"""The comparison groups as built into the marts (bm_sammenligning, bm_model, bm_variabel) from the real sources."""
from __future__ import annotations

import pandas as pd
import pytest

from kdk.similarity import ALPHA

AREAS = {"tvaergaaende", "skole", "dagtilbud", "ubu", "aeldre", "handicap", "sundhed"}
N = 98


def df(con, sql, *params) -> pd.DataFrame:
    return con.execute(sql, list(params)).df()


def test_bm_tables_name_the_comparison_area_as_the_glossary_does(con):
    """docs/ordliste.md: the comparison area is a sammenligningsområde; `omraade` alone would read as a dataområde."""
    columns = df(con, """SELECT table_name, list(column_name) AS kolonner FROM information_schema.columns
                         WHERE starts_with(table_name, 'bm_') GROUP BY table_name""")
    assert set(columns["table_name"]) == {"bm_definition", "bm_sammenligning", "bm_model", "bm_variabel"}
    for table, kolonner in columns.itertuples(index=False):
        assert "omraade" not in kolonner and "sammenligningsomraade" in kolonner, table


def test_seven_areas_each_with_a_full_ranking_for_every_year(con):
    per_year = df(con, """SELECT sammenligningsomraade, aar, count(*) AS n, count(DISTINCT kommunekode) AS kommuner
                          FROM bm_sammenligning GROUP BY ALL""")
    assert set(per_year["sammenligningsomraade"]) == AREAS
    assert (per_year["n"] == N * (N - 1)).all()
    assert (per_year["kommuner"] == N).all()
    assert set(df(con, "SELECT DISTINCT sammenligningsomraade FROM bm_definition")["sammenligningsomraade"]) == AREAS


def test_ranks_are_1_to_97_once_each_and_cover_every_other_municipality(con):
    per_area = df(con, """SELECT sammenligningsomraade, aar, kommunekode, count(*) AS n, count(DISTINCT rang) AS rang_n,
                                 min(rang) AS lo, max(rang) AS hi, count(DISTINCT sammenligningskode) AS andre
                          FROM bm_sammenligning GROUP BY ALL""")
    n = df(con, "SELECT count(DISTINCT (sammenligningsomraade, aar)) AS n FROM bm_sammenligning")["n"].item()
    assert len(per_area) == N * n
    assert (per_area[["n", "rang_n", "andre", "hi"]] == N - 1).all().all()
    assert (per_area["lo"] == 1).all()


def test_a_municipality_is_never_compared_with_itself_and_all_codes_are_municipalities(con):
    assert df(con, "SELECT count(*) AS n FROM bm_sammenligning WHERE kommunekode = sammenligningskode")["n"].item() == 0
    unknown = df(con, """SELECT count(*) AS n FROM bm_sammenligning s
                         WHERE s.kommunekode NOT IN (SELECT kommunekode FROM dim_kommune)
                            OR s.sammenligningskode NOT IN (SELECT kommunekode FROM dim_kommune)""")
    assert unknown["n"].item() == 0
    assert df(con, "SELECT count(*) AS n FROM dim_kommune")["n"].item() == N


def test_distances_are_symmetric(con):
    pairs = df(con, """SELECT count(*) AS n, count(b.afstand) AS matched, max(abs(a.afstand - b.afstand)) AS worst
                       FROM bm_sammenligning a LEFT JOIN bm_sammenligning b
                         ON a.sammenligningsomraade = b.sammenligningsomraade AND a.aar = b.aar
                        AND a.kommunekode = b.sammenligningskode AND a.sammenligningskode = b.kommunekode""")
    assert pairs["matched"].item() == pairs["n"].item()
    assert pairs["worst"].item() <= 1e-9


def test_rank_follows_distance_with_ties_by_code(con):
    bad = df(con, """SELECT * FROM (
                         SELECT *, lag(afstand) OVER w AS forrige, lag(sammenligningskode) OVER w AS forrige_kode
                         FROM bm_sammenligning
                         WINDOW w AS (PARTITION BY sammenligningsomraade, aar, kommunekode ORDER BY rang))
                     WHERE afstand < forrige OR (afstand = forrige AND sammenligningskode < forrige_kode)
                        OR afstand < 0 OR afstand IS NULL OR isnan(afstand)""")
    assert bad.empty, bad.head()


def test_published_model_weights_sum_to_one_over_the_kept_variables(con):
    per_year = df(con, """SELECT sammenligningsomraade, aar,
                                 sum(vaegt) FILTER (WHERE beholdt) AS kept_sum,
                                 count(*) FILTER (WHERE beholdt) AS kept,
                                 count(*) FILTER (WHERE beholdt AND vaegt <= 0) AS kept_without_weight,
                                 count(*) FILTER (WHERE NOT beholdt AND vaegt <> 0) AS dropped_with_weight,
                                 min(r2) AS r2_lo, max(r2) AS r2_hi, count(DISTINCT r2) AS r2_n
                          FROM bm_model GROUP BY ALL""")
    assert set(per_year["sammenligningsomraade"]) == AREAS
    assert (per_year["kept"] >= 1).all()
    assert per_year["kept_sum"].to_numpy() == pytest.approx(1, abs=1e-9)
    assert (per_year["kept_without_weight"] == 0).all()
    assert (per_year["dropped_with_weight"] == 0).all()
    assert (per_year["r2_lo"] >= 0).all() and (per_year["r2_hi"] <= 1).all()
    assert (per_year["r2_n"] == 1).all()                    # one model per area and year
    ranked = df(con, "SELECT DISTINCT sammenligningsomraade, aar FROM bm_sammenligning")
    assert set(map(tuple, ranked.to_numpy())) == set(map(tuple, per_year[["sammenligningsomraade", "aar"]].to_numpy()))


def test_model_variables_are_the_candidates_of_the_definition_known_by_then(con):
    """Each year's model has every candidate with a municipal value in or before that year, and no other."""
    expected = df(con, """
        SELECT y.sammenligningsomraade, y.aar, d.noegletal_id AS variabel
        FROM (SELECT DISTINCT sammenligningsomraade, aar FROM bm_model) y
        JOIN bm_definition d ON d.sammenligningsomraade = y.sammenligningsomraade AND d.rolle = 'kandidat'
        WHERE EXISTS (SELECT 1 FROM fct_noegletal f JOIN dim_kommune k ON k.kommunekode = f.omraade_kode
                      WHERE f.noegletal_id = d.noegletal_id AND length(f.periode) = 4 AND f.vaerdi IS NOT NULL
                        AND f.erstattet_af IS NULL AND f.periode::INTEGER <= y.aar)""")
    model = df(con, "SELECT sammenligningsomraade, aar, variabel FROM bm_model")
    assert not model.duplicated().any()
    assert set(map(tuple, model.to_numpy())) == set(map(tuple, expected.to_numpy()))
    # The shipped data has every candidate in every year; a candidate that starts later is left out of the earlier
    # years' models: tests/test_grupper_real.py checks that on the same facts with a series' early years removed.


def test_a_years_groups_read_no_structural_value_from_a_later_year(con):
    """Every value behind a year's groups is from that year or the latest earlier year with data: never later."""
    later = df(con, """SELECT 'bm_model' AS t, sammenligningsomraade, aar, variabel, kilde_aar FROM bm_model
                       WHERE kilde_aar > aar
                       UNION ALL
                       SELECT 'bm_variabel', sammenligningsomraade, aar, variabel, kilde_aar FROM bm_variabel
                       WHERE kilde_aar > aar""")
    assert later.empty, later.drop_duplicates(["t", "variabel", "kilde_aar"]).head(10)
    wrong = df(con, """
        WITH latest AS (SELECT m.sammenligningsomraade, m.aar, m.variabel, m.kilde_aar,
                               (SELECT max(f.periode::INTEGER) FROM fct_noegletal f
                                JOIN dim_kommune k ON k.kommunekode = f.omraade_kode
                                WHERE f.noegletal_id = m.variabel AND length(f.periode) = 4 AND f.vaerdi IS NOT NULL
                                  AND f.erstattet_af IS NULL AND f.periode::INTEGER <= m.aar) AS senest
                        FROM bm_model m)
        SELECT * FROM latest WHERE kilde_aar IS DISTINCT FROM senest""")
    assert wrong.empty, wrong.head()


def test_kept_variables_follow_the_published_rule(con):
    """p < 0.05 kept; if none, exactly the one with the smallest p-value, and the model says so."""
    model = df(con, "SELECT sammenligningsomraade, aar, variabel, p_vaerdi, beholdt, ingen_signifikante FROM bm_model")
    for (sammenligningsomraade, aar), g in model.groupby(["sammenligningsomraade", "aar"]):
        significant = set(g.loc[g["p_vaerdi"] < ALPHA, "variabel"])
        kept = set(g.loc[g["beholdt"], "variabel"])
        none = g["ingen_signifikante"].unique().tolist()
        assert none == [not significant], (sammenligningsomraade, aar)
        if significant:
            assert kept == significant, (sammenligningsomraade, aar)
        else:
            assert kept == {g.loc[g["p_vaerdi"].idxmin(), "variabel"]}, (sammenligningsomraade, aar)


def test_distances_are_recomputed_from_the_published_values_and_weights(con):
    """The 'why' shown to users (bm_variabel z, bm_model weights) gives exactly the published distances."""
    worst = df(con, """
        WITH w AS (SELECT sammenligningsomraade, aar, variabel, vaegt FROM bm_model WHERE beholdt),
        z AS (SELECT v.sammenligningsomraade, v.aar, v.kommunekode, v.variabel, v.z, w.vaegt
              FROM bm_variabel v JOIN w USING (sammenligningsomraade, aar, variabel)),
        d AS (SELECT a.sammenligningsomraade, a.aar, a.kommunekode AS i, b.kommunekode AS j,
                     sqrt(sum(a.vaegt * (a.z - b.z) ^ 2)) AS afstand
              FROM z a JOIN z b ON a.sammenligningsomraade = b.sammenligningsomraade AND a.aar = b.aar
                                   AND a.variabel = b.variabel
                               AND a.kommunekode <> b.kommunekode
              GROUP BY ALL)
        SELECT count(*) AS n, max(abs(d.afstand - s.afstand)) AS worst
        FROM bm_sammenligning s JOIN d ON s.sammenligningsomraade = d.sammenligningsomraade AND s.aar = d.aar
                                     AND s.kommunekode = d.i AND s.sammenligningskode = d.j""")
    assert worst["n"].item() == df(con, "SELECT count(*) AS n FROM bm_sammenligning")["n"].item()
    assert worst["worst"].item() <= 1e-9


def test_groups_are_stable_from_year_to_year(con):
    """Mean share of the top 10 kept from one year to the next, per area, is above chance (10/97). How stable each
    area is, is measured (bench/bench_group_stability.py, in docs/data.md) and shown on the page, not promised here."""
    overlap = df(con, """
        WITH top AS (SELECT sammenligningsomraade, aar, kommunekode, sammenligningskode FROM bm_sammenligning
                     WHERE rang <= 10),
        years AS (SELECT DISTINCT sammenligningsomraade, aar FROM top),
        steps AS (SELECT a.sammenligningsomraade, a.aar FROM years a
                  JOIN years b ON a.sammenligningsomraade = b.sammenligningsomraade AND b.aar = a.aar + 1),
        shared AS (SELECT a.sammenligningsomraade, a.aar, count(*) AS n
                   FROM top a JOIN top b ON a.sammenligningsomraade = b.sammenligningsomraade AND b.aar = a.aar + 1
                                        AND a.kommunekode = b.kommunekode
                                        AND a.sammenligningskode = b.sammenligningskode
                   GROUP BY ALL)
        SELECT steps.sammenligningsomraade, avg(coalesce(shared.n, 0) / (98 * 10.0)) AS overlap, count(*) AS steps
        FROM steps LEFT JOIN shared USING (sammenligningsomraade, aar) GROUP BY ALL""")
    assert set(overlap["sammenligningsomraade"]) == AREAS
    assert (overlap["steps"] >= 1).all()
    low = overlap[overlap["overlap"] <= 10 / 97]
    assert low.empty, low
