"""Restricted and embargoed values appear only where entitled: walked as anonymous, a reader without the area, a
reader with it, and redaktion before an embargo — through pages, the page callback, the API (and so every chart
download), and every plain Flask route (no 5xx for anyone)."""
from __future__ import annotations

import json

import pytest

from kdk.auth import users
from kdk.cli import main
from tests.test_admin import sign_in_with_code
from tests.test_auth import GOOD, sign_in
from tests.test_http import app, client, monkeypatch_module, render  # noqa: F401
from tests.test_ingest import all_98, wide_file

PERSONAS = ["anonym", "laeser_uden", "laeser_med", "redaktion"]
SEES_RESTRICTED = {"anonym": False, "laeser_uden": False, "laeser_med": True, "redaktion": True}
SEES_EMBARGO = {"anonym": False, "laeser_uden": False, "laeser_med": False, "redaktion": True}


@pytest.fixture
def embargoed(fresh_marts, tmp_path, monkeypatch):
    """Marts with a 2026 release of skole.karakter staged under embargo until 2099 (as the publication team does)."""
    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    assert main(["ingest", str(wide_file(tmp_path / "k.csv", all_98("7,7"))), "--noegletal", "skole.karakter",
                 "--embargo-til", "2099-01-01 10:00"]) == 0
    users.add("uden", GOOD, "laeser", "101")
    users.add("med", GOOD, "laeser", "101", {"personale"})
    users.add("red", GOOD, "redaktion")
    return fresh_marts


def become(client, persona: str) -> None:
    client.get("/logout")
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
    assert client.get("/kommune/101?omraade=personale").status_code == (200 if restricted else 400)
    assert ("personale.sygefravaer_dage" in render(client, app, "/kommune/101")) == restricted
    assert client.get("/?noegletal=skole.karakter&aar=2026").status_code == (200 if embargo else 400)
    assert client.get("/noegletal/personale.sygefravaer_dage").status_code == (200 if restricted else 404)
    # The API, which is also every chart's download.
    api = client.get("/api/v1/data?noegletal=personale.sygefravaer_dage&kommune=101&periode=2024&format=json")
    assert api.status_code == (200 if restricted else 400)
    rows = client.get("/api/v1/data?noegletal=skole.karakter&kommune=101&format=json").get_json()["data"]
    assert ("2026" in {r["periode"] for r in rows}) == embargo
    catalogue = client.get("/api/v1/noegletal?format=json").get_json()["noegletal"]
    assert any(f["adgang"] == "begraenset" for f in catalogue) == restricted


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_plain_flask_route_answers_without_a_server_error(persona, embargoed, client, app):
    become(client, persona)
    rules = [r for r in app.server.url_map.iter_rules()
             if "GET" in r.methods and "<" not in r.rule and r.rule != "/logout"]   # /logout is walked last
    assert len(rules) > 10
    for rule in rules:
        response = client.get(rule.rule)
        assert response.status_code < 500, (persona, rule.rule, response.status_code)
        if rule.rule.startswith("/admin/"):   # none of these personas administers users
            assert response.status_code == (302 if persona == "anonym" else 403), (persona, rule.rule)
        if rule.rule.startswith("/konto/"):
            assert response.status_code == (302 if persona == "anonym" else 200), (persona, rule.rule)
    page = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert ("Log ud" in page) == (persona != "anonym")
    assert client.get("/logout").status_code == 302


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
# matching comparison control is called through tests/test_http.py's `choose`.
SAMPLES = {
    "_pages_location.pathname": [None, None],
    "forside-noegletal.value": [["personale.sygefravaer_dage", "2024", ""], [{"noegletal": "x", "aar": "2024"}]],
    "forside-kort.clickData": [[{"points": [{"customdata": ["101"]}]}], []],
    "noegletal-aar.value": [["2020", ""], [{"noegletal_id": "personale.sygefravaer_dage", "aar": None}]],
    "noegletal-kort.clickData": [[{"points": [{"customdata": ["101"]}]}], []],
    "katalog-soeg.value": [["sygefravær", None, None], []],
    "excel-noegletal.value": [[["personale.sygefravaer_dage"], ["101"], "2024"], []],
    "publicering-start.n_clicks": [[1], ["release"]],
    "publicering-interval.n_intervals": [[1], ["release"]],
}
PAGES = ["/kommune/101", "/kommune/101?omraade=personale", "/kommune/101?omraade=personale&side=2",
         "/tema/rekruttering?kommune=101",
         "/sammenligning?kommune=101", "/noegletal", "/noegletal/personale.sygefravaer_dage", "/datastatus",
         "/?noegletal=skole.karakter&aar=2026", "/temaer"]


def _payload(key: str, spec: dict, values: list, state: list) -> dict:
    from tests.test_http import _outputs

    inputs = [{"id": i["id"], "property": i["property"], "value": v} for i, v in zip(spec["inputs"], values)]
    states = [{"id": s["id"], "property": s["property"], "value": v} for s, v in zip(spec.get("state", []), state)]
    first = spec["inputs"][0]
    return {"output": key, "outputs": _outputs(key), "inputs": inputs, "state": states,
            "changedPropIds": [f"{first['id']}.{first['property']}"]}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_dash_callback_shows_restricted_and_embargoed_values_only_where_entitled(persona, embargoed, client,
                                                                                        app):
    from tests.test_http import choose

    become(client, persona)
    client.get("/")
    answers = []
    for key, spec in app.callback_map.items():
        if spec.get("callback") is None or str(spec["inputs"][0]["id"]).startswith("{"):
            continue   # clientside, or the pattern-matching comparison control (walked below)
        name = f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"
        assert name in SAMPLES, f"callback {name} is not walked: add a sample call"
        if name == "_pages_location.pathname":
            for url in PAGES:
                path, _, search = url.partition("?")
                answers.append(render(client, app, path, f"?{search}" if search else ""))
            continue
        values, state = SAMPLES[name]
        response = client.post("/_dash-update-component", json=_payload(key, spec, values, state))
        assert response.status_code < 500, (persona, name, response.status_code)
        body = response.get_json(silent=True)
        answers.append(json.dumps(body, ensure_ascii=False) if body is not None else response.get_data(as_text=True))
    compared = choose(client, app, "omraade", "aeldre", {"kommune": "101", "omraade": "skole", "aar": "2024",
                                                         "k": "10"})
    assert compared.status_code < 500
    text = "\n".join(answers)
    # The restricted figure's title appears only with its data (a requested id may be echoed in a 404 or a URL).
    title = "Sygefravær pr. fuldtidsbeskæftiget"
    leaks = [a[max(0, a.find(title) - 150):][:300] for a in answers if title in a]
    assert bool(leaks) == SEES_RESTRICTED[persona], leaks
    assert ("skole.karakter" in text and '"2026"' in text) or not SEES_EMBARGO[persona]
    if not SEES_EMBARGO[persona]:
        assert "Karaktergennemsnit" not in render(client, app, "/", "?noegletal=skole.karakter&aar=2026")
