"""/kommune/<kode>?omraade=<dataområde>&aar=<år>&side=<n>: the municipal profile.

Overview: one section per data area with a card for each of its first key figures in catalogue order (at most
KORT_I_OVERBLIK; a link leads to all of them). With `omraade`: that area in depth, PR_SIDE key figures per page
(`side`), each with its trend (against the comparison group, region and land) and its ranking among all
municipalities, folding under its title on a phone. In a chosen year (`aar`), a figure without a value then is one
line with its latest period, not an empty card. Only the shown figures are queried, so a catalogue of Kolada's size
(5 000 figures) costs no more than today's. A line under the header leads to what the newest release changed for the
municipality (components/nyt.py). State lives in the URL; the year picker navigates to the new URL. Reads
kdk.queries only.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlencode

import dash
from dash import ClientsideFunction, Input, Output, State, clientside_callback

from components import charts, praesentation
from components.afsnit import afsnit, hopmenu
from components.hent import graf
from components.light import dcc, html
from components.noegletalskort import noegletalskort
from components.nyt import henvisning
from components.shell import fejlside
from components.sider import sidevaelger
from kdk import format as fmt
from kdk import periods
from kdk.queries import noegletal as q
from kdk.queries import omraader, profil, sammenligning
from kdk.queries.scope import ANONYMOUS, Scope
from kdk.sprog import N_, gettext, ngettext
from web.guard import IKKE_FUNDET, Problem, forslag, single_values, ugyldig
from web.rendercache import Keep, Warm

KORT_I_OVERBLIK = 8   # cards per data area in the overview
PR_SIDE = 10          # key figures per page in an area's in-depth view
INDBYGGERE = "befolkning.indbyggere"   # the header's population
LEDIGHED = "beskaeftigelse.ledighed"   # the header's unemployment, its latest month
BESKRIVELSE = N_("Nøgletal for en kommune sammenlignet med regionen og hele landet.")


@single_values
def validate(scope: Scope, kode=None, omraade=None, aar=None, side=None, **_) -> Problem | None:
    if kode is None or omraader.kommune(scope, kode) is None:
        kommuner = omraader.kommuner(scope)
        koder = kommuner["kommunekode"]
        return Problem(404, gettext("Kommunen findes ikke"),
                       gettext("Der er ingen kommune med koden «{kode}». Kommunekoder går fra {mindste} til "
                               "{stoerste}. Mente du en af disse?").format(kode=kode, mindste=koder.min(),
                                                                            stoerste=koder.max()),
                       forslag(kode, dict(zip(koder, kommuner["navn"])), "/kommune/{}"))
    if omraade is not None and omraade not in omraader.dataomraade_koder(scope):
        return ugyldig("omraade", omraade, omraader.dataomraade_koder(scope))
    if aar is not None and aar not in q.aar(scope):
        return ugyldig("aar", aar, q.aar(scope))
    if side is not None and (omraade is None or not re.fullmatch(r"[1-9][0-9]{0,5}", side)
                             or int(side) > _sider(len(omraader.noegletal_pr_omraade(scope)[omraade]))):
        return ugyldig("side", side)
    return None


def _sider(antal: int) -> int:
    return max(1, -(-antal // PR_SIDE))


def title(scope: Scope, kode=None, **_) -> str:
    k = omraader.kommune(scope, kode) if kode else None
    return f"{k['navn']} – Kend din kommune" if k else gettext("Kommunen findes ikke – Kend din kommune")


def warm(kode: str) -> list[Warm]:
    """The profile of `kode`, each area in depth (a restricted one as a reader granted only it sees it), and the
    profile in each earlier year: what every municipality's profile shares (kdk.queries.profil)."""
    profile = f"/kommune/{kode}"
    public = [a["kode"] for a in omraader.dataomraader(ANONYMOUS)]
    restricted = [a["kode"] for a in omraader.dataomraader(omraader.fuld_adgang()) if a["kode"] not in public]
    return [Warm(0, profile), *[Warm(1, profile, f"?omraade={area}") for area in public],
            *[Warm(1, profile, f"?omraade={area}", Scope(omraader=frozenset({area}))) for area in restricted],
            *[Warm(4, profile, f"?aar={year}") for year in q.aar(ANONYMOUS)]]


dash.register_page(__name__, path_template="/kommune/<kode>", name="Kommuneprofil", title=title,
                   description=lambda **_: gettext(BESKRIVELSE),
                   validate=validate, keep=Keep(warm=warm))


def href(kode: str, omraade: str | None = None, aar: str | None = None, side: int | None = None) -> str:
    query = urlencode({k: v for k, v in (("omraade", omraade), ("aar", aar), ("side", side)) if v and v != 1})
    return f"/kommune/{kode}" + (f"?{query}" if query else "")


def layout(scope: Scope, kode=None, omraade=None, aar=None, side=None, **_):
    problem = validate(scope=scope, kode=kode, omraade=omraade, aar=aar, side=side) if kode is not None else IKKE_FUNDET
    if problem:
        return fejlside(problem.titel, problem.tekst, problem.status, problem.forslag)
    kommune = omraader.kommune(scope, kode)
    areas = omraader.dataomraader(scope)
    figurer = omraader.noegletal_pr_omraade(scope)
    page = int(side or 1)
    shown = [a for a in areas if a["kode"] == omraade] if omraade else areas
    chosen = {a["kode"]: figurer[a["kode"]][(page - 1) * PR_SIDE:page * PR_SIDE] if omraade
              else figurer[a["kode"]][:KORT_I_OVERBLIK] for a in shown}
    ids = asked_for(figurer, omraade, page)
    rows = {r["noegletal_id"]: r for r in profil.profil(scope, kode, aar, ids)}
    return html.Div([
        dcc.Store(id="profil-kontekst", data={"kode": kode, "navn": kommune["navn"], "omraade": omraade, "aar": aar,
                                              "side": side}),
        _header(scope, kommune, rows[INDBYGGERE]),
        henvisning(scope, kommune),
        _controls(kode, omraade, aar, areas, q.aar(scope)),
        None if omraade else hopmenu([(a["navn"], f"omraade-{a['kode']}") for a in areas],
                                     gettext("Gå til dataområde")),
        *[_area(scope, kommune, a, [rows[fid] for fid in chosen[a["kode"]]], aar, figurer[a["kode"]],
                page if omraade else None, ids) for a in shown],
    ], className="profil")


def asked_for(figurer: Mapping[str, tuple[str, ...]], omraade: str | None, page: int) -> tuple[str, ...]:
    """The key figures a profile asks kdk.queries for: the population, and the first page of every area's figures
    (which holds the overview's cards too), so that one cached answer per year and area (kdk.queries.profil) serves
    every municipality's overview and that area's first page; a later page of an area asks for its own figures."""
    pages = [figurer[omraade][(page - 1) * PR_SIDE:page * PR_SIDE]] if omraade and page > 1 else \
        [figures[:PR_SIDE] for figures in figurer.values()]
    return tuple(dict.fromkeys([INDBYGGERE, *(fid for figures in pages for fid in figures)]))


def _header(scope: Scope, kommune: dict, indbyggere: dict) -> dict:
    facts = [(gettext("Indbyggere"), f"{fmt.number(indbyggere['vaerdi'])} ({periods.label(indbyggere['periode'])})"),
             (gettext("Region"), kommune["regionsnavn"]), (gettext("Kommunegruppe"), kommune["kommunegruppe"]),
             (gettext("Areal"), f"{fmt.number(kommune['areal_km2'], 1)} km²")]
    months = [p for p in q.maanedsserie(scope, LEDIGHED).get(kommune["kommunekode"], ()) if p[1] is not None]
    if months:
        periode, vaerdi = months[-1]
        ledighed = fmt.with_unit(vaerdi, 1, gettext("pct."))
        facts.append((gettext("Registreret ledighed (Jobindsats)"), f"{ledighed} ({periods.label(periode)})"))
    return html.Header([
        html.P(gettext("Kommuneprofil"), className="overtitel"),
        html.H1(kommune["navn"]),
        # Kept in this browser only (assets/minkommune.js): the header, front page, themes and comparison use it.
        # Its texts for either state, which the script shows, are drawn here in the page's language.
        html.Button(gettext("☆ Gør til min kommune"), id="profil-min-kommune", type="button",
                    className="min-kommune-knap", title=gettext("Husk kommunen i denne browser som din kommune"),
                    **{"data-vaelg": gettext("☆ Gør til min kommune"),
                       "data-glem": gettext("★ Min kommune (glem den)")}),
        html.Dl([html.Div([html.Dt(k), html.Dd(v)]) for k, v in facts], className="fakta"),
    ], className="profil-hoved")


def _controls(kode, omraade, aar, areas, years) -> dict:
    tabs = [dcc.Link(gettext("Overblik"), href=href(kode, None, aar), className="fane" + ("" if omraade else " aktiv"))]
    tabs += [dcc.Link(a["navn"], href=href(kode, a["kode"], aar),
                      className="fane" + (" aktiv" if a["kode"] == omraade else "")) for a in areas]
    return html.Div([
        html.Nav(tabs, className=f"faner {praesentation.MENU}", **{"aria-label": gettext("Dataområder")}),
        html.Div([
            html.Label(gettext("År"), htmlFor="profil-aar"),
            dcc.Dropdown(id="profil-aar", value=aar or "", clearable=False, searchable=False,
                         options=[{"label": gettext("Seneste for hvert nøgletal"), "value": ""}]
                         + [{"label": y, "value": y} for y in years], className="aarvaelger"),
        ], className="aar"),
    ], className="kontroller")


def _area(scope: Scope, kommune: dict, area: dict, rows: list[dict], aar, figurer: tuple[str, ...], side: int | None,
          ids: tuple[str, ...]):
    """The area's cards in the overview (`side` None), or page `side` of the area in depth. `rows`: the area's
    profile rows, read with the other key figures `ids` the page asked for (`asked_for`)."""
    kode = kommune["kommunekode"]
    yearly = q.aarsserier(scope, ids) if side is not None else q.NO_SERIES
    estimates = q.estimater(scope, ids) if side is not None else {}
    shown, without = [], []   # a figure without a value in a chosen year gets a line, not a card of dashes
    for row in rows:
        (without if aar and row["status"] == "mangler" else shown).append(row)
    cards = []
    for row in shown:
        group = row if profil.har_gruppe(row) else None
        compare = group and "/sammenligning?" + urlencode(
            {"kommune": kode, "sammenligningsomraade": group["sammenligningsomraade"],
             "noegletal": row["noegletal_id"]})
        its_page = figurer.index(row["noegletal_id"]) // PR_SIDE + 1
        card = noegletalskort(row, kommune["navn"], kommune["regionsnavn"], row["trend"],
                              href(kode, area["kode"], aar, its_page) + f"#kort-{row['noegletal_id']}", group, compare)
        cards.append(card if side is None else _in_depth(scope, kommune, row, card, group, aar, ids,
                                                         yearly.get(row["noegletal_id"], q.NO_SERIES),
                                                         estimates.get(row["noegletal_id"], {})))
    heading = [html.P(area["beskrivelse"], className="omraade-beskrivelse")]
    sider = _sider(len(figurer))
    if side is None:
        heading.append(dcc.Link(gettext("Åbn {omraade} i dybden →").format(omraade=area["navn"].lower()),
                                href=href(kode, area["kode"], aar), className="dybde-link"))
    body = [html.Div(cards, className="kortgitter" if side is None else "dybde"),
            _uden_tal(without, aar, lambda fid: href(kode, area["kode"], None, figurer.index(fid) // PR_SIDE + 1))]
    if side is None and len(figurer) > KORT_I_OVERBLIK:
        body.append(html.P(dcc.Link(gettext("Se alle {antal} nøgletal om {omraade} →").format(
            antal=fmt.number(len(figurer)), omraade=area["navn"].lower()), href=href(kode, area["kode"], aar)),
            className="se-alle"))
    if side is not None and sider > 1:
        first = (side - 1) * PR_SIDE + 1
        body.insert(0, html.P(gettext("Nøgletal {fra}–{til} af {antal}").format(
            fra=fmt.number(first), til=fmt.number(first + len(rows) - 1), antal=fmt.number(len(figurer))),
            className="side-info"))
        body.append(sidevaelger(side, sider, lambda n: href(kode, area["kode"], aar, n),
                                gettext("Sider med nøgletal om {omraade}").format(omraade=area["navn"].lower())))
    return afsnit(area["navn"], [html.Div(heading, className="omraade-hoved"), *body], f"omraade-{area['kode']}",
                  "omraade")


def _uden_tal(rows: list[dict], aar: str | None, its_page) -> dict | None:
    """The figures without a value in the chosen year `aar`, folded into one line each with the figure's latest
    period, linked to its card in the latest year (`its_page(noegletal_id)`: the area's page that holds it), and
    counted."""
    if not rows:
        return None
    lines = []
    for row in rows:
        fid, known = row["noegletal_id"], [p for p, v in row["trend"] if v is not None]
        if not known:
            why = gettext(": Ingen tal for {aar}").format(aar=aar)
        elif len(known[-1]) == 4:
            why = gettext(": Ingen tal for {aar} — seneste år {seneste}").format(aar=aar,
                                                                                 seneste=periods.label(known[-1]))
        else:
            why = gettext(": Ingen tal for {aar} — seneste periode {seneste}").format(
                aar=aar, seneste=periods.label(known[-1]))
        lines.append(html.Li([dcc.Link(row["titel"], href=f"{its_page(fid)}#kort-{fid}"),
                              html.Span(why, className="uden-tal-grund")], className="uden-tal-raekke"))
    count = ngettext("{antal} nøgletal har ingen tal for {aar} og er foldet sammen:",
                     "{antal} nøgletal har ingen tal for {aar} og er foldet sammen:", len(rows))
    return html.Div([html.P(count.format(antal=fmt.number(len(rows)), aar=aar), className="uden-tal-antal"),
                     html.Ul(lines)], className="uden-tal")


def _in_depth(scope: Scope, kommune: dict, row: dict, card, group: dict | None, aar: str | None, ids: tuple[str, ...],
              yearly: Mapping[str, tuple], estimates: Mapping[str, frozenset[str]]) -> dict:
    """The card beside full-size charts: over time against the comparison group, region and land (`yearly`: the
    figure's series, kdk.queries.noegletal.aarsserier; `estimates`: its estimated periods by area, noted where the
    pointer rests); and the ranking of all municipalities with the group
    highlighted. Both are read with the page's other key figures `ids`: a page of ten figures costs no query per
    figure."""
    fid, kode, region = row["noegletal_id"], kommune["kommunekode"], kommune["regionskode"]
    members = sammenligning.medlemmer(scope, group["sammenligningsomraade"], group["bm_aar"], kode,
                                      sammenligning.STANDARD_K) if group else ()
    monthly = row["periodicitet"] == "maaned"
    # Named as the card names it: the members with a value in the card's period, the group's bars in the ranking.
    group_line = (gettext("Gns. af {antal} sammenlignelige (uvægtet)").format(antal=int(group["gruppe_n"])),
                  q.gennemsnit(yearly, members)) \
        if members and not monthly else None
    levels = row["niveau_sammenlignes"]   # a count's region and country are sums: no line or level for them
    lines = charts.linjer(kommune, q.maanedsserie(scope, fid) if monthly else yearly, group_line, niveau=levels)
    shown = sorted({p for _, points, _ in lines for p, _ in points})
    graphs = [graf(charts.trend(row, lines, charts.noter(kommune, estimates)), fid,
                   [kode, region, "000", *sorted(members)], shown)]
    if row["periode"] is not None:
        graphs.append(graf(charts.ranking(
            row, profil.kommunevaerdier_fra_profil(scope, aar, ids, fid), kode, set(members),
            [(gettext(charts.HELE_LANDET), row["land_vaerdi"]), (gettext("Region"), row["region_vaerdi"])]
            if levels else [],
            row["periode"]), fid, "alle", [row["periode"]]))
    # On a phone each figure folds under its title (components/afsnit.py; on a wider screen assets/mobiltema.css
    # hides that heading, which repeats the card's).
    return afsnit(row["titel"], [html.Div([card, html.Div(graphs, className="grafer")], className="dybde-raekke")],
                  f"dybde-{fid}", "dybde-afsnit", niveau=3)


# Another year opens the same view in that year, in the browser (assets/navigation.js builds the address as `href`).
clientside_callback(ClientsideFunction("kdk", "profileYear"), Output("nav", "href", allow_duplicate=True),
                    Input("profil-aar", "value"), State("profil-kontekst", "data"), prevent_initial_call=True)

# "Gør til min kommune" chooses the shown municipality, or forgets it, in the browser (assets/minkommune.js).
clientside_callback(ClientsideFunction("minkommune", "choose"), Output("min-kommune", "data", allow_duplicate=True),
                    Input("profil-min-kommune", "n_clicks"), State("profil-kontekst", "data"),
                    State("min-kommune", "data"), prevent_initial_call=True)
clientside_callback(ClientsideFunction("minkommune", "button"), Output("profil-min-kommune", "children"),
                    Output("profil-min-kommune", "aria-pressed"), Input("min-kommune", "data"),
                    Input("profil-kontekst", "data"))
