"""/kommune/<kode>?omraade=<dataområde>&aar=<år>: the municipal profile.

Overview: one section per data area with a card per key figure. With `omraade`: that area in depth,
each key figure with its trend (against region and land) and its ranking among all municipalities.
State lives in the URL; the year picker navigates to the new URL. Reads kdk.queries only.
"""
from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, dcc, html

from components import charts, farver
from components.hent import graf
from components.noegletalskort import noegletalskort
from components.shell import fejlside
from kdk import format as fmt
from kdk import periods
from kdk.queries import noegletal as q
from kdk.queries import omraader, sammenligning
from web import viewer
from web.guard import IKKE_FUNDET, Problem, ugyldig


def validate(kode=None, omraade=None, aar=None, **_) -> Problem | None:
    scope = viewer.scope()
    if kode is None or omraader.kommune(scope, kode) is None:
        return Problem(404, "Kommunen findes ikke",
                       f"Der er ingen kommune med koden «{kode}». Kommunekoder går fra 101 til 860.")
    if omraade is not None and omraade not in set(omraader.dataomraader(scope)["kode"]):
        return ugyldig("omraade", omraade)
    if aar is not None and aar not in q.aar(scope):
        return ugyldig("aar", aar)
    return None


def title(kode=None, **_) -> str:
    k = omraader.kommune(viewer.scope(), kode) if kode else None
    return f"{k['navn']} – Kend din kommune" if k else "Kommunen findes ikke – Kend din kommune"


dash.register_page(__name__, path_template="/kommune/<kode>", name="Kommuneprofil", title=title,
                   description="Nøgletal for en kommune sammenlignet med regionen og hele landet.",
                   validate=validate)


def href(kode: str, omraade: str | None = None, aar: str | None = None) -> str:
    query = urlencode({k: v for k, v in (("omraade", omraade), ("aar", aar)) if v})
    return f"/kommune/{kode}" + (f"?{query}" if query else "")


def layout(kode=None, omraade=None, aar=None, **_):
    problem = validate(kode=kode, omraade=omraade, aar=aar) if kode is not None else IKKE_FUNDET
    if problem:
        return fejlside(problem.titel, problem.tekst, problem.status)
    scope = viewer.scope()
    kommune = omraader.kommune(scope, kode)
    rows = q.profil(scope, kode, kommune["regionskode"], aar)
    groups = sammenligning.gruppevaerdier(scope, kode, aar, sammenligning.STANDARD_K, None).set_index("noegletal_id")
    series = q.aarsserier(scope, (kode, kommune["regionskode"], "000"))
    areas = omraader.dataomraader(scope)
    shown = areas[areas["kode"] == omraade] if omraade else areas
    return html.Div([
        dcc.Store(id="profil-kontekst", data={"kode": kode, "omraade": omraade, "aar": aar}),
        _header(kommune, rows),
        _controls(kode, omraade, aar, areas, q.aar(scope)),
        *[_area(kommune, a, rows[rows["dataomraade"] == a.kode], series, groups, omraade is not None, aar)
          for a in shown.itertuples()],
    ], className="profil")


def _header(kommune: dict, rows) -> html.Header:
    by_id = rows.set_index("noegletal_id")
    indbyggere = by_id.loc["befolkning.indbyggere"]
    facts = [("Indbyggere", f"{fmt.number(indbyggere['vaerdi'])} ({periods.label(indbyggere['periode'])})"),
             ("Region", kommune["regionsnavn"]), ("Kommunegruppe", kommune["kommunegruppe"]),
             ("Areal", f"{fmt.number(kommune['areal_km2'], 1)} km²")]
    months = q.maanedsserie(viewer.scope(), "beskaeftigelse.ledighed", (kommune["kommunekode"],)).dropna()
    if len(months):
        latest = months.iloc[-1]
        facts.append(("Ledighed", f"{fmt.number(latest['vaerdi'], 1)} pct. ({periods.label(latest['periode'])})"))
    return html.Header([
        html.P("Kommuneprofil", className="overtitel"),
        html.H1(kommune["navn"]),
        html.Dl([html.Div([html.Dt(k), html.Dd(v)]) for k, v in facts], className="fakta"),
    ], className="profil-hoved")


def _controls(kode, omraade, aar, areas, years) -> html.Div:
    tabs = [dcc.Link("Overblik", href=href(kode, None, aar), className="fane" + ("" if omraade else " aktiv"))]
    tabs += [dcc.Link(a.navn, href=href(kode, a.kode, aar), className="fane" + (" aktiv" if a.kode == omraade else ""))
             for a in areas.itertuples()]
    return html.Div([
        html.Nav(tabs, className="faner", **{"aria-label": "Dataområder"}),
        html.Div([
            html.Label("År", htmlFor="profil-aar"),
            dcc.Dropdown(id="profil-aar", value=aar or "", clearable=False, searchable=False,
                         options=[{"label": "Seneste for hvert nøgletal", "value": ""}]
                         + [{"label": y, "value": y} for y in years], className="aarvaelger"),
        ], className="aar"),
    ], className="kontroller")


def _area(kommune: dict, area, rows, series, groups, in_depth: bool, aar):
    kode = kommune["kommunekode"]
    mine = series[series["omraade_kode"] == kode]
    cards = []
    for row in rows.to_dict("records"):
        trend = mine[mine["noegletal_id"] == row["noegletal_id"]].sort_values("periode")["vaerdi"].tolist()
        group = groups.loc[row["noegletal_id"]].to_dict() if row["noegletal_id"] in groups.index else None
        compare = group and "/sammenligning?" + urlencode(
            {"kommune": kode, "omraade": group["sammenligningsomraade"], "noegletal": row["noegletal_id"]})
        card = noegletalskort(row, kommune["navn"], kommune["regionsnavn"], trend,
                              href(kode, area.kode, aar) + f"#kort-{row['noegletal_id']}", group, compare)
        cards.append(_in_depth(kommune, row, card, series, group) if in_depth else card)
    heading = [html.H2(area.navn), html.P(area.beskrivelse, className="omraade-beskrivelse")]
    if not in_depth:
        heading.append(dcc.Link(f"Åbn {area.navn.lower()} i dybden →", href=href(kode, area.kode, aar),
                                className="dybde-link"))
    return html.Section([html.Div(heading, className="omraade-hoved"),
                         html.Div(cards, className="dybde" if in_depth else "kortgitter")],
                        className="omraade", id=f"omraade-{area.kode}")


def _in_depth(kommune: dict, row: dict, card, series, group: dict | None) -> html.Div:
    """The card beside full-size charts: over time against the comparison group, region and land; and the
    ranking of all municipalities with the group highlighted."""
    scope = viewer.scope()
    fid, kode, region = row["noegletal_id"], kommune["kommunekode"], kommune["regionskode"]
    members = set(sammenligning.gruppe(scope, group["sammenligningsomraade"], int(group["bm_aar"]), kode,
                                       sammenligning.STANDARD_K)["kode"]) if group else set()
    if row["periodicitet"] == "maaned":
        data = q.maanedsserie(scope, fid, (kode, region, "000"))
    else:
        data = series[series["noegletal_id"] == fid]
    lines = [(kommune["navn"], data[data["omraade_kode"] == kode], farver.KOMMUNE_FARVE)]
    if members and row["periodicitet"] != "maaned":
        lines.append((f"Gns. af {len(members)} sammenlignelige (uvægtet)",
                      sammenligning.gruppeserie(scope, fid, tuple(sorted(members))), farver.REGION_FARVE))
    lines += [(kommune["regionsnavn"], data[data["omraade_kode"] == region], "#7fb3d9"),
              ("Hele landet", data[data["omraade_kode"] == "000"], farver.LAND_FARVE)]
    shown = sorted(set(data["periode"]))
    graphs = [graf(charts.trend(row, lines), fid, [kode, region, "000", *sorted(members)], shown)]
    if isinstance(row["periode"], str):
        fordeling = q.fordeling(scope, fid, row["periode"])
        graphs.append(graf(charts.ranking(
            row, fordeling, kode, members, [("Hele landet", row["land_vaerdi"]), ("Region", row["region_vaerdi"])],
            row["periode"]), fid, "alle", [row["periode"]]))
    return html.Div([card, html.Div(graphs, className="grafer")], className="dybde-raekke")


@callback(Output("nav", "href", allow_duplicate=True), Input("profil-aar", "value"),
          State("profil-kontekst", "data"), prevent_initial_call=True)
def choose_year(aar, context):
    # The page's own render fires this too (its inputs arrive with the page): only a changed year navigates.
    if not isinstance(context, dict) or not isinstance(aar, str) or (aar or None) == context.get("aar"):
        raise dash.exceptions.PreventUpdate
    return href(str(context.get("kode", "")), context.get("omraade"), aar or None)
