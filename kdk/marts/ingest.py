"""`python -m kdk ingest FILE`: load a new source file into the marts through the build's validation.

Reads the live marts (read-only) and the file (its extraction date from the file when it has one and
`--udtraeksdato` is not given); on success writes a new marts file with the file's
rows, recomputed aggregates and suppression, a new release row (optionally staged under embargo, see
releases.py), the validation findings (with the disclosure audit's summary) and the audit per key figure
(`diskretion`), then switches the link (store.py). The rows the release replaces stay in the file, marked
`erstattet_af`. On any error, a failed disclosure audit included, nothing is written and the live marts stay as
they were.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kdk.config import Settings
from kdk.marts import comparison, disclosure, ingest_reader, releases, store
from kdk.marts.build import canonical_order, content_id, findings_frame, finish_facts, protect_facts
from kdk.marts.catalogue import Catalogue
from kdk.marts.findings import IngestError, Report
from kdk.marts.ingest_reader import ReadOptions, open_source, read_text
from kdk.marts.sources import FACT_COLUMNS
from kdk.marts.validation import validate

KEY = releases.KEY


@dataclass
class IngestResult:
    report: Report
    release_id: str | None = None
    rows: int = 0
    udtraeksdato: dt.date | None = None
    dato_fra: str = ""   # where the extraction date came from: "angivet", "fra filen" or "dagens dato"


def ingest(settings: Settings, path: Path, options: ReadOptions, udtraeksdato: dt.date | None = None,
           embargo_til: dt.datetime | None = None) -> IngestResult:
    live = store.current(settings)
    if live is None:
        raise IngestError("Der er ingen marts endnu. Kør først: python -m kdk build")
    tables = store.read_tables(live)
    releases.check_order(tables["release"], embargo_til)
    catalogue = catalogue_from_marts(tables)
    kommuner = tables["dim_kommune"]
    text = open_source(path, options.encoding)
    rows, findings = read_text(text, path.name, options, kommuner)
    dato, dato_fra = _extraction_date(udtraeksdato, text)
    report = Report(list(findings))
    existing = tables["fct_noegletal"]
    current = existing[existing["erstattet_af"].isna()].drop(columns="erstattet_af")
    earlier = current[current["noegletal_id"].isin(rows["noegletal_id"].unique())]
    report.add(*validate(rows, catalogue.figures, set(kommuner["kommunekode"]), path.name, tidligere=earlier))
    if not report.ok:
        return IngestResult(report)
    state, audit = merge(current, rows, catalogue, kommuner, tables["dim_noegletal"])
    report.add(audit.finding(path.name))
    release = releases.new_row(tables["release"], content_id(state, catalogue), dato,
                               embargo_til, f"Indlæst fra {path.name}", path.name)
    release_id = release["release_id"].iloc[0]
    state.loc[state["release_id"].isna(), "release_id"] = release_id
    tables["fct_noegletal"] = canonical_order(releases.stack(existing, state, release_id))
    kept = releases.groups_kept(tables, release)
    tables["release"] = pd.concat([tables["release"], release], ignore_index=True)
    tables |= comparison.keep_with(kept, comparison.build_tables(tables["bm_definition"], state,
                                                                 sorted(kommuner["kommunekode"]), release_id))
    tables["validering"] = pd.concat([tables["validering"], findings_frame(report.findings, release_id)],
                                     ignore_index=True)
    tables["diskretion"] = pd.concat([tables["diskretion"],
                                      audit.rows(release_id, tables["dim_noegletal"]["noegletal_id"])],
                                     ignore_index=True)
    store.write_and_switch(settings, tables, release_id)
    return IngestResult(report, release_id, len(rows), dato, dato_fra)


def _extraction_date(option: dt.date | None, text: str) -> tuple[dt.date, str]:
    """The option's date, else the file's own (a note line, ingest_reader.udtraeksdato), else today."""
    if option:
        return option, "angivet"
    if fra_filen := ingest_reader.udtraeksdato(text):
        return fra_filen, "fra filen"
    return dt.date.today(), "dagens dato"


def catalogue_from_marts(tables: dict[str, pd.DataFrame]) -> Catalogue:
    figures = {r["noegletal_id"]: {**r, "id": r["noegletal_id"]}
               for r in tables["dim_noegletal"].to_dict("records")}
    return Catalogue(areas=tables["dim_dataomraade"].to_dict("records"), figures=figures)


def merge(existing: pd.DataFrame, rows: pd.DataFrame, catalogue: Catalogue, kommuner: pd.DataFrame,
          regler: pd.DataFrame) -> tuple[pd.DataFrame, disclosure.Audit]:
    """The current rows after the file: its rows replace the same (key figure, area, period) of `existing` (the
    current rows before it); aggregates of the touched key figures and periods are recomputed from the
    municipality rows unless the file gives them (from the values the marts hold: a cell suppressed earlier has
    none, so a recomputed total leaves it out). Secondary suppression and the audit then run over all the
    current rows, since a new cell can be pinned by published ones of other periods and figures; a failed audit
    is an IngestError. New rows have no release_id yet; a row this load hides keeps its release here and is given
    the new one by releases.stack."""
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
    merged = pd.concat([untouched.assign(primaer=False), redone], ignore_index=True)
    return protect_facts(merged, regler, kommuner)


def _population_weights(existing: pd.DataFrame, work: pd.DataFrame) -> pd.Series:
    """Weights for `vaegtet` figures in a loaded file: the population of the period's year (nearest year held)."""
    pop = existing[(existing["noegletal_id"] == "befolkning.indbyggere") & (existing["periode"].str.len() == 4)]
    wide = pop.pivot(index="omraade_kode", columns="periode", values="vaerdi")
    years = sorted(int(y) for y in wide.columns)
    year = work["periode"].str[:4].astype(int).clip(years[0], years[-1]).astype(str)
    stacked = wide.stack()
    return pd.Series([stacked.get((k, y), np.nan) for k, y in zip(work["omraade_kode"], year)], index=work.index)
