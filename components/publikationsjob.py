"""The publication page's section "Publikation (PDF)": build a theme's PDFs for a release in the background
(kdk.publikation.start, the jobs of kdk.export.jobs), follow its progress, and download the files, one by one
(/eksport/<file>) or all as one zip (/eksport/publikation/<tema>/<release>, web/eksport.py).

Only the newest release can be published (kdk.publikation.afvist): for any other the section says why before one
clicks and its button is disabled, and a start asked for anyway is answered 400 with the reason.

For the publication team only (those who `kan_publicere`, asked of web.viewer.person): the callbacks do nothing
for anyone else, and starting a job is audited. In the page's language; the themes' titles in it too (the themes'
data). Reads the themes and the job's status (kdk.export.jobs); writes nothing itself.
"""
from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx

from components.fremdrift import fremdrift
from components.light import dcc, html
from kdk import format as fmt
from kdk import publikation
from kdk.auth import audit
from kdk.config import settings
from kdk.export import jobs
from kdk.queries import omraader
from kdk.queries import temaer as t
from kdk.sprog import adresse, gettext, ngettext
from web import viewer


def publikationsjob(release_id: str) -> dict:
    """The section for `release_id`: a choice of theme, a start button, and the job's progress and files."""
    themes = t.temaer(omraader.fuld_adgang())
    refused = publikation.afvist(release_id)
    return html.Section([
        html.H2(gettext("Publikation (PDF)")),
        html.P(gettext("Temaet som PDF-filer til publikationen: én for hele landet og én for hver kommune, og én "
                       "samlet fil med indholdsfortegnelse. Data under embargo kommer med."), className="intro"),
        html.Label(gettext("Tema"), htmlFor="publikation-tema"),
        dcc.Dropdown(id="publikation-tema", value=themes["slug"].iloc[0], clearable=False,
                     options=[{"label": r.titel, "value": r.slug} for r in themes.itertuples()]),
        html.P(refused, id="publikation-afvist") if refused else None,
        html.Button(gettext("Byg publikationens PDF-filer"), id="publikation-start", n_clicks=0, className="knap",
                    disabled=bool(refused)),
        dcc.Store(id="publikation-release", data=release_id),
        dcc.Interval(id="publikation-interval", interval=2000, n_intervals=0),
        html.Div(id="publikation-status", role="status", **{"aria-live": "polite"}),
    ], className="publikationsjob")


@callback(Output("publikation-status", "children", allow_duplicate=True), Input("publikation-start", "n_clicks"),
          State("publikation-release", "data"), State("publikation-tema", "value"), prevent_initial_call=True)
def start(clicks: int | None, release_id: str | None, tema: str | None):
    if not viewer.person().kan_publicere or not clicks or not isinstance(release_id, str) or not isinstance(tema, str):
        raise dash.exceptions.PreventUpdate
    try:
        started = publikation.start(release_id, tema, settings().export_dir)
    except publikation.PublikationError as exc:
        ctx.response.callback_response.status_code = 400   # a bad request, and its reason in the answer
        return html.P(str(exc))
    who = viewer.user().brugernavn if viewer.user() else None
    audit.log("publikation_startet", who, f"release {release_id}, tema {tema}")
    return html.P(gettext("Publikationen er startet …") if started else gettext("Publikationen er allerede i gang."))


@callback(Output("publikation-status", "children"), Input("publikation-interval", "n_intervals"),
          Input("publikation-tema", "value"), State("publikation-release", "data"))
def progress(_: int | None, tema: str | None, release_id: str | None):
    if not viewer.person().kan_publicere or not isinstance(release_id, str) or not isinstance(tema, str):
        raise dash.exceptions.PreventUpdate
    state = jobs.job_status(settings().export_dir, publikation.job(release_id, tema))
    if state["tilstand"] == "ikke startet":
        return html.P(publikation.afvist(release_id) or gettext("PDF-filerne er ikke bygget endnu."))
    parts = fremdrift(state, gettext("Publikationens fremdrift"))
    if state["tilstand"] == "færdig":
        first, *rest = state["filer"]
        links = [html.Li(html.A(name, href=adresse(f"/eksport/{name}"), download="")) for name in rest]
        parts += [html.A(gettext("Hent {fil}").format(fil=first), href=adresse(f"/eksport/{first}"), download="",
                         className="knap"),
                  _zip(release_id, tema, state["filer"]),
                  html.Details([html.Summary(gettext("De {antal} enkelte PDF-filer").format(antal=len(rest))),
                                html.Ul(links)])]
    return html.Div(parts)


def _zip(release_id: str, tema: str, names: list[str]) -> dict:
    """The link to every file of the publication (`names`, in the export folder) as one zip, with their number and
    size."""
    files = [settings().export_dir / name for name in names]
    size = sum(f.stat().st_size for f in files) / 1e6
    return html.A(ngettext("Hent alle som zip ({antal} fil, {mb} MB)", "Hent alle som zip ({antal} filer, {mb} MB)",
                           len(files)).format(antal=fmt.number(len(files)), mb=fmt.number(size, 1)),
                  href=adresse(f"/eksport/publikation/{tema}/{release_id}"), download="", className="knap")
