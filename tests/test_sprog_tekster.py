"""The generated sentences in English: judgements, comparison-group explanations and the themes' texts and templates,
over HTTP at /en/…; and the themes' English fields validated at build (missing: a warning; broken: an error)."""
from __future__ import annotations

import dataclasses
import json
import re
import shutil

import pytest

from kdk import temaer
from kdk.config import PROJECT_DIR
from kdk.marts import sammenligning
from kdk.marts.build import build
from kdk.marts.findings import IngestError, Report
from tests.conftest import settings_in
from tests.dash_http import find, found, render

THEMES = PROJECT_DIR / "data" / "temaer"
IDS = {"skole.karakter"}
DANISH_WORDS = re.compile(r"\b(højere|lavere|end|procentpoint|pct\.|kommuner|sammenlignelige|gennemsnit|ligner|"
                          r"bygger|på niveau)\b")

THEME = '''slug = "proeve"
titel = "Prøvetema"
titel_en = "Test theme"
introduktion = "Et tema til prøve."
introduktion_en = "A theme to test."

[[afsnit]]
titel = "Skolen"
titel_en = "School"
tekst = "Om skolen."
tekst_en = "About school."
noegletal = ["skole.karakter"]
diagram = "udvikling"
skabelon = "{kommune} har {værdi} i {periode}, {vurdering} de sammenlignelige ({gruppe})."
skabelon_en = "{kommune} has {værdi} in {periode}, {vurdering} comparable municipalities ({gruppe})."
'''


def _texts(tree) -> list[str]:
    """Every text a reader sees in a rendered tree: the strings among the components' children."""
    texts: list[str] = []
    for node in found(tree, lambda d: "children" in d):
        children = node["children"]
        texts += [c for c in (children if isinstance(children, list) else [children]) if isinstance(c, str)]
    return texts


def _sentences_with(texts: list[str], pattern: str) -> list[str]:
    return [t for t in texts if re.search(pattern, t)]


def test_a_judgement_on_the_english_profile_is_an_english_sentence_with_english_numbers(client, app):
    texts = _texts(json.loads(render(client, app, "/en/kommune/101")))
    group = _sentences_with(texts, r"comparable municipalities")
    assert group, texts[:40]
    assert all(not DANISH_WORDS.search(t) for t in group), group
    assert any(re.search(r"(higher|lower) than (all \d+|\d+ and)", t) for t in group), group
    judged = _sentences_with(texts, r"(higher|lower) than their average")
    assert judged and not [t for t in judged if re.search(r"\d,\d{1,2}\b|pct", t)], judged   # no Danish numbers
    assert any(re.search(r"\d\.\d percentage points? (higher|lower) than their average", t) for t in judged), judged
    place = _sentences_with(texts, r"^København (is among the|is in the middle)")
    assert place and all(not DANISH_WORDS.search(t) for t in place), place


def test_the_comparison_group_explanation_reads_in_english(client, app):
    page = json.loads(render(client, app, "/en/sammenligning", "?kommune=101&sammenligningsomraade=tvaergaaende"))
    texts = _texts(page)
    lead = _sentences_with(texts, r"^København (is most like|and \w+ are alike)")
    assert lead, texts[:40]
    data = _sentences_with(texts, r"^The groups for \d{4} are based on figures from \d{4}")
    assert data, texts[:40]
    headings = _sentences_with(texts, r"^The \d+ municipalities most like København: cross-cutting, \d{4}$")
    assert headings, texts[:40]
    for text in lead + data + headings:
        assert not DANISH_WORDS.search(text), text
    method = find(page, lambda d: d.get("children") == "How the groups are found")
    assert method


def test_the_recruitment_theme_in_english_has_english_titles_and_filled_english_templates(client, app):
    page = json.loads(render(client, app, "/en/tema/rekruttering", "?kommune=101"))
    texts = _texts(page)
    assert "Sickness absence" in texts and "The demographic pressure" in texts
    assert any(t.startswith("Recruitment: København") for t in texts), texts[:10]
    sentence = find(page, lambda d: d.get("id") == "tema-personale.sygefravaer_dage")
    filled = find(sentence, lambda d: d.get("className") == "saetning")["children"]
    assert filled.startswith("København has sickness absence of "), filled
    assert re.search(r"(better than|worse than|in line with) the average for comparable municipalities \(\d+\.\d ",
                     filled), filled
    assert not DANISH_WORDS.search(filled) and "[da]" not in filled


def test_a_theme_missing_an_english_field_builds_with_a_warning_and_shows_the_danish_marked(tmp_path, monkeypatch,
                                                                                            app, client):
    folder = tmp_path / "temaer"
    shutil.copytree(THEMES, folder)
    (folder / "proeve.toml").write_text(THEME.replace('tekst_en = "About school."\n', ""), encoding="utf-8")
    report = Report()
    temaer.load_all(folder, IDS | _catalogue_ids(), report)
    assert [f.besked for f in report.advarsler if f.fil == "proeve.toml"] == [
        "temaet mangler engelsk tekst: afsnittet «Skolen»: tekst_en"]
    settings = dataclasses.replace(settings_in(tmp_path), themes_dir=folder)
    result = build(settings)
    assert any("tekst_en" in f.besked and f.fil == "proeve.toml" for f in result.report.advarsler)
    monkeypatch.setenv("KDK_MARTS", str(settings.marts_path))
    texts = _texts(json.loads(render(client, app, "/en/tema/proeve", "?kommune=461")))
    assert "Om skolen. [da]" in texts
    assert "School" in texts and "Test theme: Odense" in texts
    assert any(t.startswith("Odense has ") for t in texts)


def test_a_broken_english_template_stops_the_build_naming_file_and_line(tmp_path):
    (tmp_path / "proeve.toml").write_text(THEME.replace("in {periode}", "in {periode"), encoding="utf-8")
    with pytest.raises(IngestError, match=r"proeve\.toml, linje 15: den engelske skabelon kan ikke læses"):
        temaer.load_all(tmp_path, IDS)
    (tmp_path / "proeve.toml").write_text(THEME.replace("municipalities ({gruppe})", "municipalities ({grupe})"),
                                          encoding="utf-8")
    with pytest.raises(IngestError, match=r"proeve\.toml, linje 15: ukendt pladsholder «\{grupe\}» i den engelske"):
        temaer.load_all(tmp_path, IDS)


def _catalogue_ids() -> set[str]:
    import tomllib

    return {e["id"] for e in tomllib.loads((PROJECT_DIR / "data" / "noegletal.toml").read_text())["noegletal"]}


def test_an_english_template_writes_a_percentage_as_english_does():
    """The English catalogue's unit "%" follows its number without a space (2.4%), also in a theme's template."""
    template = "{titel}: {værdi} {enhed} in {periode}."
    assert temaer.fill(template, {"titel": "Part-time", "værdi": "2.4", "enhed": "%", "periode": "2025"}) == \
        "Part-time: 2.4% in 2025."
    assert temaer.fill(template, {"titel": "Deltid", "værdi": "2,4", "enhed": "pct.", "periode": "2025"}) == \
        "Deltid: 2,4 pct. in 2025."


def test_a_comparison_area_missing_its_english_name_is_a_build_warning(tmp_path):
    text = (PROJECT_DIR / "data" / "sammenligningsgrupper.toml").read_text(encoding="utf-8")
    path = tmp_path / "sammenligningsgrupper.toml"
    path.write_text(text.replace('navn_en = "School"\n', ""), encoding="utf-8")
    report = Report()
    definition = sammenligning.load_definition(path, report)
    line = text[:text.index('kode = "skole"')].count("\n") + 1
    assert [(f.fil, f.linje, f.besked) for f in report.advarsler] == [
        ("sammenligningsgrupper.toml", line, "sammenligningsområdet «skole» mangler engelsk tekst: navn_en")]
    assert definition[definition["sammenligningsomraade"] == "skole"]["navn_en"].isna().all()
