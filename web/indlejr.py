"""/indlejr/<noegletal_id>/<art>?aar=<år>: one chart of a key figure's page, alone, for other sites to frame;
/indlejr/<noegletal_id>/<art><page address>: the chart of that kind and key figure on a page (SIDER), alone.

`art` is `udvikling` (the whole country and the regions over time), `rangering` (every municipality in a year) or
`kort` (the map for a year); `aar` picks the year of the last two (default: the newest). The page holds the chart
as the key figure's page draws it (components/aarsgrafer.py, components/udvikling.py), its title, unit, period and
source, whether it is demo data, and a link back to the figure's page; assets/deling.js draws it with the app's own
Plotly.

Followed by a page's address (path and query, e.g. `/kommune/101?omraade=skole`, `/tema/boern-og-unge?kommune=751`,
`/sammenligning?kommune=101&…`), the embed is exactly the chart that page shows of the key figure and `art`
(components/charts.ARTER: the chart's layout.meta.art, which components/hent.py's "Indlejr" button names): the page
is rendered for the public and the chart taken from it, so the values, periods and scale are the page's. The page's
own checks answer a bad query value (a 400, or its 404), and a chart the public page does not show is 404.

An embed is public whoever asks: it reads with the public scope (kdk.queries.scope.ANONYMOUS), so a restricted
figure, or one whose values are all under embargo, is 404 also to a signed-in user with the right to it; a bad
`art` or `aar` is a 404 or 400 with its reason. This route alone may be framed by other sites (web/headers.py,
`frame-ancestors *`); its charts are kept per release (kdk.queries.cache) like the pages' renders.

Under /en (`/en/indlejr/…`) the embed is English: its texts, the chart as the English page draws it (titles, axes,
number format) and the link back to the English page.

Reads kdk.queries with the public scope; writes nothing.
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup
from plotly.io.json import to_json_plotly

from components import hent
from components.aarsgrafer import aarsgrafer
from components.charts import ARTER as SIDEARTER
from components.charts import config
from components.udvikling import NIVEAU, udvikling
from kdk import periods, sprog
from kdk.queries import katalog
from kdk.queries import noegletal as q
from kdk.queries.cache import cached
from kdk.queries.scope import ANONYMOUS
from kdk.sprog import N_, adresse, gettext
from web import guard, links, rendercache, viewer

indlejr = Blueprint("indlejr", __name__)
ARTER = {"udvikling": N_("Udviklingen i hele landet og regionerne"), "rangering": N_("Alle kommuner"),
         "kort": N_("Kort over kommunerne")}
MED_AAR = ("rangering", "kort")
SIDER = ("pages.forside", "pages.kommune", "pages.tema", "pages.sammenligning", "pages.noegletal_side")
IKKE_OFFENTLIGT = N_("Diagrammet findes ikke, eller det er ikke offentligt.")


class Fejl(Exception):
    """An embed that cannot be shown: its reason, in the active language, and an HTTP status."""

    def __init__(self, tekst: str, status: int):
        super().__init__(tekst)
        self.status = status


def _periode(noegletal_id: str, art: str, aar: str | None) -> str | None:
    """The year the chart shows (None for the development over time); Fejl for a figure, art or year that is not
    public or does not exist."""
    if katalog.meta(ANONYMOUS, noegletal_id) is None or art not in ARTER:
        raise Fejl(gettext(IKKE_OFFENTLIGT), 404)
    years = q.perioder(ANONYMOUS, noegletal_id)
    if not years:
        raise Fejl(gettext("Der er endnu ingen offentlige tal for nøgletallet."), 404)
    if aar is not None and (art not in MED_AAR or aar not in years):
        raise Fejl(gettext("Året «{aar}» findes ikke for diagrammet. Gyldige år: {gyldige}.").format(
            aar=aar, gyldige=", ".join(years)), 400)
    return (aar or years[0]) if art in MED_AAR else None


@cached
def figur(noegletal_id: str, art: str, periode: str | None) -> str:
    """The chart as JSON, made as the key figure's page makes it, for the public."""
    meta, serier = katalog.meta(ANONYMOUS, noegletal_id), katalog.serier(ANONYMOUS, noegletal_id)
    if art == "udvikling":
        figure, _, _ = udvikling(ANONYMOUS, meta, serier, {"kommuner": [], "skala": NIVEAU})
    else:
        ranking, kort = aarsgrafer(ANONYMOUS, meta, serier, periode)
        figure = ranking if art == "rangering" else kort
    return to_json_plotly({**figure, "config": config()})


@cached
def sidefigur(noegletal_id: str, art: str, path: str, query: tuple[tuple[str, str], ...]) -> str | None:
    """The chart on the page at `path` with `query`, rendered for the public, whose "Indlejr" button names this
    embed (components/hent.py), as JSON; None where the page shows no such chart. The caller has checked the
    address and made the scope public."""
    page, path_values = guard.page_for(path)
    wanted = sprog.adresse(hent.indlejr_adresse(noegletal_id, art))   # as the page names it in its language
    for figure in _komponenter(page["layout"](**path_values, **dict(query)), "Figure"):
        if any(b["props"].get("data-indlejr") == wanted for b in _komponenter(figure, "Button")):
            graph = next(_komponenter(figure, "Graph"))
            return to_json_plotly({**graph["props"]["figure"], "config": config()})
    return None


def _komponenter(tree, type_: str):
    """The components of `type_` in a rendered layout (the dicts of components/light.py), depth first."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list | tuple):
            stack.extend(reversed(node))
        elif isinstance(node, dict) and "props" in node:
            if node.get("type") == type_:
                yield node
            stack.extend(reversed(list(node["props"].values())))


def _side(noegletal_id: str, art: str, side: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The page address of a page chart's embed, checked: Fejl for a key figure or art that cannot be embedded, a
    page whose charts do not embed, or a query the page refuses (the page's own Danish answer and status)."""
    path = "/" + side
    found = guard.page_for(path)
    if katalog.meta(ANONYMOUS, noegletal_id) is None or art not in SIDEARTER or found is None \
            or found[0]["module"] not in SIDER:
        raise Fejl(gettext(IKKE_OFFENTLIGT), 404)
    problem = guard.page_problem(path, request.args.to_dict(flat=False))
    if problem is not None:
        raise Fejl(f"{problem.titel}. {problem.tekst}", problem.status)
    # The values the page reads, as its kept renders name them: junk or reordered parameters share one chart.
    return path, rendercache.page_query(path, "?" + request.query_string.decode("utf-8", "replace")) or ()


@indlejr.get("/indlejr/<noegletal_id>/<art>")
@indlejr.get("/indlejr/<noegletal_id>/<art>/", defaults={"side": ""})   # the front page's
@indlejr.get("/indlejr/<noegletal_id>/<art>/<path:side>")
def graf(noegletal_id: str, art: str, side: str | None = None):
    viewer.keeping(ANONYMOUS)   # an embed is public whoever asks: the page it is taken from is the public's
    try:
        if side is None:
            periode = _periode(noegletal_id, art, request.args.get("aar"))
            chart, tilbage = figur(noegletal_id, art, periode), f"/noegletal/{noegletal_id}"
        else:
            path, query = _side(noegletal_id, art, side)
            periode, chart = None, sidefigur(noegletal_id, art, path, query)
            tilbage = path + (f"?{urlencode(query)}" if query else "")
            if chart is None:
                raise Fejl(gettext(IKKE_OFFENTLIGT), 404)
    except Fejl as exc:
        return Response(render_template("indlejr.html", fejl=str(exc)), status=exc.status)
    meta = katalog.meta(ANONYMOUS, noegletal_id)
    # The JSON sits in a <script type="application/json">: no "<" may end it early.
    data = Markup(chart.replace("<", "\\u003c").replace(">", "\\u003e"))
    return render_template("indlejr.html", meta=meta, art=gettext(SIDEARTER[art] if side else ARTER[art]), data=data,
                           periode=periods.label(periode) if periode else None,
                           tilbage=links.absolute(adresse(tilbage)))
