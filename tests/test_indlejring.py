"""Every public chart on the profile, the themes and the comparison offers an embed of exactly that chart, over
HTTP as an anonymous visitor (or a signed-in reader) sees it (issue 22): the chart's "Indlejr" button names its
embed (`data-indlejr`, the embed's address less the page's own, which assets/deling.js adds), and the embed shows
the same values as the page; restricted figures have none, and a bad address is a Danish 4xx."""
from __future__ import annotations

import html
import json
import re

import pytest

from tests.dash_http import nodes, render

PAGES = [("/", "?noegletal=skole.karakter&aar=2020"), ("/kommune/101", "?omraade=skole"),
         ("/tema/boern-og-unge", "?kommune=751"),
         ("/sammenligning", "?kommune=101&sammenligningsomraade=skole&noegletal=skole.karakter")]


def embed_figure(client, address: str) -> dict:
    answer = client.get(address)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200, (address, text[:300])
    return json.loads(html.unescape(re.search(r'id="indlejret-figur">(.*?)</script>', text, re.S)[1]))


def offered(client, app, path: str, search: str) -> list[tuple[str, dict]]:
    """(embed address, the page's figure) for every chart on the page that offers an embed."""
    page = json.loads(render(client, app, path, search))
    found = []
    for figure in (n for n in nodes(page) if n["type"] == "Figure"):
        button = next((n for n in nodes(figure) if "data-indlejr" in n["props"]), None)
        if button is not None:
            assert button["type"] == "Button" and button["props"]["children"] == "Indlejr"
            graph = next(n for n in nodes(figure) if n["type"] == "Graph")
            found.append((button["props"]["data-indlejr"] + path + search, graph["props"]["figure"]))
    return found


@pytest.mark.parametrize(("path", "search"), PAGES)
def test_every_chart_on_the_page_embeds_with_the_values_the_page_shows(client, app, path, search):
    charts = offered(client, app, path, search)
    assert len(charts) >= {"/": 1, "/sammenligning": 4}.get(path, 3), charts
    for address, figure in charts:
        embedded = embed_figure(client, address)
        assert [(t.get("name"), t.get("x"), t.get("y")) for t in embedded["data"]] == \
            [(t.get("name"), t.get("x"), t.get("y")) for t in figure["data"]], address
        assert embedded["layout"]["title"] == figure["layout"]["title"], address
    arts = {address.split("/")[3] for address, _ in charts}
    assert {"udvikling", "rangering"} <= arts if path == "/kommune/101" else True


def test_a_page_chart_embed_is_framable_and_leads_back_to_its_page(client, app):
    address = "/indlejr/skole.karakter/udvikling/kommune/101?omraade=skole"
    answer = client.get(address)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Karaktergennemsnit" in text and "Kilde:" in text
    assert 'href="http://localhost/kommune/101?omraade=skole"' in text
    assert "frame-ancestors *" in answer.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in answer.headers


def test_a_restricted_figure_on_a_page_has_no_embed_even_for_a_reader_with_the_area(client, app, userdb):
    from kdk.auth import users
    from tests.test_auth import GOOD, sign_in

    address = "/indlejr/ubu.udgift/udvikling/kommune/101?omraade=ubu"
    nonexistent = client.get("/indlejr/findes.ikke/udvikling/kommune/101?omraade=skole")
    anonymous = client.get(address)
    assert anonymous.status_code == nonexistent.status_code == 404
    assert "Udgifter til udsatte" not in anonymous.get_data(as_text=True)
    users.add("med-ubu", GOOD, "laeser", "101", {"ubu"})
    sign_in(client, "med-ubu")
    reader = client.get(address)
    assert reader.status_code == 404 and "Udgifter til udsatte" not in reader.get_data(as_text=True)


@pytest.mark.parametrize(("address", "status", "says"), [
    ("/indlejr/skole.karakter/udvikling/tema/boern-og-unge?kommune=999", 400, "999"),
    ("/indlejr/skole.karakter/udvikling/sammenligning?kommune=abc", 400, "abc"),
    ("/indlejr/skole.karakter/udvikling/kommune/999?omraade=skole", 404, "Kommunen findes ikke"),
    ("/indlejr/skole.karakter/udvikling/kommune/101?omraade=findes-ikke", 400, "findes-ikke"),
    ("/indlejr/skole.karakter/lagkage/kommune/101?omraade=skole", 404, "Diagrammet findes ikke"),
    ("/indlejr/skole.karakter/kort/kommune/101?omraade=skole", 404, "Diagrammet findes ikke"),
    ("/indlejr/skole.karakter/udvikling/datastatus", 404, "Diagrammet findes ikke"),
])
def test_a_bad_page_chart_embed_is_a_danish_4xx(client, address, status, says):
    answer = client.get(address)
    text = answer.get_data(as_text=True)
    assert answer.status_code == status and "Diagrammet kan ikke vises" in text and says in text, text[-600:]


def test_junk_or_reordered_parameters_give_the_same_chart(client):
    plain = embed_figure(client, "/indlejr/skole.karakter/udvikling/sammenligning?kommune=101&sammenligningsomraade"
                                 "=skole&noegletal=skole.karakter")
    shuffled = embed_figure(client, "/indlejr/skole.karakter/udvikling/sammenligning?noegletal=skole.karakter&x=1"
                                    "&sammenligningsomraade=skole&kommune=101&utm_source=nyhedsbrev")
    assert shuffled == plain
