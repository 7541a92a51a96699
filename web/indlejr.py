"""/indlejr/<noegletal_id>/<art>?aar=<år>: one chart of a key figure's page, alone, for other sites to frame.

`art` is `udvikling` (the whole country and the regions over time), `rangering` (every municipality in a year) or
`kort` (the map for a year); `aar` picks the year of the last two (default: the newest). The page holds the chart
as the key figure's page draws it (components/aarsgrafer.py, components/udvikling.py), its title, unit, period and
source, whether it is demo data, and a link back to the figure's page; assets/deling.js draws it with the app's own
Plotly.

An embed is public whoever asks: it reads with the public scope (kdk.queries.scope.ANONYMOUS), so a restricted
figure, or one whose values are all under embargo, is 404 also to a signed-in user with the right to it; a bad
`art` or `aar` is a Danish 404 or 400. This route alone may be framed by other sites (web/headers.py,
`frame-ancestors *`); its charts are kept per release (kdk.queries.cache) like the pages' renders.

Reads kdk.queries with the public scope; writes nothing.
"""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup
from plotly.io.json import to_json_plotly

from components.aarsgrafer import aarsgrafer
from components.charts import CONFIG
from components.udvikling import NIVEAU, udvikling
from kdk import periods
from kdk.queries import katalog
from kdk.queries import noegletal as q
from kdk.queries.cache import cached
from kdk.queries.scope import ANONYMOUS
from web import links

indlejr = Blueprint("indlejr", __name__)
ARTER = {"udvikling": "Udviklingen i hele landet og regionerne", "rangering": "Alle kommuner",
         "kort": "Kort over kommunerne"}
MED_AAR = ("rangering", "kort")


class Fejl(Exception):
    """An embed that cannot be shown: Danish text and an HTTP status."""

    def __init__(self, tekst: str, status: int):
        super().__init__(tekst)
        self.status = status


def _periode(noegletal_id: str, art: str, aar: str | None) -> str | None:
    """The year the chart shows (None for the development over time); Fejl for a figure, art or year that is not
    public or does not exist."""
    if katalog.meta(ANONYMOUS, noegletal_id) is None or art not in ARTER:
        raise Fejl("Diagrammet findes ikke, eller det er ikke offentligt.", 404)
    years = q.perioder(ANONYMOUS, noegletal_id)
    if not years:
        raise Fejl("Der er endnu ingen offentlige tal for nøgletallet.", 404)
    if aar is not None and (art not in MED_AAR or aar not in years):
        raise Fejl(f"Året «{aar}» findes ikke for diagrammet. Gyldige år: {', '.join(years)}.", 400)
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
    return to_json_plotly({**figure, "config": CONFIG})


@indlejr.get("/indlejr/<noegletal_id>/<art>")
def graf(noegletal_id: str, art: str):
    try:
        periode = _periode(noegletal_id, art, request.args.get("aar"))
    except Fejl as exc:
        return Response(render_template("indlejr.html", fejl=str(exc)), status=exc.status)
    meta = katalog.meta(ANONYMOUS, noegletal_id)
    # The JSON sits in a <script type="application/json">: no "<" may end it early.
    data = Markup(figur(noegletal_id, art, periode).replace("<", "\\u003c").replace(">", "\\u003e"))
    return render_template("indlejr.html", meta=meta, art=ARTER[art], data=data,
                           periode=periods.label(periode) if periode else None,
                           tilbage=links.absolute(f"/noegletal/{noegletal_id}"))
