"""The development chart of a key figure's page: the whole country and the five regions, or up to MAKS_KOMMUNER
chosen municipalities against the whole country; as levels, or as an index with the first year shown = 100.

Reads kdk.queries (a figure's municipal series and estimates, the municipalities' names); writes nothing. The page
(pages/noegletal_side.py) passes the choice as `Valg`, read from its address (`kommuner`, `skala`) or its picker.
An indexed line is computed from the published values (kdk.queries.noegletal.indekseret): a line without a value
in the base year cannot be indexed and is left out, with a note saying so.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TypedDict

import pandas as pd
from plotly import colors as plotly_colors

from components import charts, farver
from components.hent import Adresse, data_url
from kdk import periods, status
from kdk.queries import noegletal as q
from kdk.queries import omraader
from kdk.queries.scope import Scope
from kdk.sprog import N_, gettext

MAKS_KOMMUNER = 10
FOR_MANGE = f"Du kan højst vælge {MAKS_KOMMUNER} kommuner at tegne sammen."
NIVEAU, INDEKS = "niveau", "indeks"
SKALAER = {NIVEAU: N_("Niveau"), INDEKS: N_("Indeks (første år = 100)")}   # shown in the active language
LAND = charts.HELE_LANDET
# The regions in colours that colour-blind readers can tell apart; the chosen municipalities in Plotly's
# colour-blind-safe qualitative scale, each named at the end of its line; the whole country as the dark reference.
REGION_FARVER = ("#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#8a6d3b")
KOMMUNE_FARVER = plotly_colors.qualitative.Safe[:MAKS_KOMMUNER]
REFERENCE_FARVE = "#1f2933"

Linje = tuple[str, Sequence[tuple[str, float | None]], str]   # (label, points oldest first, colour), as charts.trend


class Valg(TypedDict):
    kommuner: list[str]   # municipality codes, at most MAKS_KOMMUNER; none: the regions
    skala: str            # NIVEAU or INDEKS


def udvikling(scope: Scope, meta: dict, serier: pd.DataFrame, valg: Valg) -> tuple[dict, Adresse, str]:
    """The development chart for the choice `valg`, the address of exactly its data (its areas and periods, and as
    the index it draws when it is indexed: components/hent.Adresse), and a note for the reader ("" when there is
    nothing to say). `serier` is the figure's country and region series (kdk.queries.katalog.serier)."""
    if valg["kommuner"]:
        lines, noter = _kommunelinjer(scope, meta, serier, valg)
        areas = (["000"] if any(label == gettext(LAND) for label, _, _ in lines) else []) + valg["kommuner"]
    else:
        lines, noter = _regionslinjer(meta, serier)
        areas = ["000", *sorted(serier.loc[serier["omraade_kode"] != "000", "omraade_kode"].unique())]
    note, shown, basis = "", meta, None
    if valg["skala"] == INDEKS:
        lines, basis, udeladt = _indekserede(meta, lines)
        label = periods.label(basis) if basis else ""
        shown = {**meta, "decimaler": q.INDEKS_DECIMALER, "enhed": gettext("Indeks ({periode} = 100)").format(
            periode=label)}
        if udeladt:
            note = gettext("{navne} er udeladt af indekset: ingen værdi i {periode}.").format(
                navne=_opremsning(udeladt), periode=label)
    figure = charts.trend(shown, lines, noter)
    if valg["kommuner"]:
        _kommunestil(figure)
    else:
        _regionsstil(figure)
    if valg["skala"] == INDEKS:
        _indeksakse(figure, shown["enhed"])
    drawn = sorted({p for _, points, _ in lines for p, _ in points})
    return figure, partial(data_url, meta["noegletal_id"], areas, drawn, indeks=basis), note


def _own(meta: dict, points) -> list[tuple[str, float | None]]:
    """The points of the figure's own periodicity: a yearly figure's years, another's months or five-year periods."""
    monthly = meta["periodicitet"] != "aar"
    return [(p, v) for p, v in points if (len(p) > 4) == monthly]


def _regionslinjer(meta: dict, serier: pd.DataFrame) -> tuple[list[Linje], dict]:
    """The whole country (named LAND in the active language) and the five regions; an estimate says so where the
    pointer rests."""
    own = serier[(serier["periode"].str.len() > 4) == (meta["periodicitet"] != "aar")]   # as `_own`
    navne = {kode: gettext(LAND) if kode == "000" else navn for kode, navn in zip(own["omraade_kode"], own["navn"])}
    lines = [(navne[kode], list(zip(group["periode"], group["vaerdi"])),
              farver.KOMMUNE_FARVE if kode == "000" else REGION_FARVER[(n - 1) % 5])
             for n, (kode, group) in enumerate(own.groupby("omraade_kode", sort=True))]
    estimates = own[own["status"] == "estimat"]
    return lines, {(navne[r.omraade_kode], r.periode): gettext(status.ESTIMAT) for r in estimates.itertuples()}


def _kommunelinjer(scope: Scope, meta: dict, serier: pd.DataFrame, valg: Valg) -> tuple[list[Linje], dict]:
    """The chosen municipalities and the whole country as their reference (left out of the levels of a count, whose
    national value is a sum; kept in its index); an estimate says so where the pointer rests."""
    fid = meta["noegletal_id"]
    serie = q.maanedsserie(scope, fid) if meta["periodicitet"] == "maaned" else q.aarsserie(scope, fid)
    navne = {kode: omraader.kommune(scope, kode)["navn"] for kode in valg["kommuner"]}
    lines = [(navne[kode], _own(meta, serie.get(kode, ())), farve)
             for kode, farve in zip(valg["kommuner"], KOMMUNE_FARVER)]
    if meta["niveau_sammenlignes"] or valg["skala"] == INDEKS:
        land = serier[serier["omraade_kode"] == "000"]
        lines.append((gettext(LAND), _own(meta, zip(land["periode"], land["vaerdi"])), REFERENCE_FARVE))
    estimates = q.estimater(scope, (fid,)).get(fid, {})
    noter = {(navn, p): gettext(status.ESTIMAT) for kode, navn in {**navne, "000": gettext(LAND)}.items()
             for p in estimates.get(kode, ())}
    return lines, noter


def _indekserede(meta: dict, lines: list[Linje]) -> tuple[list[Linje], str | None, list[str]]:
    """The lines indexed to the first period any of them shows (= 100), that period, and the labels of the lines
    left out for want of a value then."""
    shown = sorted({p for _, points, _ in lines for p, v in points if v is not None})
    if not shown:
        return lines, None, []
    indexed = [(label, q.indekseret(points, int(meta["decimaler"]), shown[0]), colour)
               for label, points, colour in lines]
    return ([(label, points, colour) for label, points, colour in indexed if points is not None],
            shown[0], [label for label, points, _ in indexed if points is None])


def _opremsning(names: list[str]) -> str:
    """"A", "A og B", "A, B og C" (in English "A, B and C")."""
    return names[0] if len(names) == 1 else gettext("{foerste} og {sidste}").format(foerste=", ".join(names[:-1]),
                                                                                    sidste=names[-1])


def _regionsstil(figure: dict) -> None:
    """Six lines told apart by colour, all solid; the country strongest, drawn on top and first in the legend."""
    for trace in figure["data"]:
        land = trace["name"] == gettext(LAND)
        trace["line"].update(dash="solid", width=3.5 if land else 1.75)
        trace["legendrank"] = 1 if land else 2
    figure["data"] = figure["data"][1:] + figure["data"][:1]


def _kommunestil(figure: dict) -> None:
    """The municipalities solid, the country dashed; each line named at its last value in its colour, instead of in a
    legend (so no room above the plot for one), the names of lines that end close together moved apart (`_spredt`)."""
    labels = []
    for trace in figure["data"]:
        land = trace["name"] == gettext(LAND)
        trace["line"].update(dash="dash" if land else "solid", width=2 if land else 2.5)
        last = next(((x, y) for x, y in zip(reversed(trace["x"]), reversed(trace["y"])) if y is not None), None)
        if last:
            labels.append({"x": last[0], "y": last[1], "text": trace["name"], "showarrow": False, "xanchor": "left",
                           "xshift": 6, "font": {"color": trace["line"]["color"], "size": 12}})
    layout = figure["layout"]
    layout.update(showlegend=False, annotations=labels, height=420)
    layout["margin"].update(t=MARGIN_TOP, r=140, b=40)
    values = [y for trace in figure["data"] for y in trace["y"] if y is not None]
    if labels and max(values) > min(values):
        # The value axis's range is set (plotly's own adds a margin of its choosing), so a value's pixel is known.
        pad = AXIS_PAD * (max(values) - min(values))
        lo, hi = min(values) - pad, max(values) + pad
        layout["yaxis"]["range"] = [lo, hi]
        per_unit = (layout["height"] - MARGIN_TOP - 40) / (hi - lo)
        wanted = [(label["y"] - lo) * per_unit for label in labels]
        for label, at, place in zip(labels, wanted, _spredt(wanted, LABEL_PX)):
            label["yshift"] = round(place - at, 1)


MARGIN_TOP = 118   # charts._figure's room for the title and subtitle, without a legend
LABEL_PX = 20      # a line-end label's height at 12 px (18 px drawn) and a little air
AXIS_PAD = 0.05    # the value axis's room below the lowest and above the highest value, of their difference


def _spredt(wanted: list[float], gap: float) -> list[float]:
    """Places as near the `wanted` ones (pixels up the plot) as can be with at least `gap` between any two: labels
    too close are laid out evenly around their mean, cluster by cluster, until no two clusters overlap. The same
    places for the same input, in the input's order."""
    clusters = [[i] for i in sorted(range(len(wanted)), key=lambda i: (wanted[i], i))]

    def start(cluster: list[int]) -> float:
        return sum(wanted[i] for i in cluster) / len(cluster) - (len(cluster) - 1) * gap / 2

    merged = True
    while merged:
        merged = False
        for k in range(len(clusters) - 1):
            if start(clusters[k]) + len(clusters[k]) * gap > start(clusters[k + 1]):
                clusters[k:k + 2] = [clusters[k] + clusters[k + 1]]
                merged = True
                break
    places = [0.0] * len(wanted)
    for cluster in clusters:
        for n, i in enumerate(cluster):
            places[i] = start(cluster) + n * gap
    return places


def _indeksakse(figure: dict, enhed: str) -> None:
    """The y-axis and every point's hover say what the index is: "Indeks (2019 = 100)"."""
    figure["layout"]["yaxis"]["title"] = {"text": enhed}
    for trace in figure["data"]:
        note = "%{customdata}" if "customdata" in trace else ""
        trace["hovertemplate"] = f"{trace['name']}<br>%{{text}}: %{{y:,.1f}}<br>{enhed}{note}<extra></extra>"
