"""The presentation view of a page (`?visning=praesentation`), for a webinar host's shared screen.

`praesentation(tree)` takes a page's rendered component tree (components/light.py's plain dicts) and returns it
with every chart drawn in large type (components.charts.praesentation) inside a `.praesentation` frame, headed by
the link "Afslut præsentation". The frame is all the rest needs: assets/praesentation.css hides the header, the
navigation, the pickers and the footer of a page that holds it and gives each section a screen of its own;
assets/praesentation.js steps through the sections and cards with the keys, keeps the step in the address
(`&trin=N`) and points the link at the page without the view. A chart a page's callback draws later goes through
`som_vist(figure, search)` with the address's query (Dash's page router Location, `_pages_location.search`, read as
State), so that it too is in large type in the view. Reads and writes nothing else.
"""
from __future__ import annotations

from urllib.parse import parse_qs

from components import charts
from components.light import html
from kdk.sprog import gettext


def praesentation(tree) -> dict:
    """The page `tree` in the presentation view (a new tree; `tree` is left as it is)."""
    return html.Div([html.A(gettext("Afslut præsentation"), href="?", className="praesentation-afslut",
                            title=gettext("Tilbage til den almindelige visning (Esc)")), _stort(tree)],
                    className="praesentation")


def som_vist(figure: dict, search) -> dict:
    """`figure`, drawn by a callback, as the page at the address with the query `search` shows it: in large type in
    the presentation view, else as it is."""
    query = parse_qs(search.lstrip("?")) if isinstance(search, str) else {}
    return charts.praesentation(figure) if query.get("visning") == ["praesentation"] else figure


def _stort(node):
    """`node` with each chart (a dcc.Graph's figure) in it drawn for the presentation view."""
    if isinstance(node, list):
        return [_stort(child) for child in node]
    if not isinstance(node, dict) or "props" not in node:
        return node
    props = {k: _stort(v) if k == "children" else v for k, v in node["props"].items()}
    if node["type"] == "Graph" and isinstance(props.get("figure"), dict) and "layout" in props["figure"]:
        props["figure"] = charts.praesentation(props["figure"])
        props["style"] = {**props.get("style", {}), **charts.stil(props["figure"])}
    return {**node, "props": props}
