"""A chart with its downloads: the data behind it as CSV (the databank format) and Excel through /api/v1, and
the picture through the chart's modebar (PNG or SVG, components/charts.CONFIG). The links carry exactly the key
figure, areas and periods the chart shows, and the API applies the same suppression and access rules as the screen.
The graph and the figure around it carry the chart's height (charts.stil, charts.omkring)."""
from __future__ import annotations

from urllib.parse import urlencode

from components.charts import CONFIG, omkring, stil
from components.light import dcc, html


def data_url(noegletal: str, omraader: list[str] | str, perioder: list[str] | None, fmt: str) -> str:
    query = {"noegletal": noegletal, "kommune": omraader if isinstance(omraader, str) else ",".join(omraader),
             "format": fmt}
    if perioder:
        query["periode"] = ",".join(perioder)
    return "/api/v1/data?" + urlencode(query)


def links(figure: dict, noegletal: str, omraader: list[str] | str, perioder: list[str] | None) -> list:
    """The caption's content: the CSV and Excel links for exactly the chart's data, and where the picture is."""
    title = figure["layout"]["title"]["text"] or "diagrammet"
    return [
        "Hent data: ",
        html.A("CSV", href=data_url(noegletal, omraader, perioder, "csv"), download="",
               title=f"Data bag {title} i Danmarks Statistiks CSV-format"),
        " · ",
        html.A("Excel", href=data_url(noegletal, omraader, perioder, "xlsx"), download="",
               title=f"Data bag {title} som Excel-ark med definition og kilde"),
        html.Span(" · Billede: knapperne i diagrammets hjørne (PNG eller SVG)", className="hent-note"),
    ]


def graf(figure: dict, noegletal: str, omraader: list[str] | str, perioder: list[str] | None, class_name: str = "graf",
         **graph_props) -> dict:
    """The chart with its links; a chart with an `id` has its caption at `<id>-hent`, for a callback to update."""
    caption = {"id": f"{graph_props['id']}-hent"} if "id" in graph_props else {}
    return html.Figure([dcc.Graph(figure=figure, config=CONFIG, style=stil(figure), **graph_props),
                        html.Figcaption(links(figure, noegletal, omraader, perioder), className="hent", **caption)],
                       className=class_name, style=omkring(figure))
