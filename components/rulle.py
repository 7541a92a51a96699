"""A wide table that scrolls sideways in a box of its own on a narrow screen, instead of widening the page: a
keyboard-reachable region named for screen readers, with a visible hint on a phone (assets/mobil.css)."""
from __future__ import annotations

from components.light import html
from kdk.sprog import N_, gettext

HINT = N_("Er tabellen bredere end skærmen, kan du stryge eller rulle den til siden for at se resten.")


def rulle(table: dict, navn: str) -> dict:
    """`table` in its own sideways-scrolling region named `navn`, the hint above it."""
    return html.Div([html.P(gettext(HINT), className="rulle-hint", **{"aria-hidden": "true"}),
                     html.Div(table, className="rulle", tabIndex="0", role="region", **{"aria-label": navn})],
                    className="rulleboks")
