"""Key-figure values for the profile, the charts and the map.

Reads fct_noegletal (through the viewer's scope), dim_noegletal, dim_kommune, dim_dataomraade.
Yearly periods (`2024`) drive the profile; monthly series are read for their own charts.
"""
from __future__ import annotations

import pandas as pd

from kdk.db import marts
from kdk.queries.cache import cached
from kdk.queries.scope import VISIBLE_FACTS, VISIBLE_FIGURES, Scope

YEARLY = f"SELECT * FROM ({VISIBLE_FACTS}) WHERE length(periode) = 4"


@cached
def aar(scope: Scope) -> list[str]:
    """Years with municipality values for at least one key figure the viewer may see, newest first."""
    df = marts().query(f"""SELECT DISTINCT periode FROM ({YEARLY}) WHERE vaerdi IS NOT NULL
                           ORDER BY periode DESC""", scope.params())
    return df["periode"].tolist()


@cached
def profil(scope: Scope, kode: str, regionskode: str, periode: str | None) -> pd.DataFrame:
    """One row per visible key figure: the municipality's value in `periode` (or each figure's latest year),
    the previous year, region and land, and its rank among the municipalities (1 = highest value)."""
    params = {**scope.params(), "kode": kode, "region": regionskode, "aar": periode}
    return marts().query(f"""
        WITH y AS ({YEARLY}),
        chosen AS (
            SELECT noegletal_id, coalesce($aar, max(periode) FILTER (WHERE vaerdi IS NOT NULL)) AS periode
            FROM y GROUP BY noegletal_id),
        ranked AS (
            SELECT y.noegletal_id, y.omraade_kode,
                   rank() OVER (PARTITION BY y.noegletal_id ORDER BY y.vaerdi DESC) AS rang,
                   count(*) OVER (PARTITION BY y.noegletal_id) AS antal,
                   percent_rank() OVER (PARTITION BY y.noegletal_id ORDER BY y.vaerdi) AS andel_under
            FROM y JOIN chosen c USING (noegletal_id, periode)
            JOIN dim_kommune k ON k.kommunekode = y.omraade_kode
            WHERE y.vaerdi IS NOT NULL)
        SELECT d.noegletal_id, d.titel, d.definition, d.enhed, d.dataomraade, d.retning, d.decimaler,
               d.kilde, d.demodata, d.periodicitet, c.periode,
               me.vaerdi, coalesce(me.status, 'mangler') AS status,
               prev.vaerdi AS forrige_vaerdi, reg.vaerdi AS region_vaerdi, land.vaerdi AS land_vaerdi,
               r.rang, r.antal, r.andel_under
        FROM ({VISIBLE_FIGURES}) d
        JOIN dim_dataomraade a ON a.kode = d.dataomraade
        LEFT JOIN chosen c USING (noegletal_id)
        LEFT JOIN y me ON me.noegletal_id = d.noegletal_id AND me.periode = c.periode AND me.omraade_kode = $kode
        LEFT JOIN y prev ON prev.noegletal_id = d.noegletal_id AND prev.omraade_kode = $kode
             AND prev.periode = CAST(CAST(c.periode AS INTEGER) - 1 AS VARCHAR)
        LEFT JOIN y reg ON reg.noegletal_id = d.noegletal_id AND reg.periode = c.periode
             AND reg.omraade_kode = $region
        LEFT JOIN y land ON land.noegletal_id = d.noegletal_id AND land.periode = c.periode
             AND land.omraade_kode = '000'
        LEFT JOIN ranked r ON r.noegletal_id = d.noegletal_id AND r.omraade_kode = $kode
        ORDER BY a.raekkefoelge, d.raekkefoelge""", params)


@cached
def aarsserier(scope: Scope, omraader: tuple[str, ...]) -> pd.DataFrame:
    """Yearly values of every visible key figure for the given areas (municipality, region, '000')."""
    params = {**scope.params(), "koder": list(omraader)}
    return marts().query(f"""
        SELECT noegletal_id, omraade_kode, periode, vaerdi, status FROM ({YEARLY})
        WHERE list_contains($koder::VARCHAR[], omraade_kode)
        ORDER BY noegletal_id, omraade_kode, periode""", params)


@cached
def maanedsserie(scope: Scope, noegletal_id: str, omraader: tuple[str, ...]) -> pd.DataFrame:
    params = {**scope.params(), "id": noegletal_id, "koder": list(omraader)}
    return marts().query(f"""
        SELECT omraade_kode, periode, vaerdi, status FROM ({VISIBLE_FACTS})
        WHERE noegletal_id = $id AND periode LIKE '%M%' AND list_contains($koder::VARCHAR[], omraade_kode)
        ORDER BY omraade_kode, periode""", params)


@cached
def fordeling(scope: Scope, noegletal_id: str, periode: str) -> pd.DataFrame:
    """All municipalities' values for one key figure and period (suppressed ones with no value), by value."""
    params = {**scope.params(), "id": noegletal_id, "periode": periode}
    return marts().query(f"""
        SELECT k.kommunekode, k.navn, k.regionskode, k.regionsnavn, f.vaerdi, coalesce(f.status, 'mangler') status
        FROM dim_kommune k
        LEFT JOIN ({VISIBLE_FACTS}) f ON f.omraade_kode = k.kommunekode AND f.noegletal_id = $id
             AND f.periode = $periode
        ORDER BY f.vaerdi DESC NULLS LAST, k.kommunekode""", params)


@cached
def perioder(scope: Scope, noegletal_id: str) -> list[str]:
    """Yearly periods with values for one key figure, newest first."""
    params = {**scope.params(), "id": noegletal_id}
    df = marts().query(f"""SELECT DISTINCT periode FROM ({YEARLY}) WHERE noegletal_id = $id
                           AND vaerdi IS NOT NULL ORDER BY periode DESC""", params)
    return df["periode"].tolist()
