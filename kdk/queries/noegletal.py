"""Key-figure values for the profile, the charts and the map.

Reads fct_noegletal (through the viewer's scope), dim_noegletal, dim_kommune, dim_dataomraade. The profile's
queries read only the key figures it shows, and what all municipalities share (the ranking) is cached once.
Yearly periods (`2024`) drive the profile; monthly series are read for their own charts.
"""
from __future__ import annotations

import pandas as pd

from kdk import periods
from kdk.db import marts
from kdk.queries import omraader
from kdk.queries.cache import cached
from kdk.queries.scope import CHOSEN_FACTS, VISIBLE_FACTS, Scope

YEARLY = f"SELECT * FROM ({VISIBLE_FACTS}) WHERE length(periode) = 4"
CHOSEN_YEARLY = f"SELECT * FROM ({CHOSEN_FACTS}) WHERE length(periode) = 4"   # of the figures in $ids


@cached
def aar(scope: Scope) -> list[str]:
    """Years with municipality values for at least one key figure the viewer may see, newest first."""
    df = marts().query(f"""SELECT DISTINCT periode FROM ({YEARLY}) WHERE vaerdi IS NOT NULL
                           ORDER BY periode DESC""", scope.params())
    return df["periode"].tolist()


PROFILE_COLUMNS = ["noegletal_id", "titel", "definition", "enhed", "dataomraade", "retning", "decimaler", "kilde",
                   "demodata", "periodicitet"]


@cached
def rangering(scope: Scope, periode: str | None, noegletal_ids: tuple[str, ...]) -> pd.DataFrame:
    """For each visible key figure among `noegletal_ids`: its profile period (`periode`, or the figure's latest year
    with a value) and every municipality's value then, with its rank (`rang`, 1 = highest value), how many have a
    value (`antal`) and the share with a lower value (`andel_under`). A figure without municipal values that year
    has one row without a municipality. The same for every municipality's profile, so it is computed once."""
    params = {**scope.params(), "aar": periode, "ids": list(noegletal_ids)}
    return marts().query(f"""
        WITH y AS ({CHOSEN_YEARLY}),
        chosen AS (
            SELECT noegletal_id, coalesce($aar, max(periode) FILTER (WHERE vaerdi IS NOT NULL)) AS periode
            FROM y GROUP BY noegletal_id),
        ranked AS (
            SELECT y.noegletal_id, y.omraade_kode, y.vaerdi,
                   rank() OVER (PARTITION BY y.noegletal_id ORDER BY y.vaerdi DESC) AS rang,
                   count(*) OVER (PARTITION BY y.noegletal_id) AS antal,
                   percent_rank() OVER (PARTITION BY y.noegletal_id ORDER BY y.vaerdi) AS andel_under
            FROM y JOIN chosen c USING (noegletal_id, periode)
            JOIN dim_kommune k ON k.kommunekode = y.omraade_kode
            WHERE y.vaerdi IS NOT NULL)
        SELECT c.noegletal_id, c.periode, r.omraade_kode, r.vaerdi, r.rang, r.antal, r.andel_under
        FROM chosen c LEFT JOIN ranked r USING (noegletal_id)
        ORDER BY c.noegletal_id, r.rang""", params)


@cached
def profil(scope: Scope, kode: str, regionskode: str, periode: str | None,
           noegletal_ids: tuple[str, ...]) -> pd.DataFrame:
    """One row per visible key figure among `noegletal_ids`, in catalogue order: the municipality's value in
    `periode` (or each figure's latest year), the previous year, region and land, and its rank among the
    municipalities (1 = highest value). Reads the shared ranking (rangering) and the municipality's, region's and
    land's own series (aarsserier), so a profile costs little beyond the rows it shows."""
    rows = omraader.noegletal_af(scope, noegletal_ids)[PROFILE_COLUMNS]
    ranks = rangering(scope, periode, noegletal_ids)
    rows = rows.merge(ranks.drop_duplicates("noegletal_id")[["noegletal_id", "periode"]], how="left")
    series = aarsserier(scope, (kode, regionskode, "000"), noegletal_ids).set_index(
        ["omraade_kode", "noegletal_id", "periode"])
    previous = rows["periode"].map(lambda p: periods.previous(p) if isinstance(p, str) else None)

    def at(area: str, when: pd.Series, column: str) -> list:
        keys = pd.MultiIndex.from_arrays([[area] * len(rows), rows["noegletal_id"], when])
        return series[column].reindex(keys).tolist()

    rows["vaerdi"] = at(kode, rows["periode"], "vaerdi")
    rows["status"] = pd.Series(at(kode, rows["periode"], "status"), dtype=object).fillna("mangler").tolist()
    rows["forrige_vaerdi"] = at(kode, previous, "vaerdi")
    rows["region_vaerdi"] = at(regionskode, rows["periode"], "vaerdi")
    rows["land_vaerdi"] = at("000", rows["periode"], "vaerdi")
    mine = ranks.loc[ranks["omraade_kode"] == kode, ["noegletal_id", "rang", "antal", "andel_under"]]
    return rows.merge(mine, how="left", on="noegletal_id")


@cached
def aarsserier(scope: Scope, omraader: tuple[str, ...], noegletal_ids: tuple[str, ...]) -> pd.DataFrame:
    """Yearly values of the visible key figures among `noegletal_ids` for the given areas (municipality, region,
    '000')."""
    params = {**scope.params(), "koder": list(omraader), "ids": list(noegletal_ids)}
    return marts().query(f"""
        SELECT noegletal_id, omraade_kode, periode, vaerdi, status FROM ({CHOSEN_YEARLY})
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
