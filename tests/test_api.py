"""/api/v1 over HTTP: formats, scope and tokens, paging, clear 400s, and a schemathesis run against the
OpenAPI document (no 500, no response that breaks the schema)."""
from __future__ import annotations

import io

import pandas as pd
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from kdk.queries.cache import clear_all


def get(client, url: str, **kwargs):
    return client.get(url, **kwargs)


def test_catalogue_lists_the_public_key_figures(client, con):
    body = get(client, "/api/v1/noegletal?format=json").get_json()
    public = {r[0] for r in con.execute("SELECT noegletal_id FROM dim_noegletal WHERE adgang = 'offentlig'").fetchall()}
    assert {f["noegletal_id"] for f in body["noegletal"]} == public and body["antal"] == len(public)
    csv = pd.read_csv(io.BytesIO(get(client, "/api/v1/noegletal").data), sep=";", encoding="utf-8-sig")
    assert set(csv["noegletal_id"]) == public


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
def test_the_catalogue_refuses_a_format_it_is_not_given_in(client, fmt):
    """Asked for a format it has not, the catalogue says so in Danish rather than sending CSV under another name."""
    r = client.get(f"/api/v1/noegletal?format={fmt}")
    assert r.status_code == 400 and "csv eller json" in r.get_data(as_text=True)


def test_the_catalogue_names_each_figures_source_and_caveat_as_documented(client, app, con):
    """A BI user can join the catalogue to the sources (`kilde_id`) and see the caveat the pages show (`forbehold`),
    in JSON and CSV, and the OpenAPI document promises both fields."""
    expected = dict(con.execute("SELECT noegletal_id, kilde_id || '|' || forbehold FROM dim_noegletal").fetchall())
    figures = get(client, "/api/v1/noegletal?format=json").get_json()["noegletal"]
    assert {f["noegletal_id"]: f"{f['kilde_id']}|{f['forbehold']}" for f in figures}.items() <= expected.items()
    gini = next(f for f in figures if f["noegletal_id"] == "befolkning.gini")
    assert gini["kilde_id"] == "dst" and gini["forbehold"].startswith("Forbehold: i små")
    csv = pd.read_csv(io.BytesIO(get(client, "/api/v1/noegletal").data), sep=";", encoding="utf-8-sig", dtype=str)
    assert {"kilde_id", "forbehold"} <= set(csv.columns)
    item = get(client, "/api/v1/openapi.json").get_json()["paths"]["/api/v1/noegletal"]["get"]["responses"]["200"][
        "content"]["application/json"]["schema"]["properties"]["noegletal"]["items"]
    assert {"kilde_id", "forbehold"} <= set(item["required"]) and "forbehold" in item["properties"]


def test_data_as_the_spec_csv_reads_back_in_pandas(client, con):
    r = get(client, "/api/v1/data?noegletal=beskaeftigelse.ledighed,befolkning.indbyggere&kommune=101,147,000"
                    "&periode=2022")
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.data.startswith(b"\xef\xbb\xbf") and b"\r\n" in r.data
    df = pd.read_csv(io.BytesIO(r.data), sep=";", decimal=",", dtype={"OMRAADE": str})
    assert list(df["OMRAADE"][:3]) == ["000", "101", "147"]
    kbh = df[(df["NOEGLETAL_ID"] == "befolkning.indbyggere") & (df["OMRAADE"] == "101")]["INDHOLD"].item()
    assert kbh == 644431
    assert r.headers["X-Total-Count"] == "6"


def test_json_and_excel(client):
    body = get(client, "/api/v1/data?noegletal=skole.karakter&kommune=alle&periode=2024&format=json").get_json()
    assert body["antal_raekker"] == 98 and len(body["data"]) == 98
    assert all(isinstance(r["omraade_kode"], str) and len(r["omraade_kode"]) == 3 for r in body["data"])
    x = get(client, "/api/v1/data?noegletal=skole.karakter&kommune=101,000&format=xlsx")
    sheets = pd.read_excel(io.BytesIO(x.data), sheet_name=None, dtype={"OMRAADE": str})
    assert set(sheets) == {"Data", "Om data"} and set(sheets["Data"]["OMRAADE"]) == {"000", "101"}


def test_paging(client):
    first = get(client, "/api/v1/data?noegletal=skole.karakter&pr_side=100&format=json").get_json()
    assert first["antal_sider"] == -(-first["antal_raekker"] // 100) and len(first["data"]) == 100
    assert "side=2" in first["naeste"]
    last = get(client, f"/api/v1/data?noegletal=skole.karakter&pr_side=100&side={first['antal_sider']}"
                       "&format=json").get_json()
    assert last["naeste"] is None
    assert len(first["data"]) * (first["antal_sider"] - 1) + len(last["data"]) == first["antal_raekker"]


@pytest.mark.parametrize("query, message", [
    ("", "Angiv mindst ét nøgletal"),
    ("noegletal=skole.karaktr", "Ukendt nøgletal: skole.karaktr"),
    ("noegletal=ubu.anbragte", "Ukendt nøgletal: ubu.anbragte"),  # restricted
    ("noegletal=skole.karakter&periode=2024-13", "Ugyldig periode: 2024-13"),
    ("noegletal=skole.karakter&kommune=999", "Ukendt område: 999"),
    ("noegletal=skole.karakter&pr_side=60000", "«pr_side» skal være et helt tal fra 1 til 50000"),
    ("noegletal=skole.karakter&side=9999", "Side 9999 findes ikke"),
    ("noegletal=skole.karakter&noegletal=skole.udgift", "Angiv «noegletal» én gang"),
])
def test_bad_requests_get_400_with_a_danish_message_in_the_requested_format(client, query, message):
    as_csv = get(client, f"/api/v1/data?{query}")
    assert as_csv.status_code == 400 and message in as_csv.data.decode("utf-8-sig")
    as_json = get(client, f"/api/v1/data?{query}&format=json")
    assert as_json.status_code == 400 and message in as_json.get_json()["fejl"]


def test_a_personal_token_carries_its_owners_rights_and_can_be_revoked(client, tmp_path, monkeypatch):
    from kdk.auth import audit, tokens, users

    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    owner = users.add("anna", "korrekt-hest-batteri-hæfteklamme", "laeser", "101", {"ubu"})
    token = tokens.create(owner, "Power BI")
    url = "/api/v1/data?noegletal=ubu.anbragte&kommune=101&periode=2024&format=json"
    assert get(client, url).status_code == 400
    rows = get(client, url, headers={"Authorization": f"Bearer {token}"}).get_json()["data"]
    assert len(rows) == 1 and rows[0]["vaerdi"] > 0
    assert get(client, url + f"&token={token}").status_code == 200
    assert len(audit.entries(handling="api_token_brugt")) == 2
    tokens.revoke(owner, int(tokens.listing(owner)["id"].iloc[0]))
    wrong = get(client, url, headers={"Authorization": f"Bearer {token}"})
    assert wrong.status_code == 401 and "Ukendt eller tilbagekaldt API-nøgle" in wrong.get_json()["fejl"]
    assert tokens.listing(owner)["tilbagekaldt"].notna().all()


def test_unknown_api_paths_and_methods_are_4xx(client):
    assert get(client, "/api/v1/findes-ikke").status_code == 404
    assert client.post("/api/v1/data").status_code == 405


def test_api_conforms_to_its_openapi_document(app):
    """Property-based: schemathesis generates requests from the OpenAPI document and checks every response
    (no 5xx, status and content type documented, body matching its schema)."""
    api_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app.server)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/v1/noegletal", "/api/v1/data"}
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            # A schema-valid id may name no key figure: a clear 400 is the right answer, so the check that valid
            # input must succeed does not apply; every response check (no 5xx, documented status, content type,
            # body schema) does.
            # The in-process WSGI client does not undo compression as a real HTTP client does: ask for none.
            case.call_and_validate(headers={"Accept-Encoding": "identity"}, excluded_checks=[positive_data_acceptance])

        check()


def test_every_chart_offers_its_data_and_the_links_return_exactly_those_rows(client, app):
    import re
    from urllib.parse import parse_qs, urlparse

    from tests.dash_http import render

    page = render(client, app, "/kommune/101", "?omraade=skole")
    links = sorted(set(re.findall(r'"href": "(/api/v1/data\?[^"]+)"', page)))
    assert links and len([u for u in links if "format=csv" in u]) * 2 == len(links)
    for url in links:
        if "format=csv" not in url:
            continue
        query = parse_qs(urlparse(url).query)
        r = client.get(url)
        assert r.status_code == 200
        df = pd.read_csv(io.BytesIO(r.data), sep=";", decimal=",", dtype={"OMRAADE": str, "TID": str})
        assert set(df["NOEGLETAL_ID"]) == set(query["noegletal"][0].split(","))
        assert set(df["TID"]) == set(query["periode"][0].split(","))
        areas = query["kommune"][0]
        assert set(df["OMRAADE"]) <= (set(areas.split(",")) if areas != "alle" else set(df["OMRAADE"]))


def test_reordered_and_repeated_ids_and_junk_parameters_share_one_kept_result_set(client, monkeypatch):
    from kdk.queries import data

    queried = []
    real = data.export_rows
    monkeypatch.setattr(data, "export_rows", lambda *args: queried.append(args) or real(*args))
    clear_all()
    ids = ["skole.karakter", "befolkning.indbyggere", "beskaeftigelse.ledighed"]
    variants = [(",".join(ids), "101,147"), (",".join(reversed(ids)), "147,101"),
                (",".join(ids + ids[:2]), "147,101,147")]
    variants += [(",".join(ids[i % 3:] + ids[:i % 3]), "101,147") for i in range(30)]
    answers = [get(client, f"/api/v1/data?noegletal={n}&kommune={k}&periode=2022,2021&format=json&x={i}").get_json()
               for i, (n, k) in enumerate(variants)]
    assert len(queried) == 1
    assert all(a["data"] == answers[0]["data"] for a in answers) and answers[0]["antal_raekker"] > 0


def test_result_sets_kept_for_many_distinct_requests_stay_within_the_byte_bound(client, con, monkeypatch):
    from kdk.queries import cache

    bound = 256 * 1024
    monkeypatch.setattr(cache, "ANSWERS", cache.Kept(bound))
    ids = [r[0] for r in con.execute("SELECT noegletal_id FROM dim_noegletal WHERE adgang = 'offentlig' "
                                     "ORDER BY 1 LIMIT 30").fetchall()]
    for i, first in enumerate(ids):
        r = get(client, f"/api/v1/data?noegletal={first},{ids[i - 1]}&kommune=alle&format=json")
        assert r.status_code == 200 and r.get_json()["antal_raekker"] > 0
    kept, size = cache.ANSWERS.stats()
    assert kept > 0 and 0 < size <= bound


PAGED = "/api/v1/data?noegletal=skole.karakter&pr_side=100"


@pytest.mark.parametrize("path", [PAGED, PAGED + "&format=json", "/api/v1/openapi.json", "/brug-i-excel"])
def test_a_forged_host_header_gets_into_no_link(client, path):
    r = get(client, path, headers={"Host": "evil.example"})
    assert r.status_code == 400
    assert "evil.example" not in r.get_data(as_text=True) + str(r.headers)


def test_absolute_links_come_from_the_configured_base_url(client, monkeypatch):
    monkeypatch.setenv("KDK_BASE_URL", "https://kdk.example.dk/")
    naeste = get(client, PAGED + "&format=json").get_json()["naeste"]
    assert naeste.startswith("https://kdk.example.dk/api/v1/data?")
    assert get(client, PAGED).headers["Link"] == f'<{naeste.replace("format=json&", "")}>; rel="next"'
    assert get(client, "/api/v1/openapi.json").get_json()["servers"][0]["url"].startswith("https://kdk.example.dk")
    r = get(client, "/api/v1/data?noegletal=skole.karakter&pr_side=2&x=a%26b%3Cc", headers={"Host": "localhost:8050"})
    assert "x=a%26b%3Cc" in r.headers["Link"] and r.headers["Link"].startswith("<https://kdk.example.dk/")
