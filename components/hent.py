"""A chart with its downloads: the data behind it as CSV (the databank format) and Excel through /api/v1, the
picture through the chart's modebar (PNG or SVG, components/charts.CONFIG), and an "Indlejr" button that gives the
<iframe> snippet of the chart's embed (web/indlejr.py, assets/deling.js). The links carry exactly the key
figure, areas and periods the chart shows, and the API applies the same suppression and access rules as the screen.
The graph and the figure around it carry the chart's height (charts.stil, charts.omkring).

Every chart has a Diagram | Tabel switch (two buttons with aria-pressed): "Tabel" shows, in place of the chart, an
accessible HTML table of the same rows the CSV link gives, fetched from that link in the API's `html` format when
asked for (assets/tabeltvilling.js), so a page of 40 charts renders no table up front and a caption a callback
redraws keeps the table in step. The figure is named by the chart's title and described by one sentence of what
it shows (components/resume.py), both in its caption, so a callback that redraws the caption redraws them too."""
from __future__ import annotations

import hashlib
import json
from urllib.parse import quote, urlencode

from components.charts import CONFIG, omkring, stil
from components.light import dcc, html
from components.resume import resume


def data_url(noegletal: str, omraader: list[str] | str, perioder: list[str] | None, fmt: str) -> str:
    query = {"noegletal": noegletal, "kommune": omraader if isinstance(omraader, str) else ",".join(omraader),
             "format": fmt}
    if perioder:
        query["periode"] = ",".join(perioder)
    return "/api/v1/data?" + urlencode(query)


def links(figure: dict, noegletal: str, omraader: list[str] | str, perioder: list[str] | None, navn: str) -> list:
    """The caption's content: for screen readers the chart's title and a sentence of what it shows (the figure
    `navn`'s aria-labelledby and aria-describedby, see `graf`), then the CSV and Excel links for exactly the chart's
    data, and where the picture is."""
    title = figure["layout"]["title"]["text"] or "diagrammet"
    return [
        html.Span(title, id=f"{navn}-titel", className="visually-hidden"),
        html.Span(resume(figure), id=f"{navn}-resume", className="visually-hidden"),
        "Hent data: ",
        html.A("CSV", href=data_url(noegletal, omraader, perioder, "csv"), download="",
               title=f"Data bag {title} i Danmarks Statistiks CSV-format", **{"aria-label": f"CSV: {title}"}),
        " · ",
        html.A("Excel", href=data_url(noegletal, omraader, perioder, "xlsx"), download="",
               title=f"Data bag {title} som Excel-ark med definition og kilde", **{"aria-label": f"Excel: {title}"}),
        html.Span(" · Billede: knapperne i diagrammets hjørne (PNG eller SVG)", className="hent-note"),
        *_indlejr(figure, noegletal),
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
    return [" · ", html.Button("Indlejr", type="button", className="indlejr-knap", **{
        "data-indlejr": indlejr_adresse(noegletal, art), "aria-expanded": "false",
        "aria-label": f"Indlejr: {figure['layout']['title']['text'] or 'diagrammet'}"})]


def skifter() -> dict:
    """The Diagram | Tabel switch: two buttons, the pressed one says what is shown (assets/tabeltvilling.js)."""
    return html.Div([html.Button(label, type="button", className="tvilling-knap",
                                 **{"data-visning": label.lower(), "aria-pressed": str(label == "Diagram").lower()})
                     for label in ("Diagram", "Tabel")],
                    role="group", className="tvilling-skifter", **{"aria-label": "Vis som diagram eller tabel"})


def graf(figure: dict, noegletal: str, omraader: list[str] | str, perioder: list[str] | None, class_name: str = "graf",
         **graph_props) -> dict:
    """The chart with its Diagram | Tabel switch, the (empty until asked for) table and its links; a chart with an
    `id` has its caption at `<id>-hent`, for a callback to update with `links(..., navn=<id>)`."""
    caption = {"id": f"{graph_props['id']}-hent"} if "id" in graph_props else {}
    title = figure["layout"]["title"]["text"] or "diagrammet"
    navn = graph_props.get("id") or _navn(figure, data_url(noegletal, omraader, perioder, "csv"))
    return html.Figure([skifter(),
                        dcc.Graph(figure=figure, config=CONFIG, style=stil(figure), **graph_props),
                        html.Div(className="tvilling-tabel", hidden=True, tabIndex="0", role="region",
                                 **{"aria-label": f"Tabel: {title}"}),
                        html.Figcaption(links(figure, noegletal, omraader, perioder, navn), className="hent",
                                        **caption)],
                       className=f"{class_name} tvilling", style=omkring(figure),
                       **{"aria-labelledby": f"{navn}-titel", "aria-describedby": f"{navn}-resume"})


def _navn(figure: dict, url: str) -> str:
    """A name for a chart without an id, the same at every render: from its title, subtitle and data."""
    key = json.dumps([figure["layout"]["title"], url], sort_keys=True, ensure_ascii=False)
    return "graf-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
