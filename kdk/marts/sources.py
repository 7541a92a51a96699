"""Loaders for the real source files in `data/kilder/`: municipalities, population, Jobindsats, Statistics
Denmark's yearly series, DST's life expectancy and the turnout at the municipal election of 2017.

Reads the shipped CSV files; writes nothing. Every loader returns long fact rows with the columns
of `FACT_COLUMNS`; monthly Jobindsats series also get yearly values (the mean of the 12 months of a
complete calendar year, computed exactly from the source's decimal text: see `exact_mean`). Statistics Denmark's
yearly series (`dst/`) are taken as published, hele landet from DST's own national file.
"""
from __future__ import annotations

import json
import math
import tomllib
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from kdk.marts.katalog import ENGLISH_SOURCE_FIELDS, Catalogue

MAP_TOLERANCE_DEGREES = 0.004   # about 250-450 m: invisible on a map of the whole country
FACT_COLUMNS = ["noegletal_id", "omraade_kode", "periode", "vaerdi", "taeller", "naevner", "status"]
LAND = "000"
POPULATION = "befolkning.indbyggere"   # the figure the derived (`afledt`) figures are computed from


def load_sources_manifest(sources_dir: Path) -> pd.DataFrame:
    raw = tomllib.loads((sources_dir / "kilder.toml").read_text(encoding="utf-8"))
    english = {f"{f}_en": None for f in ENGLISH_SOURCE_FIELDS}   # None: missing (kdk.marts.katalog.missing_english)
    return pd.DataFrame([{"url": "", **english, **k, "filer": ", ".join(k["filer"])} for k in raw["kilde"]])


def load_kommuner(sources_dir: Path, befolkning: pd.DataFrame) -> pd.DataFrame:
    """dim_kommune rows: code, name, region, kommunegruppe and area derived from the 2022 population data."""
    raw = pd.read_csv(sources_dir / "kommuner" / "kommuner.csv", dtype=str)
    latest = befolkning[befolkning["aar"] == befolkning["aar"].max()].set_index("kommunekode")
    indb = raw["kommunekode"].map(latest["indbyggere"]).astype(float)
    taethed = raw["kommunekode"].map(latest["befolkningstaethed_pr_km2"]).astype(float)
    return pd.DataFrame({
        "kommunekode": raw["kommunekode"],
        "navn": raw["navn"],
        "regionskode": raw["regionskode"],
        "regionsnavn": raw["regionsnavn"],
        "kommunegruppe": [kommunegruppe(i, t) for i, t in zip(indb, taethed)],
        "areal_km2": (indb / taethed).round(1),
    })


def kommunegruppe(indbyggere: float, taethed: float) -> str:
    """A simple, published grouping by size and density (not Statistics Denmark's official groups)."""
    if indbyggere >= 150_000:
        return "Storbykommune"
    if taethed >= 500:
        return "Bykommune"
    if taethed >= 100 or indbyggere >= 40_000:
        return "Mellemkommune"
    return "Landkommune"


def load_geo(sources_dir: Path) -> pd.DataFrame:
    """Municipality boundaries simplified for the screen, as GeoJSON geometry text per municipality."""
    raw = json.loads((sources_dir / "dagi" / "kommuner.geojson").read_text(encoding="utf-8"))
    rows = []
    for feature in raw["features"]:
        geometry = shape(feature["geometry"]).simplify(MAP_TOLERANCE_DEGREES, preserve_topology=True)
        geometry = shapely.set_precision(geometry, 1e-4)
        rows.append({"kommunekode": str(feature["properties"]["kommunekode"]),
                     "geometri": json.dumps(mapping(geometry), separators=(",", ":"))})
    return pd.DataFrame(rows).sort_values("kommunekode", ignore_index=True)


def load_befolkning(sources_dir: Path) -> pd.DataFrame:
    return pd.read_csv(sources_dir / "befolkning" / "befolkning_og_taethed_2007_2022.csv",
                       dtype={"kommunekode": str})


def befolkning_facts(befolkning: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Population, density and 5-year population growth per municipality and year."""
    frames = []
    periode = befolkning["aar"].astype(str)
    for fid, entry in catalogue.figures.items():
        src = entry.get("kildedata", {})
        if src.get("kilde") != "befolkning":
            continue
        value = befolkning[src["kolonne"]].astype(float)
        is_count = entry["aggregering"] == "sum"
        indbyggere = befolkning["indbyggere"].astype(float)
        frames.append(_facts(fid, befolkning["kommunekode"], periode, value,
                             taeller=None if is_count else indbyggere,
                             naevner=None if is_count else naevner_from(value, indbyggere, entry["faktor"])))
    frames += [growth_facts(fid, befolkning) for fid in derived_ids(catalogue)]
    return pd.concat(frames, ignore_index=True)


def derived_ids(catalogue: Catalogue) -> list[str]:
    """The figures computed from the population (`kildedata.kilde = "afledt"`): 5-year population growth."""
    return [fid for fid, e in catalogue.figures.items() if e.get("kildedata", {}).get("kilde") == "afledt"]


def growth_facts(fid: str, befolkning: pd.DataFrame) -> pd.DataFrame:
    """5-year population growth (pct.) per municipality and year from population rows (kommunekode, aar,
    indbyggere): the build's, and a load's when it changes the population (kdk.marts.ingest)."""
    wide = befolkning.pivot(index="kommunekode", columns="aar", values="indbyggere").astype(float)
    before = wide.shift(5, axis=1)
    long = pd.DataFrame({"nu": wide.stack(), "foer": before.stack()}).dropna().reset_index()
    return _facts(fid, long["kommunekode"], long["aar"].astype(str), 100 * (long["nu"] - long["foer"]) / long["foer"],
                  taeller=long["nu"] - long["foer"], naevner=long["foer"])


def naevner_from(vaerdi: pd.Series, taeller: pd.Series, faktor: float) -> pd.Series:
    """A ratio's denominator from its value and numerator (vaerdi = faktor * taeller / naevner); none for 0."""
    return taeller * faktor / vaerdi.where(vaerdi > 0)


def taeller_from(vaerdi: pd.Series, naevner: pd.Series, faktor: float) -> pd.Series:
    """A ratio's numerator from its value and denominator."""
    return vaerdi * naevner / faktor


def jobindsats_facts(sources_dir: Path, catalogue: Catalogue) -> pd.DataFrame:
    """Monthly and yearly Jobindsats figures per municipality, plus the source's own national figure."""
    folder = sources_dir / "jobindsats"
    kommuner = pd.read_csv(folder / "jobindsats_kommuner_maaned.csv", dtype={"kommunekode": str})
    landet = pd.read_csv(folder / "jobindsats_hele_landet_maaned.csv").assign(kommunekode=LAND)
    raw = pd.concat([kommuner, landet], ignore_index=True)
    raw["periode"] = raw["aar"].astype(str) + "M" + raw["maaned"].map("{:02d}".format)
    frames = []
    for fid, entry in catalogue.figures.items():
        src = entry.get("kildedata", {})
        if src.get("kilde") != "jobindsats":
            continue
        monthly = _series(raw, src["emne"], src["maal"]).rename(columns={"vaerdi": "vaerdi"})
        if "taeller_maal" in src:
            count = _series(raw, src["emne"], src["taeller_maal"]).set_index(["kommunekode", "periode"])["vaerdi"]
            monthly["taeller"] = monthly.set_index(["kommunekode", "periode"]).index.map(count)
            monthly["naevner"] = naevner_from(monthly["vaerdi"], monthly["taeller"], entry["faktor"])
        monthly = _facts(fid, monthly["kommunekode"], monthly["periode"], monthly["vaerdi"],
                         monthly.get("taeller"), monthly.get("naevner"))
        frames += [monthly, yearly_means(monthly)]
    return pd.concat(frames, ignore_index=True)


def dst_yearly_facts(sources_dir: Path, catalogue: Catalogue) -> pd.DataFrame:
    """Statistics Denmark's yearly values per municipality (`dst/dst_kommune_aar.csv`, long) and DST's own national
    value (`dst/dst_hele_landet_aar.csv`, one column per indicator), for the figures whose `kildedata` names the
    indicator. The values are rates and indices without published numerators, so none has a taeller or naevner."""
    folder = sources_dir / "dst"
    kommuner = pd.read_csv(folder / "dst_kommune_aar.csv", dtype={"kommunekode": str})
    landet = pd.read_csv(folder / "dst_hele_landet_aar.csv").melt(id_vars="aar", var_name="indikator",
                                                                   value_name="vaerdi").dropna()
    raw = pd.concat([kommuner, landet.assign(kommunekode=LAND)], ignore_index=True)
    frames = []
    for fid, entry in catalogue.figures.items():
        src = entry.get("kildedata", {})
        if src.get("kilde") == "dst":
            rows = raw[raw["indikator"] == src["indikator"]]
            frames.append(_facts(fid, rows["kommunekode"], rows["aar"].astype(str), rows["vaerdi"]))
    return pd.concat(frames, ignore_index=True)


def middellevetid_facts(sources_dir: Path, catalogue: Catalogue) -> pd.DataFrame:
    """DST's life expectancy (HISBK) per municipality and rolling five-year period (`2021:2025`, as DST writes it),
    plus DST's own national value; the municipalities DST does not show have an empty cell (status as the source's
    suppression). No region rows: DST publishes none and a life expectancy cannot be added up."""
    folder = sources_dir / "dst-middellevetid"
    kommuner = pd.read_csv(folder / "middellevetid_kommune.csv", dtype={"kommunekode": str, "periode": str})
    landet = pd.read_csv(folder / "middellevetid_hele_landet.csv", dtype={"periode": str}).assign(kommunekode=LAND)
    raw = pd.concat([kommuner, landet], ignore_index=True)
    return pd.concat([_facts(fid, raw["kommunekode"], raw["periode"], raw[entry["kildedata"]["kolonne"]])
                      for fid, entry in catalogue.figures.items()
                      if entry.get("kildedata", {}).get("kilde") == "dst-middellevetid"], ignore_index=True)


def kommunalvalg_facts(sources_dir: Path, catalogue: Catalogue) -> pd.DataFrame:
    """The turnout at the municipal election of 2017 per municipality (`kommunalvalg-2017/kv2017_stemmeprocent.csv`):
    the file's stemmeprocent as the value, with its numerator (votes cast) and denominator (entitled voters), in the
    period of the election day's year. Regions and hele landet are left to the figure's aggregation (the ratio of the
    summed counts): the source publishes no area above the municipality."""
    raw = pd.read_csv(sources_dir / "kommunalvalg-2017" / "kv2017_stemmeprocent.csv", dtype={"kommunekode": str})
    return pd.concat([_facts(fid, raw["kommunekode"], raw["valgdag"].str[:4], raw["stemmeprocent"],
                             taeller=raw["afgivne_stemmer"], naevner=raw["stemmeberettigede"])
                      for fid, entry in catalogue.figures.items()
                      if entry.get("kildedata", {}).get("kilde") == "kommunalvalg-2017"], ignore_index=True)


def yearly_means(monthly: pd.DataFrame) -> pd.DataFrame:
    """Yearly values as the mean of the 12 monthly values of a calendar year; a year with a missing or
    suppressed month, or fewer than 12 months, gets no yearly value for that area. The value is the exact mean;
    the numerator's (counts, whose float mean is the float nearest the exact one) and the denominator's (derived
    from the published rate, never published) are float means."""
    df = monthly.assign(aar=monthly["periode"].str[:4])
    grouped = df.groupby(["noegletal_id", "omraade_kode", "aar"], sort=True)
    agg = grouped.agg(n=("vaerdi", "count"), vaerdi=("vaerdi", exact_mean),
                      taeller=("taeller", "mean"), naevner=("naevner", "mean")).reset_index()
    agg = agg[agg["n"] == 12]
    return agg.assign(periode=agg["aar"], status="normal")[FACT_COLUMNS]


def exact_mean(values: pd.Series) -> float:
    """The mean of the values as written in the source (each float's shortest text, `3.4`), computed exactly and
    given as the nearest float (missing values left out, as pandas' mean does; NaN when none is left). A float sum
    of the 12 months can land just below a tie (3.4499999999999997 where the mean is 3,45, published as 3,4); this
    mean is 3.45, which rounds to 3,5."""
    present = values.dropna()
    if present.empty:
        return math.nan
    return float(sum(Fraction(repr(float(v))) for v in present) / len(present))


def _series(raw: pd.DataFrame, emne: str, maal: str) -> pd.DataFrame:
    rows = raw[(raw["emne"] == emne) & (raw["maal"] == maal)]
    return rows[["kommunekode", "periode", "vaerdi"]].reset_index(drop=True)


def _facts(fid, omraade, periode, vaerdi, taeller=None, naevner=None) -> pd.DataFrame:
    vaerdi = pd.Series(vaerdi, dtype=float).reset_index(drop=True)
    nan = pd.Series(np.nan, index=vaerdi.index)
    df = pd.DataFrame({
        "noegletal_id": fid,
        "omraade_kode": pd.Series(omraade).reset_index(drop=True).astype(str),
        "periode": pd.Series(periode).reset_index(drop=True).astype(str),
        "vaerdi": vaerdi,
        "taeller": nan if taeller is None else pd.Series(taeller, dtype=float).reset_index(drop=True),
        "naevner": nan if naevner is None else pd.Series(naevner, dtype=float).reset_index(drop=True),
    })
    # An empty source cell is the source's own small-number suppression.
    df["status"] = np.where(df["vaerdi"].isna(), "diskretioneret", "normal")
    df.loc[df["vaerdi"].isna(), ["taeller", "naevner"]] = np.nan
    return df
