"""Restricted and embargoed values appear only where entitled: walked as anonymous, a reader without the area, a
reader with it, and redaktion before an embargo — through pages, the page callback, the API (and so every chart
download), and every plain Flask route (no 5xx for anyone)."""
from __future__ import annotations

import json

import duckdb
import pytest

from kdk.auth import users
from kdk.cli import main
from tests.conftest import altered, copy_of
from tests.dash_http import render
from tests.test_admin import sign_in_with_code
from tests.test_auth import GOOD, log_out, sign_in
from tests.test_ingest import all_98, wide_file

PERSONAS = ["anonym", "laeser_uden", "laeser_med", "redaktion"]
SEES_RESTRICTED = {"anonym": False, "laeser_uden": False, "laeser_med": True, "redaktion": True}
SEES_EMBARGO = {"anonym": False, "laeser_uden": False, "laeser_med": False, "redaktion": True}

def _stage_karakter(folder):
    assert main(["ingest", str(wide_file(folder / "k.csv", all_98("7,7"))), "--noegletal", "skole.karakter",
                 "--embargo-til", "2099-01-01 10:00"]) == 0


@pytest.fixture
def embargoed(loaded_once, tmp_path, monkeypatch):
    """Marts with a 2026 release of skole.karakter staged under embargo until 2099 (as the publication team does);
    readers without and with the restricted area (ubu), and redaktion."""
    marts = copy_of(loaded_once("karakter-under-embargo", _stage_karakter), tmp_path)
    monkeypatch.setenv("KDK_MARTS", str(marts.marts_path))
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    users.add("uden", GOOD, "laeser", "101")
    users.add("med", GOOD, "laeser", "101", {"ubu"})
    users.add("red", GOOD, "redaktion")
    return marts

def become(client, persona: str) -> None:
    log_out(client)
    if persona == "laeser_uden":
        sign_in(client, "uden")
    elif persona == "laeser_med":
        sign_in(client, "med")
    elif persona == "redaktion":
        sign_in_with_code(client, "red")

@pytest.mark.parametrize("persona", PERSONAS)
def test_restricted_and_embargoed_values_only_where_entitled(persona, embargoed, client, app):
    become(client, persona)
    restricted, embargo = SEES_RESTRICTED[persona], SEES_EMBARGO[persona]
    # Pages (the guard's answer) and the page callback (what is drawn).
    assert client.get("/kommune/101?omraade=ubu").status_code == (200 if restricted else 400)
    assert ("ubu.anbragte" in render(client, app, "/kommune/101")) == restricted
    assert client.get("/?noegletal=skole.karakter&aar=2026").status_code == (200 if embargo else 400)
    assert client.get("/noegletal/ubu.anbragte").status_code == (200 if restricted else 404)
    assert client.get("/sammenligning?kommune=101&sammenligningsomraade=ubu").status_code == (
        200 if restricted else 400)
    # The API, which is also every chart's download.
    api = client.get("/api/v1/data?noegletal=ubu.anbragte&kommune=101&periode=2024&format=json")
    assert api.status_code == (200 if restricted else 400)
    rows = client.get("/api/v1/data?noegletal=skole.karakter&kommune=101&format=json").get_json()["data"]
    assert ("2026" in {r["periode"] for r in rows}) == embargo
    catalogue = client.get("/api/v1/noegletal?format=json").get_json()["noegletal"]
    assert any(f["adgang"] == "begraenset" for f in catalogue) == restricted

@pytest.mark.parametrize("persona", PERSONAS)
def test_every_plain_flask_route_answers_without_a_server_error(persona, embargoed, client, app):
    become(client, persona)
    rules = [r for r in app.server.url_map.iter_rules()
             if "GET" in r.methods and "<" not in r.rule]   # GET /logout only shows the button
    assert len(rules) > 10
    answers = {}
    for rule in rules:
        response = client.get(rule.rule)
        # /sundhed answers 503 by design in a process never warmed, as this one (web/sundhed.py)
        assert response.status_code < 500 or rule.rule == "/sundhed", (persona, rule.rule, response.status_code)
        answers[rule.rule] = response.get_data().decode("utf-8", "replace")
        if rule.rule.startswith("/admin/"):   # none of these personas administers users
            assert response.status_code == (302 if persona == "anonym" else 403), (persona, rule.rule)
        if rule.rule.startswith("/konto/"):
            assert response.status_code == (302 if persona == "anonym" else 200), (persona, rule.rule)
    page = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert ("Log ud" in page) == (persona != "anonym")
    if not SEES_RESTRICTED[persona]:   # the API's catalogue, the pages' shells: no restricted title or definition
        figures = restricted_figures(embargoed.marts_path)
        assert not leaked(answers | {"/_dash-layout": page}, [f[c] for f in figures for c in ("titel", "definition")],
                          editorial(embargoed.marts_path))
    assert log_out(client).status_code == 302

@pytest.mark.parametrize("persona, status", [("anonym", 404), ("laeser_med", 404), ("redaktion", 200)])
def test_the_publication_page_is_the_publication_teams(persona, status, embargoed, client):
    become(client, persona)
    assert client.get("/publicering").status_code == status

def test_views_of_embargoed_data_are_audited_once_per_session(embargoed, client):
    from kdk.auth import audit
    become(client, "redaktion")
    client.get("/?noegletal=skole.karakter&aar=2026")
    client.get("/kommune/101")
    views = audit.entries(handling="embargo_visning")
    assert len(views) == 1 and views["bruger"].iloc[0] == "red"
    become(client, "laeser_med")
    client.get("/kommune/101")
    assert len(audit.entries(handling="embargo_visning")) == 1   # readers do not see embargoed data

# One plausible call of every server callback (inputs in the callback's order, then its state). The pattern-
# matching comparison control is called through tests/dash_http.py's `choose`.
SAMPLES = {
    "_pages_location.pathname": [None, None],
    "forside-noegletal.value": [["ubu.anbragte", "2024", ""], [{"noegletal": "x", "aar": "2024"}]],
    "forside-kontekst.data": [[{"noegletal": "ubu.anbragte", "aar": "2024"}], []],
    "forside-kort.clickData": [[{"points": [{"customdata": ["101"]}]}], []],
    "noegletal-aar.value": [["2020", ""], [{"noegletal_id": "ubu.anbragte", "aar": None}]],
    "noegletal-kontekst.data": [[{"noegletal_id": "ubu.anbragte", "aar": "2024"}], []],
    "noegletal-kort.clickData": [[{"points": [{"customdata": ["101"]}]}], []],
    "noegletal-kommuner.value": [[["101"], "indeks", ""], [{"noegletal_id": "ubu.anbragte", "aar": None}, None, ""]],
    "katalog-soeg.value": [["anbragte", None, None], []],
    "excel-noegletal.value": [[["ubu.anbragte"], ["101"], "2024"], []],
    "tabel-noegletal.value": [[["ubu.anbragte"], ["101"], ["2024"], "101"], []],
    "publicering-start.n_clicks": [[1], ["release"]],
    "publicering-interval.n_intervals": [[1], ["release"]],
    "publikation-start.n_clicks": [[1], ["release", "rekruttering"]],
    "publikation-interval.n_intervals": [[1, "rekruttering"], ["release"]],
}
PAGES = ["/kommune/101", "/kommune/101?omraade=ubu", "/kommune/101?omraade=ubu&side=2",
         "/tema/rekruttering?kommune=101",
         "/sammenligning?kommune=101", "/noegletal", "/noegletal/ubu.anbragte", "/datastatus",
         "/?noegletal=skole.karakter&aar=2026", "/temaer", "/tabel?noegletal=ubu.anbragte&kommune=101",
         # The comparison area whose outcome (ubu.udgift) is restricted, as a URL may pick it.
         "/sammenligning?kommune=101&sammenligningsomraade=ubu",
         "/sammenligning?kommune=101&sammenligningsomraade=ubu&fane=matrice",
         "/sammenligning?kommune=101&sammenligningsomraade=ubu&noegletal=ubu.udgift"]

def restricted_figures(marts_path) -> list[dict]:
    """Every restricted key figure's id, title and definition, as the marts hold them."""
    con = duckdb.connect(str(marts_path.resolve()), read_only=True)
    try:
        return con.execute("""SELECT noegletal_id, titel, definition FROM dim_noegletal
                              WHERE adgang = 'begraenset'""").df().to_dict("records")
    finally:
        con.close()

def editorial(marts_path) -> list[str]:
    """The themes' introductions: the publication team's prose for everyone, which may use the words of a restricted
    title ("forgæves rekrutteringer") without being it."""
    con = duckdb.connect(str(marts_path.resolve()), read_only=True)
    try:
        return [json.loads(d)["introduktion"] for (d,) in con.execute("SELECT definition FROM tema").fetchall()]
    finally:
        con.close()

def leaked(answers: dict[str, str], texts, prose=()) -> list[tuple[str, str, str]]:
    """(where, which text, the text around it) for every text found in an answer outside `prose`, in any case (a
    page may write a title in lower case inside a sentence)."""
    lowered = {}
    for where, answer in answers.items():
        lowered[where] = answer.lower()
        for p in prose:
            lowered[where] = lowered[where].replace(p.lower(), "")
    return [(where, t, a[max(0, a.find(t.lower()) - 150):][:300]) for where, a in lowered.items() for t in texts
            if t.lower() in a]

def _payload(key: str, spec: dict, values: list, state: list) -> dict:
    from tests.dash_http import outputs

    inputs = [{"id": i["id"], "property": i["property"], "value": v} for i, v in zip(spec["inputs"], values)]
    states = [{"id": s["id"], "property": s["property"], "value": v} for s, v in zip(spec.get("state", []), state)]
    first = spec["inputs"][0]
    return {"output": key, "outputs": outputs(key), "inputs": inputs, "state": states,
            "changedPropIds": [f"{first['id']}.{first['property']}"]}

@pytest.mark.parametrize("persona", PERSONAS)
def test_every_dash_callback_shows_restricted_and_embargoed_values_only_where_entitled(persona, embargoed, client,
                                                                                        app):
    from tests.dash_http import choose

    become(client, persona)
    client.get("/")
    answers = {}
    for key, spec in app.callback_map.items():
        if spec.get("callback") is None or str(spec["inputs"][0]["id"]).startswith("{"):
            continue   # clientside, or the pattern-matching comparison control (walked below)
        name = f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"
        assert name in SAMPLES, f"callback {name} is not walked: add a sample call"
        if name == "_pages_location.pathname":
            for url in PAGES:
                path, _, search = url.partition("?")
                answers[url] = render(client, app, path, f"?{search}" if search else "")
            continue
        values, state = SAMPLES[name]
        response = client.post("/_dash-update-component", json=_payload(key, spec, values, state))
        assert response.status_code < 500, (persona, name, response.status_code)
        body = response.get_json(silent=True)
        answers[name] = json.dumps(body, ensure_ascii=False) if body is not None else response.get_data(as_text=True)
    skole = {"kommune": "101", "sammenligningsomraade": "skole", "aar": "2024", "k": "10"}
    for param, value, context in [("sammenligningsomraade", "aeldre", skole), ("sammenligningsomraade", "ubu", skole),
                                  ("tilfoej", "147", {**skole, "sammenligningsomraade": "ubu"})]:
        compared = choose(client, app, param, value, context)
        assert compared.status_code < 500
        answers[f"sammenligning-valg {param}={value}"] = compared.get_data(as_text=True)
    text = "\n".join(answers.values())
    # The restricted figure's title appears only with its data (a requested id may be echoed in a 404 or a URL).
    title = "Anbragte pr. 1.000 0-17-årige"
    leaks = [a[max(0, a.find(title) - 150):][:300] for a in answers.values() if title in a]
    assert bool(leaks) == SEES_RESTRICTED[persona], leaks
    # No restricted figure's title or definition anywhere, nor its id on the comparison and data status pages.
    figures = restricted_figures(embargoed.marts_path)
    if not SEES_RESTRICTED[persona]:
        assert not leaked(answers, [f[c] for f in figures for c in ("titel", "definition")],
                          editorial(embargoed.marts_path))
        assert not leaked({k: a for k, a in answers.items() if "sammenligning" in k or k == "/datastatus"},
                          [f["noegletal_id"] for f in figures])
    else:
        outcome = next(f["titel"] for f in figures if f["noegletal_id"] == "ubu.udgift")
        assert outcome.lower() in answers["/sammenligning?kommune=101&sammenligningsomraade=ubu"]
    assert ("skole.karakter" in text and '"2026"' in text) or not SEES_EMBARGO[persona]
    if not SEES_EMBARGO[persona]:
        assert "Karaktergennemsnit" not in render(client, app, "/", "?noegletal=skole.karakter&aar=2026")

@pytest.fixture
def restricted_variable(fresh_marts, tmp_path, monkeypatch):
    """Marts where a structural variable of every comparison area but sundhed (beskatningsgrundlag) is restricted, as
    the catalogue may one day make one; a reader granted its data area (oekonomi)."""
    altered(fresh_marts, "begraenset-variabel", (
        "UPDATE dim_noegletal SET adgang = 'begraenset' WHERE noegletal_id = 'oekonomi.beskatningsgrundlag'", []))
    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    users.add("oekonom", GOOD, "laeser", "101", {"oekonomi"})
    return fresh_marts

def test_a_comparison_area_built_on_a_restricted_variable_is_only_for_who_may_see_it(restricted_variable, client,
                                                                                       app):
    """The variable's values shape the groups and distances of every area it is a candidate of, so those areas are
    as unknown to an anonymous viewer as an area that does not exist; the page opens on the one left."""
    title = "Beskatningsgrundlag pr. indbygger"
    assert client.get("/sammenligning?kommune=101&sammenligningsomraade=skole").status_code == 400
    assert client.get("/sammenligning?kommune=101&sammenligningsomraade=tvaergaaende").status_code == 400
    unknown = render(client, app, "/sammenligning", "?kommune=101&sammenligningsomraade=findesikke")
    assert render(client, app, "/sammenligning", "?kommune=101&sammenligningsomraade=skole") == unknown.replace(
        "findesikke", "skole")
    page = render(client, app, "/sammenligning", "?kommune=101")
    assert "De 10 kommuner, der ligner København mest: sundhed" in page
    assert '"value": "skole"' not in page and '"value": "sundhed"' in page   # the area control offers sundhed only
    assert title.lower() not in page.lower()
    profile = render(client, app, "/kommune/101", "?omraade=skole")   # nor the groups of the profile's cards
    assert "Gns. af 10 sammenlignelige" not in profile
    assert "/sammenligning?kommune=101&sammenligningsomraade=" not in profile
    sign_in(client, "oekonom")
    assert client.get("/sammenligning?kommune=101&sammenligningsomraade=skole").status_code == 200
    assert title in render(client, app, "/sammenligning", "?kommune=101&sammenligningsomraade=skole")


def test_the_comparison_page_says_so_when_no_area_is_for_the_viewer(fresh_marts, client, app, monkeypatch):
    """The socio-economic index is a candidate of every area: restricted, it leaves an anonymous viewer none."""
    altered(fresh_marts, "ingen-omraader", (
        "UPDATE dim_noegletal SET adgang = 'begraenset' WHERE noegletal_id = 'befolkning.socio_indeks'", []))
    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    for search in ("", "?kommune=101"):
        assert client.get(f"/sammenligning{search}").status_code == 200
        assert "Der er ingen sammenligninger, som du har adgang til." in render(client, app, "/sammenligning", search)
    assert client.get("/sammenligning?kommune=101&sammenligningsomraade=tvaergaaende").status_code == 400
    assert client.get("/kommune/101").status_code == 200
