"""/brug-i-excel: how to read the data straight into Excel or Power BI, with the URL to paste.

The user picks key figures, areas and periods; the page shows the /api/v1/data address for them (CSV in
Danmarks Statistik's format, which Excel's and Power Query's "Fra web" read as is; on an English page with
`lang=en`, kdk.sprog.adresse). State in the URL.
"""
from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, callback

from components.light import dcc, html
from components.vaelgere import kommune_options
from kdk.queries import omraader
from kdk.queries.katalog import HELE_LANDET
from kdk.queries.scope import Scope
from kdk.sprog import N_, adresse, gettext, ngettext, pgettext
from web import links, viewer
from web.api import ALLE

TITEL = N_("Brug i Excel / Power BI – Kend din kommune")
BESKRIVELSE = N_("Hent nøgletallene direkte ind i Excel eller Power BI.")
dash.register_page(__name__, path="/brug-i-excel", name="Excel / Power BI", order=5, nav=True,
                   title=lambda **_: gettext(TITEL), description=lambda **_: gettext(BESKRIVELSE))


def layout(scope: Scope, **_):
    catalogue = omraader.synlige_noegletal(scope)
    kommuner = omraader.kommuner(scope)
    return html.Div([
        html.H1(gettext("Brug i Excel / Power BI")),
        html.P(gettext("Nøgletallene kan hentes direkte ind i jeres eget værktøj uden at installere noget. Vælg data "
                       "herunder, og kopiér adressen."), className="intro"),
        html.Div([
            html.Div([html.Label(pgettext("flertal", "Nøgletal"), htmlFor="excel-noegletal"),
                      dcc.Dropdown(id="excel-noegletal", multi=True, value=["beskaeftigelse.ledighed"],
                                   options=[{"label": r.titel, "value": r.noegletal_id}
                                            for r in catalogue.itertuples()])],
                     className="felt bred"),
            html.Div([html.Label(gettext("Kommuner"), htmlFor="excel-kommune"),
                      dcc.Dropdown(id="excel-kommune", multi=True, value=[ALLE],
                                   options=[{"label": ngettext("Alle {antal} kommuner", "Alle {antal} kommuner",
                                                               len(kommuner)).format(antal=len(kommuner)),
                                             "value": ALLE},
                                            {"label": gettext(HELE_LANDET), "value": "000"}]
                                   + kommune_options(kommuner.to_dict("records")))], className="felt bred"),
            html.Div([html.Label(gettext("Perioder (valgfrit)"), htmlFor="excel-periode"),
                      dcc.Input(id="excel-periode", type="text", placeholder=gettext("fx 2024,2025"), debounce=True,
                                className="tekstfelt")], className="felt"),
        ], className="kontroller"),
        html.H2(gettext("Adressen")),
        html.Div([html.Code(id="excel-url", className="url"), dcc.Clipboard(target_id="excel-url",
                                                                            title=gettext("Kopiér adressen"))],
                 className="url-boks"),
        html.H2(gettext("Sådan gør du")),
        html.H3("Excel"),
        html.Ol([html.Li(gettext("Data → Hent data → Fra andre kilder → Fra web.")),
                 html.Li(gettext("Indsæt adressen og tryk OK.")),
                 html.Li(gettext("Vælg «Indlæs». Kolonnen OMRAADE er tekst, så 101 forbliver 101."))]),
        html.H3("Power BI"),
        html.Ol([html.Li(gettext("Hent data → Web.")), html.Li(gettext("Indsæt adressen.")),
                 html.Li(gettext("Power Query læser semikolon, decimalkomma og UTF-8 automatisk."))]),
        html.P([gettext("Store udtræk hentes side for side (parameteren side).") + " " + gettext("Hele kataloget:")
                + " ", html.Code("/api/v1/noegletal"), ". " + gettext("Alle adresser og parametre:") + " ",
                html.A(gettext("API-dokumentation"), href="/api/dokumentation"),
                ". " + gettext("Lukkede data (udsatte børn og unge) kræver en personlig API-nøgle.")],
               className="note"),
    ], className="brug-i-excel")


@callback(Output("excel-url", "children"), Input("excel-noegletal", "value"), Input("excel-kommune", "value"),
          Input("excel-periode", "value"))
def address(ids: list[str] | None, areas: list[str] | None, periods_text: str | None):
    scope = viewer.scope()
    visible = set(omraader.synlige_noegletal(scope)["noegletal_id"])
    ids = [i for i in ids or [] if isinstance(i, str) and i in visible]   # only what the viewer may use
    if not ids:
        return gettext("Vælg mindst ét nøgletal.")
    areas = [a for a in areas or [] if isinstance(a, str)]
    query = {"noegletal": ",".join(ids)}
    if areas:
        query["kommune"] = ALLE if ALLE in areas else ",".join(areas)
    if isinstance(periods_text, str) and periods_text.strip():
        query["periode"] = ",".join(p.strip() for p in periods_text.split(",") if p.strip())
    return links.absolute(adresse(f"/api/v1/data?{urlencode(query, safe=',')}"))
