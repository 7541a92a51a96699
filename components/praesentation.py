"""The presentation view of a page (`?visning=praesentation`), for a webinar host's shared screen.

`praesentation(tree)` takes a page's rendered component tree (components/light.py's plain dicts) and returns it
with every chart drawn in large type (components.charts.praesentation) inside a `.praesentation` frame, headed by
the link "Afslut præsentation" and, on a page whose tabs are marked MENU (the profile's data areas, which sit among
the pickers the view hides), a menu of those tabs whose links stay in the view at its first step. The frame is all
the rest needs: assets/praesentation.css hides the header, the navigation, the pickers and the footer of a page
that holds it and gives each section a screen of its own; assets/praesentation.js steps through the sections and
cards with the keys, keeps the step in the address (`&trin=N`) and points the link at the page without the view.
A chart a page's callback draws later goes through
`som_vist(figure, search)` with the address's query (Dash's page router Location, `_pages_location.search`, read as
State), so that it too is in large type in the view. Reads and writes nothing else.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

from components import charts
from components.light import html
from kdk.sprog import gettext

MENU = "praesentation-faner"   # the class of a page's tabs (an html.Nav of dcc.Links) that the view offers as its menu
VISNING = "praesentation"      # the view's value of `visning` (web.guard.VISNINGER)


def praesentation(tree) -> dict:
    """The page `tree` in the presentation view (a new tree; `tree` is left as it is)."""
    hjoerne = [html.A(gettext("Afslut præsentation"), href="?", className="praesentation-afslut",
                      title=gettext("Tilbage til den almindelige visning (Esc)")), _menu(tree)]
    return html.Div([html.Div(hjoerne, className="praesentation-hjoerne"), _stort(tree)], className="praesentation")


def _menu(tree) -> dict | None:
    """The first tabs in `tree` marked MENU as the view's menu: a disclosure headed by the tabs' name and the active
    tab, holding a copy of each tab whose address is its page in the view, at the first step (no `trin`)."""
    faner = next((n for n in _noder(tree) if MENU in str(n["props"].get("className", "")).split()), None)
    if faner is None:
        return None
    props = faner["props"]
    navn = props.get("aria-label", "")
    links = [{**link, "props": {**link["props"], "href": i_visningen(link["props"]["href"])}}
             for link in props["children"]]
    aktiv = next((link["props"]["children"] for link in links if "aktiv" in link["props"].get("className", "")), "")
    return html.Details([html.Summary(f"{navn}: {aktiv}" if aktiv else navn),
                         html.Nav(links, className="faner", **{"aria-label": navn})],
                        className="praesentation-menu")


def i_visningen(href: str) -> str:
    """The page at the address `href` in the presentation view, at its first step."""
    adresse = urlsplit(href)
    query = [(k, v) for k, vs in parse_qs(adresse.query).items() if k not in ("visning", "trin") for v in vs]
    return f"{adresse.path}?{urlencode([*query, ('visning', VISNING)])}"


def _noder(node):
    """Every component in `node`, depth first in page order."""
    if isinstance(node, list):
        for child in node:
            yield from _noder(child)
    elif isinstance(node, dict) and "props" in node:
        yield node
        yield from _noder(node["props"].get("children"))


def som_vist(figure: dict, search) -> dict:
    """`figure`, drawn by a callback, as the page at the address with the query `search` shows it: in large type in
    the presentation view, else as it is."""
    query = parse_qs(search.lstrip("?")) if isinstance(search, str) else {}
    return charts.praesentation(figure) if query.get("visning") == [VISNING] else figure


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
