"""/sammenligning?kommune=101&sammenligningsomraade=skole&k=10: the most comparable municipalities, why, and how we
compare.

Tab "gruppe": first what a leader needs in words (demo data, who is most alike and on what, missing values, how
stable the group is, how much the model explains, which years' values), then the k nearest with rank and why; the
distances and the method in an expandable section for analysts; benchmark charts for a chosen key figure (ranking,
over time against the group, distribution, map). Tab "matrice": all ranks as a heatmap, with its Diagram | Tabel
switch and its cells to download (/api/v1/sammenligning, components/hent.tvilling). A custom
comparison set (`saet=147,151,...`) replaces the computed group. All state lives in the URL; one
pattern-matching callback turns any control change into the new URL. The comparison area was `omraade` until it
took the glossary's name (docs/ordliste.md); the guard moves an old address to the new one (OMDOEBT). Texts in the
active language (kdk.sprog). Reads kdk.queries only.
"""
from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, callback, clientside_callback

from components import charts, farver
from components.hent import graf, sammenligning_url, tvilling
from components.light import dcc, html
from components.sammenligning import analytikere, demosaetning, gruppetabel, imputerede, matrice_figur, sammenfatning
from components.shell import fejlside
from components.vaelgere import kommune_options
from kdk.queries import noegletal as q
from kdk.queries import omraader
from kdk.queries import sammenligning as s
from kdk.queries.scope import ANONYMOUS, Scope
from kdk.sprog import N_, gettext
from web import viewer
from web.guard import Problem, single_values, ugyldig
from web.rendercache import Keep, Warm

PARAMS = ("kommune", "sammenligningsomraade", "aar", "k", "fane", "sorter", "noegletal", "saet")
FANER = {"gruppe": N_("Sammenlignelige kommuner"), "matrice": N_("Sammenligningsmatrice")}   # shown with gettext
MAX_SAET = 30
OMDOEBT = {"omraade": "sammenligningsomraade"}   # old parameter names, answered with a permanent redirect


def _saet(text: str | None) -> tuple[str, ...] | None:
    return tuple(dict.fromkeys(c.strip() for c in text.split(",") if c.strip())) if text else None


@single_values
def validate(scope: Scope, kommune=None, sammenligningsomraade=None, aar=None, k=None, fane=None, sorter=None,
             noegletal=None, saet=None, **_) -> Problem | None:
    codes = set(omraader.kommuner(scope)["kommunekode"])
    area = sammenligningsomraade or s.standard(scope)
    areas = set(s.omraader(scope)["sammenligningsomraade"])
    checks = [   # name, value, its valid values
        ("kommune", kommune, codes),
        ("sammenligningsomraade", sammenligningsomraade, areas),
        ("k", k, {str(v) for v in s.K_VALG}),
        ("fane", fane, set(FANER)),
        ("sorter", sorter, {"region", "navn"}),
    ]
    for name, value, valid in checks:
        if value is not None and value not in valid:
            return ugyldig(name, value, valid)
    if aar is not None and not (aar.isascii() and aar.isdigit() and int(aar) in s.aar(scope, area)):
        return ugyldig("aar", aar, map(str, s.aar(scope, area)))
    if noegletal is not None and noegletal not in set(_figures(scope, area)["noegletal_id"]):
        return ugyldig("noegletal", noegletal, _figures(scope, area)["noegletal_id"])
    members = _saet(saet)
    if saet is not None and (not members or len(members) > MAX_SAET or not set(members) <= codes - {kommune}):
        return ugyldig("saet", saet, forklaring=gettext(
            "Angiv 1-{maks} kommunekoder ({fra}-{til}) med komma imellem, fx saet=147,151, uden kommunen selv."
        ).format(maks=MAX_SAET, fra=min(codes), til=max(codes)))
    return None


def warm(kode: str) -> list[Warm]:
    """Each comparison area's groups and matrix for `kode`: what every municipality's comparison shares."""
    return [Warm(3, "/sammenligning", f"?kommune={kode}&sammenligningsomraade={area}{tab}")
            for area in s.omraader(ANONYMOUS)["sammenligningsomraade"] for tab in ("", "&fane=matrice")]


dash.register_page(__name__, path="/sammenligning", name=N_("Sammenligning"), order=1, nav=True,
                   title=N_("Sammenlignelige kommuner – Kend din kommune"),
                   description=N_("De kommuner, der ligner din mest, og hvorfor."), validate=validate, params=PARAMS,
                   omdoebt=OMDOEBT, keep=Keep(warm=warm))


def url(params: dict) -> str:
    return "/sammenligning?" + urlencode({k: params[k] for k in PARAMS if params.get(k) not in (None, "")})


def _figures(scope: Scope, area: str):
    """Visible key figures belonging to a comparison area's data areas."""
    known = set(s.omraader(scope)["sammenligningsomraade"])
    ids = [fid for kode, figures in omraader.noegletal_pr_omraade(scope).items() if s.omraade_for(kode, known) == area
           for fid in figures]
    return omraader.noegletal_af(scope, tuple(ids))


def layout(scope: Scope, **params):
    params = {k: v for k, v in params.items() if k in PARAMS}
    problem = validate(scope=scope, **params)
    if problem:
        return fejlside(problem.titel, problem.tekst, problem.status)
    area = params.get("sammenligningsomraade") or s.standard(scope)
    header = [html.H1(gettext("Sammenlignelige kommuner")),
              html.P(gettext("Hvilke kommuner ligner din mest på de forhold, kommunen ikke selv kan ændre på kort "
                             "sigt, og hvordan klarer I jer i forhold til dem? Vælg kommune og område."),
                     className="intro")]
    if area is None:
        return html.Div(header + [html.P(gettext("Der er ingen sammenligninger, som du har adgang til."),
                                         className="tom")], className="sammenligningsside")
    year = int(params.get("aar") or s.aar(scope, area)[0])
    k = int(params.get("k") or s.STANDARD_K)
    state = {**params, "sammenligningsomraade": area, "aar": str(year), "k": str(k)}
    header += [dcc.Store(id="sammenligning-kontekst", data=state), _controls(scope, state)]
    if not params.get("kommune"):
        return html.Div(header + [html.P(gettext("Vælg en kommune for at se dens sammenlignelige kommuner."),
                                         className="tom")], className="sammenligningsside")
    fane = params.get("fane") or "gruppe"
    tabs = html.Nav([dcc.Link(gettext(label), href=url({**state, "fane": key}),
                              className="fane" + (" aktiv" if key == fane else ""))
                     for key, label in FANER.items()], className="faner", **{"aria-label": gettext("Visning")})
    body = _matrix(scope, state) if fane == "matrice" else _group(scope, state)
    return html.Div(header + [tabs, body], className="sammenligningsside")


def _valg(param: str, **props):
    return {"id": {"type": "sammenligning-valg", "param": param}, **props}


def _controls(scope, state: dict) -> dict:
    kommuner = omraader.kommuner(scope)
    areas = s.omraader(scope)
    return html.Div([
        html.Div([html.Label(gettext("Kommune")),
                  dcc.Dropdown(**_valg("kommune", value=state.get("kommune"), clearable=False,
                                       placeholder=gettext("Vælg kommune …"),
                                       options=kommune_options(kommuner.to_dict("records"))))], className="felt bred"),
        html.Div([html.Label(gettext("Område")),
                  dcc.Dropdown(**_valg("sammenligningsomraade", value=state["sammenligningsomraade"], clearable=False,
                                       searchable=False,
                                       options=[{"label": r.navn, "value": r.sammenligningsomraade}
                                                for r in areas.itertuples()]))],
                 className="felt"),
        html.Div([html.Label(gettext("År")),
                  dcc.Dropdown(**_valg("aar", value=state["aar"], clearable=False, searchable=False,
                                       options=[{"label": str(y), "value": str(y)}
                                                for y in s.aar(scope, state["sammenligningsomraade"])]))],
                 className="felt"),
        _choice(gettext("Antal sammenlignelige"), "k", [(str(v), str(v)) for v in s.K_VALG], state),
    ], className="kontroller")


def _choice(label: str, param: str, options: list[tuple[str, str]], state: dict) -> dict:
    """A small set of choices as links: the state stays in the URL and the choice works without a callback."""
    chosen = html.Span(" " + gettext("(valgt)"), className="visually-hidden")
    links = [dcc.Link([text, chosen if state.get(param) == value else None],
                      href=url({**state, param: value, **{p: None for p in RESETS.get(param, ())}}),
                      className="valg" + (" aktiv" if state.get(param) == value else ""))
             for value, text in options]
    return html.Div([html.Span(label, className="felt-navn"), html.Div(links, className="valg-raekke")],
                    className="felt", role="group", **{"aria-label": label})


def _members(scope, state: dict) -> tuple[tuple[dict, ...], bool]:
    """The group shown (rang, kode, navn, regionsnavn, afstand), and whether it is a custom set: the computed top
    k, or the custom set with each member's computed rank and distance, the most comparable first."""
    kode, area, year = state["kommune"], state["sammenligningsomraade"], int(state["aar"])
    custom = _saet(state.get("saet"))
    if not custom:
        return s.gruppe(scope, area, year, kode, int(state["k"])), False
    ranks = s.matrice(scope, area, year)
    ranks = ranks[ranks["kommunekode"] == kode].set_index("sammenligningskode")
    group = [{"rang": ranks.at[c, "rang"] if c in ranks.index else None,
              "afstand": ranks.at[c, "afstand"] if c in ranks.index else None,
              "kode": c, "navn": omraader.kommune(scope, c)["navn"],
              "regionsnavn": omraader.kommune(scope, c)["regionsnavn"]} for c in custom]
    return tuple(sorted(group, key=lambda m: (m["rang"] is None, m["rang"] or 0))), True


def _group(scope, state: dict) -> dict:
    kode, area, year = state["kommune"], state["sammenligningsomraade"], int(state["aar"])
    kommune = omraader.kommune(scope, kode)
    area_name = s.omraader(scope).set_index("sammenligningsomraade").loc[area, "navn"]
    group, custom = _members(scope, state)
    members = tuple(m["kode"] for m in group)
    model = s.model(scope, area, year)
    shares = s.hvorfor(scope, area, year, kode, members)
    values = s.variabler(scope, area, year)
    remove = {m: url({**state, "saet": ",".join(c for c in members if c != m)}) for m in members} if len(
        members) > 1 else None
    heading = (gettext("Din egen gruppe: {antal} kommuner sammenlignet med {kommune}") if custom else
               gettext("De {antal} kommuner, der ligner {kommune} mest: {omraade}, {aar}")).format(
        antal=len(members), kommune=kommune["navn"], omraade=area_name.lower(), aar=year)
    candidates = kommune_options(k for k in omraader.kommuner(scope).to_dict("records")
                                 if k["kommunekode"] not in {kode, *members})
    custom_controls = html.Div([
        html.Label(gettext("Tilføj en kommune til gruppen")),
        dcc.Dropdown(**_valg("tilfoej", options=candidates, value=None, placeholder=gettext("Tilføj kommune …"))),
        dcc.Link(gettext("Brug den beregnede gruppe igen"), href=url({**state, "saet": None}), className="nulstil")
        if custom else None,
    ], className="tilpas")
    k, udfald = int(state["k"]), s.udfald(scope, area)
    stable = None if custom else s.stabilitet(scope, area, year, kode, k)
    summary = sammenfatning(kommune["navn"], kode, year, group, shares, imputerede(values), model, udfald,
                            s.udeladte(scope, area, year), stable, k)
    return html.Div([
        html.H2(heading),
        *summary,
        gruppetabel(kode, kommune["navn"], group, shares, values, model, remove),
        custom_controls,
        analytikere(group, model, udfald, year, len(omraader.kommuner(scope))),
        _benchmark(scope, state, kommune, set(members), custom),
    ], className="gruppe")


def _benchmark(scope, state: dict, kommune: dict, members: set[str], custom: bool) -> dict:
    figures = _figures(scope, state["sammenligningsomraade"])
    if figures.empty:
        return html.Section(html.P(gettext("Der er ingen nøgletal på dette område, som du har adgang til.")))
    outcome = s.udfald(scope, state["sammenligningsomraade"])["noegletal_id"]
    default = outcome if outcome in set(figures["noegletal_id"]) else figures["noegletal_id"].iloc[0]
    fid = state.get("noegletal") or default
    meta = figures.set_index("noegletal_id").loc[fid].to_dict() | {"noegletal_id": fid}
    years = q.perioder(scope, fid)
    periode = str(state["aar"]) if str(state["aar"]) in years else years[0]
    kode, region = kommune["kommunekode"], kommune["regionskode"]
    fordeling = q.kommunevaerdier(scope, fid, periode)
    yearly = q.aarsserie(scope, fid)
    # As short as the longest region's name, so the legend fits two to a row in a third of the page (1366 px).
    label = gettext("Gns. egen gruppe") if custom else gettext("Gns. sammenlignelige")
    lines = charts.linjer(kommune, yearly, (label, q.gennemsnit(yearly, members)))
    outline = {m: farver.REGION_FARVE for m in members} | {kode: farver.DAARLIGERE_FARVE}
    land = dict(yearly.get("000", ())).get(periode)
    # A national or regional total is no level for a municipality (a count): the lines would only squash the bars.
    levels = [(gettext("Hele landet"), land), (gettext("Region"), dict(yearly.get(region, ())).get(periode))]
    graphs = [
        charts.ranking(meta, fordeling, kode, members, levels if meta["niveau_sammenlignes"] else [], periode),
        charts.trend(meta, lines),
        charts.fordelingsboks(meta, fordeling, kode, members, periode),
        charts.kort(meta, fordeling, omraader.geometri(scope), periode, outline, land=land),
    ]
    return html.Section([
        html.H2(gettext("Sammenlign på et nøgletal")),
        html.Div([html.Label(gettext("Nøgletal")),
                  dcc.Dropdown(**_valg("noegletal", value=fid, clearable=False,
                                       options=[{"label": r.titel, "value": r.noegletal_id}
                                                for r in figures.itertuples()]))], className="felt bred"),
        html.Div([graf(graphs[0], fid, "alle", [periode]),
                  graf(graphs[1], fid, [kode, region, "000", *sorted(members)],
                       sorted({p for _, points, _ in lines for p, _ in points})),
                  graf(graphs[2], fid, "alle", [periode]),
                  graf(graphs[3], fid, "alle", [periode], class_name="graf bred kort")], className="grafer"),
    ], className="benchmark")


def _matrix(scope, state: dict) -> dict:
    area, year = state["sammenligningsomraade"], int(state["aar"])
    sorter = state.get("sorter") or "region"
    figure = matrice_figur(s.matrice(scope, area, year), omraader.kommuner(scope), state["kommune"], sorter,
                           s.omraader(scope).set_index("sammenligningsomraade").loc[area, "navn"], year)
    demo = demosaetning(s.model(scope, area, year), s.udfald(scope, area))
    return html.Div([
        html.P(demo, className="sammenfatning") if demo else None,
        _choice(gettext("Sortér efter"), "sorter", [("region", gettext("Region")), ("navn", gettext("Navn"))],
                {**state, "sorter": sorter}),
        tvilling(figure, partial(sammenligning_url, area, year, sorter, state["kommune"]), class_name="graf matrice"),
    ])


RESETS = {"kommune": ("saet",), "sammenligningsomraade": ("noegletal", "aar", "saet"), "k": ("saet",)}


@callback(Output("nav", "href", allow_duplicate=True), Input({"type": "sammenligning-valg", "param": ALL}, "value"),
          State("sammenligning-kontekst", "data"), prevent_initial_call=True)
def choose(values: list, context: dict | None):
    scope = viewer.scope()
    trigger = dash.ctx.triggered_id
    if not isinstance(context, dict) or not isinstance(trigger, dict) or not dash.ctx.triggered:
        raise dash.exceptions.PreventUpdate
    param, value = trigger.get("param"), dash.ctx.triggered[0].get("value")
    # The page's own render fires this too: only a changed control navigates.
    if not isinstance(value, str) or not value or value == context.get(param):
        raise dash.exceptions.PreventUpdate
    params = {k: v for k, v in context.items() if k in PARAMS and isinstance(v, str)}
    needed = {"sammenligningsomraade", "aar", "k"} | ({"kommune"} if param == "tilfoej" else set())
    if not needed <= params.keys() or validate(scope=scope, **params):   # not a context this page stored
        raise dash.exceptions.PreventUpdate
    if param == "tilfoej":
        computed = s.gruppe(scope, params["sammenligningsomraade"], int(params["aar"]), params["kommune"],
                            int(params["k"]))
        current = _saet(params.get("saet")) or tuple(m["kode"] for m in computed)
        params["saet"] = ",".join((*current, value))
    elif param in PARAMS:
        params[param] = value
        for dropped in RESETS.get(param, ()):
            params.pop(dropped, None)
    return url(params)

# Drawn without a municipality, the page opens for the visitor's own, if they chose one (assets/minkommune.js).
clientside_callback(ClientsideFunction("minkommune", "standard"), Output("nav", "href", allow_duplicate=True),
                    Input("sammenligning-kontekst", "data"), State("min-kommune", "data"),
                    prevent_initial_call="initial_duplicate")
