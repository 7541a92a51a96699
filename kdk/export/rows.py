"""The rows an export contains, read through the viewer's scope (suppression, access and embargo apply).

Reads fct_noegletal, dim_noegletal, dim_dataomraade, dim_kommune, dim_region and release; writes nothing.
Every row carries its source's attribution as kilder.toml words it (dim_noegletal's `kildeangivelse`), so each
writer credits the source in the same words. Rows come in the spec's order: key figure id, area (hele landet,
regions, municipalities by code), period.
`demo_count` counts the same rows, and how many of them are generated demo data, without reading them.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kdk.db import Marts
from kdk.queries.scope import CHOSEN_FACTS, VISIBLE_FACTS, Scope

STATUS_KODE = {"normal": "", "diskretioneret": "..", "mangler": "...", "foreloebig": "F", "estimat": "E"}
LAND_NAVN = "Hele landet"


@dataclass(frozen=True)
class Selection:
    """What to export; None means everything the scope may see."""
    noegletal: tuple[str, ...] | None = None
    dataomraader: tuple[str, ...] | None = None
    omraader: tuple[str, ...] | None = None
    perioder: tuple[str, ...] | None = None
    release_til: int | None = None   # only rows from releases up to this loebenummer (a release's state)


def export_rows(marts: Marts, scope: Scope, selection: Selection | None = None) -> pd.DataFrame:
    return marts.query(*_query(marts, scope, selection or Selection()))


def demo_count(marts: Marts, scope: Scope, selection: Selection | None = None) -> tuple[int, int]:
    """(rows of generated demo data, all rows) of what `export_rows` gives for the same scope and selection."""
    sql, params = _query(marts, scope, selection or Selection())
    row = marts.records(f"SELECT count(*) FILTER (WHERE demodata) AS demo, count(*) AS alle FROM ({sql})", params)[0]
    return row["demo"], row["alle"]


def _query(marts: Marts, scope: Scope, selection: Selection) -> tuple[str, dict]:
    # A release's state (`til`) limits the visible releases themselves, so that rows a later release replaced count.
    params = {**scope.params(selection.release_til, marts), "ids": list(selection.noegletal or []),
              "areas": list(selection.dataomraader or []),
              "omr": list(selection.omraader or []), "per": list(selection.perioder or [])}
    # Named key figures are chosen before the facts are read, so that only their rows are read (kdk.queries.scope).
    facts = CHOSEN_FACTS if selection.noegletal else VISIBLE_FACTS
    return f"""
        WITH names AS (
            SELECT kommunekode AS kode, navn FROM dim_kommune
            UNION ALL SELECT regionskode, navn FROM dim_region
            UNION ALL SELECT '000', '{LAND_NAVN}')
        SELECT f.noegletal_id, d.titel, a.navn AS dataomraade, d.dataomraade AS dataomraade_kode, d.enhed,
               d.decimaler, d.periodicitet, d.kilde, d.demodata, d.definition, d.kildeangivelse,
               f.omraade_kode, n.navn AS omraade_navn, f.periode, f.vaerdi, f.status, f.release_id
        FROM ({facts}) f
        JOIN dim_noegletal d USING (noegletal_id)
        JOIN dim_dataomraade a ON a.kode = d.dataomraade
        JOIN names n ON n.kode = f.omraade_kode
        WHERE (len($ids::VARCHAR[]) = 0 OR list_contains($ids::VARCHAR[], f.noegletal_id))
          AND (len($areas::VARCHAR[]) = 0 OR list_contains($areas::VARCHAR[], d.dataomraade))
          AND (len($omr::VARCHAR[]) = 0 OR list_contains($omr::VARCHAR[], f.omraade_kode))
          AND (len($per::VARCHAR[]) = 0 OR list_contains($per::VARCHAR[], f.periode))
        ORDER BY f.noegletal_id,
                 CASE WHEN f.omraade_kode = '000' THEN 0 WHEN length(f.omraade_kode) = 4 THEN 1 ELSE 2 END,
                 f.omraade_kode, f.periode""", params
