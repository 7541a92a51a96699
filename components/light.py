"""Light Dash components: `html.Div([...], className="x")` built directly as the JSON the Dash renderer reads
(`{"type": "Div", "namespace": "dash_html_components", "props": {...}}`), not as a Dash component object.

A component object checks its properties when it is made and is turned back into this JSON for every answer:
about 15 µs a component, and a profile has hundreds of them (a card is made of many, and the overview shows up to
8 cards per data area, pages/kommune.py KORT_I_OVERBLIK). So the pages and components import
`html` and `dcc` from here instead of from dash: the code reads the same and the JSON is the same, and an answer
made only of plain values is written by orjson directly (app.py), five times faster than Dash's own encoder. A
component is a dict: `node["props"]["children"]`, not `node.children`. What the component classes would have
checked, the tests check on every page (tests/test_components.py): each component is one Dash has, with
properties it knows.
"""
from __future__ import annotations

import functools
from collections.abc import Callable

from components.vaelgere import standard


def _component(type_: str, namespace: str, children=None, **props) -> dict:
    if children is not None:
        props["children"] = children
    return {"type": type_, "namespace": namespace, "props": props}


class _Library:
    """`library.Div(children, **props)` for any component name, as dash.html.Div would be called; `defaults` gives
    a component's properties where the caller does not, made at each call (a picker's texts in the page's language,
    components/vaelgere.py)."""

    def __init__(self, namespace: str, defaults: dict[str, Callable[[], dict]] | None = None):
        self._namespace = namespace
        self._defaults = defaults or {}

    def __getattr__(self, type_: str):
        return functools.partial(_component, type_, self._namespace, **self._defaults.get(type_, dict)())


html = _Library("dash_html_components")
dcc = _Library("dash_core_components", {"Dropdown": standard})
