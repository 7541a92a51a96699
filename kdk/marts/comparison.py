"""Comparison groups at build time: the bm_* tables from the finished fact rows.

Reads the area definitions (`data/sammenligningsgrupper.toml`, kept in the marts as `bm_definition`)
and municipality yearly values from the facts of one release's state; writes nothing itself. For each area and
each year with outcome data it runs kdk.similarity and returns, each row marked with that release (`release_id`):
- bm_sammenligning(omraade, aar, kommunekode, sammenligningskode, afstand, rang): n × (n - 1) rows for the n
  municipalities;
- bm_model(omraade, aar, variabel, koefficient, p_vaerdi, vaegt, r2, ...): the published method;
- bm_variabel(omraade, aar, kommunekode, variabel, vaerdi, z, imputeret, kilde_aar): the values behind
  the distances, for the "why" of a comparison.
A candidate without data in a year uses its nearest year (the latest earlier one if any): structural
conditions change slowly. The year used is stored as `kilde_aar`. A year whose outcome is known for fewer
than half of the municipalities (e.g. a partial load) gets no groups: a model from a handful of
municipalities would publish a ranking of all of them on too little evidence.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

from kdk import similarity

MIN_SHARE_WITH_OUTCOME = 0.5


def load_definition(path: Path) -> pd.DataFrame:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    rows = []
    for n, area in enumerate(raw["omraade"], start=1):
        base = {"omraade": area["kode"], "navn": area["navn"], "beskrivelse": area["beskrivelse"], "raekkefoelge": n}
        rows.append({**base, "rolle": "udfald", "noegletal_id": area["udfald"], "transformation": ""})
        for candidate in area["kandidater"]:
            fid, _, transformation = candidate.partition(":")
            rows.append({**base, "rolle": "kandidat", "noegletal_id": fid, "transformation": transformation})
    return pd.DataFrame(rows)


def build_tables(definition: pd.DataFrame, facts: pd.DataFrame, kommunekoder: list[str],
                 release_id: str) -> dict[str, pd.DataFrame]:
    """The bm_* tables of the current facts (`erstattet_af` null) of the release `release_id`'s state."""
    if "erstattet_af" in facts:
        facts = facts[facts["erstattet_af"].isna()]
    yearly = facts[(facts["periode"].str.len() == 4) & facts["omraade_kode"].isin(kommunekoder)
                   & facts["vaerdi"].notna()]
    wide = {fid: g.pivot(index="omraade_kode", columns="periode", values="vaerdi").reindex(kommunekoder)
            for fid, g in yearly[yearly["noegletal_id"].isin(definition["noegletal_id"])].groupby("noegletal_id")}
    years = {fid: sorted(table.columns[table.notna().any()]) for fid, table in wide.items()}
    rankings, models, variables = [], [], []
    for omraade, area in definition.groupby("omraade", sort=False):
        outcome = area.loc[area["rolle"] == "udfald", "noegletal_id"].item()
        candidates = area[area["rolle"] == "kandidat"]
        for aar in years[outcome]:
            if wide[outcome][aar].notna().sum() < MIN_SHARE_WITH_OUTCOME * len(kommunekoder):
                continue
            used = {fid: _nearest_year(years[fid], aar) for fid in candidates["noegletal_id"]}
            raw = pd.DataFrame({fid: wide[fid][year] for fid, year in used.items()}).astype(float)
            result = similarity.compare(wide[outcome][aar], _transform(raw, candidates))
            key = {"omraade": omraade, "aar": int(aar)}
            rankings.append(result.rangering.rename(columns={"kode": "kommunekode"}).assign(**key))
            models.append(_model_rows(result.model, used, key))
            variables.append(_variable_rows(raw.sort_index(), result, used, key))
    tagged = {"release_id": release_id}
    return {
        "bm_definition": definition,
        # Sorted by area, year and rank: every query reads one area's and year's top ranks (the groups of all
        # municipalities at once), and DuckDB then skips the other rows (11,7 million at Kolada's size).
        "bm_sammenligning": pd.concat(rankings, ignore_index=True)[
            ["omraade", "aar", "kommunekode", "sammenligningskode", "afstand", "rang"]].sort_values(
            ["omraade", "aar", "rang", "kommunekode"], ignore_index=True).assign(**tagged),
        "bm_model": pd.concat(models, ignore_index=True).assign(**tagged),
        "bm_variabel": pd.concat(variables, ignore_index=True).assign(**tagged),
    }


def keep_with(kept: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The bm_* tables `new` (one release's) beside the rows of `kept` (other releases') that viewers may still
    read, for a staged release: each table the kept rows first, then the new."""
    return {**new, **{name: pd.concat([rows, new[name]], ignore_index=True) for name, rows in kept.items()}}


def _nearest_year(available: list[str], aar: str) -> str:
    earlier = [y for y in available if y <= aar]
    return max(earlier) if earlier else min(available)


def _transform(raw: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    logged = candidates.loc[candidates["transformation"] == "log", "noegletal_id"]
    return raw.assign(**{fid: np.log(raw[fid].where(raw[fid] > 0)) for fid in logged})


def _model_rows(model: similarity.Model, used: dict, key: dict) -> pd.DataFrame:
    table = model.kandidater.rename_axis("variabel").reset_index()
    return table.assign(r2=model.r2, r2_fuld=model.r2_fuld, n=model.n, ingen_signifikante=model.ingen_signifikante,
                        kilde_aar=table["variabel"].map(used).astype(int), **key)


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
    return long.assign(kilde_aar=long["variabel"].map(used).astype(int), **key)
