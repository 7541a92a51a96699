"""Attacks found from outside on the request guard: a callback payload whose inputs are not the callback's own
(which poisoned the kept renders of other visitors' pages, or crashed Dash with a 500), HEAD requests past the
pages' checks, open prefixes answered with the app's shell, and a tab smuggled into the API's CSV refusal."""
from __future__ import annotations

import pytest

from tests.dash_http import render

ROUTER = ".._pages_content.children..._pages_store.data.."
OUTPUTS = [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}]


def _router(*inputs) -> dict:
    return {"output": ROUTER, "outputs": OUTPUTS, "inputs": list(inputs), "state": [],
            "changedPropIds": ["_pages_location.pathname"]}


def _input(id_, prop, value) -> dict:
    return {"id": id_, "property": prop, "value": value}


@pytest.mark.parametrize("body", [
    # inputs that are not the callback's (Dash passes them by position, the kept renders keyed them by name)
    _router(_input("_pages_location", "pathname", "/kommune/849"), _input("x", "y", "?aar=Flyttet-til-evil")),
    _router(_input("_pages_location", "pathname", "/kommune/147"), _input("_pages_location", "pathname",
                                                                          "/kommune/851")),
    _router({}, {}), _router([], []),
    # values of the wrong type for the router
    _router(_input("_pages_location", "pathname", None), _input("_pages_location", "search", "")),
    _router(_input("_pages_location", "pathname", 7), _input("_pages_location", "search", "")),
    _router(_input("_pages_location", "pathname", "/kommune/101"), _input("_pages_location", "search", ["x"])),
])
def test_a_callback_call_with_inputs_that_are_not_the_callbacks_own_is_refused(client, app, body):
    client.get("/")
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 400
    assert response.get_json() == {"fejl": "Ugyldig forespørgsel til serveren."}


def test_a_forged_router_call_cannot_change_the_page_other_visitors_get(client, app):
    client.get("/")
    forged = _router(_input("_pages_location", "pathname", "/kommune/860"),
                     _input("x", "y", "?aar=Siden-er-flyttet-til-evil.example"))
    client.post("/_dash-update-component", json=forged)   # first: a page no one has asked for yet
    after = render(client, app, "/kommune/860")
    assert "evil.example" not in after and "Hjørring" in after


@pytest.mark.parametrize("method", ["HEAD", "GET"])
@pytest.mark.parametrize("path", ["/publicering", "/Publicering", "/publicering/"])
def test_the_publication_page_is_not_found_by_any_method(client, method, path):
    assert client.open(path, method=method).status_code == 404


def test_the_publication_pages_shell_is_that_of_an_unknown_address(client):
    shell = client.get("/publicering").get_data(as_text=True)
    unknown = client.get("/findes-ikke").get_data(as_text=True)
    assert "Publicering" not in shell
    assert shell.replace("/publicering", "/findes-ikke").split("end_id")[0] == unknown.split("end_id")[0]


@pytest.mark.parametrize("path", ["/eksport/", "/eksport/a/b", "/eksport/kdk-release-x.zip"])
def test_the_download_prefix_answers_404_to_anonymous(client, path):
    assert client.get(path).status_code == 404


def test_a_tab_in_a_value_the_api_repeats_stays_inside_one_quoted_cell(client):
    response = client.get("/api/v1/data?noegletal=x%09%3D1%2B1&format=csv")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    for line in text.splitlines():
        for cell in line.replace("\t", ";").split(";"):
            assert not cell.strip('"').startswith(("=", "+", "-", "@")), text


@pytest.mark.parametrize("path, search", [("/kommune/101", "?visning=praesentation&trin=1%D9%A3"),
                                          ("/kommune/101", "?omraade=personale&side=%D9%A2"),
                                          ("/api/v1/data", "?noegletal=befolkning.indbyggere&pr_side=%D9%A2")])
def test_a_number_in_another_script_is_an_invalid_value(client, path, search):
    """Python's \\d also matches Arabic-Indic digits (and int() reads them): a step, page or page size written so is
    refused like any other invalid value, not passed on to viewers or the query."""
    assert client.get(path + search).status_code == 400
