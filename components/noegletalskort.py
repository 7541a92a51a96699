"""The key-figure card of the profile: value, change, position, comparisons, trend and a plain sentence.

Its colour, its change's colour and its sentences are kdk.fortolkning.vurder's judgements (against the country, the
period before and the comparison group); a count or total is not compared with its region's or the country's level.
A profile's overview shows up to 8 cards per data area (pages/kommune.py KORT_I_OVERBLIK), so a card is built of
light components (components/light.py)."""
from __future__ import annotations

from collections.abc import Sequence

from components import farver
from components.light import dcc, html
from components.maerke import demomaerke
from components.sparkline import sparkline
from kdk import format as fmt
from kdk import periods, status
from kdk.fortolkning import (
    BEDRE,
    DAARLIGERE,
    FORRIGE,
    LAND,
    PAA_NIVEAU,
    RETNING_TEKST,
    Vurdering,
    gruppe_saetning,
    placering,
    vurder,
)
from kdk.sprog import N_, gettext

# Texts in Danish, shown in the active language (gettext).
STATUS_TEKST = {
    "diskretioneret": N_("Tallet vises ikke, fordi det bygger på for få personer (diskretioneret)."),
    "mangler": N_("Der er ikke et tal for denne periode."),
}
KORT_RETNING = {"op": N_("Højere er bedre"), "ned": N_("Lavere er bedre"), "neutral": N_("Neutralt nøgletal")}
VURDERING_ORD = {BEDRE: N_("bedre end landet"), DAARLIGERE: N_("dårligere end landet"),
                 PAA_NIVEAU: N_("på niveau med landet")}
IKKE_OPGJORT = N_("ikke opgjort for regionerne")   # a figure that cannot be added up (aggregering `ingen`)


def noegletalskort(row: dict, kommune: str, regionsnavn: str, trend: Sequence[tuple[str, float | None]], href: str,
                   gruppe: dict | None = None, gruppe_href: str | None = None) -> dict:
    """`trend`: the municipality's (periode, vaerdi) pairs, oldest first, drawn as a small line whose text says their
    span. `gruppe` (optional): gruppe_vaerdi, gruppe_n, under, over for the comparison group of the figure."""
    d, unit = int(row["decimaler"]), row["enhed"]
    verdict = vurder(row, row["vaerdi"], row["land_vaerdi"], LAND, row["spredning"])
    tone = _tone(verdict)
    periode = periods.label(row["periode"]) if isinstance(row["periode"], str) else "–"
    children = [
        html.Header([
            html.H3(row["titel"], className="kort-titel"),
            demomaerke(row["demodata"]),
        ], className="kort-hoved"),
        html.P([html.Span(fmt.number(row["vaerdi"], d), className="vaerdi"),
                html.Span(("" if unit == "%" else " ") + unit if unit != "antal" and status.kendt(row["vaerdi"])
                          else "",
                          className="enhed"),
                html.Span(f" · {periode}", className="periode"), _revised(row, d)], className="vaerdilinje"),
    ]
    if not status.kendt(row["vaerdi"]):
        why = row["uden_vaerdi"] if row["status"] == "diskretioneret" and row["uden_vaerdi"] else \
            gettext(STATUS_TEKST.get(row["status"], STATUS_TEKST["mangler"]))
        children.append(html.P(why, className="status"))
    else:
        children += [
            html.P(gettext(status.ESTIMAT), className="status estimat") if row["status"] == "estimat" else None,
            _change(row, d, unit),
            html.P(gettext("Nr. {nr} af {antal} kommuner (nr. 1 = højeste værdi)").format(
                nr=int(row["rang"]), antal=int(row["antal"])), className="rang") if status.kendt(row["rang"]) else None,
            html.Dl(_comparisons(row, regionsnavn, gruppe, gruppe_href), className="sammenligning"),
            html.P(row["forbehold"], className="forbehold") if row["forbehold"] else None,
            _sparkline(row, kommune, trend),
            html.P([placering(kommune, row["titel"], row["andel_under"], verdict),
                    " ", gruppe_saetning(row, row["vaerdi"], gruppe["gruppe_vaerdi"], row["spredning"],
                                         int(gruppe["under"]), int(gruppe["over"]), int(gruppe["gruppe_n"]))
                    if gruppe else None],
                   className="saetning"),
        ]
    children.append(html.Footer([
        html.Span(gettext(KORT_RETNING[row["retning"]])
                  + (f" · {gettext(VURDERING_ORD[verdict.dom])}" if verdict.dom in VURDERING_ORD else ""),
                  className=f"retning {tone}", title=gettext(RETNING_TEKST[row["retning"]])),
        dcc.Link(gettext("Detaljer"), href=href, className="detaljer",
                 title=gettext("Se {titel} i dybden").format(titel=row["titel"].lower())),
    ], className="kort-fod"))
    return html.Article(children, className=f"noegletal-kort {tone}", id=f"kort-{row['noegletal_id']}",
                        title=row["definition"])


def _sparkline(row: dict, kommune: str, trend: Sequence[tuple[str, float | None]]) -> dict | None:
    """The trend as a small line, its text naming the span of its periods ('2000–2004 til 2021–2025')."""
    span = f", {periods.span(trend[0][0], trend[-1][0])}" if trend else ""
    return sparkline([v for _, v in trend], farver.KOMMUNE_FARVE,
                     gettext("Udvikling i {titel} for {kommune}").format(titel=row["titel"].lower(), kommune=kommune)
                     + span)


def _tone(verdict: Vurdering) -> str:
    """The card's or change's colour class: the verdict where a good or bad colour may be used, else neutral."""
    return verdict.dom if verdict.farve else "neutral"


def _revised(row: dict, d: int) -> dict | None:
    """A small note on a value a release revised, with the value before and the release's date in its title."""
    if not status.kendt(row.get("tidligere_vaerdi")):
        return None
    return html.Span(" · " + gettext("Revideret"), className="revideret",
                     title=gettext("Revideret i releasen fra {dato}; tidligere {vaerdi}.").format(
                         dato=fmt.date(row["revideret_dato"]), vaerdi=fmt.number(row["tidligere_vaerdi"], d)))


def _comparisons(row: dict, regionsnavn: str, gruppe: dict | None, gruppe_href: str | None) -> list:
    """The group's mean, and (except for a count or total, whose national value is a sum) the region's and the
    country's values; a figure that cannot be added up (aggregering `ingen`) has no region value, and says so."""
    d = int(row["decimaler"])
    items = []
    if gruppe and gruppe["gruppe_n"]:
        label = gettext("Gns. af {antal} sammenlignelige").format(antal=int(gruppe["gruppe_n"]))
        items += [html.Dt(dcc.Link(label, href=gruppe_href) if gruppe_href else label,
                          title=gettext("Uvægtet gennemsnit af de mest sammenlignelige kommuner (kommunen selv indgår "
                                        "ikke)")),
                  html.Dd(fmt.number(gruppe["gruppe_vaerdi"], d))]
    if not row["niveau_sammenlignes"]:
        return items
    region = gettext(IKKE_OPGJORT) if row["aggregering"] == "ingen" else fmt.number(row["region_vaerdi"], d)
    return items + [html.Dt(regionsnavn), html.Dd(region),
                    html.Dt(gettext("Hele landet")), html.Dd(fmt.number(row["land_vaerdi"], d))]


def _change(row: dict, d: int, unit: str) -> dict | None:
    if not status.kendt(row["forrige_vaerdi"]):
        return None
    verdict = vurder(row, row["vaerdi"], row["forrige_vaerdi"], FORRIGE)
    previous = periods.label(periods.previous(row["periode"]))
    if verdict.dom == PAA_NIVEAU:   # a change too small to show is no change
        return html.P("■ " + gettext("Uændret siden {periode}").format(periode=previous), className="aendring neutral")
    delta = fmt.published(row["vaerdi"] - row["forrige_vaerdi"], d)
    arrow = "▲" if delta > 0 else "▼"
    return html.P([html.Span(arrow, **{"aria-hidden": "true"}),
                   " " + gettext("{aendring} siden {periode}").format(aendring=fmt.change(delta, d, unit),
                                                                     periode=previous)],
                  className=f"aendring {_tone(verdict)}")
