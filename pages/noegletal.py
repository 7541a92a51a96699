"""/noegletal?q=…&omraade=…&data=rigtige|demo: the catalogue of every key figure the viewer may see.

Grouped by data area; each figure with a link to its page, a sentence of its definition, unit, direction, real or
demo data, periodicity, latest period and coverage. While every area is listed, an area shows its first PR_OMRAADE
figures and a link to all of them (a catalogue of Kolada's size has ~500 per area). The search (title and
definition) and the two filters narrow the list as the user types (the list says how many restricted figures match,
never which, and a search without hits suggests the nearest words and figures): a server callback redraws the list,
and a clientside callback keeps the address in step with `history.replaceState` (no page render, no history entry),
so a reload or a shared link shows the same list, which the layout renders itself; it also sets the controls from
the address when a link leads to this page while it is shown (the menu's "Nøgletal" after a search). Reads
kdk.queries only.
"""
from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, callback, clientside_callback

from components.light import dcc, html
from components.maerke import maerke
from components.shell import fejlside
from kdk import format as fmt
from kdk import periods
from kdk.fortolkning import RETNING_TEKST
from kdk.queries import katalog, omraader
from kdk.queries.scope import Scope
from kdk.sprog import N_, gettext, med_adresser, ngettext, pgettext
from web import viewer
from web.guard import Problem, single_values, ugyldig
from web.rendercache import Keep

DATA = {"rigtige": N_("Rigtige data"), "demo": N_("Demodata")}
KUN = {"rigtige": N_("Kun rigtige data"), "demo": N_("Kun demodata")}
MAX_SOEGNING = 200
KOLONNER = (N_("Nøgletal"), N_("Enhed"), N_("Retning"), N_("Hyppighed"), N_("Seneste"), N_("Kommuner med tal"),
            N_("Data"))
PR_OMRAADE = 25   # rows per data area while every area is listed; the area's own list shows all of them


@single_values
def validate(scope: Scope, q=None, omraade=None, data=None, **_) -> Problem | None:
    if omraade and omraade not in omraader.dataomraade_koder(scope):
        return ugyldig("omraade", omraade, omraader.dataomraade_koder(scope))
    if data and data not in DATA:
        return ugyldig("data", data, DATA)
    if q is not None and len(q) > MAX_SOEGNING:
        return ugyldig("q", q[:40] + " …")
    return None


TITEL = N_("Nøgletal – Kend din kommune")
BESKRIVELSE = N_("Alle nøgletal i Kend din kommune med definition, enhed, kilde og dækning.")
dash.register_page(__name__, path="/noegletal", name=N_("Nøgletal"), order=2, nav=True,
                   title=lambda **_: gettext(TITEL), description=lambda **_: gettext(BESKRIVELSE),
                   validate=validate, keep=Keep())


def layout(scope: Scope, q=None, omraade=None, data=None, **_):
    problem = validate(scope=scope, q=q, omraade=omraade, data=data)
    if problem:
        return fejlside(problem.titel, problem.tekst, problem.status)
    areas = omraader.dataomraader(scope)
    total = len(katalog.katalog(scope))
    liste, antal = _result(scope, q, omraade, data)
    return html.Div([
        html.Section([
            html.H1(pgettext("flertal", "Nøgletal")),
            html.P(gettext("Alle {antal} nøgletal i Kend din kommune med definition, enhed og kilde. Søg i titler og "
                           "definitioner, eller vælg et dataområde, og åbn et nøgletal for at se alle kommuner på "
                           "kort, rangordning og udviklingen i hele landet og regionerne.").format(antal=total)),
        ], className="intro"),
        html.Div([
            html.Div([html.Label(gettext("Søg i titel og definition"), htmlFor="katalog-soeg"),
                      dcc.Input(id="katalog-soeg", type="search", value=q or "", debounce=0.25,
                                placeholder=gettext("Fx ledighed, normering eller udgifter"), autoComplete="off",
                                maxLength=MAX_SOEGNING, className="soegefelt")],
                     className="felt bred"),
            html.Div([html.Label(gettext("Dataområde"), htmlFor="katalog-omraade"),
                      dcc.Dropdown(id="katalog-omraade", value=omraade or "", clearable=False, searchable=False,
                                   options=[{"label": gettext("Alle dataområder"), "value": ""}]
                                   + [{"label": a["navn"], "value": a["kode"]} for a in areas])],
                     className="felt"),
            html.Div([html.Label(gettext("Data"), htmlFor="katalog-data"),
                      dcc.Dropdown(id="katalog-data", value=data or "", clearable=False, searchable=False,
                                   options=[{"label": gettext("Rigtige data og demodata"), "value": ""}]
                                   + [{"label": gettext(label), "value": key} for key, label in KUN.items()])],
                     className="felt"),
        ], className="kontroller katalog-kontroller", role="search", **{"aria-label": gettext("Søg i nøgletal")}),
        html.P(antal, id="katalog-antal", className="katalog-antal", role="status"),
        html.Div(liste, id="katalog-liste"),
        dcc.Store(id="katalog-url"),
    ], className="katalog")


def _lukkede(scope: Scope, q: str | None, no_hits: bool) -> list:
    """The note that the search sees only what the viewer may see, naming the closed areas: given when a search
    finds nothing or names a closed area by a whole word. It depends on nothing else, so it tells nobody which
    words the closed figures' titles hold."""
    closed = katalog.lukkede_omraader(scope)
    words = set(katalog.soegeord(q))
    if not closed or not words or not (no_hits or any(words & set(katalog.soegeord(n)) for n in closed)):
        return []
    before, _, after = gettext("Søgningen ser kun i de nøgletal, du har adgang til. Lukkede data ({omraader}) vises "
                               "kun for brugere med adgang. {log_ind} med en bruger, der har adgang, for at søge i "
                               "dem.").format(omraader=", ".join(closed), log_ind="\0").partition("\0")
    return [html.P([before, html.A(gettext("Log ind"), href="/login"), after], className="skjulte-hits")]


def _result(scope: Scope, q: str | None, omraade: str | None, data: str | None) -> tuple[list, str]:
    """The list of matching figures by data area, and 'N af M nøgletal'."""
    rows = katalog.filtrer(scope, q, omraade, data)
    total = len(katalog.katalog(scope))
    antal = ngettext("{antal} af {i_alt} nøgletal", "{antal} af {i_alt} nøgletal", total).format(
        antal=fmt.number(len(rows)), i_alt=fmt.number(total))
    sections = _lukkede(scope, q, rows.empty)
    if rows.empty:
        return [*sections, *_suggestions(scope, q, omraade, data)], antal
    for (kode, navn), group in rows.groupby(["dataomraade", "omraade_navn"], sort=False):
        heading = f"katalog-{kode}"
        shown = group if omraade else group.head(PR_OMRAADE)
        query = urlencode({k: v for k, v in (("q", q), ("omraade", kode), ("data", data)) if v})
        sections.append(html.Section([
            html.H2([navn, html.Span(" · " + ngettext("{antal} nøgletal", "{antal} nøgletal", len(group)).format(
                antal=fmt.number(len(group))), className="antal")], id=heading),
            html.Table([
                html.Thead(html.Tr([html.Th(gettext(t), scope="col") for t in KOLONNER])),
                html.Tbody([_row(r, q) for r in shown.to_dict("records")]),
            ], className="katalogtabel", **{"aria-labelledby": heading}),
            html.P(dcc.Link(gettext("Se alle {antal} nøgletal om {omraade} →").format(
                antal=fmt.number(len(group)), omraade=navn.lower()),
                            href=f"/noegletal?{query}"), className="se-alle") if len(shown) < len(group) else None,
        ], className="katalog-omraade"))
    return sections, antal


def _suggestions(scope: Scope, q: str | None, omraade: str | None, data: str | None) -> list:
    """No figure matches: the search with the nearest words of the catalogue, the figures nearest to it
    (kdk.queries.katalog.forslag), else the data areas to browse, and a way back to the whole list."""
    spelled, near = katalog.forslag(scope, q)
    said = [html.P([gettext("Ingen nøgletal passer til søgningen. Prøv et andet ord, eller "),
                    dcc.Link(gettext("vis alle nøgletal"), href="/noegletal"), "."], className="tom")]
    if spelled:
        query = urlencode({k: v for k, v in (("q", spelled), ("omraade", omraade), ("data", data)) if v})
        said.append(html.P([gettext("Mente du "), dcc.Link(f"«{spelled}»", href=f"/noegletal?{query}"), "?"],
                           className="forslag"))
    if not near.empty:
        said.append(html.Div([html.P(gettext("Nøgletal, der ligner søgningen:"), className="forslag"),
                              html.Ul([html.Li(dcc.Link(r.titel, href=f"/noegletal/{r.noegletal_id}"))
                                       for r in near.itertuples()])], className="forslag-liste"))
    else:
        said.append(html.Div([html.P(gettext("Se nøgletallene efter dataområde:"), className="forslag"),
                              html.Ul([html.Li(dcc.Link(a["navn"], href=f"/noegletal?omraade={a['kode']}"))
                                       for a in omraader.dataomraader(scope)])], className="forslag-liste"))
    return said


def _row(r: dict, q: str | None) -> dict:
    seneste = periods.label(r["seneste"]) if isinstance(r["seneste"], str) else "–"
    daekning = (gettext("{antal} af {i_alt} ({aar})").format(antal=int(r["kommuner_seneste_aar"]),
                                                             i_alt=int(r["kommuner_i_alt"]), aar=r["seneste_aar"])
                if isinstance(r["seneste_aar"], str) else "–")
    return html.Tr([
        html.Td([dcc.Link(r["titel"], href=f"/noegletal/{r['noegletal_id']}", className="katalog-titel"),
                 html.Span(katalog.uddrag(r["definition"], q), className="uddrag", title=r["definition"])],
                className="katalog-navn"),
        html.Td(r["enhed"], **{"data-navn": gettext("Enhed")}),
        html.Td(_retning(r["retning"]), className=f"retning {r['retning']}",
                title=gettext(RETNING_TEKST[r["retning"]]), **{"data-navn": gettext("Retning")}),
        html.Td(gettext(katalog.PERIODICITET.get(r["periodicitet"], r["periodicitet"])),
                **{"data-navn": gettext("Hyppighed")}),
        html.Td(seneste, **{"data-navn": gettext("Seneste")}),
        html.Td(daekning, **{"data-navn": gettext("Kommuner med tal")}),
        html.Td(maerke(bool(r["demodata"])), **{"data-navn": gettext("Data")}),
    ])


def _retning(retning: str) -> list:
    """The direction as RETNING_TEKST says it; a long explanation (neutral figures) only for screen readers and
    on hover, so the column stays narrow."""
    kort, _, resten = gettext(RETNING_TEKST[retning]).partition(": ")
    return [kort, html.Span(f": {resten}", className="visually-hidden") if resten else None]


@callback(Output("katalog-liste", "children"), Output("katalog-antal", "children"),
          Input("katalog-soeg", "value"), Input("katalog-omraade", "value"), Input("katalog-data", "value"),
          prevent_initial_call=True)
def filter_list(q: str | None, omraade: str | None, data: str | None):
    """Redraw the list for the controls; values the page never offers are read as 'no filter'."""
    scope = viewer.scope()
    q = q[:MAX_SOEGNING] if isinstance(q, str) else None
    omraade = omraade if isinstance(omraade, str) and omraade in omraader.dataomraade_koder(scope) else None
    data = data if isinstance(data, str) and data in DATA else None
    return med_adresser(_result(scope, q, omraade, data))


# Keep the address in step with the controls without rendering the page again (that would take the focus
# from the search field): replaceState changes the URL and adds no history entry. Dash's router then no longer
# knows the address, so a link to the same page with other values (the menu's "Nøgletal" after a search) would
# change the address but not the list: a listener on Dash's link navigation sets the controls from the address.
clientside_callback(
    """function (q, omraade, data) {
        const PATH = '/noegletal';
        const clean = (value) => (typeof value === 'string' ? value.trim() : '');
        window.kdkKatalog = {q: clean(q), omraade: clean(omraade), data: clean(data)};   // as shown now
        if (!window.kdkKatalogLytter) {
            window.kdkKatalogLytter = true;
            window.addEventListener('_dashprivate_pushstate', function () {
                const shown = window.kdkKatalog;
                if (window.location.pathname.replace(/\\/$/, '').replace(/^\\/en(?=\\/|$)/, '') !== PATH || !shown
                    || !document.getElementById('katalog-soeg')) { return; }
                const params = new URLSearchParams(window.location.search);
                const wanted = {q: clean(params.get('q')), omraade: clean(params.get('omraade')),
                                data: clean(params.get('data'))};
                for (const [key, id] of [['q', 'katalog-soeg'], ['omraade', 'katalog-omraade'],
                                         ['data', 'katalog-data']]) {
                    if (wanted[key] !== shown[key]) { window.dash_clientside.set_props(id, {value: wanted[key]}); }
                }
            });
        }
        const path = window.location.pathname.replace(/\\/$/, '');
        if (path.replace(/^\\/en(?=\\/|$)/, '') !== PATH) { return window.dash_clientside.no_update; }
        const params = new URLSearchParams();
        if (window.kdkKatalog.q) { params.set('q', window.kdkKatalog.q); }
        if (window.kdkKatalog.omraade) { params.set('omraade', window.kdkKatalog.omraade); }
        if (window.kdkKatalog.data) { params.set('data', window.kdkKatalog.data); }
        const search = params.toString() ? '?' + params.toString() : '';
        const current = new URLSearchParams(window.location.search);
        if (['q', 'omraade', 'data'].some((key) => clean(current.get(key)) !== window.kdkKatalog[key])) {
            window.history.replaceState(window.history.state, '', path + search + window.location.hash);
        }
        return search;
    }""",
    Output("katalog-url", "data"),
    Input("katalog-soeg", "value"), Input("katalog-omraade", "value"), Input("katalog-data", "value"),
)
