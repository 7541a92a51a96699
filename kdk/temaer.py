"""Themes (temaer): a theme is a TOML file in `data/temaer/`, written by KL's publication team.

Reads and validates theme files (at build time) and fills their text templates in the active language (at page
time); writes nothing but findings into the build's report. A theme has a slug, a title, an introduction and
sections; each section lists key-figure ids, a chart type and a text template. Validation names the file and line
of every problem: an unknown key figure, an unknown chart type, a template (Danish or English) with an unknown
placeholder or broken braces.

Each text has an English twin beside it (ENGELSKE_FELTER): `titel_en` and `introduktion_en` for the theme,
`titel_en`, `tekst_en` and `skabelon_en` (the English template, with the same placeholders) per section. A missing
English text is a build warning naming it; the English page then shows the Danish with kdk.sprog.MANGLER
(`paa_sprog`).

A section may say which side of a neutral figure calls for attention in this theme:
  opmaerksom = { "befolkning.andel_65plus" = "hoej" }

Template placeholders (filled per key figure of the section):
  {kommune} {titel} {værdi} {enhed} {periode} {gruppe} {region} {land} {rang} {antal}
  {retning}   '2,6 procentpoint højere end' / '12 pct. lavere end' / 'på niveau med' (the municipality against its
              comparison group's mean, as kdk.fortolkning.vurder says it); in English '2.6 percentage points higher
              than' / '12% lower than' / 'in line with'
  {vurdering} 'bedre end' / 'dårligere end' / 'på niveau med' where higher or lower is better ('better than' /
              'worse than' / 'in line with'); for neutral figures the same words as {retning}

The summary (`opmaerksomhed`) and both placeholders are kdk.fortolkning.vurder's judgements, as the profile's are.
"""
from __future__ import annotations

import json
import logging
import re
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kdk import sprog
from kdk.fortolkning import BEDRE, DAARLIGERE, GRUPPE, LAND, vurder
from kdk.marts.findings import ADVARSEL, Finding, IngestError, Report
from kdk.sprog import gettext

DIAGRAMMER = {"udvikling": "Udvikling over tid mod gruppe, region og land",
              "placering": "Placering blandt alle kommuner",
              "sammenligning": "Kommunen, gruppen, regionen og landet side om side"}
PLADSHOLDERE = {"kommune", "titel", "værdi", "enhed", "periode", "gruppe", "region", "land", "rang", "antal",
                "retning", "vurdering"}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ENGELSKE_FELTER = {"tema": ("titel", "introduktion"), "afsnit": ("titel", "tekst", "skabelon")}  # each + "_en"
DANSK_SKABELON = "skabelon_dansk"   # set by `paa_sprog` on a section shown with its Danish template (no English)

log = logging.getLogger(__name__)


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
    problems += _template_problems(name, text, section.get("skabelon", ""), "skabelonen")
    if "skabelon_en" in section:
        problems += _template_problems(name, text, section["skabelon_en"], "den engelske skabelon")
    return problems


def _template_problems(name: str, text: str, template, which: str) -> list[Problem]:
    """What is wrong with a section's `template` (`which`: "skabelonen" or "den engelske skabelon"): not text,
    broken braces, an unknown placeholder; each at its line in the file."""
    if not isinstance(template, str):
        return [Problem(name, 1, f"{which} skal være tekst")]
    start = text.find(template.split("\n")[0]) if template else -1
    where = _line(text, template.split("\n")[0]) if start >= 0 else 1
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError as exc:
        return [Problem(name, where, f"{which} kan ikke læses ({exc})")]
    def line_of(needle: str) -> int:
        index = text.find(needle, max(start, 0))
        return text.count("\n", 0, index) + 1 if index >= 0 else where
    return [Problem(name, line_of("{" + field), f"ukendt pladsholder «{{{field}}}» i {which}; "
                                                f"mulige: {', '.join(sorted(PLADSHOLDERE))}")
            for field in sorted(fields - PLADSHOLDERE)]


def mangler_engelsk(theme: dict) -> list[tuple[str | None, list[str]]]:
    """The English fields (ENGELSKE_FELTER) a valid theme lacks: (None for the theme itself, else the section's
    title; the missing fields), for each place that lacks any."""
    def missing(part: dict, fields: tuple[str, ...]) -> list[str]:
        wanted = [f for f in fields if isinstance(part.get(f), str) and part[f].strip()]
        return [f"{f}_en" for f in wanted if not (isinstance(part.get(f"{f}_en"), str) and part[f"{f}_en"].strip())]
    places = [(None, missing(theme, ENGELSKE_FELTER["tema"]))]
    places += [(section["titel"], missing(section, ENGELSKE_FELTER["afsnit"])) for section in theme["afsnit"]]
    return [(where, fields) for where, fields in places if fields]


def _english_warnings(name: str, text: str, theme: dict) -> list[Finding]:
    """A build warning for each place of the theme that lacks an English text, naming the fields."""
    found = []
    for where, fields in mangler_engelsk(theme):
        place = f"afsnittet «{where}»: " if where else ""
        line = _line(text, f'"{where}"') if where else 1
        found.append(Finding(name, line, None, "tema_engelsk", ADVARSEL,
                             f"temaet mangler engelsk tekst: {place}{', '.join(fields)}"))
        log.warning("theme %s lacks English text%s: %s", name, f" in section {where!r}" if where else "",
                    ", ".join(fields))
    return found


def load_all(folder: Path, figure_ids: set[str], report: Report | None = None) -> pd.DataFrame:
    """Every theme file in `folder`, validated; raises IngestError naming file and line for any problem, and adds a
    warning to `report` for each missing English text."""
    rows, problems = [], []
    for n, path in enumerate(sorted(folder.glob("*.toml")), start=1):
        theme, found = validate(path, figure_ids)
        problems += found
        if theme and not found:
            if report is not None:
                report.add(*_english_warnings(path.name, path.read_text(encoding="utf-8"), theme))
            rows.append({"slug": theme["slug"], "titel": theme["titel"], "fil": path.name,
                         "raekkefoelge": theme.get("raekkefoelge", n),
                         "definition": json.dumps(theme, ensure_ascii=False, sort_keys=True)})
    slugs = [r["slug"] for r in rows]
    problems += [Problem(r["fil"], 1, f"slug «{r['slug']}» bruges af flere temaer") for r in rows
                 if slugs.count(r["slug"]) > 1]
    if problems:
        raise IngestError("Temaerne er ugyldige:\n" + "\n".join(str(p) for p in problems))
    return pd.DataFrame(rows, columns=["slug", "titel", "fil", "raekkefoelge", "definition"])


def paa_sprog(theme: dict) -> dict:
    """The theme's texts in the active language: a copy whose titel, introduktion and sections' titel, tekst and
    skabelon are the English ones on an English page (kdk.sprog.katalogtekst: the Danish with MANGLER where one
    is missing). A section without an English template keeps its Danish one, marked DANSK_SKABELON, to be filled
    in Danish (`fill` cannot mix the languages)."""
    def texts(part: dict, fields: tuple[str, ...]) -> dict:
        return {**part, **{f: sprog.katalogtekst(part.get(f), part.get(f"{f}_en")) for f in fields if f in part}}
    shown = texts(theme, ENGELSKE_FELTER["tema"])
    shown["afsnit"] = [texts(section, ("titel", "tekst")) for section in theme["afsnit"]]
    if sprog.er_engelsk():
        for section in shown["afsnit"]:
            if section.get("skabelon_en"):
                section["skabelon"] = section["skabelon_en"]
            else:
                section[DANSK_SKABELON] = True
    return shown


def fill(template: str, values: dict) -> str:
    """The template with its placeholders filled (values already formatted as text in the template's language); the
    unit "%" (English) follows its value without a space, as kdk.format writes it: `2.4%`."""
    if values.get("enhed") == "%":
        template = template.replace("{værdi} {enhed}", "{værdi}{enhed}")
    return template.format_map({k: values.get(k, "–") for k in PLADSHOLDERE})


def sammenlign(row: dict) -> tuple[str, str]:
    """({retning}, {vurdering}) for a profile row's value against its comparison group (kdk.fortolkning.vurder), in
    the active language."""
    judged = vurder(row, row["vaerdi"], row.get("gruppe_vaerdi"), GRUPPE, row.get("spredning"))
    retning = judged.tekst or "–"
    return retning, {BEDRE: gettext("bedre end"), DAARLIGERE: gettext("dårligere end")}.get(judged.dom, retning)


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
