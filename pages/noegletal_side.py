"""/noegletal/<noegletal_id>?aar=<år>&kommuner=<koder>&skala=indeks: one key figure: what it is, how it is computed,
and where the numbers stand.

The catalogue's facts in plain Danish (definition, numerator and denominator, unit, direction, source,
periodicity, real or demo data, how the country and the regions are computed, access); the level in the chosen
year for the whole country and the regions; the ranking of all municipalities; the map; and the development
for the whole country and the five regions, or for up to MAKS_KOMMUNER chosen municipalities (`kommuner`,
comma-separated codes) against the whole country, each line named at its end; as levels or as an index with the
first year shown = 100 (`skala`, components/udvikling.py). A restricted figure is as unknown
as a made-up id (404). Another year changes the address without a reload and sends only what depends on the year:
the level, the ranking, and the map as a dash.Patch (colours and texts, not the outlines); back and forward do the
same. A click on the map opens that municipality's profile. Choosing municipalities or the scale redraws the
development only and puts the choice in the address, which back and forward restore. Reads kdk.queries only.
"""
from __future__ import annotations

import statistics
from urllib.parse import parse_qs, parse_qsl, urlencode

import dash
import pandas as pd
from dash import Input, Output, State, callback

from components import charts
from components.aarsgrafer import aarsgrafer
from components.hent import billedtekst, graf, links, tvilling
from components.kortliste import kortliste, raekker
from components.light import dcc, html
from components.maerke import maerke
from components.noegletalskort import IKKE_OPGJORT
from components.praesentation import som_vist
from components.shell import fejlside
from components.udvikling import FOR_MANGE, MAKS_KOMMUNER, NIVEAU, SKALAER, Valg, udvikling
from components.vaelgere import kommune_options
from kdk import format as fmt
from kdk import periods
from kdk.fortolkning import RETNING_TEKST
from kdk.queries import katalog, omraader
from kdk.queries import noegletal as q
from kdk.queries.scope import Scope
from kdk.sprog import N_, adresse, gettext, med_adresser, ngettext, pgettext
from web import viewer
from web.guard import IKKE_FUNDET, Problem, forslag, single_values, ugyldig
from web.rendercache import Keep

AGGREGERING = {   # shown with gettext
    "sum": N_("Hele landet og regionerne er summen af kommunernes tal."),
    "kvote": N_("Hele landet og regionerne beregnes som summen af tællerne delt med summen af nævnerne, altså ikke "
                "som et gennemsnit af kommunernes tal. Store kommuner vejer derfor mere end små."),
    "vaegtet": N_("Hele landet og regionerne beregnes som et gennemsnit af kommunernes tal, vægtet med størrelsen "
                  "af den gruppe, nøgletallet handler om, så store kommuner vejer mere end små."),
    "ingen": N_("Tallet kan ikke lægges sammen fra kommunernes tal: hele landet er kildens eget tal, og regionerne "
                "er ikke opgjort."),
}
KILDENS_LANDSTAL = N_("Hvor kilden selv offentliggør et tal for hele landet, vises kildens tal.")
ADGANG = {"offentlig": N_("Offentlig: alle kan se nøgletallet"),
          "begraenset": N_("Begrænset: kun for brugere med adgang til dataområdet")}


def findes_ikke(noegletal_id, scope: Scope) -> Problem:
    """Not a key figure the viewer may see, with links to the nearest ones they may."""
    synlige = omraader.synlige_noegletal(scope)
    return Problem(404, gettext("Nøgletallet findes ikke"),
                   gettext("Der er intet nøgletal med id'et «{id}». Se alle nøgletal på siden Nøgletal, eller vælg et "
                           "af de nærmeste herunder.").format(id=noegletal_id),
                   forslag(noegletal_id, dict(zip(synlige["noegletal_id"], synlige["titel"])), "/noegletal/{}"))


KOMMUNER_FORKLARING = N_("Angiv 1-{maks} forskellige kommunekoder adskilt af komma, fx 101,751,461.")


def kommuner_forklaring() -> str:
    return gettext(KOMMUNER_FORKLARING).format(maks=MAKS_KOMMUNER)


def koder(kommuner: str | None) -> list[str]:
    """The municipality codes of the address's `kommuner` ("101,751,461"), in their order."""
    return kommuner.split(",") if kommuner else []


def kommuner_problem(scope: Scope, valgte: list[str]) -> Problem | None:
    """What is wrong with a choice of municipalities to draw together: too many, unknown or repeated codes."""
    if len(valgte) > MAKS_KOMMUNER:
        return Problem(400, gettext("For mange kommuner"),
                       f"{FOR_MANGE} " + gettext("Adressen har {antal}.").format(antal=len(valgte)))
    if any(omraader.kommune(scope, kode) is None for kode in valgte) or len(set(valgte)) < len(valgte):
        return ugyldig("kommuner", ",".join(valgte), forklaring=kommuner_forklaring())
    return None


@single_values
def validate(scope: Scope, noegletal_id=None, aar=None, kommuner=None, skala=None, **_) -> Problem | None:
    if noegletal_id is None or katalog.meta(scope, noegletal_id) is None:
        return findes_ikke(noegletal_id, scope)
    if aar is not None and aar not in q.perioder(scope, noegletal_id):
        return ugyldig("aar", aar, q.perioder(scope, noegletal_id))
    if skala is not None and skala not in SKALAER:
        return ugyldig("skala", skala, SKALAER)
    if kommuner is not None:
        return kommuner_problem(scope, koder(kommuner)) if kommuner else ugyldig("kommuner", kommuner,
                                                                                 forklaring=kommuner_forklaring())
    return None


def address(search: str | None, **values: str | None) -> str:
    """The address's query `search` with `values` set (None: left out), the others kept as they were; commas kept
    readable (`?kommuner=101,751`)."""
    query = dict(parse_qsl(search.lstrip("?"))) if isinstance(search, str) else {}
    query.update(values)
    query = {k: v for k, v in query.items() if v is not None}
    return f"?{urlencode(query, safe=',')}" if query else ""


def title(scope: Scope, noegletal_id=None, **_) -> str:
    meta = katalog.meta(scope, noegletal_id) if noegletal_id else None
    return (gettext("{titel} – Kend din kommune").format(titel=meta["titel"]) if meta
            else gettext("Nøgletallet findes ikke – Kend din kommune"))


BESKRIVELSE = N_("Et nøgletal: definition, beregning, kilde og alle kommuner på kort og over tid.")
dash.register_page(__name__, path_template="/noegletal/<noegletal_id>", name=N_("Nøgletal"), title=title,
                   description=lambda **_: gettext(BESKRIVELSE),
                   validate=validate, keep=Keep())


def layout(scope: Scope, noegletal_id=None, aar=None, kommuner=None, skala=None, **_):
    problem = (validate(scope=scope, noegletal_id=noegletal_id, aar=aar, kommuner=kommuner, skala=skala)
               if noegletal_id is not None else IKKE_FUNDET)
    if problem:
        side = fejlside(problem.titel, problem.tekst, problem.status, problem.forslag)
        side["props"]["children"].append(html.P(dcc.Link(gettext("Se alle nøgletal"), href="/noegletal")))
        return side
    meta = katalog.meta(scope, noegletal_id)
    years = q.perioder(scope, noegletal_id)
    periode = aar or (years[0] if years else None)
    serier = katalog.serier(scope, noegletal_id)
    valg = Valg(kommuner=koder(kommuner), skala=skala or NIVEAU)
    return html.Div([
        # The address as drawn, so that the Location's mount does not call `show_year` or `show_trend` again.
        dcc.Location(id="noegletal-url", refresh=False,
                     search=address("", aar=aar, kommuner=kommuner, skala=skala)),
        dcc.Store(id="noegletal-kontekst", data={"noegletal_id": noegletal_id, "aar": periode}),
        dcc.Store(id="noegletal-valg", data=valg),
        html.Nav(dcc.Link(gettext("← Alle nøgletal"), href="/noegletal"), className="tilbage",
                 **{"aria-label": gettext("Tilbage til oversigten")}),
        _header(meta),
        _controls(meta, years, periode),
        html.Div([_facts(meta), _level(scope, meta, serier, periode)], className="noegletal-info"),
        _charts(scope, meta, serier, periode, valg) if periode else html.P(
            gettext("Der er endnu ingen årstal for kommunerne for dette nøgletal."), className="tom"),
    ], className="noegletal-side")


def _header(meta: dict) -> dict:
    return html.Header([
        html.P([pgettext("flertal", "Nøgletal") + " · ",
                dcc.Link(meta["omraade_navn"], href=f"/noegletal?omraade={meta['dataomraade']}")],
               className="overtitel"),
        html.Div([html.H1(meta["titel"]), maerke(bool(meta["demodata"]))], className="titel-linje"),
        html.P(meta["definition"], className="definition"),
    ], className="profil-hoved noegletal-hoved")


def _has_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _facts(meta: dict) -> dict:
    own_land = not meta["demodata"] and meta["aggregering"] != "ingen"   # `ingen`'s text says it already
    aggregering = gettext(AGGREGERING[meta["aggregering"]]) + (" " + gettext(KILDENS_LANDSTAL) if own_land else "")
    spaend = (periods.span(meta["foerste"], meta["seneste"])
              if _has_text(meta["foerste"]) else gettext("Ingen tal endnu"))
    periodicitet = gettext(katalog.PERIODICITET.get(meta["periodicitet"], meta["periodicitet"]))
    if meta["periodicitet"] in ("maaned", "kvartal"):   # a five-year period is DST's own, not a mean of months
        periodicitet += " " + gettext("(årstal er gennemsnittet af årets måneder og vises kun for hele år)")
    data = (gettext("Demodata: genererede tal til demonstration, ikke officiel statistik") if meta["demodata"]
            else gettext("Rigtige data fra kilden"))
    facts = [
        (gettext("Tæller"), meta["taeller"] if _has_text(meta["taeller"]) else None),
        (gettext("Nævner"), meta["naevner"] if _has_text(meta["naevner"]) else None),
        (gettext("Enhed"), meta["enhed"]),
        (gettext("Retning"), gettext(RETNING_TEKST[meta["retning"]])),
        (gettext("Hele landet og regioner"), aggregering),
        (gettext("Periodicitet"), periodicitet),
        (gettext("Periode"), spaend),
        (gettext("Data"), data),
        (gettext("Kilde"), meta["kilde"]),
        (gettext("Adgang"), gettext(ADGANG[meta["adgang"]]) if meta["adgang"] in ADGANG else meta["adgang"]),
        (gettext("Id"), html.Code(meta["noegletal_id"])),
    ]
    return html.Section([
        html.H2(gettext("Om nøgletallet"), id="om-noegletal"),
        html.Dl([html.Div([html.Dt(k), html.Dd(v)]) for k, v in facts if v is not None], className="faktaliste"),
        html.P(dcc.Link(gettext("Datastatus for {omraade}").format(omraade=meta["omraade_navn"].lower()),
                        href=f"/datastatus#{meta['dataomraade']}"),
               className="datastatus-link"),
    ], className="kasse om-noegletal", **{"aria-labelledby": "om-noegletal"})


def _level(scope, meta: dict, serier: pd.DataFrame, periode: str | None) -> dict:
    """The chosen year's value for the whole country and each region, and the spread among the municipalities."""
    d, enhed = int(meta["decimaler"]), meta["enhed"]
    if not periode:
        return html.Section([html.H2(gettext("Niveau")),
                             html.P(gettext("Der er endnu ingen årstal."), className="tom")], className="kasse niveau")
    year = serier[serier["periode"] == periode]
    rows = [html.Tr([html.Th(r.navn, scope="row"), html.Td(fmt.with_unit(r.vaerdi, d, enhed))])
            for r in year.itertuples()]
    if meta["aggregering"] == "ingen":   # no region value exists: say so rather than leave the rows out silently
        rows.append(html.Tr([html.Th(gettext("Regionerne"), scope="row"), html.Td(gettext(IKKE_OPGJORT))]))
    fordeling = q.kommunevaerdier(scope, meta["noegletal_id"], periode)
    values = [r for r in fordeling if r["vaerdi"] is not None]   # highest first
    spread = []
    if values:
        hi, lo = values[0], values[-1]
        median = fmt.with_unit(statistics.median(r["vaerdi"] for r in values), d, enhed)
        spread = [
            html.Div([html.Dt(gettext("Laveste")), html.Dd(f"{fmt.with_unit(lo['vaerdi'], d, enhed)} ({lo['navn']})")]),
            html.Div([html.Dt(gettext("Median")), html.Dd(median)]),
            html.Div([html.Dt(gettext("Højeste")),
                      html.Dd(f"{fmt.with_unit(hi['vaerdi'], d, enhed)} ({hi['navn']})")]),
        ]
    suppressed = sum(r["status"] == "diskretioneret" for r in fordeling)
    missing = len(fordeling) - len(values) - suppressed
    notes = [ngettext("Tal for {antal} af {i_alt} kommune.", "Tal for {antal} af {i_alt} kommuner.",
                      len(fordeling)).format(antal=len(values), i_alt=len(fordeling))]
    if suppressed:
        notes.append(ngettext("{antal} er diskretioneret, fordi tallet bygger på for få personer.",
                              "{antal} er diskretioneret, fordi tallet bygger på for få personer.",
                              suppressed).format(antal=suppressed))
    if missing:
        notes.append(ngettext("{antal} mangler.", "{antal} mangler.", missing).format(antal=missing))
    return html.Section([
        html.H2(gettext("Niveau i {periode}").format(periode=periods.label(periode))),
        html.Table([html.Tbody(rows)], className="niveautabel") if rows else None,
        html.H3(gettext("Kommunerne")),
        html.Dl(spread, className="spredning"),
        html.P(" ".join(notes), className="note"),
        html.P(meta["forbehold"], className="forbehold") if meta["forbehold"] else None,
    ], className="kasse niveau", id="noegletal-niveau")


def _controls(meta: dict, years: tuple[str, ...], periode: str | None) -> dict:
    if not years:
        return html.Div()
    return html.Div([
        html.Div([html.Label(gettext("År"), htmlFor="noegletal-aar"),
                  dcc.Dropdown(id="noegletal-aar", value=periode, clearable=False, searchable=False,
                               options=[{"label": periods.label(y), "value": y} for y in years],
                               className="aarvaelger")], className="felt"),
    ], className="kontroller")


def _charts(scope, meta: dict, serier: pd.DataFrame, periode: str, valg: Valg) -> dict:
    fid = meta["noegletal_id"]
    ranking, kort = aarsgrafer(scope, meta, serier, periode)
    trend, adresse, noter = udvikling(scope, meta, serier, valg)
    return html.Div([
        graf(ranking, fid, "alle", [periode], class_name="graf bred", id="noegletal-rangering"),
        graf(kort, fid, "alle", [periode], class_name="graf kortgraf", id="noegletal-kort"),
        kortliste("noegletal-kortliste", meta, q.kommunevaerdier(scope, fid, periode), periode),
        html.Div([_trend_controls(scope, valg), html.P(noter, id="noegletal-udvikling-note", className="note",
                                                        role="status"),
                  tvilling(trend, adresse, noegletal=fid, id="noegletal-udvikling")],
                 className="udvikling-valg"),
    ], className="grafer noegletal-grafer")


def _trend_controls(scope, valg: Valg) -> dict:
    """The picker of municipalities to draw together in the development, and its scale: levels or an index."""
    options = kommune_options(omraader.kommuner(scope).to_dict("records"))
    return html.Div([
        html.Div([html.Label(gettext("Sammenlign op til {maks} kommuner").format(maks=MAKS_KOMMUNER),
                             htmlFor="noegletal-kommuner"),
                  dcc.Dropdown(id="noegletal-kommuner", options=options, value=valg["kommuner"], multi=True,
                               placeholder=gettext("Vælg kommuner …"), className="kommunevaelger")],
                 className="felt"),
        html.Div([html.Label(gettext("Vis"), htmlFor="noegletal-skala"),
                  dcc.Dropdown(id="noegletal-skala", value=valg["skala"], clearable=False, searchable=False,
                               options=[{"label": gettext(v), "value": k} for k, v in SKALAER.items()],
                               className="skalavaelger")], className="felt"),
    ], className="kontroller udvikling-kontroller")


@callback(Output("noegletal-niveau", "children"), Output("noegletal-rangering", "figure"),
          Output("noegletal-rangering-hent", "children"), Output("noegletal-kort", "figure"),
          Output("noegletal-kort-hent", "children"), Output("noegletal-aar", "value"),
          Output("noegletal-kontekst", "data"), Output("noegletal-url", "search"),
          Input("noegletal-aar", "value"), Input("noegletal-url", "search"), State("noegletal-kontekst", "data"),
          State("_pages_location", "search"), prevent_initial_call=True)
def show_year(aar: str | None, search: str | None, shown: dict | None, address_now: str | None):
    """A year chosen, or an address from back or forward: the level, the ranking and the map patched to it (in the
    address's view); the address of a choice pushed."""
    scope = viewer.scope()
    from_address = dash.ctx.triggered_id == "noegletal-url"
    if from_address:
        aar = parse_qs(search.lstrip("?")).get("aar", [None])[0] if isinstance(search, str) else None
    fid = shown.get("noegletal_id") if isinstance(shown, dict) else None
    if not isinstance(fid, str) or not (aar is None or isinstance(aar, str)) \
            or validate(scope=scope, noegletal_id=fid, aar=aar):
        raise dash.exceptions.PreventUpdate
    meta, serier = katalog.meta(scope, fid), katalog.serier(scope, fid)
    years = q.perioder(scope, fid)
    periode = aar or (years[0] if years else None)
    if periode is None or periode == shown.get("aar"):   # no years, the page's own render, or nothing changed
        raise dash.exceptions.PreventUpdate
    ranking, kort = (som_vist(figure, address_now) for figure in aarsgrafer(scope, meta, serier, periode))
    address_ = dash.no_update if from_address else address(search, aar=aar)
    return (_level(scope, meta, serier, periode)["props"]["children"], ranking,
            links(ranking, fid, "alle", [periode], "noegletal-rangering"),
            charts.kort_patch(kort), links(kort, fid, "alle", [periode], "noegletal-kort"), periode,
            {"noegletal_id": fid, "aar": periode}, address_)


@callback(Output("noegletal-udvikling", "figure"), Output("noegletal-udvikling-hent", "children"),
          Output("noegletal-udvikling-note", "children"), Output("noegletal-kommuner", "value"),
          Output("noegletal-skala", "value"), Output("noegletal-valg", "data"),
          Output("noegletal-url", "search", allow_duplicate=True),
          Input("noegletal-kommuner", "value"), Input("noegletal-skala", "value"), Input("noegletal-url", "search"),
          State("noegletal-kontekst", "data"), State("noegletal-valg", "data"), State("_pages_location", "search"),
          prevent_initial_call=True)
def show_trend(kommuner: list[str] | None, skala: str | None, search: str | None, shown: dict | None,
               valgt: dict | None, address_now: str | None):
    """Municipalities or a scale chosen, or an address from back or forward: the development redrawn for them;
    more than MAKS_KOMMUNER chosen keeps the first and says why; the address of a choice pushed."""
    scope = viewer.scope()
    from_address = dash.ctx.triggered_id == "noegletal-url"
    fid = shown.get("noegletal_id") if isinstance(shown, dict) else None
    if from_address:
        query = parse_qs((search or "").lstrip("?"))
        kommuner, skala = koder(query.get("kommuner", [""])[0]), query.get("skala", [NIVEAU])[0]
    valgte = list(kommuner or [])
    besked = FOR_MANGE if len(valgte) > MAKS_KOMMUNER else ""
    valg = Valg(kommuner=valgte[:MAKS_KOMMUNER], skala=skala or NIVEAU)
    if not isinstance(fid, str) or validate(scope=scope, noegletal_id=fid, skala=valg["skala"]) \
            or kommuner_problem(scope, valg["kommuner"]) or (valg == valgt and not besked):
        raise dash.exceptions.PreventUpdate
    meta, serier = katalog.meta(scope, fid), katalog.serier(scope, fid)
    trend, adresse, note = udvikling(scope, meta, serier, valg)
    trend = som_vist(trend, address_now)
    new_address = dash.no_update if from_address else address(
        search, kommuner=",".join(valg["kommuner"]) or None, skala=None if valg["skala"] == NIVEAU else valg["skala"])
    caption = billedtekst(trend, adresse, "noegletal-udvikling", fid)
    return (trend, caption, " ".join(filter(None, [besked, note])), valg["kommuner"], valg["skala"], valg,
            new_address)


@callback(Output("nav", "href", allow_duplicate=True), Input("noegletal-kort", "clickData"),
          prevent_initial_call=True)
def open_profile(click: dict | None):
    return adresse(charts.clicked_profile(click))


@callback(Output("noegletal-kortliste", "children"), Input("noegletal-kontekst", "data"), prevent_initial_call=True)
def list_municipalities(shown: dict | None):
    """The map's list (components/kortliste.py) for the year the map shows now."""
    scope = viewer.scope()
    fid, periode = (shown.get("noegletal_id"), shown.get("aar")) if isinstance(shown, dict) else (None, None)
    if not isinstance(fid, str) or not isinstance(periode, str) \
            or validate(scope=scope, noegletal_id=fid, aar=periode):
        raise dash.exceptions.PreventUpdate
    return med_adresser(raekker(katalog.meta(scope, fid), q.kommunevaerdier(scope, fid, periode), periode))
