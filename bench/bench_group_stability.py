"""Benchmark: how stable the comparison groups are, per area.

Builds the marts once into a temporary folder (the live marts are not touched) and reads back bm_sammenligning,
bm_model, the area definition and the facts. Prints, per area:
(a) year to year: the mean over municipalities and years of the share of a municipality's previous-year top k that
    is in its top k again, and the lowest year (its mean over municipalities), as the page shows per municipality;
(b) selection: the newest year's model refitted on bootstrap resamples of the municipalities (kdk.similarity.fit on
    the same inputs as the build, kdk.marts.sammenligning.area_years), and how often each variable the published model
    keeps is kept again.
Asserts nothing. Run: `.venv/bin/python bench/bench_group_stability.py [--k 10] [--resamples 200]` from the repo root.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from kdk import similarity  # noqa: E402
from kdk.config import settings  # noqa: E402
from kdk.marts import sammenligning  # noqa: E402
from kdk.marts.build import build  # noqa: E402
from kdk.marts.store import read_tables  # noqa: E402

SEED = 20251205


def year_to_year(ranking: pd.DataFrame, k: int) -> pd.DataFrame:
    """Per area and year after the first: the mean share of the previous year's top k kept (over municipalities)."""
    area_year = ["sammenligningsomraade", "aar"]
    top = ranking[ranking["rang"] <= k][[*area_year, "kommunekode", "sammenligningskode"]]
    steps = top.assign(aar=top["aar"] + 1).merge(top, on=[*area_year, "kommunekode", "sammenligningskode"])
    kept = steps.groupby(area_year).size()
    years = top[area_year].drop_duplicates()
    later = years.merge(years.assign(aar=years["aar"] + 1), on=area_year)
    municipalities = top["kommunekode"].nunique()
    later["andel"] = [kept.get((o, a), 0) / (municipalities * k)
                      for o, a in zip(later["sammenligningsomraade"], later["aar"])]
    return later


def selection(inputs: sammenligning.AreaYear, kept: list[str], resamples: int, rng: np.random.Generator) -> pd.Series:
    """How often each of `kept` is kept when the model is refitted on `resamples` bootstrap resamples."""
    z, _ = similarity.standardise(inputs.x)
    y = inputs.y.reindex(z.index)
    counts = pd.Series(0, index=kept)
    for _ in range(resamples):
        rows = rng.integers(0, len(z), len(z))
        model = similarity.fit(y.iloc[rows].reset_index(drop=True), z.iloc[rows].reset_index(drop=True))
        counts += model.kandidater.loc[kept, "beholdt"].astype(int)
    return counts / resamples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--resamples", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = build(dataclasses.replace(settings(), marts_path=Path(tmp) / "kdk.duckdb"))
        tables = read_tables(result.path)
    kommunekoder = sorted(tables["dim_kommune"]["kommunekode"])
    steps = year_to_year(tables["bm_sammenligning"], args.k)
    model = tables["bm_model"]
    newest = {a.sammenligningsomraade: a for a in sammenligning.area_years(tables["bm_definition"],
                                                                          tables["fct_noegletal"], kommunekoder)}
    rng = np.random.default_rng(SEED)
    print(f"Comparison groups: stability per area ({len(kommunekoder)} municipalities, top {args.k}; "
          f"{args.resamples} bootstrap resamples of the newest year's model, seed {SEED})")
    print(f"{'area':<13} {'years':<10} {'kept from last year: mean':>26} {'lowest (year)':>15}   "
          "newest year's kept variables: share of resamples keeping them")
    for kode, area in steps.groupby("sammenligningsomraade", sort=False):
        inputs = newest[kode]
        kept = model[(model["sammenligningsomraade"] == kode) & (model["aar"] == inputs.aar)
                     & model["beholdt"]]["variabel"]
        shares = selection(inputs, list(kept), args.resamples, rng)
        low = area.loc[area["andel"].idxmin()]
        print(f"{kode:<13} {area['aar'].min() - 1}–{area['aar'].max()} {area['andel'].mean():>26.0%} "
              f"{low['andel']:>8.0%} ({low['aar']})   {inputs.aar}: "
              + ", ".join(f"{v} {s:.0%}" for v, s in shares.items()))


if __name__ == "__main__":
    main()
