"""The publication page (the publication team's only) builds the databank bundle in the background and offers it for
download; the "Brug i Excel / Power BI" page gives a working address."""
from __future__ import annotations

import io
import json
import time
import zipfile
from urllib.parse import urlparse

import pandas as pd

from kdk.auth import users
from tests.dash_http import call, render
from tests.test_admin import sign_in_with_code
from tests.test_auth import GOOD


def test_publication_page_is_hidden_from_anyone_but_the_publication_team(client, app, monkeypatch):
    monkeypatch.setenv("KDK_PUBLICERING", "1")   # the former escape hatch opens nothing
    assert client.get("/publicering").status_code == 404
    assert client.get("/eksport/kdk-release-x.zip").status_code == 404
    started = call(client, app, {"publicering-start.n_clicks": 1}, {"publicering-release.data": "x"})
    assert started.status_code == 204   # nothing starts


def test_publication_builds_the_bundle_in_the_background(client, app, monkeypatch, tmp_path, con):
    monkeypatch.setenv("KDK_EKSPORT_DIR", str(tmp_path))
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    users.add("red", GOOD, "redaktion")
    sign_in_with_code(client, "red")
    release = con.execute("SELECT release_id FROM release ORDER BY loebenummer DESC").fetchone()[0]
    assert client.get("/publicering").status_code == 200
    assert release in render(client, app, "/publicering")
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
    assert f"/eksport/kdk-release-{release}.zip" in shown and "100 %" in shown
    download = client.get(f"/eksport/kdk-release-{release}.zip")
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert "manifest.json" in names and "noegletal.csv" in names and any(n.startswith("px/") for n in names)


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
