"""A release staged with `--embargo-til` is invisible until its time, and then visible without a restart.

Played as an outsider would: the publication team stages a release that revises a structural variable of the
comparison groups for a published year (befolkning.socio_indeks 2025, København 2,22) and adds a year that exists
nowhere else (handicap.udgift 2026, so the handicap area gets comparison groups for 2026). Anonymous viewers and
readers must keep seeing the published numbers everywhere — pages, every year picker, the comparison page (groups,
the "why", the method), callbacks, the API and exports — and redaktion sees the staged ones. When the embargo
time passes, everyone sees them.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb
import pytest

from kdk.cli import main
from kdk.config import Settings, settings
from kdk.queries import scope as scope_module
from tests.conftest import copy_of
from tests.dash_http import render
from tests.test_access_walk import become
from tests.test_auth import GOOD
from tests.test_ingest import all_98, wide_file

EMBARGO = "2099-01-10 08:00"
STAGED_INDEX = "2,22"


def _danish(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


# Pages whose content must not change for anyone who may not see the staged release.
UNCHANGED = [("/sammenligning", "?kommune=101&sammenligningsomraade=handicap"),
             ("/sammenligning", "?kommune=101&sammenligningsomraade=handicap&k=15"),
             ("/kommune/101", ""), ("/kommune/101", "?omraade=befolkning"), ("/kommune/101", "?omraade=handicap"),
             ("/noegletal/befolkning.socio_indeks", ""), ("/noegletal/handicap.udgift", ""), ("/", ""),
             ("/tema/rekruttering", "?kommune=101")]


@pytest.fixture
def staged(built, loaded_once, tmp_path, monkeypatch, client, app):
    """The marts with two releases staged; `staged.before` holds the pages' content as they were published."""
    from kdk.auth import users

    monkeypatch.setenv("KDK_MARTS", str(built.marts_path))
    before = {url: render(client, app, *url) for url in UNCHANGED}
    marts = copy_of(loaded_once("indeks-og-udgift-under-embargo", _stage_two_releases), tmp_path)
    monkeypatch.setenv("KDK_MARTS", str(marts.marts_path))
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    users.add("uden", GOOD, "laeser", "101")
    users.add("red", GOOD, "redaktion")
    return Staged(marts, before)


def _stage_two_releases(folder):
    """Stages the index revised for 2025 (København 2,22) and handicap.udgift for 2026 (3 % up), both under
    embargo."""
    with duckdb.connect(str(settings().marts_path.resolve()), read_only=True) as con:
        published = dict(con.execute("""SELECT omraade_kode, vaerdi FROM fct_noegletal WHERE noegletal_id =
            'handicap.udgift' AND periode = '2025' AND length(omraade_kode) = 3""").fetchall())
    index = all_98("1,00")
    index["101"] = STAGED_INDEX
    udgift = {k: _danish(v * 1.03, 0) for k, v in published.items() if v is not None}
    assert main(["ingest", str(wide_file(folder / "indeks.csv", index, years=("2025",))),
                 "--noegletal", "befolkning.socio_indeks", "--embargo-til", EMBARGO,
                 "--revision", "Indekset for 2025 er genberegnet"]) == 0
    assert main(["ingest", str(wide_file(folder / "udgift.csv", udgift, years=("2026",))),
                 "--noegletal", "handicap.udgift", "--embargo-til", EMBARGO]) == 0


@dataclass
class Staged:
    settings: Settings
    before: dict[tuple[str, str], str]


def _published_index(st) -> float:
    con = duckdb.connect(str(st.marts_path.resolve()), read_only=True)
    try:
        return con.execute("""SELECT vaerdi FROM fct_noegletal f JOIN release r USING (release_id)
            WHERE noegletal_id = 'befolkning.socio_indeks' AND periode = '2025' AND omraade_kode = '101'
            AND r.embargo_til IS NULL""").fetchone()[0]
    finally:
        con.close()


def _seen(client, app) -> dict:
    """What a viewer can fetch about the staged release."""
    api = client.get("/api/v1/data?noegletal=befolkning.socio_indeks&kommune=101&periode=2025&format=json")
    udgift = client.get("/api/v1/data?noegletal=handicap.udgift&kommune=101&format=json").get_json()["data"]
    comparison = render(client, app, "/sammenligning", "?kommune=101&sammenligningsomraade=handicap")
    return {
        "index": [r["vaerdi"] for r in api.get_json()["data"]],
        "udgift_2026": "2026" in {r["periode"] for r in udgift},
        "comparison_2026": client.get("/sammenligning?kommune=101&sammenligningsomraade=handicap&aar=2026").status_code,
        "comparison_page": comparison,
        "matrix_2026": client.get("/api/v1/sammenligning?sammenligningsomraade=handicap&aar=2026").status_code,
        "matrix_year": client.get("/api/v1/sammenligning?sammenligningsomraade=handicap&kommune=101&format=json")
                             .get_json()["aar"],
        "front_2026": client.get("/?noegletal=handicap.udgift&aar=2026").status_code,
        "profile_2026": client.get("/kommune/101?aar=2026").status_code,
        "years_on_profile": render(client, app, "/kommune/101"),
        "export": client.get("/api/v1/data?noegletal=befolkning.socio_indeks&kommune=alle&periode=2025"
                             "&format=csv").get_data(as_text=True),
    }


@pytest.mark.parametrize("persona", ["anonym", "laeser_uden"])
def test_a_staged_release_is_invisible_to_anyone_but_the_publication_team(persona, staged, client, app):
    become(client, persona)
    seen = _seen(client, app)
    assert seen["index"] == [pytest.approx(_published_index(staged.settings), abs=0.005)] and seen["index"] != [2.22]
    assert not seen["udgift_2026"]
    assert seen["comparison_2026"] == 400 and seen["front_2026"] == 400 and seen["profile_2026"] == 400
    assert seen["matrix_2026"] == 400 and seen["matrix_year"] == 2025   # the matrix's downloads too
    # The comparison page offers and defaults to published years only, and its "why" shows the published values.
    assert '"2026"' not in seen["comparison_page"] and "2026" not in json.loads(seen["comparison_page"]).__repr__()
    assert STAGED_INDEX not in seen["comparison_page"]
    assert '"2026"' not in seen["years_on_profile"]
    assert "2.22" not in seen["export"] and "2,22" not in seen["export"]
    for url, content in staged.before.items():
        assert render(client, app, *url) == content, url


def test_the_publication_team_sees_the_staged_release(staged, client, app):
    become(client, "redaktion")
    seen = _seen(client, app)
    assert seen["index"] == [2.22] and seen["udgift_2026"]
    assert seen["comparison_2026"] == 200 and seen["front_2026"] == 200
    assert seen["matrix_2026"] == 200 and seen["matrix_year"] == 2026
    assert render(client, app, *UNCHANGED[0]) != staged.before[UNCHANGED[0]]


def test_a_staged_release_is_public_at_its_time_without_a_restart(staged, client, app, monkeypatch):
    become(client, "anonym")
    assert not _seen(client, app)["udgift_2026"]
    after = dt.datetime.fromisoformat(EMBARGO) + dt.timedelta(minutes=1)
    monkeypatch.setattr(scope_module, "now", lambda: after)
    seen = _seen(client, app)
    assert seen["index"] == [2.22] and seen["udgift_2026"]
    assert seen["comparison_2026"] == 200 and seen["front_2026"] == 200
    assert render(client, app, *UNCHANGED[0]) != staged.before[UNCHANGED[0]]


def test_the_publication_page_lists_staged_releases_with_their_time(staged, client, app):
    become(client, "redaktion")
    page = render(client, app, "/publicering")
    assert "10.01.2099 kl. 08.00" in page


def test_a_public_release_cannot_overtake_a_staged_one(staged, tmp_path, capsys):
    before = staged.settings.marts_path.resolve().read_bytes()
    path = wide_file(tmp_path / "k.csv", all_98("7,7"))
    assert main(["ingest", str(path), "--noegletal", "skole.karakter"]) == 1
    assert "embargo" in capsys.readouterr().err
    assert staged.settings.marts_path.resolve().read_bytes() == before


@pytest.mark.parametrize("when", ["i morgen", "2099-13-01 08:00", "2020-01-01 08:00"])
def test_a_bad_embargo_time_is_refused_with_a_clear_message(when, fresh_marts, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    before = fresh_marts.marts_path.resolve()
    path = wide_file(tmp_path / "k.csv", all_98("7,7"))
    with pytest.raises(SystemExit) as stop:
        main(["ingest", str(path), "--noegletal", "skole.karakter", "--embargo-til", when])
    assert stop.value.code == 2
    assert "embargo" in capsys.readouterr().err
    assert fresh_marts.marts_path.resolve() == before


def test_a_build_can_be_staged_beside_the_published_marts(fresh_marts, monkeypatch, client, app):
    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    published = client.get("/api/v1/data?noegletal=befolkning.indbyggere&kommune=101&format=json").get_json()
    assert main(["build", "--embargo-til", EMBARGO]) == 0
    con = duckdb.connect(str(fresh_marts.marts_path.resolve()), read_only=True)
    releases = con.execute("SELECT loebenummer, embargo_til FROM release ORDER BY loebenummer").fetchall()
    con.close()
    assert releases[-1] == (2, dt.datetime(2099, 1, 10, 8, 0)) and releases[0][1] is None
    assert client.get("/api/v1/data?noegletal=befolkning.indbyggere&kommune=101&format=json").get_json() == published
