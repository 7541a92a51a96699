"""Themes (temaer): a theme is a TOML file in `data/temaer/`, written by KL's publication team.

Reads and validates theme files (at build time) and fills their Danish text templates (at page time);
writes nothing. A theme has a slug, a title, an introduction and sections; each section lists key-figure
ids, a chart type and a text template. Validation names the file and line of every problem: an unknown
key figure, an unknown chart type, a template with an unknown placeholder or broken braces.

A section may say which side of a neutral figure calls for attention in this theme:
  opmaerksom = { "befolkning.andel_65plus" = "hoej" }

Template placeholders (filled per key figure of the section):
  {kommune} {titel} {værdi} {enhed} {periode} {gruppe} {region} {land} {rang} {antal}
  {retning}   '2,6 procentpoint højere end' / '12 pct. lavere end' / 'på niveau med' (the municipality against its
              comparison group's mean, as kdk.fortolkning.vurder says it)
  {vurdering} 'bedre end' / 'dårligere end' / 'på niveau med' where higher or lower is better; for neutral
              figures the same words as {retning}

The summary (`opmaerksomhed`) and both placeholders are kdk.fortolkning.vurder's judgements, as the profile's are.
"""
from __future__ import annotations

import json
import re
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kdk.fortolkning import BEDRE, DAARLIGERE, GRUPPE, LAND, vurder
from kdk.marts.findings import IngestError

DIAGRAMMER = {"udvikling": "Udvikling over tid mod gruppe, region og land",
              "placering": "Placering blandt alle kommuner",
              "sammenligning": "Kommunen, gruppen, regionen og landet side om side"}
PLADSHOLDERE = {"kommune", "titel", "værdi", "enhed", "periode", "gruppe", "region", "land", "rang", "antal",
                "retning", "vurdering"}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Problem:
    fil: str
    linje: int
    besked: str

    def __str__(self) -> str:
        return f"{self.fil}, linje {self.linje}: {self.besked}"


def _line(text: str, needle: str) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def validate(path: Path, figure_ids: set[str]) -> tuple[dict | None, list[Problem]]:
    """The theme in `path` as a dict, and every problem found in it (empty when valid)."""
    text = path.read_text(encoding="utf-8")
    name = path.name
    try:
        theme = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else 1
        return None, [Problem(name, line, f"filen er ikke gyldig TOML ({exc})")]
    problems = []
    for key in ("slug", "titel", "introduktion"):
        if not isinstance(value := theme.get(key), str) or not value.strip():
            problems.append(Problem(name, 1, f"feltet «{key}» mangler eller er tomt"))
    if isinstance(theme.get("slug"), str) and not SLUG.match(theme["slug"]):
        problems.append(Problem(name, _line(text, "slug"), f"slug «{theme['slug']}» må kun have a-z, 0-9 og -"))
    sections = theme.get("afsnit")
    if not isinstance(sections, list) or not sections:
        problems.append(Problem(name, 1, "temaet har ingen afsnit ([[afsnit]])"))
        return theme, problems
    for section in sections:
        problems += _validate_section(name, text, section, figure_ids)
    return theme, problems


def _validate_section(name: str, text: str, section: dict, figure_ids: set[str]) -> list[Problem]:
    problems = []
    title = section.get("titel", "")
    where = _line(text, f'"{title}"') if title else 1
    if not title:
        problems.append(Problem(name, where, "et afsnit mangler «titel»"))
    figures = section.get("noegletal", [])
    if not isinstance(figures, list) or not figures:
        problems.append(Problem(name, where, f"afsnittet «{title}» har ingen nøgletal"))
    for fid in figures if isinstance(figures, list) else []:
        if fid not in figure_ids:
            problems.append(Problem(name, _line(text, f'"{fid}"'), f"ukendt nøgletal «{fid}»"))
    chart = section.get("diagram", "")
    if chart not in DIAGRAMMER:
        problems.append(Problem(name, _line(text, f'"{chart}"') if chart else where,
                                f"ukendt diagramtype «{chart}»; brug {', '.join(DIAGRAMMER)}"))
    attention = section.get("opmaerksom", {})
    for fid, side in (attention.items() if isinstance(attention, dict) else []):
        if fid not in (figures if isinstance(figures, list) else []) or side not in ("hoej", "lav"):
            problems.append(Problem(name, _line(text, "opmaerksom"),
                                    f"«opmaerksom» for «{fid}» skal være \"hoej\" eller \"lav\" og gælde et af "
                                    "afsnittets nøgletal"))
    template = section.get("skabelon", "")
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError as exc:
        return problems + [Problem(name, _line(text, template.split("\n")[0]), f"skabelonen kan ikke læses ({exc})")]
    for field in sorted(fields - PLADSHOLDERE):
        problems.append(Problem(name, _line(text, "{" + field), f"ukendt pladsholder «{{{field}}}» i skabelonen; "
                                                              f"mulige: {', '.join(sorted(PLADSHOLDERE))}"))
    return problems


def load_all(folder: Path, figure_ids: set[str]) -> pd.DataFrame:
    """Every theme file in `folder`, validated; raises IngestError naming file and line for any problem."""
    rows, problems = [], []
    for n, path in enumerate(sorted(folder.glob("*.toml")), start=1):
        theme, found = validate(path, figure_ids)
        problems += found
        if theme and not found:
            rows.append({"slug": theme["slug"], "titel": theme["titel"], "fil": path.name,
                         "raekkefoelge": theme.get("raekkefoelge", n),
                         "definition": json.dumps(theme, ensure_ascii=False, sort_keys=True)})
    slugs = [r["slug"] for r in rows]
    problems += [Problem(r["fil"], 1, f"slug «{r['slug']}» bruges af flere temaer") for r in rows
                 if slugs.count(r["slug"]) > 1]
    if problems:
        raise IngestError("Temaerne er ugyldige:\n" + "\n".join(str(p) for p in problems))
    return pd.DataFrame(rows, columns=["slug", "titel", "fil", "raekkefoelge", "definition"])


def fill(template: str, values: dict) -> str:
    """The template with its placeholders filled (values already formatted as Danish text)."""
    return template.format_map({k: values.get(k, "–") for k in PLADSHOLDERE})


def sammenlign(row: dict) -> tuple[str, str]:
    """({retning}, {vurdering}) for a profile row's value against its comparison group (kdk.fortolkning.vurder)."""
    judged = vurder(row, row["vaerdi"], row.get("gruppe_vaerdi"), GRUPPE, row.get("spredning"))
    retning = judged.tekst or "–"
    return retning, {BEDRE: "bedre end", DAARLIGERE: "dårligere end"}.get(judged.dom, retning)


def opmaerksomhed(rows: list[dict], tema: dict, antal: int = 3) -> tuple[list[dict], list[dict]]:
    """The key figures that deserve attention (worse than the comparison group's mean) and those that go well
    (better than it), each as kdk.fortolkning.vurder judges it (below its threshold a figure is neither), furthest
    first by the difference in spreads between municipalities (`afstand`), each a copy of its row with its judgement
    against the group (`vurdering`). A figure goes well only where it is not worse than the whole country, and
    deserves attention only where it is not better than it: the profile colours a figure by the country. Figures
    where higher or lower is better are judged by that; a neutral figure only where the theme says which side calls
    for attention (`opmaerksom = { id = "hoej" }`, e.g. a high share of elderly is pressure on recruitment).
    `rows`: the theme's profile rows (kdk.queries.profil)."""
    declared = {fid: side for section in tema["afsnit"] for fid, side in section.get("opmaerksom", {}).items()}
    worse: list[dict] = []
    better: list[dict] = []
    for row in rows:
        retning = row["retning"] if row["retning"] != "neutral" else \
            {"hoej": "ned", "lav": "op"}.get(declared.get(row["noegletal_id"], ""))
        if retning not in ("op", "ned") or not row.get("spredning"):   # no spread: no threshold to judge by
            continue
        figur = {**row, "retning": retning}
        group = vurder(figur, row["vaerdi"], row.get("gruppe_vaerdi"), GRUPPE, row["spredning"])
        land = vurder(figur, row["vaerdi"], row["land_vaerdi"], LAND, row["spredning"])
        if group.dom not in (BEDRE, DAARLIGERE) or land.dom == {BEDRE: DAARLIGERE, DAARLIGERE: BEDRE}[group.dom]:
            continue
        judged = {**row, "vurdering": group, "afstand": abs(row["vaerdi"] - row["gruppe_vaerdi"]) / row["spredning"]}
        (worse if group.dom == DAARLIGERE else better).append(judged)
    return (sorted(worse, key=lambda r: -r["afstand"])[:antal], sorted(better, key=lambda r: -r["afstand"])[:antal])
