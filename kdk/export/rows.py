"""The rows an export contains, read through the viewer's scope (suppression, access and embargo apply).

Reads fct_noegletal, dim_noegletal, dim_dataomraade, dim_kommune, dim_region and release; writes nothing.
Every row carries its source's attribution as kilder.toml words it (dim_noegletal's `kildeangivelse`), so each
writer credits the source in the same words. Rows come in the spec's order: key figure id, area (hele landet,
regions, municipalities by code), period.
`demo_count` counts the same rows, and how many of them are generated demo data, without reading them.

The catalogue's texts (TEKSTER: title, data area, unit, definition, source, attribution) come in the active language
(kdk.sprog) and, for a writer that writes both languages into one file (PX), also in each language: `<felt>_da`
and `<felt>_en`, the English read from the marts' English column where it exists (`ENGELSKE`, the one place that
names those columns) and empty where it does not; `i_sprog(rows, language)` gives the rows' texts in one language,
with the Danish and the marker MANGLER where the English is missing, and "Hele landet" in that language.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kdk import sprog
from kdk.db import Marts
from kdk.queries.scope import CHOSEN_FACTS, VISIBLE_FACTS, Scope
from kdk.sprog import N_, gettext

STATUS_KODE = {"normal": "", "diskretioneret": "..", "mangler": "...", "foreloebig": "F", "estimat": "E"}
LAND_NAVN = N_("Hele landet")
LAND = "000"
# Each catalogue text a row carries: its Danish column, and the table and column its English is read from.
ENGELSKE = {"titel": ("d.titel", "dim_noegletal", "titel_en"),
            "dataomraade": ("a.navn", "dim_dataomraade", "navn_en"),
            "enhed": ("d.enhed", "dim_noegletal", "enhed_en"),
            "definition": ("d.definition", "dim_noegletal", "definition_en"),
            "kilde": ("d.kilde", "dim_noegletal", "kilde_en"),
            "kildeangivelse": ("d.kildeangivelse", "dim_noegletal", "kildeangivelse_en")}
TEKSTER = tuple(ENGELSKE)


@dataclass(frozen=True)
class Selection:
    """What to export; None means everything the scope may see."""
    noegletal: tuple[str, ...] | None = None
    dataomraader: tuple[str, ...] | None = None
    omraader: tuple[str, ...] | None = None
    perioder: tuple[str, ...] | None = None
    release_til: int | None = None   # only rows from releases up to this loebenummer (a release's state)


def export_rows(marts: Marts, scope: Scope, selection: Selection | None = None) -> pd.DataFrame:
    """The rows, with the catalogue's texts in the active language and in each language (see the docstring)."""
    return i_sprog(marts.query(*_query(marts, scope, selection or Selection())), sprog.aktivt())


def i_sprog(rows: pd.DataFrame, language: str) -> pd.DataFrame:
    """`rows` with their texts (TEKSTER, and the name of hele landet) in `language`: the English where the catalogue
    has it, else the Danish followed by MANGLER, as kdk.sprog.katalogtekst shows a catalogue text."""
    with sprog.brug(language):
        texts = {felt: rows[f"{felt}_da"] if language == sprog.DANSK
                 else rows[f"{felt}_en"].where(rows[f"{felt}_en"].fillna("") != "",
                                                rows[f"{felt}_da"].map(lambda t: sprog.katalogtekst(t, None)))
                 for felt in TEKSTER}
        land = gettext(LAND_NAVN)
    return rows.assign(**texts, omraade_navn=rows["omraade_navn"].where(rows["omraade_kode"] != LAND, land))


def _texts(marts: Marts) -> str:
    """The SQL of each text in both languages: the English from its column where the marts have one, else NULL."""
    found = {(r["table_name"], r["column_name"]) for r in marts.records(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_name IN $tables",
        {"tables": sorted({table for _, table, _ in ENGELSKE.values()})})}
    return ", ".join(f"{da} AS {felt}_da, "
                     f"{da.split('.')[0] + '.' + column if (table, column) in found else 'NULL::VARCHAR'} AS {felt}_en"
                     for felt, (da, table, column) in ENGELSKE.items())


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
    texts = _texts(marts)
    return f"""
        WITH names AS (
            SELECT kommunekode AS kode, navn FROM dim_kommune
            UNION ALL SELECT regionskode, navn FROM dim_region
            UNION ALL SELECT '{LAND}', '{LAND_NAVN}')
        SELECT f.noegletal_id, d.dataomraade AS dataomraade_kode, d.decimaler, d.periodicitet, d.demodata,
               {texts},
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
