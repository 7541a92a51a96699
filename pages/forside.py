"""/ : the front page: a map of Denmark coloured by a chosen key figure and year; a click opens a profile.

State lives in the URL (`/?noegletal=beskaeftigelse.ledighed&aar=2025`). Reads kdk.queries only.
"""
from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, dcc, html

from components import charts
from components.hent import graf
from components.shell import fejlside
from kdk import periods
from kdk.queries import noegletal as q
from kdk.queries import omraader
from web import viewer
from web.guard import Problem, ugyldig

STANDARD = "beskaeftigelse.ledighed"


def validate(noegletal=None, aar=None, **_) -> Problem | None:
    scope = viewer.scope()
    if noegletal is not None and noegletal not in set(omraader.noegletal(scope)["noegletal_id"]):
        return ugyldig("noegletal", noegletal)
    if aar is not None and aar not in q.perioder(scope, noegletal or STANDARD):
        return ugyldig("aar", aar)
    return None


dash.register_page(__name__, path="/", name="Forside", title="Kend din kommune", order=0, nav=True,
                   description="Nøgletal for Danmarks 98 kommuner på et kort.", validate=validate)


def layout(noegletal=None, aar=None, **_):
    problem = validate(noegletal=noegletal, aar=aar)
    if problem:
        return fejlside(problem.titel, problem.tekst, problem.status)
    scope = viewer.scope()
    catalogue = omraader.noegletal(scope)
    fid = noegletal or STANDARD
    years = q.perioder(scope, fid)
    periode = aar or years[0]
    meta = catalogue.set_index("noegletal_id").loc[fid].to_dict() | {"noegletal_id": fid}
    figure = charts.kort(meta, q.fordeling(scope, fid, periode), omraader.geometri(scope), periode)
    areas = omraader.dataomraader(scope).set_index("kode")["navn"]
    options = [{"label": f"{areas[r.dataomraade]}: {r.titel}", "value": r.noegletal_id}
               for r in catalogue.itertuples()]
    return html.Div([
        dcc.Store(id="forside-kontekst", data={"noegletal": fid, "aar": periode}),
        html.Section([
            html.H1("Kend din kommune"),
            html.P("Se hvordan din kommune ligger på over 60 nøgletal, sammenlignet med regionen og hele landet. "
                   "Vælg et nøgletal og et år, og klik på en kommune på kortet for at åbne dens profil."),
        ], className="intro"),
        html.Div([
            html.Div([html.Label("Nøgletal", htmlFor="forside-noegletal"),
                      dcc.Dropdown(id="forside-noegletal", options=options, value=fid, clearable=False)],
                     className="felt bred"),
            html.Div([html.Label("År", htmlFor="forside-aar"),
                      dcc.Dropdown(id="forside-aar", value=periode, clearable=False, searchable=False,
                                   options=[{"label": periods.label(y), "value": y} for y in years])],
                     className="felt"),
        ], className="kontroller"),
        graf(figure, fid, "alle", [periode], class_name="kort", id="forside-kort", responsive=True),
        _all_municipalities(omraader.kommuner(scope)),
    ], className="forside")


def _all_municipalities(kommuner) -> html.Section:
    """Every municipality by region: the map's alternative for keyboard and screen-reader users."""
    regions = []
    for regionsnavn, group in kommuner.sort_values(["regionskode", "navn"]).groupby("regionsnavn", sort=False):
        links = [html.Li(dcc.Link(k.navn, href=f"/kommune/{k.kommunekode}")) for k in group.itertuples()]
        regions.append(html.Div([html.H3(regionsnavn), html.Ul(links)], className="region-liste"))
    return html.Section([html.H2("Alle kommuner"), html.Div(regions, className="regioner")], className="indgange")


@callback(Output("nav", "href", allow_duplicate=True), Input("forside-noegletal", "value"),
          Input("forside-aar", "value"), State("forside-kontekst", "data"), prevent_initial_call=True)
def choose_figure(noegletal, aar, context):
    # The page's own render fires this too: only a changed control navigates.
    shown = context if isinstance(context, dict) else {}
    if not isinstance(noegletal, str) or (noegletal, aar) == (shown.get("noegletal"), shown.get("aar")):
        raise dash.exceptions.PreventUpdate
    triggered = dash.ctx.triggered_id
    query = {"noegletal": noegletal}
    if triggered == "forside-aar" and isinstance(aar, str):
        query["aar"] = aar
    return "/?" + urlencode(query)


@callback(Output("nav", "href", allow_duplicate=True), Input("forside-kort", "clickData"),
          prevent_initial_call=True)
def open_profile(click):
    return charts.clicked_profile(click)
