"""The badge that says whether a key figure's values are real or generated for demonstration: the same text, class
and explanation on the catalogue, a figure's page, the cards and the theme rows (pages/datastatus.py still builds
its own, with counts). Reads the explanations from kdk.queries.katalog."""
from __future__ import annotations

from components.light import html
from kdk.queries.katalog import DEMO_FORKLARING, RIGTIG_FORKLARING


def maerke(demodata: bool) -> dict:
    if demodata:
        return html.Span("Demodata", className="maerke demo", title=DEMO_FORKLARING)
    return html.Span("Rigtige data", className="maerke rigtig", title=RIGTIG_FORKLARING)


def demomaerke(demodata: bool) -> dict | None:
    """The badge for generated values only, where real values are the rule and go unmarked (a card, a theme row)."""
    return maerke(True) if demodata else None
