"""/tabel?noegletal=a,b&kommune=101,751&periode=2023,2024: a table builder across key figures, areas and years.

The viewer picks key figures (those their scope may see), areas (municipalities, the regions and hele landet; a
municipality's comparison group can be added in one go) and years (each chosen figure's newest by default). The
state lives in the URL, with /api/v1/data's parameter names; the page's `validate` refuses an unknown value or a
selection beyond the limits with a 400 in the page's language. The table is the API's own rows
(kdk.queries.data.data_rows, through the viewer's scope) written by the API's HTML writer (kdk.export.htmltabel),
and the CSV, Excel and PX links are /api/v1/data with the same parameters, so the page shows exactly what the
downloads give. Reads kdk.queries and the API's rows; writes nothing.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import dash
from dash import Input, Output, State, callback

from components.light import dcc, html
from components.shell import fejlside
from components.vaelgere import kommune_options
from kdk.export import htmltabel
from kdk.export.rows import LAND_NAVN, Selection
from kdk.format import number
from kdk.queries import noegletal as q
from kdk.queries import omraader
from kdk.queries import sammenligning as s
from kdk.queries.data import PR_SIDE, data_rows
from kdk.queries.scope import Scope
from kdk.sprog import N_, adresse, gettext, pgettext
from web import viewer
from web.guard import Problem, single_values, ugyldig

PARAMS = ("noegletal", "kommune", "periode")
MAX_NOEGLETAL, MAX_OMRAADER, MAX_PERIODER = 20, 99, 10
MAX_CELLER = PR_SIDE   # figures × areas × years: the table is one page of the API's answer


def _items(text: str | None) -> tuple[str, ...]:
    """The comma-separated values of a parameter, each once, sorted as the API sorts them."""
    return tuple(sorted({v.strip() for v in text.split(",") if v.strip()})) if text else ()


def _areas(scope: Scope) -> dict[str, str]:
    """Every area the table takes, code → name: hele landet, the regions, the municipalities."""
    regioner, kommuner = omraader.regioner(scope), omraader.kommuner(scope)
    return ({"000": LAND_NAVN} | dict(zip(regioner["regionskode"], regioner["navn"]))
            | dict(zip(kommuner["kommunekode"], kommuner["navn"])))


def _periods(scope: Scope, ids: tuple[str, ...]) -> list[str]:
    """The periods with values for any of the key figures `ids`, newest first."""
    return sorted({p for fid in ids for p in q.perioder(scope, fid)}, reverse=True)


def _newest(scope: Scope, ids: tuple[str, ...]) -> tuple[str, ...]:
    """Each key figure's newest period: the table's years when the address names none."""
    return tuple(sorted({q.perioder(scope, fid)[0] for fid in ids if q.perioder(scope, fid)}))


@single_values
def validate(scope: Scope, noegletal=None, kommune=None, periode=None, **_) -> Problem | None:
    ids, areas, wanted = _items(noegletal), _items(kommune), _items(periode)
    visible = set(omraader.synlige_noegletal(scope)["noegletal_id"])
    valid_areas = set(_areas(scope))
    for name, given, valid in (("noegletal", ids, visible), ("kommune", areas, valid_areas),
                               ("periode", wanted, _periods(scope, ids))):
        bad = [v for v in given if v not in valid]
        if bad:
            return ugyldig(name, bad[0], valid)
    for name, given, most in (("noegletal", ids, MAX_NOEGLETAL), ("kommune", areas, MAX_OMRAADER),
                              ("periode", wanted, MAX_PERIODER)):
        if len(given) > most:
            return Problem(400, gettext("For stor tabel"),
                           gettext("Vælg højst {hoejst} værdier for «{navn}»; adressen har {antal}.").format(
                               hoejst=most, navn=name, antal=len(given)))
    cells = len(ids) * len(areas) * len(wanted or _newest(scope, ids))
    if cells > MAX_CELLER:
        return Problem(400, gettext("For stor tabel"),
                       gettext("Tabellen ville få {celler} celler; højst {hoejst} kan vises. Vælg færre nøgletal, "
                               "områder eller år.").format(celler=number(cells), hoejst=number(MAX_CELLER)))
    return None


TITEL = N_("Tabel – Kend din kommune")
BESKRIVELSE = N_("Byg en tabel med de nøgletal, kommuner og år, du vælger, og hent den.")
dash.register_page(__name__, path="/tabel", name=N_("Tabel"), order=6, nav=True,
                   title=lambda **_: gettext(TITEL), description=lambda **_: gettext(BESKRIVELSE),
                   validate=validate, params=PARAMS)


def url(params: dict[str, tuple[str, ...]]) -> str:
    query = {k: ",".join(params[k]) for k in PARAMS if params.get(k)}
    return "/tabel" + (f"?{urlencode(query, safe=',')}" if query else "")


def data_url(params: dict[str, tuple[str, ...]], fmt: str) -> str:
    query = {k: ",".join(params[k]) for k in PARAMS if params.get(k)} | {"format": fmt}
    return f"/api/v1/data?{urlencode(query, safe=',')}"


def layout(scope: Scope, **params):
    params = {k: v for k, v in params.items() if k in PARAMS}
    problem = validate(scope=scope, **params)
    if problem:
        return fejlside(problem.titel, problem.tekst, problem.status)
    ids, areas = _items(params.get("noegletal")), _items(params.get("kommune"))
    state = {"noegletal": ids, "kommune": areas, "periode": _items(params.get("periode"))}
    return html.Div([
        html.H1(gettext("Byg en tabel")),
        html.P(gettext("Vælg nøgletal, områder og år. Tabellen viser præcis de tal, du kan hente som CSV, Excel "
                       "eller PX."), className="intro"),
        _controls(scope, state),
        _table(scope, state) if ids and areas
        else html.P(gettext("Vælg mindst ét nøgletal og ét område."), className="tom"),
    ], className="tabelside")


def _picker(label: str, name: str, options: list[dict], value, **props) -> dict:
    return html.Div([html.Label(label, htmlFor=f"tabel-{name}"),
                     dcc.Dropdown(id=f"tabel-{name}", multi=True, value=list(value), options=options, **props)],
                    className="felt bred")


def _controls(scope: Scope, state: dict) -> dict:
    catalogue = omraader.synlige_noegletal(scope)
    areas = [{"label": gettext(LAND_NAVN), "value": "000"}] + [{"label": r.navn, "value": r.regionskode}
                                                      for r in omraader.regioner(scope).itertuples()]
    kommuner = kommune_options(omraader.kommuner(scope).to_dict("records"))
    return html.Div([
        _picker(pgettext("flertal", "Nøgletal"), "noegletal",
                [{"label": r.titel, "value": r.noegletal_id} for r in catalogue.itertuples()],
                state["noegletal"], placeholder=gettext("Vælg nøgletal …")),
        _picker(gettext("Områder"), "kommune", areas + kommuner, state["kommune"],
                placeholder=gettext("Vælg kommuner eller regioner …")),
        _picker(gettext("År"), "periode", [{"label": p, "value": p} for p in _periods(scope, state["noegletal"])],
                state["periode"], placeholder=gettext("Hvert nøgletals nyeste år")),
        html.Div([html.Label(gettext("Tilføj en kommunes sammenligningsgruppe"), htmlFor="tabel-gruppe"),
                  dcc.Dropdown(id="tabel-gruppe", value=None, options=kommuner,
                               placeholder=gettext("Vælg kommune …"))],
                 className="felt"),
    ], className="kontroller")


def _table(scope: Scope, state: dict) -> dict:
    state = {**state, "periode": state["periode"] or _newest(scope, state["noegletal"])}   # the links name them
    rows = data_rows(scope, Selection(noegletal=state["noegletal"], omraader=state["kommune"],
                                      perioder=state["periode"]))
    one_figure = len(state["noegletal"]) == 1
    links = [html.A("CSV", href=data_url(state, "csv"), download=""), " · ",
             html.A("Excel", href=data_url(state, "xlsx"), download=""), " · ",
             html.A("PX", href=data_url(state, "px"), download="") if one_figure
             else html.Span(gettext("PX: vælg ét nøgletal (PX har én tabel pr. nøgletal)"), className="hent-note")]
    return html.Div([
        html.P([gettext("Hent tabellen: "), *links], className="hent"),
        html.Div(dcc.Markdown(htmltabel.write(rows).decode("utf-8"), dangerously_allow_html=True),
                 className="tabel-data", tabIndex="0", role="region", **{"aria-label": gettext("Tabellen")}),
    ])


def _group(scope: Scope, kode: str) -> tuple[str, ...]:
    """`kode` and its comparison group in the standard comparison area's newest year."""
    area = s.standard(scope)
    if area is None:
        return (kode,)
    return (kode, *s.medlemmer(scope, area, s.aar(scope, area)[0], kode, s.STANDARD_K))


@callback(Output("nav", "href", allow_duplicate=True), Input("tabel-noegletal", "value"),
          Input("tabel-kommune", "value"), Input("tabel-periode", "value"), Input("tabel-gruppe", "value"),
          State("_pages_location", "search"), prevent_initial_call=True)
def choose(ids: list[str] | None, areas: list[str] | None, wanted: list[str] | None, gruppe: str | None,
           search: str | None):
    """The address of the table the pickers now describe; a comparison group chosen is added to the areas. The
    pickers' first values, as the page drew them, are the page's own address (`search`): no new one, so the page
    stays as it is, in the presentation view too."""
    scope = viewer.scope()
    areas = list(areas or [])
    if gruppe:
        if omraader.kommune(scope, gruppe) is None:
            raise dash.exceptions.PreventUpdate
        areas += _group(scope, gruppe)
    params = {"noegletal": _items(",".join(ids or [])), "kommune": _items(",".join(areas)),
              "periode": _items(",".join(wanted or []))}
    if not params["noegletal"]:
        params["periode"] = ()
    params["periode"] = tuple(p for p in params["periode"] if p in _periods(scope, params["noegletal"]))
    shown = parse_qs(search.lstrip("?")) if isinstance(search, str) else {}
    if url(params) == url({k: _items(shown[k][0]) for k in PARAMS if k in shown}):
        raise dash.exceptions.PreventUpdate
    return adresse(url(params))
