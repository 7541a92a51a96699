"""The key-figure catalogue: reads `data/noegletal.toml` (data areas and key figures).

Writes nothing; `catalogue_frame` gives the rows of `dim_noegletal`. `links` reads the fields `taeller_er` and
`naevner_er` ("<felt>:<id>": this figure's numerator or denominator is, for every area and period, figure <id>'s
vaerdi, taeller or naevner), which the disclosure control treats as relations. `niveau_sammenlignes` says whether a
municipality's level may be compared with its region's and the country's (kdk.fortolkning): by default not for a
count or total (aggregering `sum`, where the country's value is the sum of all municipalities'), and never for one.

Sources are fields, not sentences: a real figure names its source in data/kilder/kilder.toml by `kilde_id`; a demo
figure has none (its `kilde_id` becomes DEMO) and says where its real data will come from in `rigtige_data`, from which
its `kilde` text is made by the catalogue's `demo_kilde` template. `attach_sources` checks every `kilde_id` against
kilder.toml and gives each figure its source's attribution (`kildeangivelse`), which charts and exports show.
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
                 "diskretion", "taeller_er", "naevner_er", "niveau_sammenlignes", "uden_vaerdi", "forbehold",
                 "kilde_id", "rigtige_data", "kildeangivelse"]
DEMO = "demo"   # the id of the generated demo data in kilder.toml: every demo figure's source
LINK_FIELDS = {"taeller_er": "taeller", "naevner_er": "naevner"}


@dataclass(frozen=True)
class Link:
    """Figure `noegletal_id`'s quantity `felt` equals figure `til_id`'s quantity `til_felt` in every area and
    period (quantities: vaerdi, taeller, naevner)."""
    noegletal_id: str
    felt: str
    til_id: str
    til_felt: str


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
        entry = {"faktor": 1, "max_spring": 0.5, "diskretion": True, "taeller": "", "naevner": "",
                 "taeller_er": "", "naevner_er": "", "uden_vaerdi": "", "forbehold": "", "rigtige_data": "",
                 "kilde_id": "", "kildeangivelse": "", "niveau_sammenlignes": entry.get("aggregering") != "sum",
                 **entry}
        _check_level(entry)
        _check_source_fields(entry)
        if entry["demodata"]:
            entry["kilde"] = raw["demo_kilde"].format(rigtige_data=entry["rigtige_data"])
            entry["kilde_id"] = DEMO
        figures[entry["id"]] = entry
    catalogue = Catalogue(areas=raw["dataomraade"], figures=figures)
    links(catalogue)   # a link to an unknown figure or field stops the load here
    return catalogue


def _check_level(entry: dict) -> None:
    """`niveau_sammenlignes` is true or false, and false for a count or total (the country's value is then the sum of
    every municipality's, which no municipality's level can be judged against); else an IngestError in Danish."""
    value = entry["niveau_sammenlignes"]
    if not isinstance(value, bool) or (value and entry.get("aggregering") == "sum"):
        raise IngestError(f"Nøgletallet {entry['id']} har niveau_sammenlignes = «{value}», men feltet skal være true "
                          "eller false, og false for et antal eller en sum (aggregering \"sum\"): hele landets tal er "
                          "da summen af kommunernes, og en kommunes niveau kan ikke sammenlignes med det.")


def _check_source_fields(entry: dict) -> None:
    """A real figure has `kilde` and `kilde_id` and no `rigtige_data`; a demo figure `rigtige_data` and neither of
    the others; else an IngestError in Danish naming the figure."""
    real = not entry["demodata"]
    if (not entry.get("kilde")) == real or (not entry["kilde_id"]) == real or (not entry["rigtige_data"]) != real:
        raise IngestError(f"Nøgletallet {entry['id']} skal som {'rigtigt nøgletal' if real else 'demonøgletal'} have "
                          + ("kilde og kilde_id (en kilde i data/kilder/kilder.toml) og ikke rigtige_data."
                             if real else "rigtige_data og hverken kilde eller kilde_id."))


def attach_sources(catalogue: Catalogue, attributions: dict[str, str]) -> None:
    """Give every figure the attribution of its source (`kildeangivelse`) from `attributions` (kilder.toml: id ->
    attribution); a `kilde_id` kilder.toml does not have is an IngestError in Danish naming the figure."""
    for fid, entry in catalogue.figures.items():
        if entry["kilde_id"] not in attributions:
            raise IngestError(f"Nøgletallet {fid} har kilde_id = «{entry['kilde_id']}», men den kilde findes ikke i "
                              f"data/kilder/kilder.toml (kendte kilder: {', '.join(sorted(attributions))}).")
        entry["kildeangivelse"] = attributions[entry["kilde_id"]]


def links(catalogue: Catalogue) -> list[Link]:
    """The catalogue's `taeller_er`/`naevner_er` links; an unknown figure or a field the figure lacks is an
    IngestError with a Danish message."""
    found = []
    for fid, entry in catalogue.figures.items():
        for field, felt in LINK_FIELDS.items():
            value = entry.get(field) or ""
            if not isinstance(value, str) or not value:
                continue
            til_felt, _, til_id = value.partition(":")
            target = catalogue.figures.get(til_id)
            wanted = {"sum": {"vaerdi"}, "kvote": {"taeller", "naevner"}}.get(target["aggregering"], set()) \
                if target else set()
            if til_felt not in wanted or entry["aggregering"] != "kvote":
                raise IngestError(f"Nøgletallet {fid} har {field} = «{value}», men det skal være en brøk, og "
                                  "værdien skal være vaerdi:<id> for et antal eller taeller:<id>/naevner:<id> "
                                  "for en brøk i kataloget.")
            found.append(Link(fid, felt, til_id, til_felt))
    return found


def catalogue_frame(catalogue: Catalogue) -> pd.DataFrame:
    rows = [{"noegletal_id": i, "raekkefoelge": f.get("raekkefoelge", n),
             **{c: f[c] for c in CONTRACT_COLUMNS[1:] + EXTRA_COLUMNS[1:]}}
            for n, (i, f) in enumerate(catalogue.figures.items(), start=1)]
    return pd.DataFrame(rows, columns=CONTRACT_COLUMNS + EXTRA_COLUMNS)


def areas_frame(catalogue: Catalogue) -> pd.DataFrame:
    return pd.DataFrame([{"kode": a["kode"], "navn": a["navn"], "beskrivelse": a["beskrivelse"], "raekkefoelge": n}
                         for n, a in enumerate(catalogue.areas, start=1)])
