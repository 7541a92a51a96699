"""/ : the front page: a map of Denmark coloured by a chosen key figure and year; a click opens a profile.

State lives in the URL (`/?noegletal=beskaeftigelse.ledighed&aar=2025`). Another key figure or year only recolours
the map: the browser gets a dash.Patch with the new colours, hover texts and titles, not the page again, and the
address changes without a reload (back and forward work the same way). A visitor who chose "min kommune" starts
from a box with its pages, which the browser fills in (assets/minkommune.js); one who did not is invited to choose
one with a picker there. Reads kdk.queries only.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import dash
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback

from components import charts, hent
from components.kortliste import kortliste, raekker
from components.light import dcc, html
from components.praesentation import som_vist
from components.shell import fejlside
from components.vaelgere import kommune_options
from kdk import format as fmt
from kdk import periods
from kdk.queries import katalog, omraader
from kdk.queries import noegletal as q
from kdk.queries.scope import Scope
from kdk.sprog import N_, gettext, med_adresser
from web import viewer
from web.guard import Problem, single_values, ugyldig
from web.rendercache import Keep, Warm

STANDARD = "beskaeftigelse.ledighed"
BESKRIVELSE = N_("Nøgletal for Danmarks kommuner på et kort.")


@single_values
def validate(scope: Scope, noegletal=None, aar=None, **_) -> Problem | None:
    if noegletal is not None and noegletal not in set(omraader.synlige_noegletal(scope)["noegletal_id"]):
        return ugyldig("noegletal", noegletal)
    if aar is not None and aar not in q.perioder(scope, noegletal or STANDARD):
        return ugyldig("aar", aar)
    return None


dash.register_page(__name__, path="/", name="Forside", title="Kend din kommune", order=0, nav=True,
                   description=lambda **_: gettext(BESKRIVELSE), validate=validate,
                   keep=Keep(warm=lambda kode: [Warm(0, "/")]))


def layout(scope: Scope, noegletal=None, aar=None, **_):
    problem = validate(scope=scope, noegletal=noegletal, aar=aar)
    if problem:
        return fejlside(problem.titel, problem.tekst, problem.status)
    catalogue = omraader.synlige_noegletal(scope)
    fid = noegletal or STANDARD
    years = q.perioder(scope, fid)
    periode = aar or years[0]
    figure = _kort(scope, fid, periode)
    areas = {a["kode"]: a["navn"] for a in omraader.dataomraader(scope)}
    options = [{"label": f"{areas[r.dataomraade]}: {r.titel}", "value": r.noegletal_id}
               for r in catalogue.itertuples()]
    return html.Div([
        # The address as the page was drawn for it, so that the Location's mount does not call `show` again.
        dcc.Location(id="forside-url", refresh=False, search=_search(noegletal, aar)),
        dcc.Store(id="forside-kontekst", data={"noegletal": fid, "aar": periode}),
        html.Section([
            html.H1("Kend din kommune"),
            html.P(gettext("Se hvordan din kommune ligger på {antal} nøgletal, sammenlignet med regionen og hele "
                           "landet. Vælg et nøgletal og et år, og klik på en kommune på kortet for at åbne dens "
                           "profil.").format(antal=fmt.number(len(catalogue)))),
        ], className="intro"),
        _min_kommune(),
        _vaelg_min_kommune(omraader.kommuner(scope)),
        html.Div([
            html.Div([html.Label(gettext("Nøgletal"), htmlFor="forside-noegletal"),
                      dcc.Dropdown(id="forside-noegletal", options=options, value=fid, clearable=False)],
                     className="felt bred"),
            html.Div([html.Label(gettext("År"), htmlFor="forside-aar"),
                      dcc.Dropdown(id="forside-aar", value=periode, clearable=False, searchable=False,
                                   options=_year_options(years))],
                     className="felt"),
        ], className="kontroller"),
        hent.graf(figure, fid, "alle", [periode], class_name="kort", id="forside-kort", responsive=True),
        kortliste("forside-kortliste", katalog.meta(scope, fid), q.kommunevaerdier(scope, fid, periode), periode),
        _all_municipalities(omraader.kommuner(scope)),
    ], className="forside")


def _kort(scope: Scope, fid: str, periode: str):
    meta = omraader.synlige_noegletal(scope).set_index("noegletal_id").loc[fid].to_dict() | {"noegletal_id": fid}
    land = dict(q.aarsserie(scope, fid).get("000", ())).get(periode)   # the map judges each against the country
    return charts.kort(meta, q.kommunevaerdier(scope, fid, periode), omraader.geometri(scope), periode, land=land)


def _year_options(years: tuple[str, ...]) -> list[dict]:
    return [{"label": periods.label(y), "value": y} for y in years]


def _search(noegletal: str | None, aar: str | None) -> str:
    """The query string for a view: a year only when one was chosen (else the figure's latest is shown)."""
    query = {k: v for k, v in (("noegletal", noegletal), ("aar", aar)) if v}
    return "?" + urlencode(query) if query else ""


def _min_kommune() -> dict:
    """Where the visitor starts: their own municipality's pages, filled in and shown by the browser when they chose
    one (assets/minkommune.js); the render is the same for every visitor."""
    return html.Section([
        html.H2([gettext("Min kommune: "), html.Span(id="forside-min-navn")]),
        dcc.Link(gettext("Se profilen"), id="forside-min-profil", href="/", className="knap"),
        dcc.Link(gettext("Sammenlignelige kommuner"), id="forside-min-sammenligning", href="/sammenligning",
                 className="knap"),
        html.Button(gettext("Glem min kommune"), id="forside-glem-min", type="button", className="glem-knap",
                    title=gettext("Fjern kommunen, som denne browser husker")),
    ], id="forside-min-kommune", className="min-kommune-boks", hidden=True, **{"aria-label": gettext("Min kommune")})


def _vaelg_min_kommune(kommuner) -> dict:
    """The invitation to choose one's own municipality, with a picker that chooses it. Drawn shown, as most visitors
    have none, and hidden by the browser when one is chosen (assets/minkommune.js), where the box of its pages takes
    its place."""
    return html.Section([
        html.H2(gettext("Vælg din kommune")),
        html.Div([html.Label(gettext("Min kommune"), htmlFor="forside-min-vaelger", className="visually-hidden"),
                  dcc.Dropdown(id="forside-min-vaelger", options=kommune_options(kommuner.to_dict("records")),
                               placeholder=gettext("Vælg kommune …"), clearable=False)], className="felt"),
        html.P(gettext("Denne browser husker den: søgefeltet øverst viser den først, og temaer og sammenligning "
                       "åbner med den.")),
    ], id="forside-vaelg-min", className="min-kommune-boks vaelg-min", **{"aria-label": gettext("Vælg din kommune")})


def _all_municipalities(kommuner) -> dict:
    """Every municipality by region: the map's alternative for keyboard and screen-reader users."""
    regions = []
    for regionsnavn, group in kommuner.sort_values(["regionskode", "navn"]).groupby("regionsnavn", sort=False):
        links = [html.Li(dcc.Link(k.navn, href=f"/kommune/{k.kommunekode}")) for k in group.itertuples()]
        regions.append(html.Div([html.H3(regionsnavn), html.Ul(links)], className="region-liste"))
    return html.Section([html.H2(gettext("Alle kommuner")), html.Div(regions, className="regioner")],
                        className="indgange")


@callback(Output("forside-kort", "figure"), Output("forside-kort-hent", "children"), Output("forside-aar", "options"),
          Output("forside-noegletal", "value"), Output("forside-aar", "value"), Output("forside-kontekst", "data"),
          Output("forside-url", "search"),
          Input("forside-noegletal", "value"), Input("forside-aar", "value"), Input("forside-url", "search"),
          State("forside-kontekst", "data"), State("_pages_location", "search"), prevent_initial_call=True)
def show(noegletal: str | None, aar: str | None, search: str | None, shown: dict | None, address_now: str | None):
    """A key figure or year chosen, or an address from back or forward: patch the map to it (in the address's view),
    and push the address of a choice. A new key figure opens at its latest year."""
    scope = viewer.scope()
    from_address = dash.ctx.triggered_id == "forside-url"
    if from_address:
        query = parse_qs(search.lstrip("?")) if isinstance(search, str) else {}
        noegletal, aar = query.get("noegletal", [STANDARD])[0], query.get("aar", [None])[0]
    elif dash.ctx.triggered_id == "forside-noegletal":
        aar = None
    if not isinstance(noegletal, str) or validate(scope=scope, noegletal=noegletal, aar=aar):
        raise dash.exceptions.PreventUpdate
    years = q.perioder(scope, noegletal)
    periode = aar or years[0]
    if {"noegletal": noegletal, "aar": periode} == shown:   # the page's own render, or nothing changed
        raise dash.exceptions.PreventUpdate
    figure = som_vist(_kort(scope, noegletal, periode), address_now)
    address = dash.no_update if from_address else _search(noegletal, aar)
    # A callback's links are not the page layout's, which app.py puts in the page's language: these are put here.
    return (charts.kort_patch(figure), med_adresser(hent.links(figure, noegletal, "alle", [periode], "forside-kort")),
            _year_options(years), noegletal, periode, {"noegletal": noegletal, "aar": periode}, address)


@callback(Output("nav", "href", allow_duplicate=True), Input("forside-kort", "clickData"),
          prevent_initial_call=True)
def open_profile(click: dict | None):
    return charts.clicked_profile(click)


@callback(Output("forside-kortliste", "children"), Input("forside-kontekst", "data"), prevent_initial_call=True)
def list_municipalities(shown: dict | None):
    """The map's list (components/kortliste.py) for the key figure and year the map shows now."""
    scope = viewer.scope()
    fid, periode = (shown.get("noegletal"), shown.get("aar")) if isinstance(shown, dict) else (None, None)
    if not isinstance(fid, str) or not isinstance(periode, str) or validate(scope=scope, noegletal=fid, aar=periode):
        raise dash.exceptions.PreventUpdate
    return raekker(katalog.meta(scope, fid), q.kommunevaerdier(scope, fid, periode), periode)


# The visitor's own municipality, kept in the browser (assets/minkommune.js): shown, and forgotten on request.
clientside_callback(ClientsideFunction("minkommune", "frontPage"), Output("forside-min-kommune", "hidden"),
                    Output("forside-min-navn", "children"), Output("forside-min-profil", "href"),
                    Output("forside-min-sammenligning", "href"), Output("forside-vaelg-min", "hidden"),
                    Input("min-kommune", "data"))
clientside_callback(ClientsideFunction("minkommune", "pick"), Output("min-kommune", "data", allow_duplicate=True),
                    Input("forside-min-vaelger", "value"), State("forside-min-vaelger", "options"),
                    prevent_initial_call=True)
clientside_callback(ClientsideFunction("minkommune", "forget"), Output("min-kommune", "data", allow_duplicate=True),
                    Input("forside-glem-min", "n_clicks"), prevent_initial_call=True)
