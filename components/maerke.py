"""The badge that says whether a key figure's values are real or generated for demonstration: the same text, class
and explanation on the catalogue, a figure's page, the cards, the theme rows and the data status (where an area or a
source may be partly generated). Reads the explanations from kdk.queries.katalog."""
from __future__ import annotations

from components.light import html
from kdk import format as fmt
from kdk.queries.katalog import DEMO_FORKLARING, RIGTIG_FORKLARING
from kdk.sprog import gettext


def maerke(demodata: bool) -> dict:
    if demodata:
        return html.Span(gettext("Demodata"), className="maerke demo", title=gettext(DEMO_FORKLARING))
    return html.Span(gettext("Rigtige data"), className="maerke rigtig", title=gettext(RIGTIG_FORKLARING))


def demomaerke(demodata: bool) -> dict | None:
    """The badge for generated values only, where real values are the rule and go unmarked (a card, a theme row)."""
    return maerke(True) if demodata else None


def andelsmaerke(demo: int, total: int) -> dict:
    """The badge of a group of `total` figures of which `demo` are generated: all, none, or partly ("Delvist
    demodata (3 af 8)")."""
    if demo in (0, total):
        return maerke(demo == total)
    return html.Span(gettext("Delvist demodata ({demo} af {alle})").format(demo=fmt.number(demo),
                                                                         alle=fmt.number(total)),
                     className="maerke demo", title=gettext(DEMO_FORKLARING))
