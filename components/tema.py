"""Theme page parts: the summary ("Tre ting at være opmærksom på"), a section that folds under its heading on a
phone, with the jump menu over the sections, and a key figure's row in a section, for a municipality or for hele
landet. Texts in the active language (kdk.sprog); the theme's own texts come translated by kdk.temaer.paa_sprog."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from components import charts, farver
from components.afsnit import afsnit, hopmenu
from components.hent import graf
from components.light import html
from components.maerke import demomaerke
from kdk import format as fmt
from kdk import periods, sprog
from kdk.queries.sammenligning import STANDARD_K
from kdk.sprog import gettext, ngettext
from kdk.temaer import DANSK_SKABELON, fill, sammenlign


def values(row: dict, kommune: str) -> dict:
    """The texts a template may use for one key figure, in the active language."""
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


def med_enhed(vaerdi: str, enhed: str) -> str:
    """A formatted value with its unit as written after it: `2,4 pct.`, `12 antal`; the English `%` without a space
    (`2.4%`)."""
    return f"{vaerdi}%" if enhed == "%" else f"{vaerdi} {enhed}"


def opsummering(kommune: str, worse: list[dict], better: list[dict]) -> dict:
    """The summary from kdk.temaer.opmaerksomhed's lists: what needs attention, and what goes well, each with its
    difference from the group as kdk.fortolkning.vurder says it ("2,6 procentpoint højere")."""
    def item(row: dict) -> dict:
        v = values(row, kommune)
        return html.Li([html.Strong(f"{row['titel']}: "),
                        gettext("{værdi} ({periode}) mod {gruppe} i sammenlignelige kommuner, {forskel}.").format(
                            værdi=med_enhed(v["værdi"], row["enhed"]), periode=v["periode"], gruppe=v["gruppe"],
                            forskel=row["vurdering"].forskel)])

    headings = {0: gettext("Ingen ting at være opmærksom på"), 1: gettext("Én ting at være opmærksom på"),
                2: gettext("To ting at være opmærksom på"), 3: gettext("Tre ting at være opmærksom på")}
    parts = [html.H2(headings.get(len(worse), headings[0]))]
    if worse:
        parts.append(html.Ol([item(r) for r in worse]))
    else:
        parts.append(html.P(gettext("{kommune} ligger ikke dårligere end de sammenlignelige kommuner på nogen af de "
                                    "vurderede nøgletal.").format(kommune=kommune)))
    if better:
        parts += [html.H3(gettext("Det går godt")), html.Ul([item(r) for r in better[:2]])]
    parts.append(html.P(gettext("Sammenligningen er med gennemsnittet (uvægtet) af de {k} mest sammenlignelige "
                                "kommuner. Vurderet er nøgletal, hvor højere eller lavere er bedre, og de nøgletal, "
                                "temaet selv udpeger som et pres. En forskel på under en fjerdedel af spredningen "
                                "mellem kommunerne (afstanden mellem den midterste halvdel af kommunernes tal) regnes "
                                "for at være på niveau.").format(k=STANDARD_K),
                        className="note"))
    return html.Section(parts, className="opsummering", **{"aria-label": gettext("Opsummering")})


def saetning(row: dict, kommune: str, section: dict) -> str:
    """The section's template (kdk.temaer.paa_sprog) filled for one key figure: in the active language, or, where
    the section has no English template, in Danish with kdk.sprog.MANGLER after it."""
    if section.get(DANSK_SKABELON):
        with sprog.brug(sprog.DANSK):
            return f"{fill(section['skabelon'], values(row, kommune))} {sprog.MANGLER}"
    return fill(section["skabelon"], values(row, kommune))


def figur_raekke(row: dict, kommune: dict, section: dict, series: Mapping[str, Sequence],
                 group_series: Sequence, fordeling: Sequence[dict] | None, members: set[str]) -> dict:
    """One key figure in a theme section (`section`, kdk.temaer.paa_sprog): the filled sentence, the key numbers
    and the section's chart. `series`: the figure's yearly (periode, vaerdi) pairs by area
    (kdk.queries.noegletal.aarsserie); `group_series`: the comparison group's mean."""
    meta, chart_type = row, section["diagram"]
    v = values(row, kommune["navn"])
    kode, region = kommune["kommunekode"], kommune["regionskode"]
    numbers = html.Dl([html.Div([html.Dt(label), html.Dd(text)]) for label, text in (
        (kommune["navn"], med_enhed(v["værdi"], row["enhed"]) if v["værdi"] != "–" else "–"),
        (gettext("Sammenlignelige (gns.)"), v["gruppe"]), (kommune["regionsnavn"], v["region"]),
        (gettext("Hele landet"), v["land"]))],
        className="tal")
    lines = charts.linjer(kommune, series, (gettext("Sammenlignelige (gns.)"), group_series))
    if chart_type == "placering" and fordeling is not None and row["periode"] is not None:
        figure = charts.ranking(meta, fordeling, kode, members, [(gettext("Hele landet"), row["land_vaerdi"]),
                                                                 (gettext("Region"), row["region_vaerdi"])],
                                row["periode"])
    elif chart_type == "sammenligning" and row["periode"] is not None:
        figure = charts.side_om_side(meta, [(kommune["navn"], row["vaerdi"], farver.KOMMUNE_FARVE),
                                            (gettext("Sammenlignelige"), row.get("gruppe_vaerdi"), farver.REGION_FARVE),
                                            (kommune["regionsnavn"], row["region_vaerdi"], farver.REGION_LINJE_FARVE),
                                            (gettext("Hele landet"), row["land_vaerdi"], farver.LAND_FARVE)],
                                     row["periode"])
    else:
        figure = charts.trend(meta, lines)
    return html.Div([
        html.Div([html.H3(row["titel"]), html.P(saetning(row, kommune["navn"], section), className="saetning"),
                  numbers,
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
    figure = charts.ranking(meta, fordeling, "", set(), [(gettext("Hele landet"), value)], periode)
    sentence = gettext("Hele landet: {værdi} i {periode}.").format(værdi=v, periode=periods.label(periode))
    return html.Div([
        html.Div([html.H3(meta["titel"]), html.P(sentence, className="saetning"),
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
    return hopmenu([(section["titel"], _afsnit_id(nr)) for nr, section, _ in shown], gettext("Gå til afsnit"))


def skjulte(antal: int) -> dict | None:
    """The notice that `antal` of the theme's figures are hidden from this reader, and whom to ask; none if none."""
    if not antal:
        return None
    return html.P(ngettext("{antal} nøgletal i temaet er lukkede data og vises kun for brugere med adgang til dem. "
                           "Er du ansat i en kommune, kan kommunens kommuneadministrator i Kend din kommune give dig "
                           "adgang.",
                           "{antal} nøgletal i temaet er lukkede data og vises kun for brugere med adgang til dem. "
                           "Er du ansat i en kommune, kan kommunens kommuneadministrator i Kend din kommune give dig "
                           "adgang.", antal).format(antal=antal),
                  className="note skjult")

