"""Hele landet (`000`) and region aggregates from municipality rows, by each key figure's rule.

Reads fact rows; writes nothing. Rules (catalogue field `aggregering`):
- `sum`: counts are added up;
- `kvote`: faktor * sum(taeller) / sum(naevner), the ratio of the sums;
- `vaegtet`: the mean of municipal values weighted by the figure's base population (`vaegt`);
- `ingen`: none: a figure that cannot be added up (a Gini coefficient, a share of a median) gets no region value, and
  hele landet only where the source publishes it.
Never a plain mean of municipal ratios. Aggregates are computed before suppression, from the true
values, as statistical agencies do. An area the source already publishes (e.g. Jobindsats' own
national figure) keeps the source's value. An aggregate of which any municipal value is an estimate (status
`estimat`, e.g. noegletal.dk's values recalculated to today's municipalities) is an estimate too.

The rules are one DuckDB query over named tables, so the same SQL serves the build (DataFrames) and marts of
Kolada's size (bench/kolada_marts.py). Sums are compensated (`fsum`), as pandas' were.
"""
from __future__ import annotations

from kdk.marts.sources import LAND


def sql(facts: str, regler: str, kommuner: str) -> str:
    """A query for the aggregate rows (noegletal_id, omraade_kode, periode, vaerdi, taeller, naevner, status) of
    the table `facts` (those columns plus `vaegt`) that `facts` does not hold already. `regler` has
    noegletal_id, aggregering and faktor per key figure; `kommuner` has kommunekode and regionskode."""
    return f"""
        WITH municipal AS (
            SELECT f.noegletal_id, f.periode, f.vaerdi, f.taeller, f.naevner, f.vaegt, f.status, k.regionskode
            FROM {facts} f JOIN {kommuner} k ON k.kommunekode = f.omraade_kode
            WHERE f.vaerdi IS NOT NULL),
        summed AS (
            SELECT noegletal_id, periode, coalesce(regionskode, '{LAND}') AS omraade_kode, fsum(vaerdi) AS summ,
                   coalesce(fsum(taeller), 0) AS taeller, coalesce(fsum(naevner), 0) AS naevner,
                   coalesce(fsum(vaerdi * vaegt), 0) AS vsum, coalesce(fsum(vaegt), 0) AS wsum,
                   bool_or(status = 'estimat') AS estimat
            FROM municipal GROUP BY GROUPING SETS ((noegletal_id, periode, regionskode), (noegletal_id, periode))),
        computed AS (
            SELECT s.noegletal_id, s.omraade_kode, s.periode, r.aggregering = 'kvote' AS is_kvote,
                   CASE r.aggregering WHEN 'sum' THEN s.summ
                        WHEN 'kvote' THEN r.faktor * s.taeller / CASE WHEN s.naevner > 0 THEN s.naevner END
                        WHEN 'vaegtet' THEN s.vsum / CASE WHEN s.wsum > 0 THEN s.wsum END END AS vaerdi,
                   s.taeller, s.naevner, s.estimat
            FROM summed s JOIN {regler} r USING (noegletal_id)),
        published AS (
            SELECT noegletal_id, omraade_kode, periode FROM {facts}
            WHERE omraade_kode NOT IN (SELECT kommunekode FROM {kommuner}))
        SELECT c.noegletal_id, c.omraade_kode, c.periode, c.vaerdi,
               CASE WHEN c.is_kvote THEN c.taeller END AS taeller, CASE WHEN c.is_kvote THEN c.naevner END AS naevner,
               CASE WHEN c.estimat THEN 'estimat' ELSE 'normal' END AS status
        FROM computed c
        WHERE c.vaerdi IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM published p
            WHERE p.noegletal_id = c.noegletal_id AND p.omraade_kode = c.omraade_kode AND p.periode = c.periode)"""
