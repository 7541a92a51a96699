"""/kommune/<kode>/nyt: what the newest release changed for one municipality since the release before it.

The key figures with values in new periods or revised values, old → new with the reason for a revision
(components/nyt.py), as the viewer may see them. Reads kdk.queries only.
"""
from __future__ import annotations

import dash

from components import nyt
from components.light import dcc, html
from components.shell import fejlside
from kdk.queries import omraader
from kdk.queries.scope import Scope
from web.guard import IKKE_FUNDET, Problem, single_values
from web.rendercache import Keep


@single_values
def validate(scope: Scope, kode=None, **_) -> Problem | None:
    if kode is None or omraader.kommune(scope, kode) is None:
        return Problem(404, "Kommunen findes ikke", f"Der er ingen kommune med koden «{kode}».")
    return None


def title(scope: Scope, kode=None, **_) -> str:
    k = omraader.kommune(scope, kode) if kode else None
    return f"Nyt for {k['navn']} – Kend din kommune" if k else "Kommunen findes ikke – Kend din kommune"


# An order puts the page before the profile in the registry: Dash's router takes the first template that matches, and
# the profile's /kommune/<kode> matches this address too (its <kode> would be "101/nyt").
dash.register_page(__name__, path_template="/kommune/<kode>/nyt", name="Nyt siden sidste udgivelse", title=title,
                   description="De nøgletal, der har fået nye tal eller rettelser i den seneste udgivelse.",
                   validate=validate, keep=Keep(), order=10)


def layout(scope: Scope, kode=None, **_):
    problem = validate(scope=scope, kode=kode) if kode is not None else IKKE_FUNDET
    if problem:
        return fejlside(problem.titel, problem.tekst, problem.status)
    kommune = omraader.kommune(scope, kode)
    return html.Div([
        html.Nav(dcc.Link(f"← Profilen for {kommune['navn']}", href=f"/kommune/{kode}"), className="tilbage",
                 **{"aria-label": "Tilbage til profilen"}),
        html.Header([html.P("Kommuneprofil", className="overtitel"), html.H1(f"Nyt for {kommune['navn']}")],
                    className="profil-hoved"),
        nyt.nyheder(scope, kommune),
    ], className="profil nyt-side")
