"""Every component a page sends is one Dash has, with properties it knows: what Dash's component classes check when
they are made, checked here for the light components (components/light.py) that skip that check."""
from __future__ import annotations

import json

import pytest
from dash import dcc, html

from tests.dash_http import nodes, render

LIBRARIES = {"dash_html_components": html, "dash_core_components": dcc}
PAGES = [("/", ""), ("/kommune/101", ""), ("/kommune/101", "?omraade=skole"),
         ("/kommune/851", "?omraade=beskaeftigelse"), ("/tema/rekruttering", "?kommune=101"),
         ("/sammenligning", "?kommune=101&sammenligningsomraade=skole"), ("/noegletal", ""),
         ("/noegletal/skole.karakter", ""),
         ("/datastatus", ""), ("/temaer", "")]


def unknown(node: dict) -> list[str]:
    """What Dash would refuse in one rendered component: an unknown type, or properties its class does not take."""
    library = LIBRARIES.get(node["namespace"])
    if library is None:
        return []   # another library's component (none today), checked by its own classes
    cls = getattr(library, node["type"], None)
    if cls is None:
        return [f"{node['namespace']}.{node['type']}"]
    try:
        cls(**node["props"])   # the class checks the properties' names as it is made
    except TypeError as exc:
        return [f"{node['type']}: {exc}"]
    return []


@pytest.mark.parametrize("path, search", PAGES)
def test_every_component_is_one_dash_knows_with_properties_it_has(client, app, path, search):
    page = json.loads(render(client, app, path, search))
    components = list(nodes(page))
    assert len(components) > 10
    assert [problem for node in components for problem in unknown(node)] == []


def test_the_check_finds_a_misspelt_property_and_an_unknown_component():
    misspelt = {"namespace": "dash_html_components", "type": "Div", "props": {"classname": "x"}}
    assert len(unknown(misspelt)) == 1 and "classname" in unknown(misspelt)[0]
    assert unknown({"namespace": "dash_core_components", "type": "Lnk", "props": {}}) == ["dash_core_components.Lnk"]
    assert unknown({"namespace": "dash_html_components", "type": "Span", "props": {"aria-hidden": "true"}}) == []


@pytest.mark.parametrize("path, search", PAGES)
def test_every_page_is_plain_values_that_orjson_writes_directly(app, path, search):
    """A page made of plain values is written by orjson as it is (app.py); a Dash component object in it would send
    every answer of the page through plotly's slow conversion first."""
    import dash
    import orjson

    from web.guard import _template_regex

    for page in dash.page_registry.values():
        template = page.get("path_template")
        match = _template_regex(template).match(path) if template else (path == page["path"] or None)
        if match:
            break
    query = dict(part.split("=", 1) for part in search.lstrip("?").split("&") if part)
    with app.server.test_request_context(path + search):
        tree = page["layout"](**(match.groupdict() if template else {}), **query)
    orjson.dumps(tree, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)   # raises for any other object
