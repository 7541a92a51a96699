"""Texts, the API's own explanations, error pages that point to valid values, and the embeddable charts, over HTTP
as an anonymous visitor (or a signed-in reader) sees them (issue 22, items 5 and 6)."""
from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

import pytest

from kdk import cli
from tests.dash_http import render


def test_no_screen_or_command_says_marts(client, app, capsys):
    """"Marts" reads as the month March: /datastatus describes the release and the command line its work in plain
    Danish."""
    page = render(client, app, "/datastatus")
    assert "Data bygget fra de medfølgende kilder" in page and "marts" not in page.lower()
    for argv in (["--help"], ["build", "--help"], ["ingest", "--help"]):
        with pytest.raises(SystemExit):
            cli.main(argv)
        assert "marts" not in capsys.readouterr().out.replace("kdk/marts", "").lower()


def test_the_api_documentation_page_explains_every_openapi_path_with_working_examples(client):
    """/api/dokumentation is a Danish page made from the OpenAPI document: every path and parameter is on it, and
    every example link answers with data; /brug-i-excel and the footer link to it."""
    doc = client.get("/api/v1/openapi.json").get_json()
    page = client.get("/api/dokumentation")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert 'lang="da"' in text and "API-nøgle" in text and "Authorization: Bearer" in text
    for path, operations in doc["paths"].items():
        assert f"GET {path}" in text
        for parameter in operations["get"].get("parameters", []):
            assert f"<code>{parameter['name']}</code>" in text
    examples = re.findall(r'<li><a href="(/api/v1/[^"]+)">', text)
    assert {urlsplit(e).path for e in examples} == set(doc["paths"])
    for example in examples:
        answer = client.get(html.unescape(example))
        assert answer.status_code == 200 and answer.data, example
    assert '"/api/dokumentation"' in render(client, client.application.extensions["kdk.dash"], "/brug-i-excel")
    assert '"/api/dokumentation"' in json.dumps(client.get("/_dash-layout").get_json())   # the footer


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.mark.parametrize("address", ["/api/v1/data", "/api/v1/data?noegletal=findes.ikke"])
def test_the_apis_bare_address_explains_itself_in_a_browser(client, address):
    """A browser at /api/v1/data without (good) parameters sees a Danish page saying what is missing and how to ask,
    with example links; a program (Excel, curl) still gets the machine-readable 400."""
    page = client.get(address, headers=BROWSER)
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and page.mimetype == "text/html" and 'lang="da"' in text
    assert ("Angiv mindst ét nøgletal" in text or "Ukendt nøgletal" in text) and "<code>noegletal</code>" in text
    assert 'href="/api/v1/data?noegletal=' in text
    program = client.get(address, headers={"Accept": "*/*"})
    assert program.status_code == 400 and program.mimetype == "text/csv" and "FEJL" in program.get_data(as_text=True)
    assert "fejl" in client.get(address + ("&" if "?" in address else "?") + "format=json", headers=BROWSER).get_json()


def test_the_apis_root_points_onwards(client):
    """/api/v1 shows the documentation in a browser and tells a program where the data and the document are."""
    page = client.get("/api/v1", headers=BROWSER)
    assert page.status_code == 200 and "GET /api/v1/data" in page.get_data(as_text=True)
    program = client.get("/api/v1").get_json()
    assert program["openapi"].endswith("/api/v1/openapi.json")
    assert program["dokumentation"].endswith("/api/dokumentation")


def page_text(client, path: str, search: str = "") -> str:
    """The Danish text of a page's content as the browser renders it (the router callback's answer)."""
    return render(client, client.application.extensions["kdk.dash"], path, search)


@pytest.mark.parametrize(("address", "status", "shown"), [
    ("/kommune/101?omraade=skolen", 400, "skole"),               # the valid data areas
    ("/kommune/101?aar=2099", 400, "2025"),                      # the years nearest
    ("/noegletal/skole.karakter?aar=1990", 400, "Gyldige værdier: 2015,"),
    ("/noegletal?data=alt", 400, "Gyldige værdier"),
    ("/sammenligning?kommune=101&fane=kort", 400, "gruppe, matrice"),
    ("/sammenligning?kommune=101&saet=abc", 400, "kommunekoder (101-860)"),
    ("/sammenligning?kommune=101&saet=101", 400, "uden kommunen selv"),
])
def test_a_bad_value_is_a_danish_400_that_lists_the_valid_ones(client, address, status, shown):
    path, _, search = address.partition("?")
    assert client.get(address).status_code == status
    text = page_text(client, path, "?" + search)
    assert "er ikke gyldig for" in text and shown in text


@pytest.mark.parametrize(("address", "link"), [
    ("/kommune/1O1", "/kommune/101"), ("/kommune/aarhus", "/kommune/751"), ("/kommune/999", "/kommune/860"),
    ("/noegletal/skole.karakterr", "/noegletal/skole.karakter"),
])
def test_a_page_that_does_not_exist_links_to_the_nearest_that_do(client, address, link):
    assert client.get(address).status_code == 404
    assert f'"href": "{link}"' in page_text(client, address)


def test_suggestions_never_name_a_restricted_figure(client):
    """An anonymous visitor asking for a restricted figure, or one spelt like it, is pointed to public figures only."""
    for address in ("/noegletal/ubu.udgift", "/noegletal/ubu.udgif"):
        text = page_text(client, address)
        assert "Nøgletallet findes ikke" in text and '"href": "/noegletal/ubu.' not in text
        assert "Udgifter til udsatte børn" not in text


@pytest.mark.parametrize("address", ["/indlejr/skole.karakter/udvikling", "/indlejr/skole.karakter/rangering",
                                     "/indlejr/skole.karakter/kort?aar=2020"])
def test_an_embed_is_the_chart_alone_with_its_title_period_source_and_way_back(client, address):
    answer = client.get(address)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and 'lang="da"' in text and "Karaktergennemsnit" in text
    assert "Kilde:" in text and 'href="http://localhost/noegletal/skole.karakter"' in text
    assert "2020" in text if "aar=" in address else True
    chart = json.loads(html.unescape(re.search(r'id="indlejret-figur">(.*?)</script>', text, re.S)[1]))
    assert chart["data"] and chart["layout"]["title"]["text"].startswith("Karaktergennemsnit")
    assert 'class="topbar"' not in text and "/_dash-" not in text   # no header, navigation or Dash


def test_only_the_embed_route_may_be_framed_by_other_sites(client):
    embed = client.get("/indlejr/skole.karakter/udvikling")
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"] and "X-Frame-Options" not in embed.headers
    for address in ("/", "/kommune/101", "/noegletal/skole.karakter", "/api/v1/noegletal", "/api/dokumentation",
                    "/login", "/kommune/999"):
        other = client.get(address)
        assert "frame-ancestors 'none'" in other.headers["Content-Security-Policy"], address
        assert other.headers["X-Frame-Options"] == "DENY", address


@pytest.mark.parametrize(("address", "status"), [("/indlejr/skole.karakter/lagkage", 404),
                                                 ("/indlejr/findes.ikke/udvikling", 404),
                                                 ("/indlejr/skole.karakter/kort?aar=1990", 400),
                                                 ("/indlejr/skole.karakter/udvikling?aar=2020", 400)])
def test_a_bad_embed_address_is_a_danish_4xx(client, address, status):
    answer = client.get(address)
    assert answer.status_code == status and "Diagrammet kan ikke vises" in answer.get_data(as_text=True)


def test_a_restricted_figure_has_no_embed_even_for_a_reader_with_the_area(client, userdb):
    """An embed is public: a restricted figure is 404 to everyone, also to a signed-in reader who sees its page."""
    from kdk.auth import users
    from tests.test_auth import GOOD, sign_in

    address = "/indlejr/ubu.udgift/udvikling"
    anonymous = client.get(address)
    assert anonymous.status_code == 404 and "Udgifter til udsatte" not in anonymous.get_data(as_text=True)
    users.add("med-ubu", GOOD, "laeser", "101", {"ubu"})
    sign_in(client, "med-ubu")
    assert "Udgifter til udsatte" in page_text(client, "/noegletal/ubu.udgift")   # the reader sees the figure
    reader = client.get(address)
    assert reader.status_code == 404 and "Udgifter til udsatte" not in reader.get_data(as_text=True)



def test_an_embargoed_year_has_no_embed_even_for_the_publication_team(client, marts_env, userdb, tmp_path):
    """A release under embargo is not public: its year has no embed, also for the team that sees it on the page."""
    from kdk.auth import users
    from tests.test_admin import sign_in_with_code
    from tests.test_auth import GOOD
    from tests.test_ingest import all_98, wide_file

    assert cli.main(["ingest", str(wide_file(tmp_path / "k.csv", all_98("7,7"))), "--noegletal", "skole.karakter",
                     "--embargo-til", "2099-01-01 10:00"]) == 0
    users.add("red", GOOD, "redaktion")
    sign_in_with_code(client, "red")
    assert client.get("/noegletal/skole.karakter?aar=2026").status_code == 200   # the team sees the year
    assert client.get("/indlejr/skole.karakter/kort?aar=2026").status_code == 400
    assert "2026" not in client.get("/indlejr/skole.karakter/udvikling").get_data(as_text=True)
