"""Hele landet (`000`) and region aggregates from municipality rows, by each key figure's rule.

Reads fact rows; writes nothing. Rules (catalogue field `aggregering`):
- `sum`: counts are added up;
- `kvote`: faktor * sum(taeller) / sum(naevner), the ratio of the sums;
- `vaegtet`: the mean of municipal values weighted by the figure's base population (`vaegt`).
Never a plain mean of municipal ratios. Aggregates are computed before suppression, from the true
values, as statistical agencies do. An area the source already publishes (e.g. Jobindsats' own
national figure) keeps the source's value.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from kdk.marts.catalogue import Catalogue
from kdk.marts.sources import FACT_COLUMNS, LAND


def add_aggregates(facts: pd.DataFrame, catalogue: Catalogue, kommuner: pd.DataFrame) -> pd.DataFrame:
    region_of = kommuner.set_index("kommunekode")["regionskode"]
    municipal = facts[facts["omraade_kode"].isin(region_of.index) & facts["vaerdi"].notna()].copy()
    municipal["regionskode"] = municipal["omraade_kode"].map(region_of)
    rule = municipal["noegletal_id"].map({i: f["aggregering"] for i, f in catalogue.figures.items()})
    faktor = municipal["noegletal_id"].map({i: float(f["faktor"]) for i, f in catalogue.figures.items()})
    municipal["vaegtet_vaerdi"] = municipal["vaerdi"] * municipal["vaegt"] if "vaegt" in municipal else np.nan
    municipal["rule"], municipal["faktor"] = rule, faktor
    regions = _aggregate(municipal, "regionskode")
    land = _aggregate(municipal.assign(land=LAND), "land")
    result = pd.concat([regions, land], ignore_index=True)
    known = facts.set_index(["noegletal_id", "omraade_kode", "periode"]).index
    result = result[~result.set_index(["noegletal_id", "omraade_kode", "periode"]).index.isin(known)]
    return pd.concat([facts, result], ignore_index=True)


def _aggregate(rows: pd.DataFrame, area: str) -> pd.DataFrame:
    g = rows.groupby(["noegletal_id", area, "periode"], sort=True)
    agg = g.agg(rule=("rule", "first"), faktor=("faktor", "first"), summ=("vaerdi", "sum"),
                taeller=("taeller", "sum"), naevner=("naevner", "sum"),
                vsum=("vaegtet_vaerdi", "sum"), wsum=("vaegt", "sum")).reset_index()
    kvote = agg["faktor"] * agg["taeller"] / agg["naevner"].where(agg["naevner"] > 0)
    weighted = agg["vsum"] / agg["wsum"].where(agg["wsum"] > 0)
    agg["vaerdi"] = np.select([agg["rule"] == "sum", agg["rule"] == "kvote"], [agg["summ"], kvote], weighted)
    is_kvote = agg["rule"] == "kvote"
    agg["taeller"] = agg["taeller"].where(is_kvote)
    agg["naevner"] = agg["naevner"].where(is_kvote)
    agg = agg.rename(columns={area: "omraade_kode"}).assign(status="normal")
    return agg[agg["vaerdi"].notna()][FACT_COLUMNS]
