"""Small-number suppression (diskretionering), applied when the marts are built.

Reads fact rows; writes nothing. Primary: a count (`sum`) below 5, or a ratio (`kvote`) whose
numerator or denominator is below 5. Secondary: where exactly one municipality of a region is
suppressed for a key figure and period, the region's published total would reveal it, so the
region's smallest other municipality (the lowest code among equals) is suppressed too. A suppressed row keeps
its place with status `diskretioneret` and no value, numerator or denominator. A key figure whose numerator is
not a count of people (catalogue `diskretion = false`, e.g. a change in population) is not suppressed.

The rule is one DuckDB query over named tables, so the same SQL serves the build and marts of Kolada's size.
"""
from __future__ import annotations

LIMIT = 5


def sql(facts: str, regler: str, kommuner: str) -> str:
    """A query for the rows of the table `facts` (noegletal_id, omraade_kode, periode, vaerdi, taeller, naevner,
    status) with suppression applied, the same columns. `regler` has noegletal_id, aggregering and diskretion per
    key figure; `kommuner` has kommunekode and regionskode."""
    return f"""
        WITH sized AS (
            SELECT f.noegletal_id, f.omraade_kode, f.periode, f.vaerdi, f.taeller, f.naevner, f.status,
                   k.regionskode AS region, r.diskretion AND r.aggregering <> 'vaegtet' AS applies,
                   CASE WHEN r.aggregering = 'sum' THEN f.vaerdi ELSE least(f.taeller, f.naevner) END AS size
            FROM {facts} f JOIN {regler} r USING (noegletal_id)
            LEFT JOIN {kommuner} k ON k.kommunekode = f.omraade_kode),
        marked AS (SELECT *, coalesce(applies AND size < {LIMIT}, false) AS is_primary FROM sized),
        one_in_region AS (
            SELECT noegletal_id, periode, region FROM marked WHERE is_primary AND region IS NOT NULL
            GROUP BY ALL HAVING count(*) = 1),
        secondary AS (
            SELECT m.noegletal_id, m.omraade_kode, m.periode
            FROM marked m JOIN one_in_region USING (noegletal_id, periode, region)
            WHERE NOT m.is_primary AND m.size IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY m.noegletal_id, m.periode, m.region
                                       ORDER BY m.size, m.omraade_kode) = 1),
        hidden AS (
            SELECT m.*, m.is_primary OR s.omraade_kode IS NOT NULL AS is_hidden
            FROM marked m LEFT JOIN secondary s USING (noegletal_id, omraade_kode, periode))
        SELECT noegletal_id, omraade_kode, periode,
               CASE WHEN NOT is_hidden THEN vaerdi END AS vaerdi, CASE WHEN NOT is_hidden THEN taeller END AS taeller,
               CASE WHEN NOT is_hidden THEN naevner END AS naevner,
               CASE WHEN is_hidden THEN 'diskretioneret' ELSE status END AS status
        FROM hidden"""
