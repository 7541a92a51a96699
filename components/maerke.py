"""The badge that says whether a key figure's values are real or generated for demonstration."""
from __future__ import annotations

from components.light import html
from kdk.queries.katalog import DEMO_FORKLARING, RIGTIG_FORKLARING


def maerke(demodata: bool) -> dict:
    if demodata:
        return html.Span("Demodata", className="maerke demo", title=DEMO_FORKLARING)
    return html.Span("Rigtige data", className="maerke rigtig", title=RIGTIG_FORKLARING)
