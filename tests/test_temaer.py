"""Themes: validated at build time with file and line, a new file makes a new page, pages over HTTP."""
from __future__ import annotations

import dataclasses
import json
import re
import shutil
import tomllib

import pytest

from kdk import temaer
from kdk.auth import users
from kdk.config import PROJECT_DIR
from kdk.marts.build import build
from kdk.marts.findings import IngestError
from tests.conftest import fingerprint, settings_in
from tests.dash_http import find, find_figure, nodes, render
from tests.test_auth import GOOD as PASSWORD
from tests.test_auth import sign_in

THEMES = PROJECT_DIR / "data" / "temaer"
IDS = {"ubu.anbragte", "befolkning.andel_65plus", "skole.karakter"}

GOOD = '''slug = "proeve"
titel = "Prøvetema"
introduktion = "Et tema til prøve."

[[afsnit]]
titel = "Skolen"
noegletal = ["skole.karakter"]
diagram = "udvikling"
skabelon = "{kommune} har {værdi} i {periode}, {vurdering} de sammenlignelige ({gruppe})."
'''


def write(tmp_path, text: str, name: str = "proeve.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_themes_are_valid():
    frame = temaer.load_all(THEMES, _catalogue_ids())
    assert {"rekruttering", "boern-og-unge"} <= set(frame["slug"])


def _catalogue_ids() -> set[str]:
    import tomllib

    return {e["id"] for e in tomllib.loads((PROJECT_DIR / "data" / "noegletal.toml").read_text())["noegletal"]}


@pytest.mark.parametrize("change, line, message", [
    (('"skole.karakter"]', '"skole.karakterr"]'), 7, "ukendt nøgletal «skole.karakterr»"),
    (("{gruppe}", "{gruppen}"), 9, "ukendt pladsholder «{gruppen}»"),
    (("{periode}", "{periode"), 9, "skabelonen kan ikke læses"),
    (('"udvikling"', '"lagkage"'), 8, "ukendt diagramtype «lagkage»"),
    (('slug = "proeve"', 'slug = "Prøve tema"'), 1, "slug «Prøve tema»"),
])
def test_a_broken_theme_is_a_clear_error_naming_file_and_line(tmp_path, change, line, message):
    write(tmp_path, GOOD.replace(*change))
    with pytest.raises(IngestError) as exc:
        temaer.load_all(tmp_path, IDS)
    assert f"proeve.toml, linje {line}: {message}" in str(exc.value)


def test_invalid_toml_names_the_line(tmp_path):
    write(tmp_path, GOOD.replace('titel = "Skolen"', 'titel = "Skolen'))
    with pytest.raises(IngestError, match=r"proeve\.toml, linje 6: filen er ikke gyldig TOML"):
        temaer.load_all(tmp_path, IDS)


def test_a_broken_theme_stops_the_build_and_leaves_the_marts(fresh_marts, tmp_path):
    folder = tmp_path / "temaer"
    shutil.copytree(THEMES, folder)
    write(folder, GOOD.replace('"skole.karakter"]', '"skole.nope"]'))
    before = fingerprint(fresh_marts)
    with pytest.raises(IngestError, match="ukendt nøgletal «skole.nope»"):
        build(dataclasses.replace(fresh_marts, themes_dir=folder))
    assert fingerprint(fresh_marts) == before


def test_adding_a_theme_file_makes_a_new_theme_page(tmp_path, monkeypatch, app, client):
    folder = tmp_path / "temaer"
    shutil.copytree(THEMES, folder)
    write(folder, GOOD)                                   # a data file only, no code
    settings = dataclasses.replace(settings_in(tmp_path), themes_dir=folder)
    build(settings)
    monkeypatch.setenv("KDK_MARTS", str(settings.marts_path))
    assert client.get("/tema/proeve?kommune=461").status_code == 200
    page = render(client, app, "/tema/proeve", "?kommune=461")
    assert "Prøvetema: Odense" in page and "Karaktergennemsnit" in page
    assert "Odense har " in page and "de sammenlignelige (" in page
    assert "Prøvetema" in render(client, app, "/temaer")


@pytest.mark.parametrize("url, status", [
    ("/temaer", 200), ("/tema/rekruttering", 200), ("/tema/rekruttering?kommune=101", 200),
    ("/tema/boern-og-unge?kommune=825", 200), ("/tema/findes-ikke", 404), ("/tema/rekruttering?kommune=999", 400),
])
def test_theme_page_status(client, url, status):
    assert client.get(url).status_code == status


def test_recruitment_theme_for_a_municipality(client, app):
    page = json.loads(render(client, app, "/tema/rekruttering", "?kommune=101"))
    text = json.dumps(page, ensure_ascii=False)
    assert "Rekruttering: København" in text
    assert "at være opmærksom på" in text
    assert "Andel 65+-årige" in text and "Sammenlignelige (gns.)" in text and "Hele landet" in text
    assert "lukkede data" not in text                     # nothing of the theme is hidden: no notice
    assert find_figure(page)["layout"]["separators"] == ",."


def test_an_anonymous_reader_sees_every_personnel_figure_of_the_recruitment_theme(client, app):
    """The theme is KL's public publication: each Personale figure is on the page with its sentence and numbers,
    and its values come through the API (which is also each chart's download) without signing in."""
    theme = tomllib.loads((THEMES / "rekruttering.toml").read_text(encoding="utf-8"))
    personnel = [fid for section in theme["afsnit"] for fid in section["noegletal"] if fid.startswith("personale.")]
    assert len(personnel) == 11
    page = json.loads(render(client, app, "/tema/rekruttering", "?kommune=101"))
    for fid in personnel:
        row = find(page, lambda d, fid=fid: d.get("id") == f"tema-{fid}")
        sentence = find(row, lambda d: d.get("className") == "saetning")["children"]
        assert re.search(r"\d", sentence), (fid, sentence)
        data = client.get(f"/api/v1/data?noegletal={fid}&kommune=101&format=json")
        assert data.status_code == 200, fid
        assert any(r["vaerdi"] is not None for r in data.get_json()["data"]), fid


@pytest.mark.parametrize("reader", ["anonym", "laeser_uden"])
def test_children_at_risk_stay_hidden_from_readers_without_the_area(reader, client, app, userdb):
    """Udsatte børn og unge stays restricted: on the theme it is counted in a notice that says whom to ask,
    never shown, and the API does not know it."""
    if reader == "laeser_uden":
        users.add("uden", PASSWORD, "laeser", "101")
        sign_in(client, "uden")
    text = render(client, app, "/tema/boern-og-unge", "?kommune=101")
    assert "ubu." not in text and "Anbragte" not in text
    assert "3 nøgletal i temaet er lukkede data" in text and "kommuneadministrator" in text
    assert "FLIS" not in text
    data = client.get("/api/v1/data?noegletal=ubu.anbragte&kommune=101&format=json")
    assert data.status_code == 400 and data.get_json()["fejl"].startswith("Ukendt nøgletal: ubu.anbragte")


def test_a_themes_trend_charts_draw_the_facts_of_the_municipality_and_the_country(client, app, con):
    page = json.loads(render(client, app, "/tema/rekruttering", "?kommune=101"))
    titles = dict(con.execute("SELECT titel, noegletal_id FROM dim_noegletal").fetchall())
    trends = {titles[n["props"]["figure"]["layout"]["title"]["text"]]: n["props"]["figure"]["data"]
              for n in nodes(page) if n["type"] == "Graph" and n["props"]["figure"]["data"][0]["type"] == "scatter"}
    assert len(trends) >= 2
    for fid, traces in trends.items():
        lines = {t["name"]: dict(zip(t["x"], t["y"])) for t in traces}
        for name, area in (("København", "101"), ("Hele landet", "000")):
            facts = con.execute("SELECT periode::INT, vaerdi FROM fct_noegletal WHERE noegletal_id = ? "
                                "AND omraade_kode = ? AND length(periode) = 4", [fid, area]).fetchall()
            assert lines[name] == pytest.approx(dict(facts)), (fid, name)


def _row(fid: str, retning: str, vaerdi: float, gruppe: float = 10.0, land: float = 10.0, **fields) -> dict:
    """A profile row in kr. with one decimal, where the municipalities' spread is 4 (threshold 1)."""
    return {"noegletal_id": fid, "titel": fid.upper(), "retning": retning, "enhed": "kr.", "decimaler": 1,
            "niveau_sammenlignes": True, "vaerdi": vaerdi, "gruppe_vaerdi": gruppe, "land_vaerdi": land,
            "spredning": 4.0, **fields}


def test_attention_list_takes_the_worst_against_the_group_by_direction_or_theme():
    rows = [
        _row("a", "ned", 12.0), _row("b", "op", 8.5),   # worse by 2 and 1,5
        _row("c", "op", 11.5),                          # better
        _row("d", "neutral", 13.0),                     # pressure (the theme says high is)
        _row("e", "neutral", 50.0),                     # not judged
        _row("f", "op", 9.5),                           # below the threshold (1): on level, neither
        _row("g", "op", 12.0, land=14.0),               # better than the group, worse than the country: neither
    ]
    theme = {"afsnit": [{"noegletal": ["d", "e"], "opmaerksom": {"d": "hoej"}}]}
    worse, better = temaer.opmaerksomhed(rows, theme)
    assert [r["noegletal_id"] for r in worse] == ["d", "a", "b"]
    assert [r["noegletal_id"] for r in better] == ["c"]
    assert worse[0]["vurdering"].forskel == "30 pct. højere"


@pytest.mark.parametrize("retning, value, group, expected", [
    ("op", 7.4, 7.1, ("0,3 point højere end", "bedre end")),
    ("ned", 7.4, 7.1, ("0,3 point højere end", "dårligere end")),
    ("neutral", 7.0, 7.1, ("0,1 point lavere end", "0,1 point lavere end")),
    ("op", 7.14, 7.1, ("på niveau med", "på niveau med")),
])
def test_direction_words(retning, value, group, expected):
    row = {"retning": retning, "enhed": "karakter", "decimaler": 1, "vaerdi": value, "gruppe_vaerdi": group,
           "spredning": 0.2}
    assert temaer.sammenlign(row) == expected


def test_a_theme_without_a_municipality_shows_hele_landet(client, app, con):
    """The publication's national part: each public figure's national value in its latest year, and a ranking of
    every municipality's value then."""
    page = json.loads(render(client, app, "/tema/rekruttering"))
    text = json.dumps(page, ensure_ascii=False)
    assert "Rekruttering: Hele landet" in text
    periode, vaerdi = con.execute("SELECT periode, vaerdi FROM fct_noegletal WHERE noegletal_id = 'befolkning."
                                  "andel_65plus' AND omraade_kode = '000' ORDER BY periode DESC LIMIT 1").fetchone()
    assert f"Hele landet: {vaerdi:.1f}".replace(".", ",") + f" pct. i {periode}" in text
    rankings = [n["props"]["figure"] for n in nodes(page)
                if n["type"] == "Graph" and n["props"]["figure"]["data"][0]["type"] == "bar"]
    assert rankings and max(len(f["data"][0]["x"]) for f in rankings) == 98   # all municipalities
