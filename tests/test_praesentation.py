"""Presentation mode over HTTP: any page with ?visning=praesentation, its step (&trin=N) validated with the page's
other values, figures drawn with large type, and a render kept apart from the page's ordinary one."""
from __future__ import annotations

import json

import pytest

from tests.dash_http import find, nodes, render
from tests.test_rendercache import route

PROFIL = "/kommune/101"
DYBDE = "?omraade=befolkning"


@pytest.mark.parametrize("url, status", [
    (f"{PROFIL}?visning=praesentation", 200), (f"{PROFIL}?visning=praesentation&trin=3", 200),
    ("/tema/rekruttering?kommune=101&visning=praesentation&trin=0", 200), ("/?visning=praesentation", 200),
    (f"{PROFIL}?visning=foredrag", 400), (f"{PROFIL}?visning=praesentation&visning=praesentation", 400),
    (f"{PROFIL}?visning=praesentation&trin=-1", 400), (f"{PROFIL}?visning=praesentation&trin=x", 400),
    (f"{PROFIL}?visning=praesentation&trin=1000", 400), (f"{PROFIL}?trin=2", 400),   # a step needs the view
    ("/kommune/999?visning=praesentation", 404),
])
def test_the_view_and_its_step_are_validated_with_the_page(client, url, status):
    r = client.get(url)
    assert r.status_code == status


@pytest.mark.parametrize("search, name, value", [("?visning=foredrag", "visning", "foredrag"),
                                                  ("?visning=praesentation&trin=x", "trin", "x")])
def test_a_refused_view_says_why_in_danish(client, app, search, name, value):
    assert f"Værdien «{value}» er ikke gyldig for «{name}»" in render(client, app, PROFIL, search)


def _fonts(value) -> list[float]:
    """Every font size a figure sets (in a `font`, `tickfont`, `textfont` …), anywhere in it."""
    if isinstance(value, list):
        return [size for v in value for size in _fonts(v)]
    if not isinstance(value, dict):
        return []
    return [size for k, v in value.items() for size in (
        [v["size"]] if k.endswith("font") and isinstance(v, dict) and "size" in v else _fonts(v))]


def _figures(page: str) -> list[dict]:
    return [n["props"]["figure"] for n in nodes(json.loads(page)) if n["type"] == "Graph"]


@pytest.mark.parametrize("path, search", [(PROFIL, DYBDE), ("/tema/rekruttering", "?kommune=101")])
def test_presentation_draws_every_chart_text_at_least_18_px(client, app, path, search):
    normal = _figures(render(client, app, path, search))
    shown = _figures(render(client, app, path, search + "&visning=praesentation"))
    assert shown and len(shown) == len(normal)
    assert min(min(_fonts(f)) for f in normal) < 18   # the ordinary page has small chart text
    for figure in shown:
        layout = figure["layout"]
        assert layout["font"]["size"] >= 18 and layout["title"]["font"]["size"] >= 18
        assert layout["title"]["subtitle"]["font"]["size"] >= 18
        assert all(size >= 18 for size in _fonts(figure)), _fonts(figure)


def test_presentation_has_a_way_out_and_is_kept_apart_from_the_ordinary_render(client, app):
    assert route(client, app, "/kommune/147", "")[0] == "cache;desc=miss"
    mark, body = route(client, app, "/kommune/147", "?visning=praesentation")
    assert mark == "cache;desc=miss" and "Afslut præsentation" in body.decode()
    assert route(client, app, "/kommune/147", "?trin=4&visning=praesentation") == ("cache;desc=hit", body)
    assert "Afslut præsentation" not in route(client, app, "/kommune/147", "")[1].decode()


def test_every_page_has_a_presentation_button(client):
    shell = client.get("/_dash-layout").get_data(as_text=True)
    assert "Præsentation" in shell




@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_views_menu_leads_to_each_data_area_in_the_view_at_its_first_step(client, app, prefix):
    """The profile's data-area tabs are hidden with the pickers in the view; its menu holds them, each leading to that
    area in the view (with the chosen year, without the step shown now), on the English site to English pages."""
    page = json.loads(render(client, app, f"{prefix}{PROFIL}", f"{DYBDE}&aar=2023&visning=praesentation&trin=3"))
    menu = find(page, lambda d: "praesentation-menu" in str(d.get("className")))
    links = [n["props"]["href"] for n in nodes(menu) if n["type"] == "Link"]
    assert len(links) == 11   # the overview and the 10 areas an anonymous visitor sees
    assert f"{prefix}{PROFIL}?omraade=skole&aar=2023&visning=praesentation" in links
    assert f"{prefix}{PROFIL}?aar=2023&visning=praesentation" in links
    assert all(link.startswith(f"{prefix}{PROFIL}?") and link.endswith("visning=praesentation") for link in links)
