"""Comparison groups at build time: the bm_* tables from the finished fact rows.

Reads the area definitions (`data/sammenligningsgrupper.toml`, kept in the marts as `bm_definition`, with each
area's name and description in Danish and English) and municipality yearly values from the facts of one release's
state; writes nothing itself but a build warning for each area without its English texts. For each area and each
year with outcome data it runs kdk.similarity and returns, each row marked with that release (`release_id`):
- bm_sammenligning(sammenligningsomraade, aar, kommunekode, sammenligningskode, afstand, rang): n × (n - 1) rows
  for the n municipalities;
- bm_model(sammenligningsomraade, aar, variabel, koefficient, p_vaerdi, vaegt, r2, ...): the published method;
- bm_variabel(sammenligningsomraade, aar, kommunekode, variabel, vaerdi, z, imputeret, kilde_aar): the values behind
  the distances, for the "why" of a comparison.
A candidate without data in a year uses its latest earlier year (structural conditions change slowly), never a
later one: the groups of a year must not rest on what was not yet known. The year used is stored as `kilde_aar`
(<= aar). A candidate with no data in or before a year is left out of that year's model (it has no bm_model or
bm_variabel rows there; bm_definition still lists it), and the page says so. A year whose outcome is known for fewer
than half of the municipalities (e.g. a partial load) gets no groups: a model from a handful of municipalities would
publish a ranking of all of them on too little evidence.

A municipality missing one candidate's value in the year used gets the national mean (kdk.similarity; `imputeret`
in bm_variabel), and the page shows the stand-in where the value is shown and in the "why". We keep it in rather
than leave it out of that area and year: leaving it out would take it out of every other municipality's group as
well (97 groups changed by one missing value), drop its own group from the profile and the matrix for the year, and
break the n × (n - 1) ranking every year has; showing the stand-in lets a reader see how much of a distance rests on
it.
"""
from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kdk import similarity
from kdk.marts.findings import ADVARSEL, Finding, Report

MIN_SHARE_WITH_OUTCOME = 0.5

ENGELSKE_FELTER = ("navn_en", "beskrivelse_en")   # an area's texts on the English pages

log = logging.getLogger(__name__)


def load_definition(path: Path, report: Report | None = None) -> pd.DataFrame:
    """The areas of `path` as bm_definition's rows; adds a warning to `report` for each area lacking an English
    name or description (its pages at /en then show the Danish with kdk.sprog.MANGLER)."""
    text = path.read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    rows = []
    for n, area in enumerate(raw["omraade"], start=1):
        missing = [f for f in ENGELSKE_FELTER if not (isinstance(area.get(f), str) and area[f].strip())]
        if missing and report is not None:
            line = text.count("\n", 0, max(text.find(f'kode = "{area["kode"]}"'), 0)) + 1
            report.add(Finding(path.name, line, None, "sammenligning_engelsk", ADVARSEL,
                               f"sammenligningsområdet «{area['kode']}» mangler engelsk tekst: {', '.join(missing)}"))
            log.warning("comparison area %s lacks English text: %s", area["kode"], ", ".join(missing))
        base = {"sammenligningsomraade": area["kode"], "navn": area["navn"], "beskrivelse": area["beskrivelse"],
                "navn_en": area.get("navn_en"), "beskrivelse_en": area.get("beskrivelse_en"), "raekkefoelge": n}
        rows.append({**base, "rolle": "udfald", "noegletal_id": area["udfald"], "transformation": ""})
        for candidate in area["kandidater"]:
            fid, _, transformation = candidate.partition(":")
            rows.append({**base, "rolle": "kandidat", "noegletal_id": fid, "transformation": transformation})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class AreaYear:
    """The inputs of one area's model in one year."""
    sammenligningsomraade: str
    aar: int
    y: pd.Series               # the outcome by municipality
    raw: pd.DataFrame          # municipalities × candidates with data in or before `aar`, untransformed
    x: pd.DataFrame            # the same, transformed (log where the definition says so)
    kilde_aar: dict[str, int]  # per candidate in `raw`: the year its values are from (<= aar)


def area_years(definition: pd.DataFrame, facts: pd.DataFrame, kommunekoder: list[str]) -> Iterator[AreaYear]:
    """Every area and year with enough outcome data and at least one candidate known by then, from the current
    facts (`erstattet_af` null) of one release's state."""
    if "erstattet_af" in facts:
        facts = facts[facts["erstattet_af"].isna()]
    yearly = facts[(facts["periode"].str.len() == 4) & facts["omraade_kode"].isin(kommunekoder)
                   & facts["vaerdi"].notna()]
    wide = {fid: g.pivot(index="omraade_kode", columns="periode", values="vaerdi").reindex(kommunekoder)
            for fid, g in yearly[yearly["noegletal_id"].isin(definition["noegletal_id"])].groupby("noegletal_id")}
    years = {fid: sorted(table.columns[table.notna().any()]) for fid, table in wide.items()}
    for sammenligningsomraade, area in definition.groupby("sammenligningsomraade", sort=False):
        outcome = area.loc[area["rolle"] == "udfald", "noegletal_id"].item()
        candidates = area[area["rolle"] == "kandidat"]
        for aar in years[outcome]:
            if wide[outcome][aar].notna().sum() < MIN_SHARE_WITH_OUTCOME * len(kommunekoder):
                continue
            used = {fid: year for fid in candidates["noegletal_id"]
                    if (year := _latest_year(years.get(fid, []), aar)) is not None}
            if not used:
                continue
            raw = pd.DataFrame({fid: wide[fid][year] for fid, year in used.items()}).astype(float).sort_index()
            yield AreaYear(sammenligningsomraade=sammenligningsomraade, aar=int(aar), y=wide[outcome][aar],
                           raw=raw, x=_transform(raw, candidates),
                           kilde_aar={fid: int(year) for fid, year in used.items()})


def build_tables(definition: pd.DataFrame, facts: pd.DataFrame, kommunekoder: list[str],
                 release_id: str) -> dict[str, pd.DataFrame]:
    """The bm_* tables of the current facts (`erstattet_af` null) of the release `release_id`'s state."""
    rankings, models, variables = [], [], []
    for inputs in area_years(definition, facts, kommunekoder):
        result = similarity.compare(inputs.y, inputs.x)
        key = {"sammenligningsomraade": inputs.sammenligningsomraade, "aar": inputs.aar}
        rankings.append(result.rangering.rename(columns={"kode": "kommunekode"}).assign(**key))
        models.append(_model_rows(result.model, inputs.kilde_aar, key))
        variables.append(_variable_rows(inputs.raw, result, inputs.kilde_aar, key))
    tagged = {"release_id": release_id}
    return {
        "bm_definition": definition,
        # Sorted by area, year and rank: every query reads one area's and year's top ranks (the groups of all
        # municipalities at once), and DuckDB then skips the other rows (11,7 million at Kolada's size).
        "bm_sammenligning": pd.concat(rankings, ignore_index=True)[
            ["sammenligningsomraade", "aar", "kommunekode", "sammenligningskode", "afstand", "rang"]].sort_values(
            ["sammenligningsomraade", "aar", "rang", "kommunekode"], ignore_index=True).assign(**tagged),
        "bm_model": pd.concat(models, ignore_index=True).assign(**tagged),
        "bm_variabel": pd.concat(variables, ignore_index=True).assign(**tagged),
    }


def keep_with(kept: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The bm_* tables `new` (one release's) beside the rows of `kept` (other releases') that viewers may still
    read, for a staged release: each table the kept rows first, then the new."""
    return {**new, **{name: pd.concat([rows, new[name]], ignore_index=True) for name, rows in kept.items()}}


def _latest_year(available: list[str], aar: str) -> str | None:
    """The latest of the `available` years at or before `aar`; None when there is none."""
    return max((y for y in available if y <= aar), default=None)


def _transform(raw: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    logged = candidates.loc[candidates["transformation"] == "log", "noegletal_id"]
    return raw.assign(**{fid: np.log(raw[fid].where(raw[fid] > 0)) for fid in logged})


def _model_rows(model: similarity.Model, used: dict, key: dict) -> pd.DataFrame:
    table = model.kandidater.rename_axis("variabel").reset_index()
    return table.assign(r2=model.r2, r2_fuld=model.r2_fuld, n=model.n, ingen_signifikante=model.ingen_signifikante,
                        kilde_aar=table["variabel"].map(used), **key)


def _variable_rows(raw: pd.DataFrame, result: similarity.Result, used: dict, key: dict) -> pd.DataFrame:
    """Untransformed values, standardised values and imputation flags per municipality and candidate."""
    n, k = raw.shape
    long = pd.DataFrame({
        "kommunekode": np.repeat(raw.index.to_numpy(), k),
        "variabel": np.tile(raw.columns.to_numpy(), n),
        "vaerdi": raw.to_numpy().ravel(),
        "z": result.z_alle[raw.columns].to_numpy().ravel(),
        "imputeret": result.imputeret[raw.columns].to_numpy().ravel(),
    })
    return long.assign(kilde_aar=long["variabel"].map(used), **key)
