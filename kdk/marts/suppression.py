"""Small-number suppression (diskretionering), applied when the marts are built.

Reads fact rows; writes nothing. Primary: a count (`sum`) below 5, or a ratio (`kvote`) whose
numerator or denominator is below 5. Secondary: where exactly one municipality of a region is
suppressed for a key figure and period, the region's published total would reveal it, so the
region's smallest other municipality is suppressed too. A suppressed row keeps its place with
status `diskretioneret` and no value, numerator or denominator. A key figure whose numerator is not a
count of people (catalogue `diskretion = false`, e.g. a change in population) is not suppressed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from kdk.marts.catalogue import Catalogue

LIMIT = 5


def suppress(facts: pd.DataFrame, catalogue: Catalogue, kommuner: pd.DataFrame) -> pd.DataFrame:
    facts = facts.copy()
    rule = facts["noegletal_id"].map({i: f["aggregering"] for i, f in catalogue.figures.items()})
    size = np.where(rule == "sum", facts["vaerdi"], np.fmin(facts["taeller"], facts["naevner"]))
    applies = facts["noegletal_id"].map({i: bool(f["diskretion"]) for i, f in catalogue.figures.items()})
    primary = applies & (rule != "vaegtet") & (size < LIMIT)
    facts["_size"] = size
    secondary = _secondary(facts, primary, kommuner)
    hidden = primary | secondary
    facts.loc[hidden, ["vaerdi", "taeller", "naevner"]] = np.nan
    facts.loc[hidden, "status"] = "diskretioneret"
    return facts.drop(columns="_size")


def _secondary(facts: pd.DataFrame, primary: pd.Series, kommuner: pd.DataFrame) -> pd.Series:
    region_of = kommuner.set_index("kommunekode")["regionskode"]
    region = facts["omraade_kode"].map(region_of)
    keys = [facts["noegletal_id"], facts["periode"], region]
    n_primary = primary.astype(int).groupby(keys).transform("sum")
    candidates = region.notna() & ~primary & facts["_size"].notna() & (n_primary == 1)
    ranked = facts["_size"].where(candidates).groupby(keys).rank(method="first")
    return (ranked == 1).fillna(False).to_numpy() & candidates.to_numpy()
