"""`python -m kdk build`: the marts from the shipped sources and the demo generator.

Reads `data/noegletal.toml`, `data/kilder/` (see kilder.toml); writes a new versioned marts file and points
`data/kdk.duckdb` at it (see store.py), in the writers' turn, so no other writer switches in between. Deterministic:
the same inputs give the same content, including the release id, which is derived from the content. With an embargo
time the build is staged beside the live marts as their next release (releases.py): the live releases stay what
everyone else sees until then.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from kdk import temaer
from kdk.config import Settings
from kdk.format import rounded_sql
from kdk.marts import aggregates, demo, disclosure, releases, sammenligning, sources, store, suppression
from kdk.marts.findings import Finding, IngestError, Report
from kdk.marts.katalog import Catalogue, areas_frame, attach_sources, catalogue_frame, load_catalogue, missing_english
from kdk.marts.validation import validate

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    path: Path
    release_id: str
    report: Report
    rows: int
    audit: disclosure.Audit
    disclosure_seconds: float   # secondary suppression and the audit, part of the build's time


def build(settings: Settings, embargo_til: dt.datetime | None = None) -> BuildResult:
    """Build the marts and switch to them, in the writers' turn (store.writing) from reading the live marts on."""
    with store.writing(settings):
        return _build(settings, embargo_til)


def _build(settings: Settings, embargo_til: dt.datetime | None) -> BuildResult:
    live = _live_tables(settings, embargo_til)
    catalogue = load_catalogue(settings.catalogue_path)
    src = settings.sources_dir
    manifest = sources.load_sources_manifest(src)
    attach_sources(catalogue, manifest)
    befolkning = sources.load_befolkning(src)
    kommuner = sources.load_kommuner(src, befolkning)
    real = pd.concat([sources.befolkning_facts(befolkning, catalogue), sources.jobindsats_facts(src, catalogue),
                      sources.dst_yearly_facts(src, catalogue),
                      sources.middellevetid_facts(src, catalogue), sources.kommunalvalg_facts(src, catalogue)],
                     ignore_index=True)
    demo_rows = demo.generate(catalogue, befolkning, _ledighed(real, "2022"))
    report = Report(missing_english(catalogue, manifest))
    for name, rows in [("befolkning+jobindsats+dst+middellevetid+kommunalvalg", real), ("demodata", demo_rows)]:
        report.add(*validate(rows, catalogue.figures, set(kommuner["kommunekode"]), name))
    if not report.ok:
        raise IngestError("Kildedata bestod ikke valideringen:\n" + report.tekst())
    marked = finish_facts(pd.concat([real, demo_rows], ignore_index=True), catalogue, kommuner)
    start = time.perf_counter()
    facts, audit = protect_facts(marked, catalogue_frame(catalogue), kommuner)
    disclosure_seconds = time.perf_counter() - start
    report.add(audit.finding("diskretionering"))
    release = releases.new_row(live["release"] if live else None, content_id(facts, catalogue),
                               manifest["udtraeksdato"].max(), embargo_til,
                               releases.BYGGET, None)
    release_id = release["release_id"].iloc[0]
    facts = facts.assign(release_id=release_id, erstattet_af=None)
    themes = temaer.load_all(settings.themes_dir, set(catalogue.figures), report)   # their warnings in the report
    definition = sammenligning.load_definition(settings.data_dir / "sammenligningsgrupper.toml", report)
    tables = assemble(facts, catalogue, kommuner, release, manifest, report)
    tables["diskretion"] = audit.rows(release_id, tables["dim_noegletal"]["noegletal_id"])
    tables["geo_kommune"] = sources.load_geo(src)
    tables["tema"] = themes
    tables |= sammenligning.build_tables(definition, facts, sorted(kommuner["kommunekode"]), release_id)
    if live:
        _stage_beside(tables, live, release)
    path = store.write_and_switch(settings, tables, release_id)
    log.info("built marts %s: %d fact rows, %d warnings", release_id, len(facts), len(report.advarsler))
    return BuildResult(path, release_id, report, len(facts), audit, disclosure_seconds)


def _live_tables(settings: Settings, embargo_til: dt.datetime | None) -> dict[str, pd.DataFrame] | None:
    """The live marts' tables, which a staged build keeps beside it; None for a build that replaces them (refused
    while a release staged in them waits for its embargo)."""
    live = store.current(settings)
    if live is None:
        if embargo_til is not None:
            raise IngestError("Der er ingen offentliggjorte data, som en udgivelse under embargo kan stå ved "
                              "siden af. Byg først uden --embargo-til.")
        return None
    tables = store.read_tables(live)
    releases.check_order(tables["release"], embargo_til)
    return tables if embargo_til is not None else None


def _stage_beside(tables: dict[str, pd.DataFrame], live: dict[str, pd.DataFrame], release: pd.DataFrame) -> None:
    """A staged build's tables on top of the live ones: their releases, facts (replaced by the new release),
    findings and audits stay, and the comparison groups viewers may still read."""
    release_id = release["release_id"].iloc[0]
    tables["release"] = pd.concat([live["release"], release], ignore_index=True)
    tables["fct_noegletal"] = canonical_order(releases.stack(live["fct_noegletal"], tables["fct_noegletal"],
                                                             release_id))
    for name in ("validering", "diskretion"):
        tables[name] = pd.concat([live[name], tables[name]], ignore_index=True)
    tables |= sammenligning.keep_with(releases.groups_kept(live, release), tables)


# By the key figure's number (catalogue order), then hele landet, municipalities by code, regions, then period.
# Written in this order, a marts file's zonemaps on noegletal_nr let a query read only the figures it asks for.
CANONICAL_ORDER = """noegletal_nr, CASE WHEN omraade_kode = '000' THEN 0 WHEN length(omraade_kode) = 3 THEN 1
                                      WHEN length(omraade_kode) = 4 THEN 2 END NULLS LAST, omraade_kode, periode"""


def finished_facts_sql(facts: str, regler: str, kommuner: str) -> str:
    """Aggregates, then the primary suppression rule, then each value rounded as published (half away from zero
    at the figure's `decimaler`, kdk.format.rounded_sql), in the canonical order: the query for a marts file's fact
    rows (without release_id) before secondary suppression, with the values of primary cells and `primaer`
    (protect_facts removes them), from the table `facts` (sources.FACT_COLUMNS plus `vaegt`: municipality rows and
    any area a source publishes itself); `regler` is dim_noegletal (or catalogue_frame), `kommuner` dim_kommune.
    Aggregates and the primary rule work on the true values; numerators and denominators are not published and
    keep their precision. The comparison groups are computed from the values as stored, by a build and by a load
    alike (a load that recomputed them from other values than the build did would move them without a change in
    the data)."""
    columns = ", ".join(sources.FACT_COLUMNS)
    return f"""
        WITH alle AS (SELECT {columns} FROM {facts} UNION ALL ({aggregates.sql(facts, regler, kommuner)})),
        markeret AS ({suppression.sql("alle", regler)})
        SELECT s.* REPLACE ({rounded_sql("s.vaerdi", "r.decimaler")} AS vaerdi), r.raekkefoelge AS noegletal_nr
        FROM markeret s JOIN {regler} r USING (noegletal_id)
        ORDER BY {CANONICAL_ORDER}"""


def finish_facts(facts: pd.DataFrame, catalogue: Catalogue, kommuner: pd.DataFrame) -> pd.DataFrame:
    """finished_facts_sql over DataFrames, on one thread: the same input gives the same bits."""
    with duckdb.connect(config={"threads": 1}) as con:
        con.register("fakta", facts if "vaegt" in facts else facts.assign(vaegt=np.nan))
        con.register("regler", catalogue_frame(catalogue))
        con.register("kommuner", kommuner)
        return con.execute(finished_facts_sql("fakta", "regler", "kommuner")).df()


def protect_facts(marked: pd.DataFrame, regler: pd.DataFrame,
                  kommuner: pd.DataFrame) -> tuple[pd.DataFrame, disclosure.Audit]:
    """Secondary suppression and the audit over fact rows marked by finished_facts_sql (or merged with rows
    already in the marts): the rows as they may be written, in the canonical order, without true values of
    hidden cells. A failed audit is an IngestError with the audit's Danish message; nothing is written."""
    hidden, audit = disclosure.protect(marked, regler, kommuner)
    if not audit.ok:
        raise IngestError(audit.tekst())
    with duckdb.connect(config={"threads": 1}) as con:
        con.register("markeret", marked.drop(columns="primaer", errors="ignore"))
        con.register("skjulte", marked.loc[hidden, ["noegletal_id", "omraade_kode", "periode"]])
        rows = con.execute(f"""SELECT * FROM ({suppression.hide_sql("markeret", "skjulte")})
                               ORDER BY {CANONICAL_ORDER}""").df()
    return rows, audit


def canonical_order(facts: pd.DataFrame) -> pd.DataFrame:
    """Fact rows (with noegletal_nr) in CANONICAL_ORDER."""
    with duckdb.connect(config={"threads": 1}) as con:
        con.register("fakta", facts)
        return con.execute(f"SELECT * FROM fakta ORDER BY {CANONICAL_ORDER}").df()


def assemble(facts, catalogue, kommuner, release, manifest, report) -> dict[str, pd.DataFrame]:
    regioner = (kommuner[["regionskode", "regionsnavn"]].drop_duplicates().sort_values("regionskode")
                .rename(columns={"regionsnavn": "navn"}))
    return {
        "release": release,
        "dim_region": regioner,
        "dim_kommune": kommuner,
        "dim_dataomraade": areas_frame(catalogue),
        "dim_noegletal": catalogue_frame(catalogue),
        "fct_noegletal": facts,
        "kilde": manifest.assign(udtraeksdato=pd.to_datetime(manifest["udtraeksdato"])),
        "validering": findings_frame(report.findings, release["release_id"].iloc[-1]),
    }


def findings_frame(findings: list[Finding], release_id: str) -> pd.DataFrame:
    columns = ["release_id", "fil", "linje", "kolonne", "regel", "niveau", "besked", "noegletal_id"]
    rows = [{"release_id": release_id, **f.__dict__} for f in findings]
    return pd.DataFrame(rows, columns=columns).astype({"linje": "Int64"})


def content_id(facts: pd.DataFrame, catalogue: Catalogue) -> str:
    digest = hashlib.sha256(pd.util.hash_pandas_object(facts, index=False).to_numpy().tobytes())
    digest.update(repr(sorted(catalogue.figures.items())).encode())
    return digest.hexdigest()[:12]


def _ledighed(real: pd.DataFrame, aar: str) -> pd.Series:
    rows = real[(real["noegletal_id"] == "beskaeftigelse.ledighed") & (real["periode"] == aar)]
    return rows.set_index("omraade_kode")["vaerdi"]


