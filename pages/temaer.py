"""/temaer: every theme, with its introduction and a link (keeps `?kommune=` when given), in the active language."""
from __future__ import annotations

import dash

from components.light import dcc, html
from components.shell import fejlside
from kdk.queries import omraader
from kdk.queries import temaer as t
from kdk.queries.scope import Scope
from kdk.sprog import N_, gettext
from web.guard import Problem, single_values, ugyldig
from web.rendercache import Keep


@single_values
def validate(scope: Scope, kommune=None, **_) -> Problem | None:
    if kommune is not None and omraader.kommune(scope, kommune) is None:
        return ugyldig("kommune", kommune)
    return None


dash.register_page(__name__, path="/temaer", name=N_("Temaer"), title=N_("Temaer – Kend din kommune"), order=3,
                   nav=True,
                   undersider=("/tema/",),   # a theme's page is in this section (components/shell.py)
                   description=N_("Årets tema og andre temaer i Kend din kommune."), validate=validate, keep=Keep())


def layout(scope: Scope, kommune=None, **_):
    problem = validate(scope=scope, kommune=kommune)
    if problem:
        return fejlside(problem.titel, problem.tekst, problem.status)
    themes = t.temaer(scope)
    suffix = f"?kommune={kommune}" if kommune else ""
    cards = [html.Article([
        html.H2(dcc.Link(row.titel, href=f"/tema/{row.slug}{suffix}")),
        html.P(row.introduktion),
        dcc.Link(gettext("Se temaet {tema} →").format(tema=row.titel.lower()), href=f"/tema/{row.slug}{suffix}",
                 className="dybde-link"),
    ], className="tema-kort") for row in themes.itertuples()]
    return html.Div([
        html.H1(gettext("Temaer")),
        html.P(gettext("Hvert år har Kend din kommune et tema. Et tema samler de nøgletal, der belyser en aktuel "
                       "udfordring, og sammenligner kommunen med de kommuner, der ligner den mest."),
               className="intro"),
        html.Div(cards, className="tema-liste"),
    ])
