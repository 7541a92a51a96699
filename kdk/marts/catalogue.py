"""The key-figure catalogue: reads `data/noegletal.toml` (data areas and key figures).

Writes nothing; `catalogue_frame` gives the rows of `dim_noegletal`.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kdk.marts.findings import IngestError

CONTRACT_COLUMNS = ["noegletal_id", "titel", "definition", "enhed", "dataomraade", "retning", "decimaler",
                    "periodicitet", "kilde", "demodata", "adgang"]
EXTRA_COLUMNS = ["raekkefoelge", "taeller", "naevner", "aggregering", "faktor", "min", "max", "max_spring",
                 "diskretion"]


@dataclass(frozen=True)
class Catalogue:
    areas: list[dict]
    figures: dict[str, dict]   # id -> entry, in file order

    def demo_ids(self) -> list[str]:
        return [i for i, f in self.figures.items() if f["demodata"]]


def load_catalogue(path: Path) -> Catalogue:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise IngestError(f"Nøgletalskataloget {path} kan ikke læses: {exc}") from exc
    figures = {}
    for entry in raw["noegletal"]:
        entry = {"faktor": 1, "max_spring": 0.5, "diskretion": True, "taeller": "", "naevner": "", **entry}
        figures[entry["id"]] = entry
    return Catalogue(areas=raw["dataomraade"], figures=figures)


def catalogue_frame(catalogue: Catalogue) -> pd.DataFrame:
    rows = [{"noegletal_id": i, "raekkefoelge": f.get("raekkefoelge", n),
             **{c: f[c] for c in CONTRACT_COLUMNS[1:] + EXTRA_COLUMNS[1:]}}
            for n, (i, f) in enumerate(catalogue.figures.items(), start=1)]
    return pd.DataFrame(rows, columns=CONTRACT_COLUMNS + EXTRA_COLUMNS)


def areas_frame(catalogue: Catalogue) -> pd.DataFrame:
    return pd.DataFrame([{"kode": a["kode"], "navn": a["navn"], "beskrivelse": a["beskrivelse"], "raekkefoelge": n}
                         for n, a in enumerate(catalogue.areas, start=1)])
