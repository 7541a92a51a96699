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
from kdk.sprog import N_, gettext
from web.guard import IKKE_FUNDET, Problem, single_values
from web.rendercache import Keep


@single_values
def validate(scope: Scope, kode=None, **_) -> Problem | None:
    if kode is None or omraader.kommune(scope, kode) is None:
        return Problem(404, gettext("Kommunen findes ikke"),
                       gettext("Der er ingen kommune med koden «{kode}».").format(kode=kode))
    return None


def title(scope: Scope, kode=None, **_) -> str:
    k = omraader.kommune(scope, kode) if kode else None
    return gettext("Nyt for {kommune} – Kend din kommune").format(kommune=k["navn"]) if k \
        else gettext("Kommunen findes ikke – Kend din kommune")


BESKRIVELSE = N_("De nøgletal, der har fået nye tal eller rettelser i den seneste udgivelse.")

# An order puts the page before the profile in the registry: Dash's router takes the first template that matches, and
# the profile's /kommune/<kode> matches this address too (its <kode> would be "101/nyt").
dash.register_page(__name__, path_template="/kommune/<kode>/nyt", name="Nyt siden sidste udgivelse", title=title,
                   description=lambda **_: gettext(BESKRIVELSE),
                   validate=validate, keep=Keep(), order=10)


def layout(scope: Scope, kode=None, **_):
    problem = validate(scope=scope, kode=kode) if kode is not None else IKKE_FUNDET
    if problem:
        return fejlside(problem.titel, problem.tekst, problem.status)
    kommune = omraader.kommune(scope, kode)
    return html.Div([
        html.Nav(dcc.Link(gettext("← Profilen for {kommune}").format(kommune=kommune["navn"]), href=f"/kommune/{kode}"),
                 className="tilbage", **{"aria-label": gettext("Tilbage til profilen")}),
        html.Header([html.P(gettext("Kommuneprofil"), className="overtitel"),
                     html.H1(gettext("Nyt for {kommune}").format(kommune=kommune["navn"]))], className="profil-hoved"),
        nyt.nyheder(scope, kommune),
    ], className="profil nyt-side")
