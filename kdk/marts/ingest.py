"""`python -m kdk ingest FILE`: load a new source file into the marts through the build's validation.

Reads the live marts (read-only) and the file; on success writes a new marts file with the file's
rows, recomputed aggregates and suppression, a new release row and the validation findings, then
switches the link (store.py). On any error nothing is written and the live marts stay as they were.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from kdk.config import Settings
from kdk.marts import comparison, store
from kdk.marts.build import canonical_order, content_id, findings_frame, finish_facts
from kdk.marts.catalogue import Catalogue
from kdk.marts.findings import IngestError, Report
from kdk.marts.ingest_reader import ReadOptions, read_source
from kdk.marts.sources import FACT_COLUMNS
from kdk.marts.validation import validate

KEY = ["noegletal_id", "omraade_kode", "periode"]


@dataclass
class IngestResult:
    report: Report
    release_id: str | None = None
    rows: int = 0


def ingest(settings: Settings, path: Path, options: ReadOptions, udtraeksdato: dt.date | None = None) -> IngestResult:
    live = store.current(settings)
    if live is None:
        raise IngestError("Der er ingen marts endnu. Kør først: python -m kdk build")
    tables = read_tables(live)
    catalogue = catalogue_from_marts(tables)
    kommuner = tables["dim_kommune"]
    rows, findings = read_source(path, options, kommuner)
    report = Report(list(findings))
    existing = tables["fct_noegletal"]
    earlier = existing[existing["noegletal_id"].isin(rows["noegletal_id"].unique())]
    report.add(*validate(rows, catalogue.figures, set(kommuner["kommunekode"]), path.name, tidligere=earlier))
    if not report.ok:
        return IngestResult(report)
    facts = merge(existing, rows, catalogue, kommuner)
    number = int(tables["release"]["loebenummer"].max()) + 1
    release_id = f"{content_id(facts, catalogue)}-{number}"   # loading the same file twice is two releases
    facts.loc[facts["release_id"].isna(), "release_id"] = release_id
    release = pd.DataFrame([{
        "release_id": release_id,
        "udtraeksdato": pd.Timestamp(udtraeksdato or dt.date.today()),
        "embargo_til": pd.NaT,
        "beskrivelse": f"Indlæst fra {path.name}",
        "kilde_fil": path.name,
        "loebenummer": number,
    }])
    tables["release"] = pd.concat([tables["release"], release], ignore_index=True)
    tables["fct_noegletal"] = facts
    tables |= comparison.build_tables(tables["bm_definition"], facts, sorted(kommuner["kommunekode"]))
    tables["validering"] = pd.concat([tables["validering"], findings_frame(report.findings, release_id)],
                                     ignore_index=True)
    store.write_and_switch(settings, tables, release_id)
    return IngestResult(report, release_id, len(rows))


def read_tables(path: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {name: con.execute(f"SELECT * FROM {name}").df() for name in store.TABLE_ORDER}
    finally:
        con.close()


def catalogue_from_marts(tables: dict[str, pd.DataFrame]) -> Catalogue:
    figures = {r["noegletal_id"]: {**r, "id": r["noegletal_id"]}
               for r in tables["dim_noegletal"].to_dict("records")}
    return Catalogue(areas=tables["dim_dataomraade"].to_dict("records"), figures=figures)


def merge(existing: pd.DataFrame, rows: pd.DataFrame, catalogue: Catalogue, kommuner: pd.DataFrame) -> pd.DataFrame:
    """The file's rows replace the same (key figure, area, period); aggregates of the touched key figures and
    periods are recomputed from the municipality rows unless the file gives them."""
    incoming = rows[FACT_COLUMNS].copy()
    by_period = ["noegletal_id", "periode"]
    touched = existing.set_index(by_period).index.isin(incoming.set_index(by_period).index)
    replaced = existing.set_index(KEY).index.isin(incoming.set_index(KEY).index)
    municipal = existing["omraade_kode"].isin(kommuner["kommunekode"])
    untouched = existing[~touched]
    redo = existing[touched & municipal & ~replaced]   # the period's other municipalities, for the aggregates
    work = pd.concat([redo.drop(columns="release_id"), incoming], ignore_index=True)
    work["vaegt"] = _population_weights(existing, work)
    redone = finish_facts(work, catalogue, kommuner)
    redone["release_id"] = None
    merged = pd.concat([untouched, redone], ignore_index=True)
    return canonical_order(merged)


def _population_weights(existing: pd.DataFrame, work: pd.DataFrame) -> pd.Series:
    """Weights for `vaegtet` figures in a loaded file: the population of the period's year (nearest year held)."""
    pop = existing[(existing["noegletal_id"] == "befolkning.indbyggere") & (existing["periode"].str.len() == 4)]
    wide = pop.pivot(index="omraade_kode", columns="periode", values="vaerdi")
    years = sorted(int(y) for y in wide.columns)
    year = work["periode"].str[:4].astype(int).clip(years[0], years[-1]).astype(str)
    stacked = wide.stack()
    return pd.Series([stacked.get((k, y), np.nan) for k, y in zip(work["omraade_kode"], year)], index=work.index)
