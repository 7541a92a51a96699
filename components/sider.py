"""A pager for long lists that live in the URL: "Forrige · Side 2 af 50 · Næste" as plain links."""
from __future__ import annotations

from collections.abc import Callable

from components.light import dcc, html
from kdk import format as fmt
from kdk.sprog import gettext


def sidevaelger(side: int, sider: int, href: Callable[[int], str], navn: str) -> dict:
    """Links to the previous and next page (`href(n)` is page n's address); at either end the link is shown
    disabled. `navn` tells screen readers what is paged."""
    def step(label: str, target: int):
        if 1 <= target <= sider:
            return dcc.Link(label, href=href(target), className="side-link")
        return html.Span(label, className="side-link deaktiveret", **{"aria-disabled": "true"})

    return html.Nav([
        step(gettext("← Forrige"), side - 1),
        html.Span(gettext("Side {side} af {sider}").format(side=fmt.number(side), sider=fmt.number(sider)),
                  className="side-nr", **{"aria-current": "page"}),
        step(gettext("Næste →"), side + 1),
    ], className="sidevaelger", **{"aria-label": navn})
