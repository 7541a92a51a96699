"""Comparison groups for pages: the k most comparable municipalities, why, the method, the matrix, and
each key figure's value for a group.

Reads bm_definition, bm_sammenligning, bm_model, bm_variabel, dim_kommune, dim_noegletal and (through the
viewer's scope) fct_noegletal. A key figure's data area uses the comparison area of the same code where
one exists (skole, dagtilbud, ubu, aeldre, handicap, sundhed), otherwise `tvaergaaende`.
"""
from __future__ import annotations

import pandas as pd

from kdk.db import marts
from kdk.queries.cache import cached
from kdk.queries.scope import VISIBLE_FACTS, VISIBLE_FIGURES, Scope
from kdk.similarity import contributions

TVAERGAAENDE = "tvaergaaende"
K_VALG = (5, 10, 15)
STANDARD_K = 10


@cached
def omraader(scope: Scope) -> pd.DataFrame:
    return marts().query("""SELECT DISTINCT omraade, navn, beskrivelse, raekkefoelge FROM bm_definition
                            ORDER BY raekkefoelge""")


@cached
def aar(scope: Scope, omraade: str) -> list[int]:
    df = marts().query("SELECT DISTINCT aar FROM bm_model WHERE omraade = $o ORDER BY aar DESC", {"o": omraade})
    return df["aar"].tolist()


def omraade_for(dataomraade: str, kendte: set[str]) -> str:
    return dataomraade if dataomraade in kendte else TVAERGAAENDE


@cached
def gruppe(scope: Scope, omraade: str, aar_: int, kode: str, k: int) -> pd.DataFrame:
    """The k most comparable municipalities: rang, kode, navn, region, afstand."""
    return marts().query("""
        SELECT b.rang, b.sammenligningskode AS kode, k.navn, k.regionsnavn, b.afstand
        FROM bm_sammenligning b JOIN dim_kommune k ON k.kommunekode = b.sammenligningskode
        WHERE b.omraade = $o AND b.aar = $aar AND b.kommunekode = $kode AND b.rang <= $k
        ORDER BY b.rang""", {"o": omraade, "aar": aar_, "kode": kode, "k": k})


@cached
def model(scope: Scope, omraade: str, aar_: int) -> pd.DataFrame:
    """The published method: each candidate with coefficient, p-value, weight, kept, R², title and transformation."""
    return marts().query("""
        SELECT m.*, n.titel, n.enhed, d.transformation
        FROM bm_model m JOIN dim_noegletal n ON n.noegletal_id = m.variabel
        JOIN bm_definition d ON d.omraade = m.omraade AND d.noegletal_id = m.variabel AND d.rolle = 'kandidat'
        WHERE m.omraade = $o AND m.aar = $aar
        ORDER BY m.vaegt DESC, m.p_vaerdi""", {"o": omraade, "aar": aar_})


@cached
def udfald(scope: Scope, omraade: str) -> dict:
    """The outcome key figure of a comparison area (id, title, unit)."""
    df = marts().query("""SELECT d.noegletal_id, n.titel, n.enhed FROM bm_definition d
                          JOIN dim_noegletal n USING (noegletal_id)
                          WHERE d.omraade = $o AND d.rolle = 'udfald'""", {"o": omraade})
    return df.iloc[0].to_dict()


@cached
def variabler(scope: Scope, omraade: str, aar_: int, koder: tuple[str, ...]) -> pd.DataFrame:
    """Values and standardised values of every candidate for the given municipalities."""
    return marts().query("""
        SELECT v.kommunekode, v.variabel, v.vaerdi, v.z, v.imputeret, v.kilde_aar
        FROM bm_variabel v WHERE v.omraade = $o AND v.aar = $aar AND list_contains($koder::VARCHAR[], v.kommunekode)
        ORDER BY v.kommunekode, v.variabel""", {"o": omraade, "aar": aar_, "koder": list(koder)})


@cached
def matrice(scope: Scope, omraade: str, aar_: int) -> pd.DataFrame:
    """All ranks: kommunekode × sammenligningskode with names and regions (long format)."""
    return marts().query("""
        SELECT b.kommunekode, b.sammenligningskode, b.rang, b.afstand
        FROM bm_sammenligning b WHERE b.omraade = $o AND b.aar = $aar""", {"o": omraade, "aar": aar_})


@cached
def gruppevaerdier(scope: Scope, kode: str, aar_: str | None, k: int, saet: tuple[str, ...] | None) -> pd.DataFrame:
    """For every visible key figure in its profile period: the unweighted mean of the comparison group's members
    (the municipality itself never a member), how many members have a value, and how many lie below and above
    the municipality. The group is the figure's comparison area's top k in the period's year (the nearest year
    with groups), or the custom set `saet` when given."""
    params = {**scope.params(), "kode": kode, "aar": aar_, "k": k, "saet": list(saet or []),
              "custom": saet is not None}
    return marts().query(f"""
        WITH y AS (SELECT * FROM ({VISIBLE_FACTS}) WHERE length(periode) = 4),
        chosen AS (
            SELECT noegletal_id, coalesce($aar, max(periode) FILTER (WHERE vaerdi IS NOT NULL)) AS periode
            FROM y GROUP BY noegletal_id),
        areas AS (SELECT DISTINCT omraade FROM bm_definition),
        span AS (SELECT min(aar) AS lo, max(aar) AS hi FROM bm_sammenligning),
        fig AS (
            SELECT d.noegletal_id, d.retning, c.periode,
                   CASE WHEN d.dataomraade IN (SELECT omraade FROM areas) THEN d.dataomraade
                        ELSE '{TVAERGAAENDE}' END AS omraade,
                   greatest(least(CAST(c.periode AS INTEGER), span.hi), span.lo) AS bm_aar
            FROM ({VISIBLE_FIGURES}) d JOIN chosen c USING (noegletal_id) CROSS JOIN span),
        members AS (
            SELECT fig.noegletal_id, b.sammenligningskode AS kode FROM fig JOIN bm_sammenligning b
              ON b.omraade = fig.omraade AND b.aar = fig.bm_aar AND b.kommunekode = $kode AND b.rang <= $k
            WHERE NOT $custom
            UNION ALL
            SELECT fig.noegletal_id, s.kode FROM fig, (SELECT unnest($saet::VARCHAR[]) AS kode) s
            WHERE $custom AND s.kode <> $kode)
        SELECT fig.noegletal_id, fig.omraade AS sammenligningsomraade, fig.bm_aar,
               avg(v.vaerdi) AS gruppe_vaerdi, count(v.vaerdi) AS gruppe_n,
               count(*) FILTER (WHERE v.vaerdi < me.vaerdi) AS under,
               count(*) FILTER (WHERE v.vaerdi > me.vaerdi) AS over
        FROM fig JOIN members m USING (noegletal_id)
        LEFT JOIN y v ON v.noegletal_id = fig.noegletal_id AND v.periode = fig.periode AND v.omraade_kode = m.kode
        LEFT JOIN y me ON me.noegletal_id = fig.noegletal_id AND me.periode = fig.periode AND me.omraade_kode = $kode
        GROUP BY ALL""", params)


@cached
def gruppeserie(scope: Scope, noegletal_id: str, medlemmer: tuple[str, ...]) -> pd.DataFrame:
    """The unweighted yearly mean of a set of municipalities for one key figure."""
    params = {**scope.params(), "id": noegletal_id, "koder": list(medlemmer)}
    return marts().query(f"""
        SELECT periode, avg(vaerdi) AS vaerdi, count(vaerdi) AS n FROM ({VISIBLE_FACTS})
        WHERE noegletal_id = $id AND length(periode) = 4 AND list_contains($koder::VARCHAR[], omraade_kode)
        GROUP BY periode ORDER BY periode""", params)


def hvorfor(scope: Scope, omraade: str, aar_: int, kode: str, koder: tuple[str, ...]) -> pd.DataFrame:
    """Each kept variable's share of the distance between `kode` and each of `koder` (rows: koder)."""
    weights = model(scope, omraade, aar_).query("beholdt").set_index("variabel")["vaegt"]
    z = variabler(scope, omraade, aar_, (kode, *koder)).pivot(index="kommunekode", columns="variabel", values="z")
    return pd.DataFrame({j: contributions(z, weights, kode, j) for j in koder}).T
