"""`python -m kdk ingest FILE`: load a new source file into the marts through the build's validation.

Reads the live marts (read-only), the file (its extraction date from the file when it has one and
`--udtraeksdato` is not given) and the catalogue file (which figures are derived); on success writes a new marts
file with the file's rows, the figures recomputed from them (derived and linked ratios), recomputed aggregates and
suppression, a new release row (optionally staged under embargo, see releases.py), the validation findings (with
the disclosure audit's summary and the comparison with the published rows, kdk/marts/revision.py) and the audit
per key figure (`diskretion`), then switches the link (store.py), all in the writers' turn (store.writing): a load
never switches over another writer's change. The rows the release replaces stay in the file, marked `erstattet_af`.
On any error, a failed disclosure audit or a revision beyond the threshold without `begrundelse` included, nothing
is written and the live marts stay as they were.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kdk import format as fmt
from kdk.config import Settings
from kdk.marts import disclosure, ingest_reader, releases, revision, sammenligning, sources, store
from kdk.marts.build import canonical_order, content_id, findings_frame, finish_facts, protect_facts
from kdk.marts.findings import ADVARSEL, FEJL, Finding, IngestError, Report
from kdk.marts.ingest_reader import ReadOptions, open_source, read_text
from kdk.marts.katalog import Catalogue, links, load_catalogue
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
           embargo_til: dt.datetime | None = None, begrundelse: str | None = None) -> IngestResult:
    """Load `path` as a new release; `begrundelse` (--revision) lets it revise published values beyond
    kdk.marts.revision's threshold, and is stated in the report, the release's description and /datastatus. In
    the writers' turn (store.writing) from reading the live marts through the switch."""
    with store.writing(settings):
        return _ingest(settings, path, options, udtraeksdato, embargo_til, begrundelse)


def _ingest(settings: Settings, path: Path, options: ReadOptions, udtraeksdato: dt.date | None,
            embargo_til: dt.datetime | None, begrundelse: str | None) -> IngestResult:
    live = store.current(settings)
    if live is None:
        raise IngestError("Der er ingen data endnu. Kør først: python -m kdk build")
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
    loaded, parts = with_ratio_parts(rows[FACT_COLUMNS], current, catalogue, kommuner, path.name)
    report.add(*parts)
    if not report.ok:
        return IngestResult(report)
    loaded = pd.concat([loaded, derived_rows(loaded, current, load_catalogue(settings.catalogue_path), kommuner),
                        linked_rows(loaded, current, catalogue)], ignore_index=True)
    state, audit = merge(current, loaded, catalogue, kommuner, tables["dim_noegletal"])
    report.add(audit.finding(path.name))
    change = revision.compare(current, state, loaded, tables["dim_noegletal"], kommuner)
    report.add(*change.findings(path.name, begrundelse))
    if not report.ok:
        return IngestResult(report)
    release = releases.new_row(tables["release"], content_id(state, catalogue), dato,
                               embargo_til, f"Indlæst fra {path.name}.{change.beskrivelse(begrundelse)}", path.name)
    release_id = release["release_id"].iloc[0]
    state.loc[state["release_id"].isna(), "release_id"] = release_id
    tables["fct_noegletal"] = canonical_order(releases.stack(existing, state, release_id))
    kept = releases.groups_kept(tables, release)
    tables["release"] = pd.concat([tables["release"], release], ignore_index=True)
    tables |= sammenligning.keep_with(kept, sammenligning.build_tables(tables["bm_definition"], state,
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


def with_ratio_parts(rows: pd.DataFrame, current: pd.DataFrame, catalogue: Catalogue, kommuner: pd.DataFrame,
                     fil: str) -> tuple[pd.DataFrame, list[Finding]]:
    """The file's rows with the numerator and denominator of every ratio (`kvote`) value that comes without them,
    since regions and hele landet are the ratio of the sums of the parts, and the findings that say how:
    1. the part the catalogue links to a quantity another key figure publishes (`taeller_er`/`naevner_er`, e.g.
       density's numerator is the population), for the same area and period (from the file, else the current
       rows), and the other part from the value, as the build derives them (kdk.marts.sources);
    2. else the cell's denominator as last published, and the numerator from the new value (an ADVARSEL names
       the cells): the totals are recomputed from the new values;
    3. else, in a period whose totals are published, a FEJL that says what to add. Kept totals would not be the
       total of the municipal values shown beside them, and nothing on screen would say so; a refusal loses
       nothing. A new period without the parts simply has no totals, as before."""
    rows = rows.reset_index(drop=True)
    held = pd.concat([rows, current[FACT_COLUMNS]], ignore_index=True).drop_duplicates(KEY, keep="first")
    held = held.set_index(KEY)
    linked = {link.noegletal_id: link for link in links(catalogue)}
    faktor = rows["noegletal_id"].map(lambda f: catalogue.figures[f]["faktor"])
    for link in linked.values():
        wanted = _without_parts(rows) & (rows["noegletal_id"] == link.noegletal_id)
        part = _held(held, rows[wanted].assign(noegletal_id=link.til_id), link.til_felt)
        vaerdi = rows.loc[wanted, "vaerdi"]
        if link.felt == "taeller":
            rows.loc[wanted, ["taeller", "naevner"]] = np.c_[part, sources.naevner_from(vaerdi, part, faktor[wanted])]
        else:
            rows.loc[wanted, ["taeller", "naevner"]] = np.c_[sources.taeller_from(vaerdi, part, faktor[wanted]), part]
    kvote = rows["noegletal_id"].map(lambda f: catalogue.figures[f]["aggregering"] == "kvote")
    wanted = _without_parts(rows) & kvote & rows["omraade_kode"].isin(kommuner["kommunekode"])
    naevner = _held(current.set_index(KEY), rows[wanted], "naevner")
    kept = naevner.index[naevner.notna()]
    rows.loc[kept, "naevner"] = naevner[kept]
    rows.loc[kept, "taeller"] = sources.taeller_from(rows.loc[kept, "vaerdi"], naevner[kept], faktor[kept])
    found = [_finding(fil, catalogue.figures[fid], group, "kvote_naevner_beholdt", ADVARSEL,
                      "har værdien uden tæller og nævner; nævneren er den senest offentliggjorte, tælleren er "
                      "beregnet af den nye værdi, og hele landet og regionerne er genberegnet af dem")
             for fid, group in rows.loc[kept].groupby("noegletal_id", sort=False)]
    totals = current[~current["omraade_kode"].isin(kommuner["kommunekode"]) & current["vaerdi"].notna()]
    by_period = ["noegletal_id", "periode"]
    missing = rows[_without_parts(rows) & wanted]
    missing = missing[missing.set_index(by_period).index.isin(totals.set_index(by_period).index)]
    for fid, group in missing.groupby("noegletal_id", sort=False):
        source = linked.get(fid)
        part = "tælleren" if source and source.felt == "taeller" else "nævneren"
        why = (f"{source.til_id} har ingen {source.til_felt} at hente {part} fra ({source.felt}_er i kataloget)"
               if source else
               "kataloget angiver ikke et nøgletal at hente tælleren eller nævneren fra (taeller_er/naevner_er)")
        found.append(_finding(
            fil, catalogue.figures[fid], group, "kvote_uden_dele", FEJL,
            f"har værdien uden tæller og nævner i perioder, hvor hele landet og regionerne er offentliggjort; {why}, "
            "og der er ingen offentliggjort nævner for cellen. Hele landet og regionerne kan derfor ikke "
            "genberegnes. Tilføj kolonnerne taeller og naevner til filen"))
    return rows, found


def _without_parts(rows: pd.DataFrame) -> pd.Series:
    return rows["vaerdi"].notna() & rows["taeller"].isna() & rows["naevner"].isna()


def _held(held: pd.DataFrame, rows: pd.DataFrame, felt: str) -> pd.Series:
    """`felt` of the rows of `held` (indexed by KEY) with the keys of `rows`, by the index of `rows` (NaN: none)."""
    keys = pd.MultiIndex.from_frame(rows[KEY])
    return pd.Series(held[felt].reindex(keys).to_numpy(), index=rows.index, dtype=float)


def _finding(fil: str, figure: dict, group: pd.DataFrame, regel: str, niveau: str, text: str) -> Finding:
    """A finding about a ratio's cells: the figure, the text, then the cells (up to five municipalities) and periods."""
    codes = sorted(group["omraade_kode"].unique())
    where = ", ".join(codes[:5]) + (f" og {fmt.number(len(codes) - 5, 0)} flere" if len(codes) > 5 else "")
    return Finding(fil, None, None, regel, niveau,
                   f"Brøken '{figure['titel']}' ({figure['id']}) {text}: {fmt.number(len(group), 0)} kommunetal "
                   f"(kommune {where}; {', '.join(sorted(group['periode'].unique()))}).", figure["id"])


def derived_rows(loaded: pd.DataFrame, current: pd.DataFrame, catalogue: Catalogue,
                 kommuner: pd.DataFrame) -> pd.DataFrame:
    """The derived figures (5-year population growth, kdk.marts.sources.derived_ids) recomputed, as the build
    computes them, for every year whose value a loaded population changes (the year itself and five years on),
    from the population after the load; none when the file has no population."""
    ids = [fid for fid in sources.derived_ids(catalogue) if fid not in set(loaded["noegletal_id"])]
    population = loaded[loaded["noegletal_id"] == sources.POPULATION]
    if population.empty or not ids:
        return loaded.iloc[0:0]
    held = current[current["noegletal_id"] == sources.POPULATION]
    rows = pd.concat([population, held]).drop_duplicates(KEY, keep="first")
    rows = rows[(rows["periode"].str.len() == 4) & rows["vaerdi"].notna()
                & rows["omraade_kode"].isin(kommuner["kommunekode"])]
    befolkning = pd.DataFrame({"kommunekode": rows["omraade_kode"], "aar": rows["periode"].astype(int),
                               "indbyggere": rows["vaerdi"]})
    years = {str(int(p) + shift) for p in population["periode"] for shift in (0, 5)}
    grown = pd.concat([sources.growth_facts(fid, befolkning) for fid in ids], ignore_index=True)
    return grown[grown["periode"].isin(years)]


def linked_rows(loaded: pd.DataFrame, current: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Ratios whose numerator or denominator the catalogue says IS a loaded figure's value (`taeller_er` or
    `naevner_er` = "vaerdi:<id>": density's numerator is the population, a share's denominator may be), recomputed
    where the load changes that value: the new part, the other part as held (for density: the area), and the value
    faktor * taeller / naevner. Not for a ratio the file loads itself, nor a cell without the other part."""
    loaded_ids = set(loaded["noegletal_id"])
    frames = []
    for link in links(catalogue):
        if link.til_felt != "vaerdi" or link.til_id not in loaded_ids or link.noegletal_id in loaded_ids:
            continue
        source = loaded.loc[loaded["noegletal_id"] == link.til_id, ["omraade_kode", "periode", "vaerdi"]]
        held = current[current["noegletal_id"] == link.noegletal_id].merge(
            source.rename(columns={"vaerdi": "ny"}), on=["omraade_kode", "periode"])
        other = "naevner" if link.felt == "taeller" else "taeller"
        held = held[held["ny"].notna() & held[other].notna() & (held["ny"] != held[link.felt])]
        held[link.felt] = held["ny"]
        held["vaerdi"] = catalogue.figures[link.noegletal_id]["faktor"] * held["taeller"] / held["naevner"]
        frames.append(held[FACT_COLUMNS])
    return pd.concat(frames, ignore_index=True) if frames else loaded.iloc[0:0]


def merge(existing: pd.DataFrame, rows: pd.DataFrame, catalogue: Catalogue, kommuner: pd.DataFrame,
          regler: pd.DataFrame) -> tuple[pd.DataFrame, disclosure.Audit]:
    """The current rows after the file: its rows replace the same (key figure, area, period) of `existing` (the
    current rows before it); aggregates of the touched key figures and periods are recomputed from every
    municipality's value after the load, the file's and those already published, unless the file gives them (from
    the values the marts hold: a cell suppressed earlier has none, so a recomputed total leaves it out). Secondary
    suppression and the audit then run over all the current rows, since a new cell can be pinned by published
    ones of other periods and figures; a failed audit is an IngestError. New rows have no release_id yet; a row
    this load hides keeps its release here and is given the new one by releases.stack."""
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
