"""The key-figure catalogue in English, as an English reader meets it over HTTP: the catalogue, a key figure's page
and the data status at /en/… show the catalogue's English titles, definitions, units, data areas and sources; a
catalogue that lacks an English text still builds, with a warning naming the figure and the field, and the English
page shows the Danish text marked [da]; the Danish pages stay Danish."""
from __future__ import annotations

import dataclasses
import re

import pytest

from kdk.config import PROJECT_DIR, settings
from kdk.marts.build import build
from tests.dash_http import render

TAETHED_EN = 'titel_en = "Population density"\n'


def test_the_english_catalogue_lists_english_titles_units_and_areas(client, app):
    page = render(client, app, "/en/noegletal")
    for english in ("Population density", "inhabitants per km²", "Population and structure",
                    "Registered unemployment, monthly (Jobindsats)", "% of the labour force", "Key figures",
                    "Search title and definition", "Real data only"):
        assert english in page, english
    for danish in ("Befolkningstæthed", "indb. pr. km²", "Befolkning og struktur", "Søg i titel og definition"):
        assert danish not in page, danish
    assert "[da]" not in page
    assert '"title": "Key figures – Kend din kommune"' in page


def test_an_english_key_figure_page_gives_its_definition_numerator_and_unit_in_english(client, app):
    page = render(client, app, "/en/noegletal/befolkning.taethed")
    assert "Number of inhabitants per km² of the municipality's area" in page
    assert "Number of inhabitants on 1 January" in page          # the numerator
    assert "About the key figure" in page and "Numerator" in page
    assert "Befolkningstæthed" not in page and "Antal indbyggere" not in page
    share = render(client, app, "/en/noegletal/befolkning.udvikling_5aar")
    assert "Population change, 5 years" in share and "pct." not in share
    assert "All of Denmark" in share   # the level table's first row


def test_an_english_unit_of_a_share_follows_the_number_as_english_writes_it(client, app):
    page = render(client, app, "/en/noegletal/beskaeftigelse.ledighed")
    assert re.search(r"\d% of the labour force \(", page)   # the lowest and highest municipality
    assert not re.search(r"\d % of the labour force \(", page)


def test_the_english_data_status_names_areas_and_sources_in_english(client, app):
    page = render(client, app, "/en/datastatus")
    assert '"title": "Data status – Kend din kommune"' in page
    for english in ("Can we trust the figures?", "Sources of real data", "Statistics Denmark",
                    "Population and structure", "Official statistics, reproduced with attribution",
                    "Real and generated figures"):
        assert english in page, english
    assert "If a load changes more than 1% of a key figure's published figures" in page
    assert "Suppression audited:" in page
    assert "Data built from the included sources and generated demo data" in page   # the build's release
    for danish in ("Kan vi stole på tallene?", "Kilder til rigtige data", "Offentlig statistik, gengivet med",
                   "Ændrer en indlæsning", "Diskretionering revideret", "Data bygget fra"):
        assert danish not in page, danish


def test_the_danish_catalogue_is_unchanged(client, app):
    page = render(client, app, "/noegletal")
    assert "Befolkningstæthed" in page and "indb. pr. km²" in page and "Befolkning og struktur" in page
    assert "Population density" not in page and "[da]" not in page


@pytest.fixture(scope="module")
def uden_engelsk_titel(tmp_path_factory):
    """Marts built from a copy of the shipped data whose catalogue lacks befolkning.taethed's English title."""
    folder = tmp_path_factory.mktemp("uden-engelsk")
    data = folder / "data"
    data.mkdir()
    for name in ("kilder", "temaer", "sammenligningsgrupper.toml"):
        (data / name).symlink_to(PROJECT_DIR / "data" / name)
    text = (PROJECT_DIR / "data" / "noegletal.toml").read_text(encoding="utf-8")
    assert text.count(TAETHED_EN) == 1
    (data / "noegletal.toml").write_text(text.replace(TAETHED_EN, ""), encoding="utf-8")
    st = dataclasses.replace(settings(), data_dir=data, marts_path=folder / "kdk.duckdb", themes_dir=data / "temaer")
    return st, build(st)


def test_a_missing_english_title_is_a_build_warning_naming_figure_and_field(uden_engelsk_titel):
    _, result = uden_engelsk_titel
    english = [f for f in result.report.advarsler if f.regel == "engelsk"]
    assert [(f.noegletal_id, f.kolonne) for f in english] == [("befolkning.taethed", "titel_en")]
    assert "befolkning.taethed" in english[0].besked and "titel_en" in english[0].besked
    assert not result.report.fejl


def test_the_english_page_shows_a_missing_title_in_danish_marked(uden_engelsk_titel, client, app, monkeypatch):
    st, _ = uden_engelsk_titel
    monkeypatch.setenv("KDK_MARTS", str(st.marts_path))
    page = render(client, app, "/en/noegletal/befolkning.taethed")
    assert "Befolkningstæthed [da]" in page
    assert "Number of inhabitants per km² of the municipality's area" in page   # the other fields stay English
    assert "Befolkningstæthed [da]" in render(client, app, "/en/noegletal")
    danish = render(client, app, "/noegletal/befolkning.taethed")
    assert "Befolkningstæthed" in danish and "[da]" not in danish
