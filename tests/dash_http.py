"""Talking to the app as the Dash renderer does, over the Flask test client, and reading what it answers.

Helpers for the tests, not fixtures (those are in conftest.py): a callback POSTed with its inputs and state, a page
rendered by Dash's router callback, and searches through the JSON trees that come back. Reads nothing but the app's
answers; writes nothing.
"""
from __future__ import annotations

import copy
import functools
import json
import operator


def outputs(key: str) -> list | dict:
    """The payload's outputs for a callback map key: an object for one, a list for several (`@…`, which Dash adds
    to an output allowed in more than one callback, removed)."""
    outs = [{"id": o.rsplit(".", 1)[0].split("@")[0], "property": o.rsplit(".", 1)[1].split("@")[0]}
            for o in (key.strip(".").split("...") if key.startswith("..") else [key])]
    return outs if key.startswith("..") else outs[0]


def call(client, app, inputs: dict, state: dict | None = None, changed: str | None = None):
    """POST a callback as the Dash renderer does; `inputs`/`state` map 'id.property' to a value, and `changed` is
    the input that fired it (the first by default)."""
    state = state or {}
    if not app.callback_map:
        client.get("/")   # Dash registers the pages' callbacks on the app's first request
    key = next(k for k, v in app.callback_map.items()
               if [f"{i['id']}.{i['property']}" for i in v["inputs"]] == list(inputs))
    split = [(k.rsplit(".", 1), v) for k, v in inputs.items()]
    body = {
        "output": key, "outputs": outputs(key),
        "inputs": [{"id": i, "property": p, "value": v} for (i, p), v in split],
        "state": [{"id": k.rsplit(".", 1)[0], "property": k.rsplit(".", 1)[1], "value": v} for k, v in state.items()],
        "changedPropIds": [changed or list(inputs)[0]],
    }
    return client.post("/_dash-update-component", json=body)


def render(client, app, path: str, search: str = "") -> str:
    """The page content the router callback returns for a URL, as JSON text."""
    r = call(client, app, {"_pages_location.pathname": path, "_pages_location.search": search})
    assert r.status_code == 200, r.data[:300]
    return json.dumps(r.get_json(), ensure_ascii=False)


def choose(client, app, param: str, value, context: dict):
    """The comparison page's pattern-matching callback, as the renderer calls it for one changed control."""
    client.get("/")   # callbacks are registered with the app on its first request
    key = next(k for k, v in app.callback_map.items() if "sammenligning-valg" in str(v["inputs"][0]["id"]))
    control = {"type": "sammenligning-valg", "param": param}
    body = {"output": key, "outputs": outputs(key),
            "inputs": [[{"id": control, "property": "value", "value": value}]],
            "state": [{"id": "sammenligning-kontekst", "property": "data", "value": context}],
            "changedPropIds": [json.dumps(control, separators=(",", ":"), sort_keys=True) + ".value"]}
    return client.post("/_dash-update-component", json=body)


def href(response) -> str:
    """The address a callback's answer sends the browser to."""
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["response"]["nav"]["href"]


def found(tree, wanted):
    """Every dict in a JSON tree (a rendered page, a callback's answer) for which `wanted` is true, depth first."""
    if isinstance(tree, dict):
        if wanted(tree):
            yield tree
        for value in tree.values():
            yield from found(value, wanted)
    elif isinstance(tree, list):
        for value in tree:
            yield from found(value, wanted)


def nodes(tree):
    """Every Dash component (dict with type and props) in a rendered tree, depth first."""
    return found(tree, lambda d: "props" in d and "type" in d)


def find(node, test):
    """The first object in a rendered layout (JSON), depth first, for which `test` holds; or None."""
    return next(found(node, test), None)


def find_figure(node):
    """The first figure (with data) in a rendered layout; or None."""
    hit = find(node, lambda d: isinstance(d.get("figure"), dict) and "data" in d["figure"])
    return hit["figure"] if hit else None


def find_id(node, component_id: str):
    """The props of the component with this id."""
    return find(node, lambda d: d.get("id") == component_id)


def texts(node) -> list[str]:
    """The text of a rendered component, piece by piece."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [t for n in node for t in texts(n)]
    return texts(node.get("props", {}).get("children", [])) if isinstance(node, dict) else []


def patched(figure: dict, patch: dict) -> dict:
    """`figure` after a dash.Patch as the browser gets it (its operations, here only assignments)."""
    result = copy.deepcopy(figure)
    for op in patch["operations"]:
        assert op["operation"] == "Assign", op
        *path, last = op["location"]
        functools.reduce(operator.getitem, path, result)[last] = op["params"]["value"]
    return result
