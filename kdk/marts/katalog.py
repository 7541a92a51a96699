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

Every text a reader sees has its English beside it, `<felt>_en` (ENGLISH_FIGURE_FIELDS, ENGLISH_AREA_FIELDS, and
ENGLISH_SOURCE_FIELDS in kilder.toml; a demo figure's English source text is made by `demo_kilde_en` from
`rigtige_data_en`); an English page shows it, or the Danish marked [da] where it is missing (kdk.queries.scope).
`missing_english` lists, as build warnings, every English text missing where the Danish is given.
"""
from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kdk.marts.findings import ADVARSEL, Finding, IngestError

CONTRACT_COLUMNS = ["noegletal_id", "titel", "definition", "enhed", "dataomraade", "retning", "decimaler",
                    "periodicitet", "kilde", "demodata", "adgang"]
EXTRA_COLUMNS = ["raekkefoelge", "taeller", "naevner", "aggregering", "faktor", "min", "max", "max_spring",
                 "diskretion", "taeller_er", "naevner_er", "niveau_sammenlignes", "uden_vaerdi", "forbehold",
                 "kilde_id", "rigtige_data", "kildeangivelse"]
# The texts shown to readers that have an English version `<felt>_en` (None where it is missing)
ENGLISH_FIGURE_FIELDS = ("titel", "definition", "taeller", "naevner", "enhed", "forbehold", "uden_vaerdi", "kilde",
                         "rigtige_data")
ENGLISH_AREA_FIELDS = ("navn", "beskrivelse")
ENGLISH_SOURCE_FIELDS = ("navn", "attribution", "licens")
ENGLISH_COLUMNS = [f"{f}_en" for f in (*ENGLISH_FIGURE_FIELDS, "kildeangivelse")]
CATALOGUE_FILE, SOURCES_FILE = "data/noegletal.toml", "data/kilder/kilder.toml"
log = logging.getLogger(__name__)
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
    demo_kilde_en: str | None = None   # the English of the catalogue's `demo_kilde` (None: missing)

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
                 **entry, **_english(entry, ENGLISH_FIGURE_FIELDS), "kildeangivelse_en": None}
        _check_level(entry)
        _check_source_fields(entry)
        if entry["demodata"]:
            entry["kilde"] = raw["demo_kilde"].format(rigtige_data=entry["rigtige_data"])
            entry["kilde_en"] = (raw["demo_kilde_en"].format(rigtige_data=entry["rigtige_data_en"])
                                 if raw.get("demo_kilde_en") and entry["rigtige_data_en"] else None)
            entry["kilde_id"] = DEMO
        figures[entry["id"]] = entry
    areas = [{**a, **_english(a, ENGLISH_AREA_FIELDS)} for a in raw["dataomraade"]]
    catalogue = Catalogue(areas=areas, figures=figures, demo_kilde_en=raw.get("demo_kilde_en") or None)
    links(catalogue)   # a link to an unknown figure or field stops the load here
    return catalogue


def _english(entry: dict, fields: tuple[str, ...]) -> dict[str, str | None]:
    """The English texts `<felt>_en` of `fields` in the catalogue's (or kilder.toml's) `entry`: None where missing."""
    return {f"{f}_en": entry.get(f"{f}_en") or None for f in fields}


def missing_english(catalogue: Catalogue, manifest: pd.DataFrame) -> list[Finding]:
    """A warning (regel `engelsk`) for each figure, data area and source (kilder.toml, `manifest`) that lacks the
    English of a text whose Danish it gives, naming it and every missing field (also logged, in English); one for a
    missing `demo_kilde_en`. An English page shows the Danish marked [da] there."""
    def finding(fil: str, hvad: str, what: str, mangler: list[str], noegletal_id: str | None = None) -> Finding:
        felter = ", ".join(mangler)
        log.warning("%s: %s has no English text in %s", fil, what, felter)
        return Finding(fil, None, felter, "engelsk", ADVARSEL,
                       f"{hvad} mangler engelsk tekst i {felter}: en engelsk side viser den danske tekst markeret "
                       "[da].", noegletal_id)

    def lacking(entry: dict, fields: tuple[str, ...]) -> list[str]:
        return [f"{f}_en" for f in fields if entry.get(f) and not entry.get(f"{f}_en")]

    found = [finding(CATALOGUE_FILE, "Kataloget", "the catalogue", ["demo_kilde_en"])] \
        if catalogue.demo_ids() and not catalogue.demo_kilde_en else []
    for fid, entry in catalogue.figures.items():
        own = tuple(f for f in ENGLISH_FIGURE_FIELDS if not (entry["demodata"] and f == "kilde"))   # made, not given
        if mangler := lacking(entry, own):
            found.append(finding(CATALOGUE_FILE, f"Nøgletallet {fid}", f"key figure {fid}", mangler, fid))
    found += [finding(CATALOGUE_FILE, f"Dataområdet {a['kode']}", f"data area {a['kode']}", mangler)
              for a in catalogue.areas if (mangler := lacking(a, ENGLISH_AREA_FIELDS))]
    found += [finding(SOURCES_FILE, f"Kilden {k['id']}", f"source {k['id']}", mangler)
              for k in manifest.to_dict("records") if (mangler := lacking(k, ENGLISH_SOURCE_FIELDS))]
    return found


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


def attach_sources(catalogue: Catalogue, manifest: pd.DataFrame) -> None:
    """Give every figure the attribution of its source (`kildeangivelse`, and its English `kildeangivelse_en`) from
    `manifest` (kilder.toml); a `kilde_id` kilder.toml does not have is an IngestError in Danish naming the figure."""
    attributions = {k["id"]: k for k in manifest.to_dict("records")}
    for fid, entry in catalogue.figures.items():
        if entry["kilde_id"] not in attributions:
            raise IngestError(f"Nøgletallet {fid} har kilde_id = «{entry['kilde_id']}», men den kilde findes ikke i "
                              f"data/kilder/kilder.toml (kendte kilder: {', '.join(sorted(attributions))}).")
        source = attributions[entry["kilde_id"]]
        entry["kildeangivelse"], entry["kildeangivelse_en"] = source["attribution"], source["attribution_en"]


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
             **{c: f[c] for c in CONTRACT_COLUMNS[1:] + EXTRA_COLUMNS[1:] + ENGLISH_COLUMNS}}
            for n, (i, f) in enumerate(catalogue.figures.items(), start=1)]
    return pd.DataFrame(rows, columns=CONTRACT_COLUMNS + EXTRA_COLUMNS + ENGLISH_COLUMNS)


def areas_frame(catalogue: Catalogue) -> pd.DataFrame:
    return pd.DataFrame([{"kode": a["kode"], "navn": a["navn"], "beskrivelse": a["beskrivelse"], "raekkefoelge": n,
                          "navn_en": a["navn_en"], "beskrivelse_en": a["beskrivelse_en"]}
                         for n, a in enumerate(catalogue.areas, start=1)])
