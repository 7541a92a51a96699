"""/tema/<slug>?kommune=101: one theme for one municipality, written from a theme file in data/temaer.

A generated summary ("Tre ting at være opmærksom på") on top, then each section: its text, and for each key
figure the section's template filled with the municipality's values against its comparison group, the
region and the country, and the section's chart. Print-friendly. Reads kdk.queries only.
"""
from __future__ import annotations

from urllib.parse import quote

import dash
from dash import Input, Output, State, callback, dcc, html

from components.shell import fejlside
from components.tema import figur_raekke, opsummering, skjulte
from kdk.queries import noegletal as q
from kdk.queries import omraader, sammenligning
from kdk.queries import temaer as t
from kdk.temaer import opmaerksomhed
from web import viewer
from web.guard import Problem, ugyldig


def validate(slug=None, kommune=None, **_) -> Problem | None:
    scope = viewer.scope()
    if slug is None or t.tema(scope, slug) is None:
        return Problem(404, "Temaet findes ikke",
                       f"Der er intet tema med navnet «{slug}». Se alle temaer under Temaer.")
    if kommune is not None and omraader.kommune(scope, kommune) is None:
        return ugyldig("kommune", kommune)
    return None


def title(slug=None, **_) -> str:
    theme = t.tema(viewer.scope(), slug) if slug else None
    return f"{theme['titel']} – Kend din kommune" if theme else "Temaet findes ikke – Kend din kommune"


dash.register_page(__name__, path_template="/tema/<slug>", name="Tema", title=title, validate=validate,
                   description="Et tema for en kommune, sammenlignet med de kommuner, der ligner den mest.")


def layout(slug=None, kommune=None, **_):
    problem = validate(slug=slug, kommune=kommune)
    if problem:
        return fejlside(problem.titel, problem.tekst, problem.status)
    scope = viewer.scope()
    theme = t.tema(scope, slug)
    picker = html.Div([
        html.Label("Kommune", htmlFor="tema-kommune"),
        dcc.Dropdown(id="tema-kommune", value=kommune, clearable=False, placeholder="Vælg kommune …",
                     options=[{"label": f"{r.navn} ({r.kommunekode})", "value": r.kommunekode}
                              for r in omraader.kommuner(scope).itertuples()]),
        dcc.Store(id="tema-kontekst", data={"slug": slug, "kommune": kommune}),
    ], className="felt bred kontroller")
    head = [html.P("Tema", className="overtitel"), html.H1(theme["titel"] + (
        f": {omraader.kommune(scope, kommune)['navn']}" if kommune else "")),
        html.P(theme["introduktion"], className="intro"), picker]
    if not kommune:
        return html.Div(head + [html.P("Vælg en kommune for at se temaet for den.", className="tom")],
                        className="temaside")
    k = omraader.kommune(scope, kommune)
    rows, hidden = t.figurer(scope, theme, kommune, k["regionskode"])
    worse, better = opmaerksomhed(rows, theme)
    series = q.aarsserier(scope, (kommune, k["regionskode"], "000"), tuple(rows["noegletal_id"]))
    sections = [_section(scope, section, rows, series, k) for section in theme["afsnit"]]
    return html.Div(head + [opsummering(k["navn"], worse, better), skjulte(len(hidden)), *sections],
                    className="temaside")


def _section(scope, section: dict, rows, series, kommune: dict) -> html.Section | None:
    mine = rows[rows["noegletal_id"].isin(section["noegletal"])]
    if mine.empty:
        return None
    figures = []
    for row in mine.to_dict("records"):
        members = set(sammenligning.gruppe(scope, row["sammenligningsomraade"], int(row["bm_aar"]),
                                           kommune["kommunekode"], sammenligning.STANDARD_K)["kode"]) \
            if isinstance(row.get("sammenligningsomraade"), str) else set()
        fordeling = q.fordeling(scope, row["noegletal_id"], row["periode"]) \
            if section["diagram"] == "placering" and isinstance(row["periode"], str) else None
        figures.append(figur_raekke(row, kommune, section["skabelon"], section["diagram"],
                                    series[series["noegletal_id"] == row["noegletal_id"]],
                                    sammenligning.gruppeserie(scope, row["noegletal_id"], tuple(sorted(members))),
                                    fordeling, members))
    return html.Section([html.H2(section["titel"]), html.P(section.get("tekst", ""), className="afsnit-tekst"),
                         *figures], className="tema-afsnit")


@callback(Output("nav", "href", allow_duplicate=True), Input("tema-kommune", "value"), State("tema-kontekst", "data"),
          prevent_initial_call=True)
def choose_municipality(kommune, context):
    # The page's own render fires this too: only a changed municipality navigates.
    if not isinstance(context, dict) or not isinstance(kommune, str) or kommune == context.get("kommune"):
        raise dash.exceptions.PreventUpdate
    return f"/tema/{quote(str(context.get('slug', '')), safe='')}?kommune={quote(kommune, safe='')}"
