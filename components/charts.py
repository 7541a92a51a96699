"""Plotly figures for key figures: trend over time, ranking of all municipalities, the distribution, the map.

Every figure states what it shows: title, unit and period in the subtitle, and a note with the
source, whether higher is better, and whether the data are demo data, in the active language. Numbers use the active
language's separators (kdk.format.plotly_separators), and every
value a chart carries (a line, a bar, a point, a level, the colour scale) is published: rounded half away from zero
at the key figure's decimals (kdk.format.published), also one derived for the chart, such as a group's mean.

A figure is the plain dict that dcc.Graph sends to plotly.js (`{"data": [...], "layout": {...}}`) with only
JSON values in it (a missing value is None). Building a plotly.graph_objects.Figure would validate every property
and convert it back for JSON: 5–10 ms a chart, 250 ms for the map, paid on every render. The tests validate every
chart the pages draw with graph_objects instead (tests/test_charts.py).
"""
from __future__ import annotations

import bisect
import functools
import json
import math
import operator
from collections.abc import Mapping, Sequence
from urllib.parse import quote

import dash
from plotly.colors import sample_colorscale

from components import farver
from components.noegletalskort import IKKE_OPGJORT
from kdk import periods, sprog, status
from kdk.format import number, plotly_separators, published
from kdk.fortolkning import BEDRE, DAARLIGERE, LAND, RETNING_TEKST, TAERSKEL, UKENDT, spredning, vurder
from kdk.sprog import N_, adresse, gettext

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
# Every chart's modebar: download as PNG or SVG and full screen; the buttons and their Danish texts are the slim
# Plotly bundle's own (frontend/plotly-da.js). Nothing offers to send a chart to Plotly's cloud.
_CONFIG = {"displaylogo": False, "responsive": True, "showSendToCloud": False,
           "showEditInChartStudio": False, "modeBarButtons": [["hentPng", "hentSvg", "fuldSkaerm"]],
           "toImageButtonOptions": {"scale": 2}}


def config() -> dict:
    """A chart's Plotly config in the active language: the locale names the modebar's titles, Plotly's own texts
    and its month names ('da', or Plotly's English)."""
    return {**_CONFIG, "locale": "da" if sprog.aktivt() == sprog.DANSK else "en"}
HELE_LANDET = N_("Hele landet")       # the country's line, bar or level, as the charts name it
SAMMENLIGNELIGE = N_("Sammenlignelige")
ANDRE = N_("Andre kommuner")


def stil(figure: dict) -> dict:
    """The style of the dcc.Graph that draws `figure`: the figure's height, so that its card has its final size from
    the first paint. A responsive graph fills its container, and the card's height comes from its content: without
    it the card is empty until plotly draws at the figure's height, then shrinks the chart to the card's minimum at
    its first resize, and the page jumps twice."""
    return {"height": f"{figure['layout']['height']}px"}


def omkring(figure: dict) -> dict:
    """The style of the element around the dcc.Graph that draws `figure`: the same height for the placeholder dcc
    shows (without the graph's style) while plotly loads (assets/grafer.css)."""
    return {"--graf-hoejde": stil(figure)["height"]}


def note(meta: dict) -> str:
    """The line under a chart's title: its source (a real figure's source's attribution, kilde.attribution) and
    whether higher is better."""
    source = gettext("Kilde: genererede demodata, ikke officiel statistik") if meta["demodata"] \
        else meta["kildeangivelse"]
    return f"{source}<br>{gettext(RETNING_TEKST[meta['retning']])}"


def number_format(meta: dict) -> str:
    return f",.{int(meta['decimaler'])}f"


def values(column) -> list:
    """A column (Series, array or list) as JSON values: numbers as floats, a missing value as None."""
    return [v if status.kendt(v) else None for v in list(column)]


def shown(meta: dict, column) -> list:
    """A column of the key figure's values as a chart carries them: published at its decimals, a missing one None."""
    d = int(meta["decimaler"])
    return [published(v, d) for v in values(column)]


def _figure(traces: list[dict], meta: dict, subtitle: str, height: int, *, art: str, xaxis: dict | None = None,
            yaxis: dict | None = None, **layout) -> dict:
    """The figure: `traces`, and the common layout — title, subtitle (unit and period) with the source and
    direction under it, a legend in a line just above the plot (plotly lowers the plot when it wraps) — under the
    given `xaxis`, `yaxis` and other `layout`. A legend of more rows than one gets their height above the plot.
    The layout's `meta.art` names the kind of chart (one of ARTER), as its embed's address does (web/indlejr.py)."""
    extra = LEGEND_ROW_PX * (_legend_rows([t["name"] for t in traces if t.get("showlegend") is not False]) - 1)
    common = {
        "title": {"text": meta["titel"], "x": 0, "xanchor": "left", "y": 1, "yanchor": "top", "pad": {"t": 10},
                  "font": {"size": 16},
                  "subtitle": {"text": f"{subtitle}<br><span style='color:#5b6470'>{note(meta)}</span>",
                               "font": {"size": 11}}},
        "separators": plotly_separators(), "font": {"family": FONT, "size": 13, "color": "#1f2933"},
        "height": height + extra, "margin": {"l": 56, "r": 16, "t": 118 + extra, "b": 40},
        "meta": {"art": art}, "plot_bgcolor": "white", "paper_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1, "xanchor": "left", "x": 0, "font": {"size": 11},
                   "itemwidth": 30, "tracegroupgap": 0},
        "xaxis": xaxis or {}, "yaxis": {"gridcolor": "#e6e9ee", "zeroline": False, "tickformat": number_format(meta),
                                        "automargin": True,
                                        **(yaxis or {})},
    }
    return {"data": traces, "layout": {**common, **layout}}


# The kinds of chart (a figure's layout.meta.art), as an embed's address names them and its caption says them.
ARTER = {"udvikling": N_("Udviklingen over tid"), "rangering": N_("Alle kommuner"), "kort": N_("Kort over kommunerne"),
         "fordeling": N_("Fordelingen blandt kommunerne"), "sammenligning": N_("Side om side")}
LEGEND_ROW_PX = 19         # a row of the legend at 11 px
LEGEND_WIDTH_PX = 320      # what a legend row may fill in the narrowest card (22rem less the margins)


def _legend_rows(names: list[str]) -> int:
    """How many rows the legend of these trace names takes at most in the narrowest card: one if every entry
    (symbol, gap and about 6 px a letter at 11 px) fits in it, else as plotly wraps a legend, in columns as wide as
    the widest entry; 1 for no legend (plotly draws none for a lone trace)."""
    widths = [40 + 6 * len(name) for name in names]
    if len(names) < 2 or sum(widths) <= LEGEND_WIDTH_PX:
        return 1
    return math.ceil(len(names) / max(1, LEGEND_WIDTH_PX // max(widths)))


def trend(meta: dict, serier: list[tuple[str, Sequence[tuple[str, float | None]], str]],
          noter: Mapping[tuple[str, str], str] | None = None) -> dict:
    """Lines over time; `serier` = (label, (periode, vaerdi) pairs oldest first, colour), the municipality first.
    `noter` (from `noter`): a note under a point's value where the pointer rests, by (label, periode). A figure that
    cannot be added up (aggregering `ingen`) says in the subtitle that the regions are not counted."""
    fmt = number_format(meta)
    all_periods = sorted({p for _, points, _ in serier for p, _ in points})
    monthly = bool(all_periods) and periods.kind(all_periods[0]) in ("kvartal", "maaned")
    traces = [{
        "type": "scatter",
        "x": [periods.start_date(p).isoformat() if monthly else periods.last_year(p) for p, _ in points],
        "y": shown(meta, (v for _, v in points)), "text": [periods.label(p) for p, _ in points], "name": label,
        "mode": "lines" if monthly else "lines+markers",
        "line": {"color": colour, "width": 3 if n == 0 else 2, "dash": "solid" if n < 2 else "dot"},
        "marker": {"size": 5},
        **_hover(f"{label}<br>%{{text}}: %{{y:{fmt}}} {meta['enhed']}", label, points, noter or {})}
        for n, (label, points, colour) in enumerate(serier)]
    xaxis = ({"type": "date", "tickformat": "%Y", "dtick": "M12", "showgrid": False} if monthly
             else {"type": "linear", "tickformat": "d", "showgrid": False})
    span = periods.span(all_periods[0], all_periods[-1]) if all_periods else ""
    regions = f" · {gettext(IKKE_OPGJORT)}" if meta.get("aggregering") == "ingen" else ""
    return _figure(traces, meta, f"{meta['enhed']}, {span}{regions}", 380, art="udvikling", xaxis=xaxis)


def _hover(template: str, label: str, points: Sequence[tuple[str, float | None]],
           noter: Mapping[tuple[str, str], str]) -> dict:
    """A trace's hover text: `template`, and under it a point's note (customdata) if any of its points has one."""
    if not any((label, p) in noter for p, _ in points):
        return {"hovertemplate": f"{template}<extra></extra>"}
    return {"customdata": [f"<br>{noter[(label, p)]}" if (label, p) in noter else "" for p, _ in points],
            "hovertemplate": f"{template}%{{customdata}}<extra></extra>"}


def linjer(kommune: dict, serier: Mapping[str, Sequence[tuple[str, float | None]]],
           gruppe: tuple[str, Sequence[tuple[str, float | None]]] | None = None, *, niveau: bool = True) -> list[tuple]:
    """The lines of a `trend` against the comparisons: the municipality, its comparison group's mean (label and
    points) where given, and where its level compares with theirs (`niveau`, the catalogue's niveau_sammenlignes:
    not for a count, whose national value is a sum) its region and the whole country, each area's points from
    `serier` (by area code). A region or country without a single value (the region of a figure not counted for
    regions, aggregering `ingen`, whose `trend` says so) is left out rather than drawn as an empty line."""
    areas = _omraader(kommune)
    lines = [(areas[0][0], serier.get(areas[0][1], ()), farver.KOMMUNE_FARVE)]
    if gruppe:
        lines.append((*gruppe, farver.REGION_FARVE))
    if not niveau:
        return lines
    return lines + [(label, serier[kode], farve)
                    for (label, kode), farve in zip(areas[1:], (farver.REGION_LINJE_FARVE, farver.LAND_FARVE))
                    if any(v is not None for _, v in serier.get(kode, ()))]


def noter(kommune: dict, estimater: Mapping[str, frozenset[str]]) -> dict[tuple[str, str], str]:
    """`trend`'s notes for the lines of `linjer`: the periods whose value is an estimate, by area code
    (kdk.queries.noegletal.estimater), of the municipality, its region and the whole country."""
    estimat = gettext(status.ESTIMAT)
    return {(label, p): estimat for label, kode in _omraader(kommune) for p in estimater.get(kode, ())}


def _omraader(kommune: dict) -> tuple[tuple[str, str], ...]:
    """(label, area code) of the municipality, its region and the whole country, as their lines are named."""
    return ((kommune["navn"], kommune["kommunekode"]), (kommune["regionsnavn"], kommune["regionskode"]),
            (gettext(HELE_LANDET), "000"))


def _hline(label: str, value: float, position: str) -> tuple[dict, dict]:
    """A dashed horizontal line across the plot with its label at the right end (what plotly's add_hline draws)."""
    line = {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": value, "y1": value,
            "line": {"color": farver.NEUTRAL_FARVE, "dash": "dash", "width": 1}}
    text = {"text": label, "font": {"size": 11}, "showarrow": False, "xref": "x domain", "x": 1, "xanchor": "right",
            "yref": "y", "y": value, "yanchor": "bottom" if position == "top right" else "top"}
    return line, text


def ranking(meta: dict, fordeling: Sequence[dict], kode: str, gruppe: set[str], linjer: list[tuple[str, float]],
            periode: str) -> dict:
    """All municipalities as bars, highest first (`fordeling`: kdk.queries.noegletal.kommunevaerdier); the municipality
    highlighted and labelled with its name and value, its group in a lighter blue, horizontal lines for land and
    region, and a key above the plot saying what the colours mean."""
    drawn = [r for r in fordeling if r["vaerdi"] is not None]
    colours = [farver.KOMMUNE_FARVE if r["kommunekode"] == kode else farver.REGION_FARVE
               if r["kommunekode"] in gruppe else farver.BAGGRUND_FARVE for r in drawn]
    fmt = number_format(meta)
    heights = shown(meta, (r["vaerdi"] for r in drawn))
    bars = {"type": "bar", "x": [r["navn"] for r in drawn], "y": heights,
            "marker": {"color": colours}, "customdata": [r["kommunekode"] for r in drawn], "name": gettext("Kommuner"),
            "showlegend": False, "hovertemplate": f"%{{x}}: %{{y:{fmt}}} {meta['enhed']}<extra></extra>"}
    levels = zip([label for label, _ in linjer], shown(meta, (value for _, value in linjer)))
    hlines = [_hline(label, value, position) for (label, value), position in zip(levels, ("top right", "bottom right"))
              if value is not None]
    mine = [(i, r["navn"], v) for i, (r, v) in enumerate(zip(drawn, heights)) if r["kommunekode"] == kode]
    labels = [_etiket(meta, navn, v, navn, "y", i / max(len(drawn) - 1, 1)) for i, navn, v in mine]
    group_shown = bool(gruppe & {r["kommunekode"] for r in drawn})
    marked = bool(mine) or group_shown
    key = _noegle([(farver.KOMMUNE_FARVE, "■", navn) for _, navn, _ in mine]
                  + [(farver.REGION_FARVE, "■", gettext(SAMMENLIGNELIGE))] * group_shown
                  + [(farver.BAGGRUND_FARVE, "■", gettext(ANDRE))] * marked,
                  [(farver.NEUTRAL_FARVE, "╌", _opremsning([t["text"] for _, t in hlines]))]
                  * (marked and bool(hlines)))
    subtitle = gettext("{enhed}, {periode} · alle {antal} kommuner, højeste værdi til venstre").format(
        enhed=meta["enhed"], periode=periods.label(periode), antal=len(drawn))
    return _figure([bars], meta, subtitle, 380, art="rangering", xaxis={"showticklabels": False},
                   yaxis=_plads_over([v for v in heights if v is not None] + [line["y0"] for line, _ in hlines])
                   if labels else None,
                   shapes=[line for line, _ in hlines], annotations=[text for _, text in hlines] + labels + key)


def _opremsning(labels: list[str]) -> str:
    """The level lines' labels as the key's text: "Hele landet og region", "All of Denmark and region" (the first
    label as it is, begun with a capital; the second in lower case, within the sentence); "" for none."""
    if not labels:
        return ""
    first, *rest = labels
    return gettext(" og ").join([first[:1].upper() + first[1:], *(label.lower() for label in rest)])


def _plads_over(values: list[float]) -> dict:
    """A value axis from 0 (or the lowest value) with a quarter more room above the highest value, for the label
    over a bar."""
    lo, hi = min(0.0, *values), max(0.0, *values)
    return {"range": [lo, hi + 0.25 * ((hi - lo) or 1)]}


def _etiket(meta: dict, navn: str, value: float, x, axis: str, where: float) -> dict:
    """The label with an arrow that names a municipality's bar or point and gives its value: `x` the point's place on
    the x axis, `value` its place on the `axis` ("y" for a bar's top, "x" for a point on a value axis); `where` its
    place across the plot from 0 to 1, so that a label near an edge is written inwards."""
    anchor = "left" if where < 0.25 else "right" if where > 0.75 else "center"
    return {"text": f"<b>{navn}</b>: {number(value, int(meta['decimaler']))} {meta['enhed']}", "x": x,
            "y": value if axis == "y" else "Kommuner", "xref": "x", "yref": "y", "showarrow": True, "arrowhead": 0,
            "arrowcolor": farver.KOMMUNE_FARVE, "ax": 0, "ay": -34, "xanchor": anchor, "font": {"size": 12},
            "bgcolor": "rgba(255,255,255,0.85)", "borderpad": 2}


def _noegle(*lines: list[tuple[str, str, str]]) -> list[dict]:
    """A colour key just above the plot: each of `lines` a line of (colour, symbol, what it means); none when every
    line is empty."""
    text = "<br>".join("  ".join(f"<span style='color:{colour}'>{symbol}</span> {label}" for colour, symbol, label
                                 in items) for items in lines if items)
    if not text:
        return []
    return [{"text": text, "xref": "paper", "yref": "paper", "x": 0, "y": 1, "xanchor": "left", "yanchor": "bottom",
             "align": "left", "showarrow": False, "font": {"size": 11}, "xshift": -48, "yshift": 4}]


def side_om_side(meta: dict, bars: list[tuple[str, float | None, str]], periode: str) -> dict:
    """The municipality, its comparison group, region and land as bars for one key figure."""
    drawn = [(label, value, colour) for (label, _, colour), value in zip(bars, shown(meta, (v for _, v, _ in bars)))
             if value is not None]
    fmt = number_format(meta)
    trace = {"type": "bar", "x": [label for label, _, _ in drawn], "y": [value for _, value, _ in drawn],
             "marker": {"color": [colour for _, _, colour in drawn]}, "texttemplate": f"%{{y:{fmt}}}",
             "textposition": "outside", "hovertemplate": f"%{{x}}: %{{y:{fmt}}} {meta['enhed']}<extra></extra>",
             "showlegend": False, "cliponaxis": False}
    return _figure([trace], meta, f"{meta['enhed']}, {periods.label(periode)}", 340, art="sammenligning",
                   xaxis={"showgrid": False})


def fordelingsboks(meta: dict, fordeling_: Sequence[dict], kode: str, gruppe: set[str], periode: str) -> dict:
    """The distribution among the municipalities (`fordeling_`: kdk.queries.noegletal.kommunevaerdier) as a box with
    every municipality as a point; the municipality marked and labelled with its name and value, its comparison group
    marked, and a key above the plot in place of a legend."""
    drawn = [r for r in fordeling_ if r["vaerdi"] is not None]
    fmt = number_format(meta)
    box = {"type": "box", "x": shown(meta, (r["vaerdi"] for r in drawn)), "y": ["Kommuner"] * len(drawn),
           "boxpoints": "all", "jitter": 0.5, "pointpos": 0, "orientation": "h", "text": [r["navn"] for r in drawn],
           "marker": {"color": farver.BAGGRUND_FARVE, "size": 6}, "line": {"color": farver.LAND_FARVE},
           "fillcolor": "rgba(0,0,0,0)", "hovertemplate": f"%{{text}}: %{{x:{fmt}}} {meta['enhed']}<extra></extra>",
           "name": gettext("Alle kommuner"), "showlegend": False}
    mine = [r for r in drawn if r["kommunekode"] == kode]
    marks = [{"type": "scatter", "x": shown(meta, (r["vaerdi"] for r in rows)), "y": ["Kommuner"] * len(rows),
              "mode": "markers",
              "text": [r["navn"] for r in rows], "name": label, "showlegend": False,
              "marker": {"color": colour, "size": size, "line": {"color": "white", "width": 1}},
              "hovertemplate": f"%{{text}}: %{{x:{fmt}}} {meta['enhed']}<extra></extra>"}
             for label, rows, colour, size in (
                 (gettext(SAMMENLIGNELIGE), [r for r in drawn if r["kommunekode"] in gruppe], farver.REGION_FARVE,
                  9),
                 (" ".join(r["navn"] for r in mine) or gettext("Kommunen"), mine, farver.KOMMUNE_FARVE, 14))]
    known = [v for v in box["x"] if v is not None]
    lo, hi = (min(known), max(known)) if known else (0.0, 1.0)
    labels = [_etiket(meta, navn, v, v, "x", (v - lo) / ((hi - lo) or 1))
              for navn, v in zip(marks[1]["text"], marks[1]["x"])]
    key = _noegle([(farver.KOMMUNE_FARVE, "●", r["navn"]) for r in mine]
                  + [(farver.REGION_FARVE, "●", gettext(SAMMENLIGNELIGE))] * bool(marks[0]["x"])
                  + [(farver.BAGGRUND_FARVE, "●", gettext(ANDRE))])
    subtitle = gettext("{enhed}, {periode} · fordeling blandt {antal} kommuner").format(
        enhed=meta["enhed"], periode=periods.label(periode), antal=len(drawn))
    return _figure([box, *marks], meta, subtitle, 300, art="fordeling",
                   xaxis={"tickformat": fmt, "gridcolor": "#e6e9ee"}, yaxis={"showticklabels": False},
                   annotations=labels + key)


def kort(meta: dict, vaerdier: Sequence[dict], geo: Mapping[str, str], periode: str,
         fremhaev: dict[str, str] | None = None, *, land: float | None = None) -> dict:
    """A map of the municipalities drawn as filled shapes, coloured by value: `vaerdier` from
    kdk.queries.noegletal.kommunevaerdier, `geo` the outlines by code (kdk.queries.omraader.geometri); only
    municipalities with an outline are drawn. `fremhaev` maps codes to a darker outline colour (the municipality
    and its group).

    Where a figure has a better side and a level to compare, each municipality is coloured by kdk.fortolkning.vurder
    against the country's value `land`, as its profile card is: blue for better, orange for worse, deeper the
    further away, and one light colour for "på niveau med" (the legend's flat band around the country's value).
    Otherwise one neutral hue from low to high.

    The hover gives a municipality's name, value with unit, verdict and rank ("nr. 12 af 98", highest first as in
    `ranking`); the colour scale lies under the map, whose card is about as wide as the map (assets/grafer.css).

    A shape carries only its code (customdata, for clicks) besides its outline; its value is written into its
    colour and hover text, so that another key figure or year changes only what `kort_patch` sends."""
    fremhaev = fremhaev or {}
    drawn = sorted((r for r in vaerdier if r["kommunekode"] in geo), key=lambda r: r["kommunekode"])
    drawn.sort(key=lambda r: r["kommunekode"] in fremhaev)   # outlines drawn last, on top
    published_values = shown(meta, (r["vaerdi"] for r in drawn))
    known = [v for v in published_values if v is not None]
    lo, hi = (min(known), max(known)) if known else (0.0, 1.0)
    spread = spredning(known)
    verdicts = [vurder(meta, v, land, LAND, spread) for v in published_values]
    judged = meta["retning"] in ("op", "ned") and any(v.dom != UKENDT for v in verdicts)
    band = TAERSKEL * (spread or 0.0)
    scale = _vurderingsskala(meta["retning"], lo, hi, land, band) if judged else farver.NEUTRAL_SKALA
    fmt, d = number_format(meta), int(meta["decimaler"])
    fills = _fyld(published_values, verdicts, judged, lo, hi, land, band)
    ranked = sorted(shown(meta, (r["vaerdi"] for r in vaerdier if r["vaerdi"] is not None)), reverse=True)
    traces, against = [], gettext("hele landet")
    for r, v, verdict, colour in zip(drawn, published_values, verdicts, fills):
        kode, navn = r["kommunekode"], r["navn"]
        lon, lat = _outline(geo[kode])
        text = f"{navn}: {number(v, d)} {meta['enhed']}" if v is not None else \
            gettext("{navn}: ingen værdi").format(navn=navn)
        if judged and v is not None:
            text += f", {verdict.mod(against)}"
        if v is not None:   # as the ranking counts, highest first; equal values share a place
            text += "<br>" + gettext("nr. {nr} af {antal}").format(
                nr=bisect.bisect_left(ranked, -v, key=operator.neg) + 1, antal=len(ranked))
        traces.append({
            "type": "scatter", "x": lon, "y": lat, "fill": "toself", "fillcolor": colour, "mode": "lines",
            "line": {"color": fremhaev.get(kode, "white"), "width": 2 if kode in fremhaev else 0.6},
            "customdata": [[kode]] * len(lon), "hoveron": "fills+points",
            "hovertemplate": text + "<extra></extra>", "name": navn, "showlegend": False})
    traces.append({  # carries the colour bar only
        "type": "scatter", "x": [None], "y": [None], "mode": "markers", "showlegend": False, "hoverinfo": "skip",
        "marker": {"colorscale": scale, "cmin": lo, "cmax": hi, "color": [lo],
                   "colorbar": {"title": {"text": meta["enhed"], "side": "top", "font": {"size": 12}},
                                "tickformat": fmt, "thickness": 12, "orientation": "h", "x": 0.5, "xanchor": "center",
                                "y": 0, "yanchor": "top", "lenmode": "pixels", "len": 280}}})
    legend = "<br>" + gettext("Farve: bedre eller dårligere end hele landet ({land}); lys: på niveau (inden for "
                              "±{graense})").format(land=number(land, d), graense=number(band, d)) if judged else ""
    subtitle = gettext("{enhed}, {periode} · klik på en kommune for at se dens profil").format(
        enhed=meta["enhed"], periode=periods.label(periode))
    figure = _figure(traces, meta, subtitle + legend, 600, art="kort", xaxis={"visible": False},
                     yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1.78},  # 1 / cos(56°): true shape
                     margin={"l": 8, "r": 8, "t": 118, "b": 64}, hovermode="closest", dragmode="pan")
    # In the view, the whole map fits a 1280×720 screen with its titles: the colour bar beside it, where a map as
    # tall as the screen leaves room, not under it.
    return i_praesentation(figure, {"height": KORT_PRAESENTATION_PX, "margin": {"t": 150, "b": 12, "r": 190}},
                           {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 0.5, "yanchor": "middle",
                            "lenmode": "fraction", "len": 0.8})


def _fyld(published_values: list, verdicts: list, judged: bool, lo: float, hi: float, land: float | None,
          band: float) -> list[str]:
    """Each shape's fill: light grey without a value; on a map not `judged`, by value on the neutral scale; on a
    judged one as `_vurderingsskala` draws it: the light "på niveau" colour, or on its side (the verdict's BEDRE or
    DAARLIGERE) from the light tint at the band's edge to full colour at the furthest value. Each scale is sampled
    once for all its shapes (a sampling per shape took most of the map's time)."""
    def position(v: float) -> float:
        if not judged:
            return (v - lo) / ((hi - lo) or 1)
        edge, end = (land + band, hi) if v > land else (land - band, lo)
        return min(1.0, abs(v - edge) / (abs(end - edge) or 1))

    fills = ["#f3f4f6" if v is None else farver.PAA_NIVEAU_FARVE for v in published_values]
    scales = [(farver.NEUTRAL_SKALA, [i for i, v in enumerate(published_values) if v is not None])] if not judged \
        else [([[0, tint], [1, full]], [i for i, w in enumerate(verdicts) if w.dom == dom and w.farve])
              for dom, tint, full in ((BEDRE, farver.BEDRE_LYS_FARVE, farver.BEDRE_FARVE),
                                      (DAARLIGERE, farver.DAARLIGERE_LYS_FARVE, farver.DAARLIGERE_FARVE))]
    for scale, shapes in scales:
        for i, colour in zip(shapes, sample_colorscale(scale, [position(published_values[i]) for i in shapes])
                             if shapes else []):
            fills[i] = colour
    return fills


def _vurderingsskala(retning: str, lo: float, hi: float, land: float, band: float) -> list[list]:
    """The map's colour scale from `lo` to `hi` where municipalities are judged against the country's `land`: the
    worse side orange, the better blue (from a light tint at the band's edge to full colour at the end), and between
    `land` ± `band` (kdk.fortolkning.TAERSKEL of the spread) one flat light colour, "på niveau med"."""
    def at(value: float) -> float:
        return min(1.0, max(0.0, (value - lo) / ((hi - lo) or 1)))

    better, worse = (farver.BEDRE_LYS_FARVE, farver.BEDRE_FARVE), (farver.DAARLIGERE_LYS_FARVE, farver.DAARLIGERE_FARVE)
    (low_tint, low), (high_tint, high) = (worse, better) if retning == "op" else (better, worse)
    start, end = at(land - band), at(land + band)
    return ([[0.0, low], [start, low_tint]] if start > 0 else []) + \
        [[start, farver.PAA_NIVEAU_FARVE], [end, farver.PAA_NIVEAU_FARVE]] + \
        ([[end, high_tint], [1.0, high]] if end < 1 else [])


def kort_patch(figure: dict) -> dash.Patch:
    """The change that turns a map from `kort` (the same municipalities, none highlighted) into `figure` in the
    browser: each shape's colour and hover text, the colour bar and the titles; the outlines, most of the bytes,
    stay."""
    patch = dash.Patch()
    *shapes, colour_bar = figure["data"]
    for i, shape in enumerate(shapes):
        patch["data"][i]["fillcolor"] = shape["fillcolor"]
        patch["data"][i]["hovertemplate"] = shape["hovertemplate"]
    patch["data"][len(shapes)]["marker"] = colour_bar["marker"]
    patch["layout"]["title"] = figure["layout"]["title"]
    patch["layout"]["yaxis"]["tickformat"] = figure["layout"]["yaxis"]["tickformat"]
    return patch


def clicked_profile(click):
    """For a map callback: the profile address, in the active language, of the municipality clicked on a map from
    `kort` (customdata[0] is its code); anything else prevents the update."""
    try:
        return adresse(f"/kommune/{quote(str(click['points'][0]['customdata'][0]), safe='')}")
    except (TypeError, KeyError, IndexError):
        raise dash.exceptions.PreventUpdate from None


@functools.lru_cache(maxsize=1024)
def _outline(geometri: str) -> tuple[list, list]:
    """Longitudes and latitudes of every ring of a (Multi)Polygon, rings separated by None (parsed once per
    geometry; the lists are shared by every map, so never changed)."""
    geometry = json.loads(geometri)
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    lon, lat = [], []
    for polygon in polygons:
        for ring in polygon[:1]:  # outer ring; holes are not drawn at this scale
            lon += [p[0] for p in ring] + [None]
            lat += [p[1] for p in ring] + [None]
    return lon, lat


PRAESENTATION_PX = 18      # the smallest chart text in the presentation view (components/praesentation.py)
KORT_PRAESENTATION_PX = 640   # a map's height in the view: its card and a step's top padding fit 720 px
PRAESENTATION_SKALA = 1.5  # how much larger its text and margins are; the plot grows by less
TEKSTER = ("font", "tickfont", "textfont", "insidetextfont", "outsidetextfont")


def praesentation(figure: dict) -> dict:
    """`figure` for a shared screen (1280×720 and up): every text it sets — the base font that ticks, legend and
    hover inherit, the title and subtitle, annotations, axis, bar and colour-scale text — PRAESENTATION_SKALA times
    larger and at least PRAESENTATION_PX, with the margins and height to hold it. Bar text too small to fit is
    hidden rather than shrunk. A figure that knows better how it fits a screen says so in its layout's
    `meta.praesentation` (`i_praesentation`), which is laid over the result. A new dict: `figure` (perhaps cached) is
    left as it is."""
    eget = figure["layout"].get("meta", {}).get("praesentation", {})
    layout = _stoerre({"font": {}, **figure["layout"]})
    layout["margin"] = {side: round(px * PRAESENTATION_SKALA) for side, px in layout.get("margin", {}).items()}
    if "height" in layout:
        layout["height"] = round(layout["height"] * 1.4)
    layout["uniformtext"] = {"minsize": PRAESENTATION_PX, "mode": "hide"}
    layout.update({k: {**layout.get(k, {}), **v} if isinstance(v, dict) else v
                   for k, v in eget.get("layout", {}).items()})
    data = [{**trace, **{k: _skrift(v) for k, v in trace.items() if k in TEKSTER},
             **_farveskala(trace, eget.get("colorbar", {}))} for trace in figure["data"]]
    return {**figure, "data": data, "layout": layout}


def i_praesentation(figure: dict, layout: dict, colorbar: dict | None = None) -> dict:
    """`figure` (made here, so changed in place) with what `praesentation` lays over it in the view: the layout's
    keys in `layout` (a dict's keys over the enlarged one's, as `margin`, `xaxis`) and the colour bar's in
    `colorbar`."""
    figure["layout"].setdefault("meta", {})["praesentation"] = {"layout": layout, "colorbar": colorbar or {}}
    return figure


def _farveskala(trace: dict, eget: dict) -> dict:
    """The trace's marker with its colour scale's text made larger (`_stoerre`) and the figure's own colour bar for
    the view (`eget`) laid over it, if it carries one."""
    marker = trace.get("marker")
    if not isinstance(marker, dict) or "colorbar" not in marker:
        return {}
    return {"marker": {**marker, "colorbar": {**_stoerre(marker["colorbar"]), **eget}}}


def _stoerre(value):
    """`value` (a figure's layout or a part of it) with every font in it made larger (`_skrift`)."""
    if isinstance(value, dict):
        return {k: _skrift(v) if k in TEKSTER and isinstance(v, dict) else _stoerre(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stoerre(v) for v in value]
    return value


def _skrift(font: dict) -> dict:
    size = font.get("size", 13)
    return {**font, "size": max(PRAESENTATION_PX, round(size * PRAESENTATION_SKALA))}
