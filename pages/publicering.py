"""/publicering: the publication team builds and downloads a release bundle for the KL databank.

For the publication team only (those who `kan_publicere`, asked of web.viewer.person); anyone else gets 404 like
any unknown page. It lists every release with its embargo time, so a staged release (`python -m kdk ingest …
--embargo-til`) shows as such until its time. Starting an export is audited. The bundle is built in a
background thread (kdk.export.jobs): the page shows its progress and then the download link.
A warning says how many of the bundle's values are generated demo data (components.demoandel).
"""
from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback

from components.demoandel import demoadvarsel
from components.light import dcc, html
from components.publikationsjob import publikationsjob
from components.shell import fejlside
from kdk import format as fmt
from kdk.auth import audit
from kdk.config import settings
from kdk.db import marts
from kdk.export import bundle, jobs
from kdk.queries import omraader
from kdk.queries.scope import now
from web import viewer
from web.guard import IKKE_FUNDET, Problem


def validate(**_) -> Problem | None:
    return None if viewer.person().kan_publicere else IKKE_FUNDET


def title() -> str:
    """The page's title, also in the shell's meta tags: only the publication team learns that the page exists
    (anyone else gets the shell an unknown address gets)."""
    return "Publicering – Kend din kommune" if viewer.person().kan_publicere else "Kend din kommune"


dash.register_page(__name__, path="/publicering", name="Publicering", order=9, nav=False, title=title,
                   validate=validate)


def releases():
    return marts().query("SELECT * FROM release ORDER BY loebenummer DESC")


def layout(**_):
    problem = validate()
    if problem:
        return fejlside(problem.titel, problem.tekst, problem.status)
    table = releases()
    latest = table.iloc[0]
    rows = [html.Tr([html.Td(str(r.loebenummer)), html.Td(r.release_id), html.Td(f"{r.udtraeksdato:%d.%m.%Y}"),
                     html.Td("–" if pd.isna(r.embargo_til) else f"{r.embargo_til:%d.%m.%Y kl. %H.%M}"),
                     html.Td(_status(r.embargo_til)), html.Td(r.beskrivelse)]) for r in table.itertuples()]
    return html.Div([
        html.H1("Publicering"),
        html.P("Byg release-bundtet til KL's databank: nøgletallene som CSV i Danmarks Statistiks format, en PX-fil "
               "pr. nøgletal og et manifest med kontrolsummer. Data under embargo kommer med; de er stadig skjult "
               "for alle andre indtil embargotidspunktet.", className="intro"),
        html.Table([html.Thead(html.Tr([html.Th(h) for h in ("Nr.", "Release", "Dataudtræk", "Embargo til",
                                                            "Status", "Beskrivelse")])), html.Tbody(rows)],
                   className="metodetabel"),
        html.H2(f"Seneste release: {latest.release_id}"),
        demoadvarsel(*bundle.demo_andel(marts(), omraader.fuld_adgang(), latest.release_id)),
        html.Button("Byg databank-bundt", id="publicering-start", n_clicks=0, className="knap"),
        dcc.Store(id="publicering-release", data=latest.release_id),
        dcc.Interval(id="publicering-interval", interval=1000, n_intervals=0),
        html.Div(id="publicering-status", role="status", **{"aria-live": "polite"}),
        publikationsjob(latest.release_id),
    ], className="publicering")


def _status(embargo_til) -> str:
    """Whether a release is public yet: a staged one is seen only by the publication team until its time."""
    return "Under embargo" if pd.notna(embargo_til) and embargo_til > now() else "Offentliggjort"


@callback(Output("publicering-status", "children", allow_duplicate=True), Input("publicering-start", "n_clicks"),
          State("publicering-release", "data"), prevent_initial_call=True)
def start(clicks: int | None, release_id: str | None):
    if not viewer.person().kan_publicere or not clicks or not isinstance(release_id, str):
        raise dash.exceptions.PreventUpdate
    started = jobs.start(marts(), omraader.fuld_adgang(), release_id, settings().export_dir)
    who = viewer.user().brugernavn if viewer.user() else None
    audit.log("eksport_startet", who, f"release {release_id}")
    return html.P("Eksporten er startet …" if started else "Eksporten er allerede i gang.")


@callback(Output("publicering-status", "children"), Input("publicering-interval", "n_intervals"),
          State("publicering-release", "data"))
def progress(_: int | None, release_id: str | None):
    if not viewer.person().kan_publicere or not isinstance(release_id, str):
        raise dash.exceptions.PreventUpdate
    state = jobs.status(settings().export_dir, release_id)
    if state["tilstand"] == "ikke startet":
        return html.P("Bundtet er ikke bygget endnu.")
    parts = [html.Progress(value=str(state["andel"]), max="1", **{"aria-label": "Eksportens fremdrift"}),
             html.P(f"{state['tekst']} ({fmt.percent(state['andel'])})")]
    if state["tilstand"] == "færdig":
        parts.append(html.A(f"Hent {state['fil']}", href=f"/eksport/{state['fil']}", download="", className="knap"))
    return html.Div(parts)
