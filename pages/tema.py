"""/tema/<slug>?kommune=101: one theme for one municipality, written from a theme file in data/temaer; without a
municipality, the theme for hele landet (each figure's national value and every municipality's value).

A generated summary ("Tre ting at være opmærksom på") on top, then each section: its text, and for each key
figure the section's template filled with the municipality's values against its comparison group, the
region and the country, and the section's chart. On a phone the sections fold under their headings, the first
open, under a jump menu (components/afsnit.py). Print-friendly. In the active language: the theme's own texts from
its file's English fields (kdk.temaer.paa_sprog). Reads kdk.queries only.
"""
from __future__ import annotations

from collections.abc import Mapping

import dash
from dash import ClientsideFunction, Input, Output, State, clientside_callback

from components.light import dcc, html
from components.shell import fejlside
from components.tema import figur_raekke, lands_raekke, opsummering, skjulte, tema_afsnit, tema_hopmenu
from components.vaelgere import kommune_options
from kdk.queries import noegletal as q
from kdk.queries import omraader, profil, sammenligning
from kdk.queries import temaer as t
from kdk.queries.scope import ANONYMOUS, Scope
from kdk.sprog import N_, gettext
from kdk.temaer import opmaerksomhed
from web.guard import Problem, single_values, ugyldig
from web.rendercache import Keep, Warm


@single_values
def validate(scope: Scope, slug=None, kommune=None, **_) -> Problem | None:
    if slug is None or t.tema(scope, slug) is None:
        return Problem(404, gettext("Temaet findes ikke"),
                       gettext("Der er intet tema med navnet «{slug}». Se alle temaer under Temaer.").format(slug=slug))
    if kommune is not None and omraader.kommune(scope, kommune) is None:
        return ugyldig("kommune", kommune, omraader.kommuner(scope)["kommunekode"])
    return None


def title(scope: Scope, slug=None, **_) -> str:
    theme = t.tema(scope, slug) if slug else None
    return f"{theme['titel']} – Kend din kommune" if theme else gettext("Temaet findes ikke – Kend din kommune")


dash.register_page(__name__, path_template="/tema/<slug>", name=N_("Tema"), title=title, validate=validate,
                   description=N_("Et tema for en kommune, sammenlignet med de kommuner, der ligner den mest."),
                   keep=Keep(warm=lambda kode: [Warm(2, f"/tema/{slug}", f"?kommune={kode}")
                                                for slug in t.temaer(ANONYMOUS)["slug"]]))


def layout(scope: Scope, slug=None, kommune=None, **_):
    problem = validate(scope=scope, slug=slug, kommune=kommune)
    if problem:
        return fejlside(problem.titel, problem.tekst, problem.status)
    theme = t.tema(scope, slug)
    picker = html.Div([
        html.Label(gettext("Kommune"), htmlFor="tema-kommune"),
        dcc.Dropdown(id="tema-kommune", value=kommune, clearable=False, placeholder=gettext("Vælg kommune …"),
                     options=kommune_options(omraader.kommuner(scope).to_dict("records"))),
        dcc.Store(id="tema-kontekst", data={"slug": slug, "kommune": kommune}),
    ], className="felt bred kontroller")
    head = [html.P(gettext("Tema"), className="overtitel"), html.H1(theme["titel"] + (
        f": {omraader.kommune(scope, kommune)['navn']}" if kommune else ": " + gettext("Hele landet"))),
        html.P(theme["introduktion"], className="intro"), picker]
    if not kommune:
        hidden, sections = _national(scope, theme)
        return html.Div(head + [tema_hopmenu(sections), html.P(gettext("Vælg en kommune for at se temaet for den."),
                                                               className="tom"),
                                skjulte(hidden), *_folded(sections)], className="temaside")
    k = omraader.kommune(scope, kommune)
    rows, hidden = t.figurer(scope, theme, kommune)
    worse, better = opmaerksomhed(rows, theme)
    series = q.aarsserier(scope, t.noegletal_ider(theme))
    sections = [(nr, section, figures) for nr, section in enumerate(theme["afsnit"], 1)
                if (figures := _figures(scope, section, rows, k, series))]
    return html.Div(head + [tema_hopmenu(sections), opsummering(k["navn"], worse, better), skjulte(len(hidden)),
                            *_folded(sections)], className="temaside")


def _folded(sections: list[tuple[int, dict, list]]) -> list:
    """The sections shown, (number, section, figure rows), each folding under its heading on a phone."""
    return [tema_afsnit(nr, section, figures) for nr, section, figures in sections]


def _national(scope, theme: dict) -> tuple[int, list[tuple[int, dict, list]]]:
    """The theme for hele landet: the number of the theme's figures the viewer may not see, and each section
    (number, section, rows) with its visible figures' national values in their latest period and every
    municipality's value then."""
    ids = t.noegletal_ider(theme)
    meta = {r["noegletal_id"]: r for r in omraader.noegletal_af(scope, ids).to_dict("records")}
    series = q.aarsserier(scope, ids)
    land = {fid: [p for p in series.get(fid, q.NO_SERIES).get("000", ()) if p[1] is not None] for fid in meta}
    return len(ids) - len(meta), [
        (nr, section, [lands_raekke(meta[fid], land[fid], q.kommunevaerdier(scope, fid, land[fid][-1][0]))
                       for fid in figures])
        for nr, section in enumerate(theme["afsnit"], 1)
        if (figures := [fid for fid in section["noegletal"] if land.get(fid)])]


def _figures(scope, section: dict, rows: list[dict], kommune: dict, yearly: Mapping[str, Mapping]) -> list:
    """A theme section's figures' rows (kdk.queries.profil), each with its chart (none when the viewer sees none
    of them); `yearly`: the theme's figures' yearly series (kdk.queries.noegletal.aarsserier), read for the whole
    theme at once."""
    mine = [r for r in rows if r["noegletal_id"] in section["noegletal"]]
    kode = kommune["kommunekode"]
    figures = []
    for row in mine:
        fid = row["noegletal_id"]
        members = sammenligning.medlemmer(scope, row["sammenligningsomraade"], row["bm_aar"], kode,
                                          sammenligning.STANDARD_K) if profil.har_gruppe(row) else ()
        fordeling = q.kommunevaerdier(scope, fid, row["periode"]) \
            if section["diagram"] == "placering" and row["periode"] is not None else None
        series = yearly.get(fid, q.NO_SERIES)
        figures.append(figur_raekke(row, kommune, section, series,
                                    q.gennemsnit(series, members), fordeling, set(members)))
    return figures


# Another municipality opens the theme for it, in the browser (assets/navigation.js).
clientside_callback(ClientsideFunction("kdk", "themeMunicipality"), Output("nav", "href", allow_duplicate=True),
                    Input("tema-kommune", "value"), State("tema-kontekst", "data"), prevent_initial_call=True)

# Drawn without a municipality, the page opens for the visitor's own, if they chose one (assets/minkommune.js).
clientside_callback(ClientsideFunction("minkommune", "standard"), Output("nav", "href", allow_duplicate=True),
                    Input("tema-kontekst", "data"), State("min-kommune", "data"),
                    prevent_initial_call="initial_duplicate")
