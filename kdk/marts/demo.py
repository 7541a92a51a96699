"""Deterministic demo data for every catalogue entry marked `demodata = true`, years 2015-2025.

Reads the catalogue's `demo` parameters and the real structural variables (population, density,
unemployment); writes nothing. A value is

    niveau * exp(spredning * (loadings . z + rest * u) - spredning^2 / 2) * (1 + trend)^(year - 2024) * noise

where z are the municipality's standardised structural variables (urbanity, size, unemployment) and u
is a municipality's own draw, rescaled so that the national figure in 2024 equals `niveau`. Ratios get
an integer numerator and denominator (so small municipalities produce small numbers that the build
suppresses); a share of values is missing. Seeds come from the key-figure id, so output is identical
across runs and machines.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from kdk.marts.katalog import Catalogue

YEARS = list(range(2015, 2026))
REFERENCE_YEAR = 2024

# Target populations a ratio is counted over, from the population and the demo age shares.
BASES = {
    "indbyggere": lambda b: b["indbyggere"],
    "boern_0_17": lambda b: b["indbyggere"] * b["befolkning.andel_0_17"] / 100,
    "boern_0_5": lambda b: b["indbyggere"] * b["befolkning.andel_0_17"] / 100 / 3,
    "elever": lambda b: b["indbyggere"] * b["befolkning.andel_0_17"] / 100 * 10 / 18,
    "elever_9klasse": lambda b: b["indbyggere"] * b["befolkning.andel_0_17"] / 100 / 18,
    "aeldre_65plus": lambda b: b["indbyggere"] * b["befolkning.andel_65plus"] / 100,
    "aeldre_67plus": lambda b: b["indbyggere"] * b["befolkning.andel_65plus"] / 100 * 0.86,
    "aeldre_80plus": lambda b: b["indbyggere"] * b["befolkning.andel_80plus"] / 100,
    "voksne_18_64": lambda b: b["indbyggere"] * (1 - (b["befolkning.andel_0_17"] + b["befolkning.andel_65plus"]) / 100),
    "unge_16_24": lambda b: b["indbyggere"] * 0.11,
    "ansatte": lambda b: b["indbyggere"] * b["personale.fuldtid_pr_1000"] / 1000,
}
BASE_NEEDS = {
    "boern_0_17": ["befolkning.andel_0_17"], "boern_0_5": ["befolkning.andel_0_17"],
    "elever": ["befolkning.andel_0_17"], "elever_9klasse": ["befolkning.andel_0_17"],
    "aeldre_65plus": ["befolkning.andel_65plus"], "aeldre_67plus": ["befolkning.andel_65plus"],
    "aeldre_80plus": ["befolkning.andel_80plus"],
    "voksne_18_64": ["befolkning.andel_0_17", "befolkning.andel_65plus"],
    "ansatte": ["personale.fuldtid_pr_1000"],
}
# Figures that are defined by other figures and so must agree with them exactly.
DERIVED = {
    "befolkning.forsoergerbroek": (
        lambda b: BASES["boern_0_17"](b) + BASES["aeldre_65plus"](b), "voksne_18_64"),
}


def structural(befolkning: pd.DataFrame, ledighed_2022: pd.Series) -> pd.DataFrame:
    """Standardised structural variables per municipality (index kommunekode): by, stoerrelse, ledighed."""
    latest = befolkning[befolkning["aar"] == 2022].set_index("kommunekode")
    raw = pd.DataFrame({
        "by": np.log(latest["befolkningstaethed_pr_km2"].astype(float)),
        "stoerrelse": np.log(latest["indbyggere"].astype(float)),
        "ledighed": ledighed_2022.reindex(latest.index).astype(float),
    }).sort_index()
    return (raw - raw.mean()) / raw.std(ddof=0)


def population_by_year(befolkning: pd.DataFrame) -> pd.DataFrame:
    """Population per municipality (rows) and demo year (columns); years after the data hold the last value."""
    wide = befolkning.pivot(index="kommunekode", columns="aar", values="indbyggere").astype(float).sort_index()
    return pd.DataFrame({y: wide[min(y, wide.columns.max())] for y in YEARS})


def generate(catalogue: Catalogue, befolkning: pd.DataFrame, ledighed_2022: pd.Series) -> pd.DataFrame:
    """Long fact rows (plus a `vaegt` column for weighted figures) for every demo key figure."""
    z = structural(befolkning, ledighed_2022)
    values: dict[str, pd.DataFrame] = {"indbyggere": population_by_year(befolkning)}
    counts: dict[str, pd.DataFrame] = {}
    frames = []
    for fid in _generation_order(catalogue):
        entry = catalogue.figures[fid]
        basis = _basis(entry, values, counts)
        value = _values(fid, entry, z, basis, values["indbyggere"])
        taeller = naevner = vaegt = None
        if fid in DERIVED:
            make_taeller, naevner_base = DERIVED[fid]
            naevner = BASES[naevner_base](values).round()
            taeller = make_taeller(values).round()
            value = taeller * entry["faktor"] / naevner
        elif entry["aggregering"] == "kvote":
            naevner = basis.round().clip(lower=1)
            taeller = (value * naevner / entry["faktor"]).round()
            value = taeller * entry["faktor"] / naevner
        elif entry["aggregering"] == "vaegtet":
            vaegt = basis
        values[fid] = value
        if taeller is not None:
            counts[fid] = taeller
        frames.append(_long(fid, value, taeller, naevner, vaegt, _missing_mask(fid, entry, value)))
    return pd.concat(frames, ignore_index=True)


def _generation_order(catalogue: Catalogue) -> list[str]:
    pending = catalogue.demo_ids()
    done: set[str] = set()
    order = []
    while pending:
        ready = [f for f in pending if _needs(catalogue.figures[f]) <= done]
        if not ready:
            raise ValueError(f"Demo bases with circular or unknown dependencies: {pending}")
        order += ready
        done |= set(ready)
        pending = [f for f in pending if f not in done]
    return order


def _needs(entry: dict) -> set[str]:
    basis = entry["demo"].get("basis", "indbyggere")
    needs = set(BASE_NEEDS.get(basis, []))
    if basis.startswith("taeller:"):
        needs.add(basis.split(":", 1)[1])
    if entry["id"] in DERIVED:
        needs |= {"befolkning.andel_0_17", "befolkning.andel_65plus"}
    return needs


def _basis(entry: dict, values: dict, counts: dict) -> pd.DataFrame:
    basis = entry["demo"].get("basis", "indbyggere")
    if basis.startswith("taeller:"):
        return counts[basis.split(":", 1)[1]]
    return BASES[basis](values)


def _rng(fid: str, salt: str) -> np.random.Generator:
    seed = int.from_bytes(hashlib.sha256(f"{fid}:{salt}".encode()).digest()[:8], "little")
    return np.random.default_rng(seed)


def _values(fid: str, entry: dict, z: pd.DataFrame, basis: pd.DataFrame, indbyggere: pd.DataFrame) -> pd.DataFrame:
    p = entry["demo"]
    loadings = np.array([p.get("by", 0.0), p.get("stoerrelse", 0.0), p.get("ledighed", 0.0)])
    rest = np.sqrt(max(0.0, 1 - float(loadings @ loadings)))
    own = _rng(fid, "kommune").standard_normal(len(z))
    effect = z[["by", "stoerrelse", "ledighed"]].to_numpy() @ loadings + rest * own
    level = np.exp(p["spredning"] * effect - p["spredning"] ** 2 / 2)
    trend = np.array([(1 + p.get("trend", 0.0)) ** (y - REFERENCE_YEAR) for y in YEARS])
    # Year-to-year noise is larger where the population is small, as in real data.
    small = np.sqrt(50_000 / indbyggere.to_numpy()).clip(0.5, 2.5)
    noise = np.exp(0.15 * p["spredning"] * small * _rng(fid, "aar").standard_normal((len(z), len(YEARS))))
    raw = pd.DataFrame(np.outer(level, trend) * noise, index=z.index, columns=YEARS)
    weights = basis[REFERENCE_YEAR] if entry["aggregering"] != "sum" else indbyggere[REFERENCE_YEAR]
    national = float((raw[REFERENCE_YEAR] * weights).sum() / weights.sum())
    value = raw * (p["niveau"] / national)
    margin = 0.02 * (entry["max"] - entry["min"])
    return value.clip(entry["min"] + margin, entry["max"] - margin)


def _missing_mask(fid: str, entry: dict, value: pd.DataFrame) -> pd.DataFrame:
    share = entry["demo"].get("mangler", 0.01)
    return pd.DataFrame(_rng(fid, "mangler").random(value.shape) < share, index=value.index, columns=value.columns)


def _long(fid, value, taeller, naevner, vaegt, missing) -> pd.DataFrame:
    def stack(frame):
        if frame is None:
            return np.nan
        return frame.stack().to_numpy(dtype=float)

    index = value.stack().index
    df = pd.DataFrame({
        "noegletal_id": fid,
        "omraade_kode": index.get_level_values(0).astype(str),
        "periode": index.get_level_values(1).astype(str),
        "vaerdi": stack(value), "taeller": stack(taeller), "naevner": stack(naevner), "vaegt": stack(vaegt),
        "status": "normal",
    })
    gone = missing.stack().to_numpy()
    df.loc[gone, ["vaerdi", "taeller", "naevner"]] = np.nan
    df.loc[gone, "status"] = "mangler"
    return df
