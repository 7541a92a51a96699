"""Theme page parts: the summary ("Tre ting at være opmærksom på"), a section that folds under its heading on a
phone, with the jump menu over the sections, and a key figure's row in a section, for a municipality or for hele
landet."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from components import charts, farver
from components.afsnit import afsnit, hopmenu
from components.hent import graf
from components.light import html
from components.maerke import demomaerke
from kdk import format as fmt
from kdk import periods
from kdk.queries.sammenligning import STANDARD_K
from kdk.temaer import fill, sammenlign


def values(row: dict, kommune: str) -> dict:
    """The Danish texts a template may use for one key figure."""
    d = int(row["decimaler"])
    retning, vurdering = sammenlign(row)
    return {"kommune": kommune, "titel": row["titel"], "værdi": fmt.number(row["vaerdi"], d),
            "enhed": row["enhed"], "periode": periods.label(row["periode"]) if isinstance(row["periode"], str) else "–",
            "gruppe": fmt.with_unit(row.get("gruppe_vaerdi"), d, row["enhed"]),
            "region": fmt.with_unit(row["region_vaerdi"], d, row["enhed"]),
            "land": fmt.with_unit(row["land_vaerdi"], d, row["enhed"]),
            "rang": f"{int(row['rang'])}" if not pd.isna(row["rang"]) else "–",
            "antal": f"{int(row['antal'])}" if not pd.isna(row["antal"]) else "–",
            "retning": retning, "vurdering": vurdering}


def opsummering(kommune: str, worse: list[dict], better: list[dict]) -> dict:
    """The summary from kdk.temaer.opmaerksomhed's lists: what needs attention, and what goes well, each with its
    difference from the group as kdk.fortolkning.vurder says it ("2,6 procentpoint højere")."""
    def item(row: dict) -> dict:
        v = values(row, kommune)
        return html.Li([html.Strong(f"{row['titel']}: "),
                        f"{v['værdi']} {row['enhed']} ({v['periode']}) mod {v['gruppe']} i sammenlignelige kommuner, "
                        f"{row['vurdering'].forskel}."])

    count = {1: "Én ting", 2: "To ting", 3: "Tre ting"}
    parts = [html.H2(f"{count.get(len(worse), 'Ingen ting')} at være opmærksom på")]
    if worse:
        parts.append(html.Ol([item(r) for r in worse]))
    else:
        parts.append(html.P(f"{kommune} ligger ikke dårligere end de sammenlignelige kommuner på nogen af de "
                            "vurderede nøgletal."))
    if better:
        parts += [html.H3("Det går godt"), html.Ul([item(r) for r in better[:2]])]
    parts.append(html.P(f"Sammenligningen er med gennemsnittet (uvægtet) af de {STANDARD_K} mest sammenlignelige "
                        "kommuner. "
                        "Vurderet er nøgletal, hvor højere eller lavere er bedre, og de nøgletal, temaet selv "
                        "udpeger som et pres. En forskel på under en fjerdedel af spredningen mellem kommunerne "
                        "(afstanden mellem den midterste halvdel af kommunernes tal) regnes for at være på niveau.",
                        className="note"))
    return html.Section(parts, className="opsummering", **{"aria-label": "Opsummering"})


def figur_raekke(row: dict, kommune: dict, template: str, chart_type: str, series: Mapping[str, Sequence],
                 group_series: Sequence, fordeling: Sequence[dict] | None, members: set[str]) -> dict:
    """One key figure in a theme section: the filled sentence, the key numbers and the section's chart. `series`:
    the figure's yearly (periode, vaerdi) pairs by area (kdk.queries.noegletal.aarsserie); `group_series`: the
    comparison group's mean."""
    meta = row
    v = values(row, kommune["navn"])
    kode, region = kommune["kommunekode"], kommune["regionskode"]
    numbers = html.Dl([html.Div([html.Dt(label), html.Dd(text)]) for label, text in (
        (kommune["navn"], f"{v['værdi']} {row['enhed']}" if v["værdi"] != "–" else "–"),
        ("Sammenlignelige (gns.)", v["gruppe"]), (kommune["regionsnavn"], v["region"]), ("Hele landet", v["land"]))],
        className="tal")
    lines = charts.linjer(kommune, series, ("Sammenlignelige (gns.)", group_series))
    if chart_type == "placering" and fordeling is not None and row["periode"] is not None:
        figure = charts.ranking(meta, fordeling, kode, members, [("Hele landet", row["land_vaerdi"]),
                                                                 ("Region", row["region_vaerdi"])], row["periode"])
    elif chart_type == "sammenligning" and row["periode"] is not None:
        figure = charts.side_om_side(meta, [(kommune["navn"], row["vaerdi"], farver.KOMMUNE_FARVE),
                                            ("Sammenlignelige", row.get("gruppe_vaerdi"), farver.REGION_FARVE),
                                            (kommune["regionsnavn"], row["region_vaerdi"], farver.REGION_LINJE_FARVE),
                                            ("Hele landet", row["land_vaerdi"], farver.LAND_FARVE)], row["periode"])
    else:
        figure = charts.trend(meta, lines)
    return html.Div([
        html.Div([html.H3(row["titel"]), html.P(fill(template, v), className="saetning"), numbers,
                  demomaerke(row["demodata"])],
                 className="tema-tekst"),
        graf(figure, row["noegletal_id"],
             "alle" if chart_type == "placering" else [kode, region, "000", *sorted(members)],
             [row["periode"]] if chart_type != "udvikling" else sorted({p for _, s, _ in lines for p, _ in s})),
    ], className="tema-raekke", id=f"tema-{row['noegletal_id']}")


def lands_raekke(meta: dict, land: Sequence[tuple[str, float | None]], fordeling: Sequence[dict]) -> dict:
    """One key figure in a theme section for hele landet: the national value of its latest period (`land`: the
    yearly (periode, vaerdi) pairs of area '000'), and every municipality's value then (`fordeling`:
    kdk.queries.noegletal.kommunevaerdier of that period) as a ranking."""
    periode, value = land[-1]
    v = fmt.with_unit(value, int(meta["decimaler"]), meta["enhed"])
    figure = charts.ranking(meta, fordeling, "", set(), [("Hele landet", value)], periode)
    return html.Div([
        html.Div([html.H3(meta["titel"]), html.P(f"Hele landet: {v} i {periods.label(periode)}.", className="saetning"),
                  demomaerke(meta["demodata"])], className="tema-tekst"),
        graf(figure, meta["noegletal_id"], "alle", [periode]),
    ], className="tema-raekke", id=f"tema-{meta['noegletal_id']}")


def _afsnit_id(nr: int) -> str:
    return f"tema-afsnit-{nr}"


def tema_afsnit(nr: int, section: dict, raekker: list) -> dict:
    """The theme's section number `nr` (`section` from the theme file): its text and its key figures' `raekker`,
    folding under its heading (components/afsnit.py)."""
    return afsnit(section["titel"], [html.P(section.get("tekst", ""), className="afsnit-tekst"), *raekker],
                  _afsnit_id(nr), "tema-afsnit")


def tema_hopmenu(shown: Sequence[tuple[int, dict, list]]) -> dict:
    """The jump menu over the sections `shown`, as (number, section, rows) given to tema_afsnit; assets/mobiltema.css
    shows it on a phone only, where the sections fold."""
    return hopmenu([(section["titel"], _afsnit_id(nr)) for nr, section, _ in shown], "Gå til afsnit")


def skjulte(antal: int) -> dict | None:
    """The notice that `antal` of the theme's figures are hidden from this reader, and whom to ask; none if none."""
    if not antal:
        return None
    return html.P(f"{antal} nøgletal i temaet er lukkede data og vises kun for brugere med adgang til dem. "
                  "Er du ansat i en kommune, kan kommunens kommuneadministrator i Kend din kommune give dig adgang.",
                  className="note skjult")

