"""The publication page (the publication team's only) is the release workflow: choose a release, see its findings,
disclosure audit and what changed since the release before it, and build the databank bundle in the background for
download; the "Brug i Excel / Power BI" page gives a working address."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
import zipfile
from urllib.parse import urlparse

import duckdb
import pandas as pd
import pytest

from kdk.auth import audit, users
from kdk.cli import main
from kdk.queries import scope as scope_module
from tests.conftest import copy_of
from tests.dash_http import call, nodes, render, texts
from tests.test_admin import sign_in_with_code
from tests.test_auth import GOOD, sign_in
from tests.test_components import unknown
from tests.test_ingest import all_98, wide_file

EMBARGO = "2099-01-10 08:00"


@pytest.fixture
def staged(loaded_once, tmp_path, monkeypatch, client):
    """The marts with a release staged under embargo that revises Københavns socioeconomic index for 2025 (to 2,22,
    every other municipality to 1,00), a redaktion user and a reader; the release ids, newest (the staged) first."""
    marts = copy_of(loaded_once("indeks-under-embargo", _stage_index), tmp_path)
    monkeypatch.setenv("KDK_MARTS", str(marts.marts_path))
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    monkeypatch.setenv("KDK_EKSPORT_DIR", str(tmp_path / "eksport"))
    users.add("red", GOOD, "redaktion")
    users.add("laes", GOOD, "laeser", "101")
    with duckdb.connect(str(marts.marts_path.resolve()), read_only=True) as con:
        return [r for (r,) in con.execute("SELECT release_id FROM release ORDER BY loebenummer DESC").fetchall()]


def _stage_index(folder):
    index = all_98("1,00")
    index["101"] = "2,22"
    assert main(["ingest", str(wide_file(folder / "indeks.csv", index, years=("2025",))),
                 "--noegletal", "befolkning.socio_indeks", "--embargo-til", EMBARGO,
                 "--revision", "Indekset for 2025 er genberegnet"]) == 0


def test_publication_page_is_hidden_from_anyone_but_the_publication_team(client, app, monkeypatch):
    monkeypatch.setenv("KDK_PUBLICERING", "1")   # the former escape hatch opens nothing
    assert client.get("/publicering").status_code == 404
    assert client.get("/eksport/kdk-release-x.zip").status_code == 404
    started = call(client, app, {"publicering-start.n_clicks": 1}, {"publicering-release.data": "x"})
    assert started.status_code == 204   # nothing starts


def test_a_reader_gets_404_for_the_page_and_any_release(staged, client, app):
    staged, _ = staged
    sign_in(client, "laes")
    assert client.get("/publicering").status_code == 404
    assert client.get(f"/publicering?release={staged}").status_code == 404
    assert staged not in render(client, app, "/publicering", f"?release={staged}")


def test_an_unknown_release_gets_a_danish_400(staged, client, app):
    sign_in_with_code(client, "red")
    response = client.get("/publicering?release=findes-ikke")
    assert response.status_code == 400
    assert "Der findes ingen release «findes-ikke»" in render(client, app, "/publicering", "?release=findes-ikke")


def test_the_chosen_release_shows_its_findings_disclosure_and_changes(staged, client, app):
    staged, published = staged
    sign_in_with_code(client, "red")
    assert client.get(f"/publicering?release={staged}").status_code == 200
    shown = render(client, app, "/publicering", f"?release={staged}")
    assert f"Release {staged} (nr. 2)" in shown
    assert "Validering" in shown and "Revideret: Indekset for 2025 er genberegnet." in shown
    assert "Diskretionering" in shown and "genererede demodata" in shown
    # The comparison with the release before it: København's revised value, old and new in Danish notation.
    first = render(client, app, "/publicering", f"?release={published}")
    assert "Sammenlignet med release" in shown and "København" in shown and "2,22" in shown
    assert "Det er den første release" in first and "2,22" not in first
    # The embargo form is made of components the browser's Dash renderer has.
    assert [problem for node in nodes(json.loads(shown)) for problem in unknown(node)] == []



def _checklist(client, app, search: str = "") -> dict[str, str]:
    """The page's checklist as its reader sees it: each item's label and its state ('Udført' or 'Mangler')."""
    found = {}

    def walk(node):
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            if node.get("type") == "Li" and "tjek" in node["props"].get("className", ""):
                state, label = texts(node)
                found[label] = state.split()[1].rstrip(":")
            walk(list(node.values()))

    walk(json.loads(render(client, app, "/publicering", search)))
    return found


def test_the_checklist_shows_what_is_done_for_the_chosen_release(staged, client, app, tmp_path):
    staged, published = staged
    sign_in_with_code(client, "red")
    assert _checklist(client, app, f"?release={staged}") == {
        "Validering uden fejl": "Udført", "Diskretionering kørt": "Udført", "Embargotidspunkt sat": "Udført",
        "Databank-bundt bygget": "Mangler", "Publikationens PDF'er bygget": "Mangler"}
    assert _checklist(client, app, f"?release={published}")["Embargotidspunkt sat"] == "Mangler"
    (tmp_path / "eksport").mkdir()
    (tmp_path / "eksport" / f"kdk-publikation-{staged}-samlet.pdf").write_bytes(b"%PDF-1.7")
    assert _checklist(client, app, f"?release={staged}")["Publikationens PDF'er bygget"] == "Udført"


def _form_token(client, app, release: str) -> str:
    """The CSRF token the page's embargo form carries."""
    shown = json.loads(render(client, app, "/publicering", f"?release={release}"))
    found = re.search(r'"name": "csrf_token", "value": "([^"]+)"', json.dumps(shown))
    return found[1]


def _index_for_anonymous(app) -> str:
    anonymous = app.server.test_client()
    rows = anonymous.get("/api/v1/data?noegletal=befolkning.socio_indeks&kommune=101&periode=2025&format=json")
    return json.dumps(rows.get_json()["data"])


def test_changing_the_embargo_is_audited_and_rules_what_anonymous_viewers_see(staged, client, app, monkeypatch):
    staged, _ = staged
    sign_in_with_code(client, "red")
    soon = scope_module.now() + dt.timedelta(hours=1)
    assert "2.22" not in _index_for_anonymous(app)
    changed = client.post("/publicering/embargo", data={
        "release": staged, "dato": f"{soon:%d.%m.%Y}", "tid": f"{soon:%H.%M}",
        "csrf_token": _form_token(client, app, staged)})
    assert changed.status_code == 303 and changed.headers["Location"] == f"/publicering?release={staged}"
    assert f"Under embargo til {soon:%d.%m.%Y kl. %H.%M}" in render(client, app, "/publicering", f"?release={staged}")
    logged = audit.entries(handling="embargo_aendret")
    assert logged["detaljer"].tolist() == [f"release {staged}: 10.01.2099 kl. 08.00 → {soon:%d.%m.%Y kl. %H.%M}"]
    assert "2.22" not in _index_for_anonymous(app)
    # An hour and a minute later the release is public: the time 2099 it had would have kept it hidden.
    monkeypatch.setattr(scope_module, "now", lambda: soon + dt.timedelta(minutes=1))
    assert "2.22" in _index_for_anonymous(app)


def test_an_embargo_change_is_refused_with_a_danish_reason(staged, client, app):
    staged, published = staged
    anonymous = app.server.test_client()
    assert anonymous.post("/publicering/embargo", data={"release": staged}).status_code == 404
    sign_in_with_code(client, "red")
    token = _form_token(client, app, staged)
    form = {"release": staged, "dato": "01.02.2099", "tid": "09.00"}
    assert client.post("/publicering/embargo", data=form).status_code == 400   # no CSRF token
    past = client.post("/publicering/embargo", data={**form, "dato": "01.01.2020", "csrf_token": token})
    assert past.status_code == 400 and "01.01.2020 kl. 09.00 er allerede passeret" in past.get_data(as_text=True)
    bad = client.post("/publicering/embargo", data={**form, "tid": "25:99", "csrf_token": token})
    assert bad.status_code == 400 and "Angiv embargotidspunktet" in bad.get_data(as_text=True)
    done = client.post("/publicering/embargo", data={**form, "release": published, "csrf_token": token})
    assert done.status_code == 409 and "allerede offentliggjort" in done.get_data(as_text=True)
    assert audit.count(handling="embargo_aendret") == 0
    assert "10.01.2099 kl. 08.00" in render(client, app, "/publicering", f"?release={staged}")


def test_publication_builds_the_bundle_in_the_background(client, app, monkeypatch, tmp_path, con):
    monkeypatch.setenv("KDK_EKSPORT_DIR", str(tmp_path))
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    users.add("red", GOOD, "redaktion")
    sign_in_with_code(client, "red")
    release = con.execute("SELECT release_id FROM release ORDER BY loebenummer DESC").fetchone()[0]
    assert client.get("/publicering").status_code == 200
    assert release in render(client, app, "/publicering")
    assert _checklist(client, app)["Databank-bundt bygget"] == "Mangler"
    state = {"publicering-release.data": release}
    started = call(client, app, {"publicering-start.n_clicks": 1}, state)
    assert "Eksporten er startet" in started.get_data(as_text=True)
    deadline = time.monotonic() + 120
    while True:   # a wait for the background job, not a timing assertion
        shown = json.dumps(call(client, app, {"publicering-interval.n_intervals": 1}, state).get_json(),
                           ensure_ascii=False)
        if "/eksport/" in shown or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert f"/eksport/kdk-release-{release}.zip" in shown and "(100 pct.)" in shown and "%" not in shown
    download = client.get(f"/eksport/kdk-release-{release}.zip")
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert "manifest.json" in names and "noegletal.csv" in names and any(n.startswith("px/") for n in names)
    assert _checklist(client, app)["Databank-bundt bygget"] == "Udført"


def test_excel_page_gives_an_address_that_returns_the_data(client, app):
    response = call(client, app, {"excel-noegletal.value": ["skole.karakter", "beskaeftigelse.ledighed"],
                                  "excel-kommune.value": ["101", "000"], "excel-periode.value": "2024"})
    url = response.get_json()["response"]["excel-url"]["children"]
    assert url.endswith("/api/v1/data?noegletal=skole.karakter,beskaeftigelse.ledighed&kommune=101,000&periode=2024")
    parsed = urlparse(url)
    data = client.get(f"{parsed.path}?{parsed.query}")
    df = pd.read_csv(io.BytesIO(data.data), sep=";", decimal=",", dtype={"OMRAADE": str})
    assert len(df) == 4 and set(df["OMRAADE"]) == {"000", "101"}
    empty = call(client, app, {"excel-noegletal.value": [], "excel-kommune.value": [], "excel-periode.value": None})
    assert empty.get_json()["response"]["excel-url"]["children"] == "Vælg mindst ét nøgletal."


def test_publishing_a_release_that_is_not_the_newest_is_refused_naming_the_newest(staged, client, app, tmp_path,
                                                                                    capsys):
    """The PDFs are the pages printed, and a page shows the newest release: an older one is refused with the reason
    and the newest release's id, by the command line (exit 1), by the page before one clicks (the button disabled),
    and by a start asked for anyway (400)."""
    newest, older = staged
    reason = f"Release {older} kan ikke udgives som PDF, fordi den ikke er den nyeste: det er {newest}."
    out = tmp_path / "pdf"
    assert main(["publikation", "--release", older, "--tema", "rekruttering", "--out", str(out)]) == 1
    assert reason in capsys.readouterr().err
    assert not out.exists()

    sign_in_with_code(client, "red")
    assert client.get(f"/publicering?release={older}").status_code == 200   # the release's other work goes on
    page = json.loads(render(client, app, "/publicering", f"?release={older}"))
    [button] = [n for n in nodes(page) if n.get("props", {}).get("id") == "publikation-start"]
    assert button["props"]["disabled"] is True
    assert reason in json.dumps(page, ensure_ascii=False)
    [button] = [n for n in nodes(json.loads(render(client, app, "/publicering")))
                if n.get("props", {}).get("id") == "publikation-start"]
    assert not button["props"].get("disabled")   # the newest release's button
    started = call(client, app, {"publikation-start.n_clicks": 1},
                   {"publikation-release.data": older, "publikation-tema.value": "rekruttering"})
    assert started.status_code == 400 and reason in json.dumps(started.get_json(), ensure_ascii=False)
    assert audit.count(handling="publikation_startet") == 0
    shown = call(client, app, {"publikation-interval.n_intervals": 1, "publikation-tema.value": "rekruttering"},
                 {"publikation-release.data": older})
    assert reason in json.dumps(shown.get_json(), ensure_ascii=False)   # also on a page opened before
