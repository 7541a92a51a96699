"""One sentence that says what a chart shows, for screen readers (components/hent.py ties it to the chart with
aria-describedby): "Søjlediagram: Karaktergennemsnit, 2024: København er nr. 12 af 98 med 7,4; højest Gentofte med
8,1, lavest Lolland med 6,2; Hele landet 7,3."

Made from the figure itself — its title, the first part of its subtitle (unit and period), its drawn values and its
level lines — so it tells what the chart draws, also after a callback redraws it. The unit is the one the hover text
gives, the decimals the axis's (or colour bar's) number format; numbers are written by kdk.format, the sentence in
the active language (kdk.sprog). Pure: reads and writes nothing.
"""
from __future__ import annotations

import re

from components.farver import KOMMUNE_FARVE
from kdk.format import with_unit
from kdk.sprog import gettext

HOVER_UNIT = re.compile(r"%\{[xyz]:[^}]*\}\s*([^<%]*)")
DECIMALS = re.compile(r"\.(\d+)f")
TAG = re.compile(r"<[^>]+>")
LISTED = 6   # bars or lines named one by one; more are summed up by their extremes


def resume(figure: dict) -> str:
    layout, traces = figure["layout"], figure["data"]
    title = layout["title"]["text"] or gettext("Diagram")
    subtitle = TAG.sub("", (layout["title"].get("subtitle") or {}).get("text", "").split("<br>")[0]).split(" · ")[0]
    kind, parts = _describe(traces, layout, _writer(traces, layout))
    heading = f"{kind}: {title}" + (f", {subtitle}" if subtitle else "")
    text = f"{heading}: {'; '.join(parts)}" if parts else gettext("{overskrift}, uden tal").format(overskrift=heading)
    return text if text.endswith(".") else text + "."   # "… 6,9 pct." ends the sentence already


def _writer(traces: list[dict], layout: dict):
    """How this chart's numbers are written: its decimals and the unit of its hover text."""
    formats = [layout.get(axis, {}).get("tickformat", "") for axis in ("yaxis", "xaxis")] + [
        t.get("marker", {}).get("colorbar", {}).get("tickformat", "") for t in traces]
    found = next((m for m in map(DECIMALS.search, formats) if m), None)
    decimals = int(found.group(1)) if found else 0
    colour_bar = [t["marker"]["colorbar"].get("title", {}).get("text", "") for t in traces
                  if "colorbar" in t.get("marker", {})]
    unit = next((m.group(1).strip().rstrip(",") for t in traces
                 if (m := HOVER_UNIT.search(t.get("hovertemplate") or ""))), None)
    unit = unit if unit is not None else next(iter(colour_bar), "")
    return lambda value: with_unit(value, decimals, unit)


def _describe(traces: list[dict], layout: dict, tal) -> tuple[str, list[str]]:
    types = {t.get("type") for t in traces}
    if "heatmap" in types:
        return gettext("Matrice"), _matrix(next(t for t in traces if t["type"] == "heatmap"), tal)
    if any(t.get("fill") == "toself" for t in traces):
        return gettext("Kort"), _map(traces, tal)
    if "box" in types:
        return gettext("Fordeling"), _distribution(traces, tal)
    if "bar" in types:
        return gettext("Søjlediagram"), _bars(next(t for t in traces if t["type"] == "bar"), tal) + _levels(layout, tal)
    return gettext("Linjediagram"), _lines(traces, tal)


def _pairs(labels, values) -> list[tuple[str, float]]:
    return [(str(label), value) for label, value in zip(labels or [], values or []) if value is not None]


def _extremes(pairs: list[tuple[str, float]], tal) -> str:
    ordered = sorted(pairs, key=lambda p: p[1], reverse=True)
    (high, top), (low, bottom) = ordered[0], ordered[-1]
    return gettext("højest {hoej} med {top}, lavest {lav} med {bund}").format(hoej=high, top=tal(top), lav=low,
                                                                          bund=tal(bottom))


def _bars(trace: dict, tal) -> list[str]:
    pairs = _pairs(trace.get("x"), trace.get("y"))
    if not pairs:
        return []
    if len(pairs) <= LISTED:
        return [", ".join(f"{label} {tal(value)}" for label, value in pairs)]
    colours = trace.get("marker", {}).get("color")
    mine = [label for label, colour in zip(trace.get("x") or [], colours) if colour == KOMMUNE_FARVE] \
        if isinstance(colours, list) else []
    # nr. 1 = the highest value; equal values share a rank, as on the key figure's card
    own = [gettext("{navn} er nr. {nr} af {antal} med {vaerdi}").format(
        navn=label, nr=1 + sum(v > value for _, v in pairs), antal=len(pairs), vaerdi=tal(value))
           for label, value in pairs if label in mine[:1]]
    return own + [gettext("{antal} søjler, {yderpunkter}").format(antal=len(pairs), yderpunkter=_extremes(pairs, tal))]


def _levels(layout: dict, tal) -> list[str]:
    """The labelled level lines (hele landet, region) drawn across a bar chart."""
    return [f"{a['text']} {tal(a['y'])}" for a in layout.get("annotations") or []
            if a.get("yref") == "y" and isinstance(a.get("y"), (int, float))]


def _lines(traces: list[dict], tal) -> list[str]:
    parts = []
    for t in traces[:LISTED]:
        points = _pairs(t.get("text") or t.get("x"), t.get("y"))
        if points:
            (first, start), (last, end) = points[0], points[-1]
            parts.append(gettext("{navn} fra {start} i {foerste} til {slut} i {sidste}").format(
                navn=t.get("name", ""), start=tal(start), foerste=first, slut=tal(end), sidste=last).strip())
    if len(traces) > LISTED:
        parts.append(gettext("og {antal} linjer mere").format(antal=len(traces) - LISTED))
    return parts


def _distribution(traces: list[dict], tal) -> list[str]:
    box = next(t for t in traces if t["type"] == "box")
    pairs = _pairs(box.get("text"), box.get("x"))
    if not pairs:
        return []
    values = sorted(v for _, v in pairs)
    middle = len(values) // 2
    median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    marks = [f"{label} {tal(value)}" for t in traces if t["type"] == "scatter" and len(t.get("x") or []) == 1
             for label, value in _pairs(t.get("text"), t.get("x"))]
    return [gettext("{antal} kommuner, median {median}, {yderpunkter}").format(
        antal=len(pairs), median=tal(median), yderpunkter=_extremes(pairs, tal)), *marks]


def _map(traces: list[dict], tal) -> list[str]:
    shapes = sum(t.get("fill") == "toself" for t in traces)
    scale = next((t["marker"] for t in traces if "cmin" in t.get("marker", {})), None)
    if scale:
        return [gettext("{antal} kommuner, farvet fra {fra} til {til}").format(antal=shapes, fra=tal(scale["cmin"]),
                                                                              til=tal(scale["cmax"]))]
    return [gettext("{antal} kommuner").format(antal=shapes)]


def _matrix(trace: dict, tal) -> list[str]:
    values = [v for row in trace.get("z") or [] for v in row if v is not None]
    if not values:
        return []
    name = (trace.get("colorbar", {}).get("title", {}).get("text") or gettext("værdier")).lower()   # "Rang": ranks
    return [gettext("{raekker} rækker og {kolonner} kolonner, {navn} fra {fra} til {til}").format(
        raekker=len(trace.get("y") or []), kolonner=len(trace.get("x") or []), navn=name,
        fra=tal(min(values)).strip(), til=tal(max(values)).strip())]
