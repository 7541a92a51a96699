"""Errors, sign-in, administration, follow mode and embeds in English (issue 24), over HTTP as a visitor, a signed-in
administrator or a follower sees them: under /en every such page and message is English, its links and redirects
stay under /en, and the Danish ones are unchanged."""
from __future__ import annotations

import re

import pytest

from kdk.auth import kodegaet, users
from tests.dash_http import call, render
from tests.test_admin import sign_in_with_code
from tests.test_auth import GOOD, csrf, sign_in
from tests.test_foelg import report, start_session


@pytest.fixture(autouse=True)
def no_guesses_yet(monkeypatch):
    """Each test starts with no follow-code guesses counted (they are kept in the worker's memory)."""
    monkeypatch.setattr(kodegaet, "GAET", kodegaet.Gaet())


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_sign_in_page_and_a_failed_sign_in_are_english(client, userdb):
    page = text(client.get("/en/login"))
    assert '<html lang="en">' in page and "<h1>Sign in</h1>" in page
    assert "Username" in page and "Password" in page and "Brugernavn" not in page
    assert 'href="/en/"' in page   # the way back to the front page stays in English
    assert '<a class="nav-link sprogskift" href="/login" hreflang="da"' in page
    assert 'href="/en/login?next=/kommune/101" hreflang="en"' in text(client.get("/login?next=/kommune/101"))
    users.add("laeser", GOOD, "laeser", "101")
    failed = client.post("/en/login", data={"username": "laeser", "password": "forkert-kodeord",
                                            "csrf_token": csrf(client, "/en/login")})
    assert failed.status_code == 401 and "Incorrect username or password." in text(failed)
    assert "Forkert brugernavn eller adgangskode." in text(sign_in(client, "laeser", "forkert-kodeord"))


def test_a_sign_in_under_en_returns_to_the_english_page(client, userdb):
    users.add("laeser", GOOD, "laeser", "101")
    answer = client.post("/en/login?next=/kommune/101", data={"username": "laeser", "password": GOOD,
                                                              "csrf_token": csrf(client, "/en/login")})
    assert answer.status_code == 302 and answer.headers["Location"] == "/en/kommune/101"
    assert client.get("/en/konto/tokens").status_code == 200
    assert client.get("/en/admin/brugere").status_code == 403
    client.post("/logout", data={"csrf_token": csrf(client, "/konto/tokens")})
    refused = client.get("/en/konto/tokens")
    assert refused.status_code == 302 and refused.headers["Location"] == "/en/login?next=/konto/tokens"


def test_the_user_administration_is_english_for_an_administrator(kbh_admin):
    page = text(kbh_admin.get("/en/admin/brugere"))
    assert '<html lang="en">' in page and "<h1>Users</h1>" in page
    assert 'href="/en/admin/brugere/ny"' in page and "Create user" in page and "Opret bruger" not in page
    one = text(kbh_admin.get("/en/admin/brugere/kbh-laeser"))
    assert "<h1>User kbh-laeser</h1>" in one and "Second factor" in one and "Anden faktor" not in one
    bad = kbh_admin.get("/en/admin/brugere?side=x")
    assert bad.status_code == 400 and "The page number must be a whole number from 1." in text(bad)
    assert "Brugere" in text(kbh_admin.get("/admin/brugere"))   # the Danish page stays Danish


def test_a_missing_page_under_en_is_english(client, app):
    shell = client.get("/en/findes-ikke")
    assert shell.status_code == 404 and '<html lang="en">' in text(shell)
    drawn = render(client, app, "/en/findes-ikke")
    assert "Page not found" in drawn and "Siden findes ikke" not in drawn
    flask = client.get("/en/eksport/noget.pdf")   # a Flask route's 404: the guard's own error page
    assert flask.status_code == 404 and '<html lang="en">' in text(flask)
    assert "Page not found." in text(flask) and '<a href="/en/">Go to the front page</a>' in text(flask)
    api = client.get("/api/findes-ikke?lang=en")
    assert api.status_code == 404 and api.get_json() == {
        "fejl": "The address does not exist in the API. See /api/dokumentation?lang=en."}
    assert "Siden findes ikke." in text(client.get("/eksport/noget.pdf"))


def test_a_bad_query_on_an_english_page_is_answered_in_english(client, app):
    assert client.get("/en/kommune/101?visning=tavle").status_code == 400
    drawn = render(client, app, "/en/kommune/101", "?visning=tavle")
    assert "Invalid value" in drawn and "The value «tavle» is not valid for «visning»." in drawn
    assert "Ugyldig værdi" in render(client, app, "/kommune/101", "?visning=tavle")
    refused = client.post("/_dash-update-component", json={"output": "findes.ikke"},
                          headers={"Referer": "http://localhost/en/kommune/101"})
    assert refused.status_code == 400 and refused.get_json() == {"fejl": "Invalid request to the server."}


def test_a_follower_under_en_is_sent_to_the_english_pages_whatever_the_hosts_language(app, client, userdb):
    host, kode, token = start_session(app)
    entry = text(client.get(f"/en/foelg/{kode}"))
    assert '<html lang="en">' in entry and f"You are following {kode}" in entry
    assert 'data-adresse="/en/kommune/101"' in entry
    assert client.get(f"/en/foelg/{kode}/tilstand").get_json()["adresse"] == "/en/kommune/101"
    assert client.get(f"/foelg/{kode}/tilstand").get_json()["adresse"] == "/kommune/101"
    assert report(host, kode, token, "/en/tema/rekruttering?kommune=147").status_code == 200   # an English host
    for path, shown in ((f"/en/foelg/{kode}/tilstand", "/en/tema/rekruttering?kommune=147"),
                        (f"/foelg/{kode}/tilstand", "/tema/rekruttering?kommune=147")):
        answer = client.get(path)
        while answer.get_json()["adresse"] != shown:   # the state is remembered for a moment per process
            answer = client.get(path)
        assert answer.status_code == 200
    gone = client.get("/en/foelg/ABCDEF/tilstand")
    assert gone.status_code == 404 and gone.get_json() == {"fejl": "The session does not exist."}


def test_an_embed_under_en_draws_its_chart_in_english(client):
    page = text(client.get("/en/indlejr/skole.karakter/rangering"))
    assert '<html lang="en">' in page and "All municipalities" in page
    figure = re.search(r'id="indlejret-figur">(.*?)</script>', page, re.S)[1]
    assert '"separators":".,"' in figure.replace(" ", "")
    assert re.search(r'href="http://localhost/en/noegletal/skole\.karakter"', page)
    missing = client.get("/en/indlejr/findes.ikke/rangering")
    assert missing.status_code == 404 and "The chart does not exist, or it is not public." in text(missing)
    assert "Alle kommuner" in text(client.get("/indlejr/skole.karakter/rangering"))


def test_the_publication_page_and_an_embargo_refusal_are_english(client, app, userdb):
    users.add("red", GOOD, "redaktion")
    sign_in_with_code(client, "red")
    drawn = render(client, app, "/en/publicering")
    assert '"Publishing"' in drawn and '"Checklist"' in drawn and "Choose a release" in drawn
    assert "Validation without errors" in drawn and "Tjekliste" not in drawn and "Udført" not in drawn
    assert re.search(r'"\d\d/\d\d/\d{4}"', drawn)   # the data extraction's date as English writes it
    refused = client.post("/en/publicering/embargo", data={"release": "x", "dato": "1.1", "tid": "25:99",
                                                           "csrf_token": csrf(client, "/en/konto/tokens")})
    assert refused.status_code == 400 and '<html lang="en">' in text(refused)
    assert "Give the embargo time as a date and a time of day" in text(refused)
    assert "Tjekliste" in render(client, app, "/publicering")


def test_a_background_jobs_progress_reads_in_the_pages_language():
    from components.fremdrift import fremdrift
    from kdk import sprog
    from kdk.export import jobs

    state = {"andel": 0.12, "tekst": jobs.STARTING}
    with sprog.brug("en"):
        assert fremdrift(state, "Progress")[1]["props"]["children"] == "Starting (12%)"
    assert fremdrift(state, "Fremdrift")[1]["props"]["children"] == "Starter (12 pct.)"


def test_a_token_made_on_the_english_page_is_listed_in_english(client, userdb):
    users.add("laeser", GOOD, "laeser", "101")
    sign_in(client, "laeser")
    made = text(client.post("/en/konto/tokens", data={"navn": "", "csrf_token": csrf(client, "/en/konto/tokens")}))
    assert "Your new key:" in made and "<td>API key</td>" in made and "<td>active</td>" in made
    assert re.search(r"<td>\d\d/\d\d/\d{4} \d\d:\d\d</td>", made)   # created, as English writes a date
    assert 'action="/en/konto/tokens/1/tilbagekald"' in made
    assert re.search(r"<td>\d\d\.\d\d\.\d{4} \d\d:\d\d</td>", text(client.get("/konto/tokens")))


def test_a_refused_publication_is_explained_in_english(client, app, userdb):
    users.add("red", GOOD, "redaktion")
    sign_in_with_code(client, "red")
    client.environ_base["HTTP_REFERER"] = "http://localhost/en/publicering"   # the callback comes from the English page
    answer = call(client, app, {"publikation-start.n_clicks": 1},
                  {"publikation-release.data": "findes-ikke", "publikation-tema.value": "boern-og-unge"})
    assert answer.status_code == 400 and "The release «findes-ikke» does not exist." in answer.get_data(as_text=True)
