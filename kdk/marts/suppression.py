"""Small-number suppression (diskretionering): the primary rule, and removing the values of hidden cells.

Reads fact rows; writes nothing. Primary: a count (`sum`) below 5, or a ratio (`kvote`) whose numerator or
denominator is below 5. A key figure whose numerator is not a count of people (catalogue `diskretion = false`,
e.g. a change in population) and weighted means (`vaegtet`) are not suppressed. Secondary suppression and the
audit that every hidden count stays protected are kdk/marts/disclosure.py, between the two queries here: `sql`
marks the primary cells and keeps the true values (in memory only), `hide_sql` gives every hidden cell status
`diskretioneret` and no value, numerator or denominator; only its output is written to the marts.

The rules are DuckDB queries over named tables, so the same SQL serves the build and marts of Kolada's size.
"""
from __future__ import annotations

LIMIT = 5
STATUS = "diskretioneret"


def sql(facts: str, regler: str) -> str:
    """A query for the rows of the table `facts` (noegletal_id, omraade_kode, periode, vaerdi, taeller, naevner,
    status) with true values, plus `primaer`: the primary rule applies. `regler` has noegletal_id, aggregering
    and diskretion per key figure."""
    return f"""
        SELECT f.noegletal_id, f.omraade_kode, f.periode, f.vaerdi, f.taeller, f.naevner, f.status,
               coalesce(r.diskretion AND r.aggregering <> 'vaegtet'
                        AND CASE WHEN r.aggregering = 'sum' THEN f.vaerdi ELSE least(f.taeller, f.naevner) END
                            < {LIMIT}, false) AS primaer
        FROM {facts} f JOIN {regler} r USING (noegletal_id)"""


def hide_sql(marked: str, skjulte: str) -> str:
    """The rows of `marked` (fact columns, any more columns are kept) with the cells keyed in `skjulte`
    (noegletal_id, omraade_kode, periode) suppressed."""
    return f"""
        SELECT m.* REPLACE (
                   CASE WHEN s.noegletal_id IS NULL THEN m.vaerdi END AS vaerdi,
                   CASE WHEN s.noegletal_id IS NULL THEN m.taeller END AS taeller,
                   CASE WHEN s.noegletal_id IS NULL THEN m.naevner END AS naevner,
                   CASE WHEN s.noegletal_id IS NULL THEN m.status ELSE '{STATUS}' END AS status)
        FROM {marked} m LEFT JOIN {skjulte} s USING (noegletal_id, omraade_kode, periode)"""
