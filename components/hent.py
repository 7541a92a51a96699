"""A chart with its downloads: the data behind it as CSV (the databank format) and Excel through /api/v1, the
picture through the chart's modebar (PNG or SVG, components/charts.config), and an "Indlejr" button that gives the
<iframe> snippet of the chart's embed (web/indlejr.py, assets/deling.js). The links carry exactly the key
figure, areas and periods the chart shows, and the API applies the same suppression and access rules as the screen.
The graph and the figure around it carry the chart's height (charts.stil, charts.omkring).

Every chart has a Diagram | Tabel switch (two buttons with aria-pressed): "Tabel" shows, in place of the chart, an
accessible HTML table of the same rows the CSV link gives, fetched from that link in the API's `html` format when
asked for (assets/tabeltvilling.js), so a page of 40 charts renders no table up front and a caption a callback
redraws keeps the table in step. The figure is named by the chart's title and described by one sentence of what
it shows (components/resume.py), both in its caption, so a callback that redraws the caption redraws them too.

A chart of key-figure values (`graf`, `links`) gets its data from /api/v1/data; any other chart (`tvilling`,
`billedtekst`) names its own address of the data in each format (an `Adresse`), e.g. the comparison matrix's
/api/v1/sammenligning. Every address is in the active language (kdk.sprog.adresse: `lang=en` on an English page),
as callbacks redraw captions outside the page's layout."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import partial
from urllib.parse import quote, urlencode

from components.charts import config, omkring, stil
from components.light import dcc, html
from components.resume import resume
from kdk.sprog import N_, gettext
from kdk.sprog import adresse as paa_sproget

VISNINGER = {"diagram": N_("Diagram"), "tabel": N_("Tabel")}   # the switch's views (data-visning) and labels
Adresse = Callable[[str], str]   # the address of a chart's data in a format: csv, xlsx (html: the "Tabel" view)


def data_url(noegletal: str, omraader: list[str] | str, perioder: list[str] | None, fmt: str,
             indeks: str | None = None) -> str:
    """/api/v1/data's address of a key figure's values in areas and periods; `indeks`: as an index with that
    period = 100."""
    query = {"noegletal": noegletal, "kommune": omraader if isinstance(omraader, str) else ",".join(omraader),
             "format": fmt}
    if perioder:
        query["periode"] = ",".join(perioder)
    if indeks:
        query["indeks"] = indeks
    return "/api/v1/data?" + urlencode(query)


def sammenligning_url(omraade: str, aar: int, sorter: str, fremhaev: str, fmt: str) -> str:
    """The comparison matrix's cells (/api/v1/sammenligning) in the matrix's order; its table marks the municipality
    `fremhaev`, as the matrix does."""
    return "/api/v1/sammenligning?" + urlencode({"sammenligningsomraade": omraade, "aar": aar, "sorter": sorter,
                                                 "fremhaev": fremhaev, "format": fmt})


def links(figure: dict, noegletal: str, omraader: list[str] | str, perioder: list[str] | None, navn: str) -> list:
    """The caption's content for a chart of key-figure values (`billedtekst` with /api/v1/data's addresses)."""
    return billedtekst(figure, partial(data_url, noegletal, omraader, perioder), navn, noegletal)


def billedtekst(figure: dict, adresse: Adresse, navn: str, noegletal: str | None = None) -> list:
    """The caption's content: for screen readers the chart's title and a sentence of what it shows (the figure
    `navn`'s aria-labelledby and aria-describedby, see `tvilling`), then the CSV and Excel links for exactly the
    chart's data (`adresse`), where the picture is, and, for a chart of the key figure `noegletal`, its embed."""
    title = figure["layout"]["title"]["text"] or gettext("diagrammet")
    return [
        html.Span(title, id=f"{navn}-titel", className="visually-hidden"),
        html.Span(resume(figure), id=f"{navn}-resume", className="visually-hidden"),
        gettext("Hent data: "),
        html.A("CSV", href=paa_sproget(adresse("csv")), download="",
               title=gettext("Data bag {titel} i Danmarks Statistiks CSV-format").format(titel=title),
               **{"aria-label": f"CSV: {title}"}),
        " · ",
        html.A("Excel", href=paa_sproget(adresse("xlsx")), download="",
               title=gettext("Data bag {titel} som Excel-ark").format(titel=title),
               **{"aria-label": f"Excel: {title}"}),
        html.Span(" · " + gettext("Billede: knapperne i diagrammets hjørne (PNG eller SVG)"), className="hent-note"),
        *(_indlejr(figure, noegletal) if noegletal else []),
    ]


def indlejr_adresse(noegletal: str, art: str) -> str:
    """The address of a chart's embed, less the page's own (web/indlejr.py)."""
    return f"/indlejr/{quote(noegletal, safe='')}/{art}"


def _indlejr(figure: dict, noegletal: str) -> list:
    """The "Indlejr" button: its `data-indlejr` is the embed's address less the page's own (path and query), which
    assets/deling.js adds when it gives the <iframe> snippet; the embed answers only for a public figure."""
    art = figure["layout"].get("meta", {}).get("art")
    if not art:
        return []
    title = figure["layout"]["title"]["text"] or gettext("diagrammet")
    return [" · ", html.Button(gettext("Indlejr"), type="button", className="indlejr-knap", **{
        "data-indlejr": paa_sproget(indlejr_adresse(noegletal, art)), "aria-expanded": "false",
        "aria-label": gettext("Indlejr: {titel}").format(titel=title)})]


def skifter() -> dict:
    """The Diagram | Tabel switch: two buttons, the pressed one says what is shown (assets/tabeltvilling.js)."""
    return html.Div([html.Button(gettext(label), type="button", className="tvilling-knap",
                                 **{"data-visning": visning, "aria-pressed": str(visning == "diagram").lower()})
                     for visning, label in VISNINGER.items()],
                    role="group", className="tvilling-skifter",
                    **{"aria-label": gettext("Vis som diagram eller tabel")})


def graf(figure: dict, noegletal: str, omraader: list[str] | str, perioder: list[str] | None, class_name: str = "graf",
         **graph_props) -> dict:
    """A chart of key-figure values (`tvilling` with /api/v1/data's addresses)."""
    return tvilling(figure, partial(data_url, noegletal, omraader, perioder), class_name, noegletal, **graph_props)


def tvilling(figure: dict, adresse: Adresse, class_name: str = "graf", noegletal: str | None = None,
             **graph_props) -> dict:
    """The chart with its Diagram | Tabel switch, the (empty until asked for) table and its caption with the links
    to its data (`adresse`; `billedtekst`); a chart with an `id` has its caption at `<id>-hent`, for a callback to
    update with `billedtekst(..., navn=<id>)`."""
    caption = {"id": f"{graph_props['id']}-hent"} if "id" in graph_props else {}
    title = figure["layout"]["title"]["text"] or gettext("diagrammet")
    navn = graph_props.get("id") or _navn(figure, adresse("csv"))
    return html.Figure([skifter(),
                        dcc.Graph(figure=figure, config=config(), style=stil(figure), **graph_props),
                        html.Div(className="tvilling-tabel", hidden=True, tabIndex="0", role="region",
                                 **{"aria-label": gettext("Tabel: {titel}").format(titel=title)}),
                        html.Figcaption(billedtekst(figure, adresse, navn, noegletal), className="hent", **caption)],
                       className=f"{class_name} tvilling", style=omkring(figure),
                       **{"aria-labelledby": f"{navn}-titel", "aria-describedby": f"{navn}-resume"})


def _navn(figure: dict, url: str) -> str:
    """A name for a chart without an id, the same at every render: from its title, subtitle and data."""
    key = json.dumps([figure["layout"]["title"], url], sort_keys=True, ensure_ascii=False)
    return "graf-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
