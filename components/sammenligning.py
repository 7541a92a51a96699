"""Components of the comparison page: the summary a leader reads first (demo data, who is most alike and on what,
where a missing value stood in, how stable the group is, whether the model explains much, which years' values),
the group table with the "why", the section for analysts (distances and the method), the matrix. In the active
language (kdk.sprog), each sentence one message. Reads nothing itself: the page passes what kdk.queries.sammenligning
gives."""
from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from babel.lists import format_list

from components import farver
from components.charts import FONT, PRAESENTATION_PX, i_praesentation, values
from components.light import dcc, html
from components.rulle import rulle
from kdk import format as fmt
from kdk.format import plotly_separators
from kdk.queries.matrice import orden
from kdk.similarity import ALPHA, R2_LAV
from kdk.sprog import N_, gettext, ngettext

VARIABEL_FARVER = ["#1b6aa5", "#e49b0f", "#5a9e6f", "#a05195", "#d45087", "#6d7f8c", "#2f4b7c", "#a3a500"]
IMPUTERET = N_("imputeret: landsgennemsnit")   # shown translated: gettext(IMPUTERET)


def variabel_navn(row) -> str:
    return f"{row['titel']} (log)" if row.get("transformation") == "log" else row["titel"]


def _i_tekst(row) -> str:
    """The variable's title inside a sentence: 'socioøkonomisk indeks'."""
    return row["titel"][:1].lower() + row["titel"][1:]


def _liste(words) -> str:
    return format_list(list(words), locale=fmt.locale())


def _stort(text: str) -> str:
    """`text` with a capital first letter, to start a sentence."""
    return text[:1].upper() + text[1:]


def kilder(model: Sequence[dict]) -> str:
    """Which of the candidates in `model` are official statistics and which are generated (their catalogue flag
    `demodata`): 'Officiel statistik: Indbyggertal og befolkningstæthed. Genererede demodata: Socioøkonomisk indeks.'"""
    parts = [label.format(liste=_stort(_liste(_i_tekst(r) for r in model if bool(r['demodata']) == demo)))
             for label, demo in ((gettext("Officiel statistik: {liste}."), False),
                                 (gettext("Genererede demodata: {liste}."), True))
             if any(bool(r["demodata"]) == demo for r in model)]
    return " ".join(parts)


def _pct(share: float) -> str:
    return fmt.percent(share)


def sammenfatning(navn: str, kode: str, aar: int, gruppe: Sequence[dict], shares: pd.DataFrame,
                  imputeret: set[tuple[str, str]], model: Sequence[dict], udfald: dict, udeladte: Sequence[str],
                  stabil: dict | None, k: int) -> list:
    """What a leader reads first, as paragraphs: that the groups rest on demo data (first, where they do); who is
    most alike and on what (`gruppe`'s first, by `shares`); where the national mean stood in for the municipality's
    own missing value (`imputeret`: (code, variable) pairs); how many of the previous year's group are in it again
    (`stabil`, kdk.queries.sammenligning.stabilitet; None for a custom set); whether the model explains little;
    which years' values it uses (`model`'s kilde_aar, `udeladte`)."""
    kept = [r for r in model if r["beholdt"]]
    nr1 = gruppe[0]
    share = shares.loc[nr1["kode"]].to_dict()
    sentences = [demosaetning(model, udfald), ledersaetning(navn, nr1["navn"], share, kept),
                 *imputeringsnoter(navn, kode, nr1["navn"], share, kept, imputeret),
                 stabilitetssaetning(stabil, aar, k) if stabil is not None else None,
                 forklaringssaetning(model, udfald), datagrundlag(model, udeladte, aar)]
    return [html.P(text, className="sammenfatning") for text in sentences if text]


def ledersaetning(navn: str, nr1: str, share: dict[str, float], kept: Sequence[dict]) -> str:
    """'Hjørring ligner Holstebro mest på indbyggertal og befolkningstæthed; den største forskel er socioøkonomisk
    indeks': the kept variables by their share of the distance to the most alike (`share`)."""
    titles = {r["variabel"]: _i_tekst(r) for r in kept}
    if len(titles) == 1:
        return gettext("{navn} ligner {nr1} mest på {forhold}, det eneste forhold, grupperne bygger på.").format(
            navn=navn, nr1=nr1, forhold=next(iter(titles.values())))
    if not any(share.get(v, 0) for v in titles):
        return gettext("{navn} og {nr1} er ens på {forhold}.").format(navn=navn, nr1=nr1,
                                                                       forhold=_liste(titles.values()))
    order = sorted(titles, key=lambda v: share.get(v, 0))
    return gettext("{navn} ligner {nr1} mest på {forhold}; den største forskel er {stoerst}.").format(
        navn=navn, nr1=nr1, forhold=_liste(titles[v] for v in order[:-1]), stoerst=titles[order[-1]])


def imputeringsnoter(navn: str, kode: str, nr1: str, share: dict[str, float], kept: Sequence[dict],
                     imputeret: set[tuple[str, str]]) -> list[str]:
    """A sentence for each kept variable whose value the municipality lacks, the national mean standing in: its
    weight and its share of the distance to the most alike."""
    return [gettext("For {navn} mangler {forhold} i {aar}, så landsgennemsnittet er brugt i stedet ({imputeret}). "
                    "Forholdet vejer {vaegt} i grupperne og udgør {andel} af forskellen til {nr1}.").format(
                navn=navn, forhold=_i_tekst(r), aar=r["kilde_aar"], imputeret=gettext(IMPUTERET),
                vaegt=_pct(r["vaegt"]), andel=_pct(share.get(r["variabel"], 0)), nr1=nr1)
            for r in kept if (kode, r["variabel"]) in imputeret]


def stabilitetssaetning(stabil: dict, aar: int, k: int) -> str:
    """'7 af sidste års 10 er med igen', and the mean over every municipality; the first year says there is none."""
    forrige = stabil["forrige_aar"]
    if forrige is None:
        return gettext("{aar} er det første år med grupper på området, så der er intet år før at sammenligne "
                       "med.").format(aar=aar)
    text = (gettext("{igen} af sidste års {k} er med igen (for alle kommuner i gennemsnit {gennemsnit} af {k}).")
            if forrige == aar - 1 else
            gettext("{igen} af de {k} fra {forrige} er med igen (for alle kommuner i gennemsnit {gennemsnit} af {k})."))
    return text.format(igen=stabil["igen"], k=k, forrige=forrige, gennemsnit=fmt.number(stabil["gennemsnit"], 1))


def forklaringssaetning(model: Sequence[dict], udfald: dict) -> str | None:
    """In plain words, when the kept variables explain little of the outcome (R² under R2_LAV) or none was
    statistically reliable; None otherwise."""
    r2 = float(model[0]["r2"])
    parts = []
    if model[0]["ingen_signifikante"]:
        strongest = _i_tekst(next(r for r in model if r["beholdt"]))
        parts.append(gettext("Ingen af forholdene hænger sikkert sammen med {udfald}; grupperne bygger kun på det "
                             "stærkeste, {staerkeste}.").format(udfald=_i_tekst(udfald), staerkeste=strongest))
    if r2 < R2_LAV:
        parts.append(gettext("Forholdene forklarer kun en lille del ({andel}) af forskellene i {udfald} mellem "
                             "kommunerne.").format(andel=_pct(r2), udfald=_i_tekst(udfald)))
    return " ".join(parts + [gettext("Læs derfor grupperne med forsigtighed.")]) if parts else None


def datagrundlag(model: Sequence[dict], udeladte: Sequence[str], aar: int) -> str:
    """Which year's values the groups use ('Ledighed: tal fra 2022'), and which candidates are left out for want of
    a value from the year or before."""
    by_year: dict[int, list[str]] = {}
    for r in model:
        if r["kilde_aar"] != aar:
            by_year.setdefault(r["kilde_aar"], []).append(_i_tekst(r))
    older = [gettext("{forhold}: tal fra {aar}").format(forhold=_liste(names), aar=year)
             for year, names in sorted(by_year.items())]
    text = (gettext("Grupperne for {aar} bygger på tal fra {aar}, undtagen {undtagelser}.") if older else
            gettext("Grupperne for {aar} bygger på tal fra {aar}.")).format(aar=aar, undtagelser=_liste(older))
    if udeladte:
        names = _liste(t[:1].lower() + t[1:] for t in udeladte)
        text += " " + ngettext("{forhold} indgår ikke, da der ikke er tal fra {aar} eller før.",
                               "{forhold} indgår ikke, da der ikke er tal fra {aar} eller før.",
                               len(udeladte)).format(forhold=_stort(names), aar=aar)
    return text


def gruppetabel(kode: str, navn: str, gruppe: Sequence[dict], shares: pd.DataFrame, values: pd.DataFrame,
                model: Sequence[dict], fjern_href: dict[str, str] | None = None) -> dict:
    """One row per member of `gruppe` (kdk.queries.sammenligning.gruppe): rank, name, region, and why (`shares`:
    each kept variable's share of the distance, a row per member; the two municipalities' values side by side, from
    `values`, kdk.queries.sammenligning.variabler, with the national mean marked where it stood in). `model`: the
    method's candidates. The distances themselves are for analysts (`analytikere`)."""
    kept = [r for r in model if r["beholdt"]]
    colour = {r["variabel"]: VARIABEL_FARVER[i % len(VARIABEL_FARVER)] for i, r in enumerate(kept)}
    names = {r["variabel"]: variabel_navn(r) for r in kept}
    decimals = {r["variabel"]: int(r["decimaler"]) for r in kept}
    by_municipality = dict(zip(zip(values["kommunekode"], values["variabel"]), values["vaerdi"]))
    imputed = imputerede(values)
    share_of = shares.to_dict("index")
    head = html.Thead(html.Tr([html.Th(gettext("Rang")), html.Th(gettext("Kommune")), html.Th(gettext("Region")),
                               html.Th(gettext("Hvor forskellen ligger"),
                                       title=gettext("Hvert forholds andel af forskellen")),
                               html.Th(html.Span(gettext("Fjern"), className="visually-hidden"))]))
    rows = []
    for member in gruppe:
        share = share_of.get(member["kode"], {})
        bar = html.Div([html.Span(style={"width": f"{100 * share.get(v, 0):.1f}%", "background": colour[v]},
                                  title=gettext("{forhold}: {andel} af forskellen").format(
                                      forhold=names[v], andel=fmt.percent(share.get(v, 0))))
                        for v in names], className="andelsbjaelke", role="img",
                       **{"aria-label": gettext("Andel af forskellen: {andele}").format(andele=", ".join(
                           f"{names[v]} {fmt.percent(share.get(v, 0))}" for v in names))})
        pair = {kode: navn, member["kode"]: member["navn"]}
        stand_ins = [gettext("{forhold} mangler for {kommuner} ({imputeret}): {andel} af forskellen").format(
                         forhold=names[v], kommuner=_liste(n for c, n in pair.items() if (c, v) in imputed),
                         imputeret=gettext(IMPUTERET), andel=_pct(share.get(v, 0)))
                     for v in names if any((c, v) in imputed for c in pair)]
        detail = html.Details([html.Summary(gettext("Se værdierne")),
                               _side_by_side(kode, navn, member, names, decimals, by_municipality, imputed)])
        remove = html.Td(dcc.Link(gettext("Fjern"), href=fjern_href[member["kode"]], className="fjern",
                                  title=gettext("Fjern {kommune} fra gruppen").format(kommune=member["navn"]))) \
            if fjern_href else html.Td()
        rows.append(html.Tr([html.Td(str(member["rang"]) if member["rang"] is not None else "–"),
                             html.Td(dcc.Link(member["navn"], href=f"/kommune/{member['kode']}")),
                             html.Td(member["regionsnavn"]),
                             html.Td([bar, *(html.P(t, className="imputeret") for t in stand_ins), detail]),
                             remove]))
    legend = html.Ul([html.Li([html.Span(className="prik", style={"background": colour[v]}), name])
                      for v, name in names.items()], className="variabel-forklaring")
    return html.Div([legend, rulle(html.Table([head, html.Tbody(rows)], className="gruppetabel"),
                                   gettext("Sammenlignelige kommuner for {kommune}").format(kommune=navn))])


def imputerede(values: pd.DataFrame) -> set[tuple[str, str]]:
    """The (code, variable) pairs of kdk.queries.sammenligning.variabler where the national mean stood in."""
    flagged = values[values["imputeret"]]
    return set(zip(flagged["kommunekode"], flagged["variabel"]))


def _side_by_side(kode: str, navn: str, member: dict, names: dict[str, str], decimals: dict[str, int],
                  values: dict[tuple[str, str], float], imputed: set[tuple[str, str]]) -> dict:
    """The kept variables' values (`names`: variable → its name) of the municipality and a member side by side, each
    at its key figure's `decimals`, or IMPUTERET where the national mean stood in; `values` by (code, variable)."""
    def cell(c: str, v: str) -> dict:
        return html.Td(gettext(IMPUTERET) if (c, v) in imputed else fmt.number(values.get((c, v)), decimals[v]))

    rows = [html.Tr([html.Th(name, scope="row"), cell(kode, v), cell(member["kode"], v)]) for v, name in names.items()]
    return html.Table([html.Thead(html.Tr([html.Th(""), html.Th(navn), html.Th(member["navn"])])),
                       html.Tbody(rows)], className="vaerditabel")


def demosaetning(model: Sequence[dict], udfald: dict) -> str | None:
    """The sentence that says the groups rest on generated demo data, when the outcome (`udfald`) or any candidate
    in `model` is demo data (their catalogue flag `demodata`); None when all are real."""
    demo = sum(bool(r["demodata"]) for r in model)
    if udfald["demodata"] and demo:
        text = gettext("Grupperne bygger på genererede demodata – ikke officiel statistik: udgiften og {demo} af {n} "
                       "strukturelle forhold er demodata.")
    elif demo:
        text = gettext("Grupperne bygger på genererede demodata – ikke officiel statistik: {demo} af {n} strukturelle "
                       "forhold er demodata.")
    elif udfald["demodata"]:
        text = gettext("Grupperne bygger på genererede demodata – ikke officiel statistik: udgiften er demodata.")
    else:
        return None
    return text.format(demo=demo, n=len(model))


def analytikere(gruppe: Sequence[dict], model: Sequence[dict], udfald: dict, aar: int, antal_kommuner: int) -> dict:
    """The expandable section for analysts: the members' distances, and the method with its coefficients,
    p-values, weights and R²."""
    head = html.Thead(html.Tr([html.Th(gettext("Rang")), html.Th(gettext("Kommune")),
                               html.Th(gettext("Afstand"),
                                       title=gettext("Vægtet afstand på de strukturelle forhold; 0 = ens"))]))
    rows = [html.Tr([html.Td(str(m["rang"]) if m["rang"] is not None else "–"), html.Td(m["navn"]),
                     html.Td(fmt.number(m["afstand"], 2))]) for m in gruppe]
    return html.Details([
        html.Summary(gettext("For analytikere")),
        html.H3(gettext("Afstande")),
        html.Table([head, html.Tbody(rows)], className="afstandstabel"),
        metodepanel(model, udfald, aar, antal_kommuner),
    ], className="analytikere")


def metodepanel(model: Sequence[dict], udfald: dict, aar: int, antal_kommuner: int) -> dict:
    """The method in plain words, and its candidates (`model`, kdk.queries.sammenligning.model) as a table."""
    r2, n = float(model[0]["r2"]), int(model[0]["n"])
    kept = [r for r in model if r["beholdt"]]
    alpha = fmt.number(ALPHA, 2)
    if model[0]["ingen_signifikante"]:
        selection = gettext("Ingen af de strukturelle forhold havde en statistisk sikker sammenhæng (p < {alpha}) "
                            "med udgiften; det stærkeste er beholdt, så grupperne skal læses med forsigtighed.")
    else:
        selection = gettext("{beholdt} af {alle} strukturelle forhold havde en statistisk sikker sammenhæng "
                            "(p < {alpha}) med udgiften og er beholdt.")
    selection = selection.format(alpha=alpha, beholdt=len(kept), alle=len(model))
    rows = [html.Tr([html.Td(variabel_navn(r)), html.Td(f"{r['kilde_aar']}"),
                     html.Td(fmt.number(r["koefficient"], 0 if abs(r["koefficient"]) >= 100 else 2)),
                     html.Td(_p(r["p_vaerdi"])), html.Td(fmt.percent(r["vaegt"]) if r["beholdt"] else "–"),
                     html.Td(gettext("Ja") if r["beholdt"] else gettext("Nej")),
                     html.Td(gettext("Demodata") if r["demodata"] else gettext("Officiel statistik"))])
            for r in model]
    headers = (gettext("Forhold"), gettext("Data fra"), gettext("Koefficient"), gettext("p-værdi"), gettext("Vægt"),
               gettext("Beholdt"), gettext("Kilde"))
    return html.Div([
        html.H3(gettext("Sådan er grupperne fundet")),
        html.P(gettext("Kommunerne sammenlignes på de strukturelle forhold (rammebetingelser), der hænger sammen med "
                       "{udfald} ({enhed}) i {aar}. Forhold, kommunen kan ændre på kort sigt, indgår ikke.").format(
            udfald=udfald["titel"].lower(), enhed=udfald["enhed"], aar=aar)),
        html.P(kilder(model)),
        html.Ol([
            html.Li(gettext("Hvert forhold standardiseres (gennemsnit 0, spredning 1) på tværs af de {antal} "
                            "kommuner; mangler en kommunes værdi, bruges landsgennemsnittet (0), og siden viser "
                            "det.").format(antal=antal_kommuner)),
            html.Li(gettext("En lineær regression (OLS) på {n} kommuner viser, hvilke forhold der betyder noget. "
                            "{udvalg}").format(n=n, udvalg=selection)),
            html.Li(gettext("Vægten er forholdets standardiserede koefficient i forhold til de øvrige beholdte; "
                            "vægtene summerer til 100 pct.")),
            html.Li(gettext("Afstanden mellem to kommuner er kvadratroden af den vægtede sum af kvadrerede forskelle. "
                            "De nærmeste er de mest sammenlignelige. At B er i A's gruppe betyder ikke, at A er i "
                            "B's.")),
        ]),
        html.P(gettext("Modellen med de beholdte forhold forklarer {andel} af forskellene mellem kommunerne (R²). "
                       "Under {graense} siger siden, at modellen forklarer lidt.").format(
            andel=fmt.percent(r2), graense=fmt.percent(R2_LAV))),
        rulle(html.Table([html.Thead(html.Tr([html.Th(h) for h in headers])),
                          html.Tbody(rows)], className="metodetabel"), gettext("Strukturelle forhold i modellen")),
    ], className="metode")


def _p(p: float) -> str:
    return f"< {fmt.number(0.001, 3)}" if p < 0.001 else fmt.number(p, 3)


MATRICE_RAEKKE_PX = 15   # a row of the matrix: room for its 11 px label
# The matrix in the presentation view: one screen (its card, with the Diagram | Tabel switch, fits 720 px), margins
# for its titles and its labels at 18 px, and a label no nearer the next than MATRICE_LABEL_PX.
MATRICE_PRAESENTATION = {"height": 620, "margin": {"l": 210, "r": 30, "t": 110, "b": 160}}
MATRICE_LABEL_PX = PRAESENTATION_PX + 8


def matrice_figur(matrix: pd.DataFrame, kommuner: pd.DataFrame, kode: str, sorter: str, omraade_navn: str,
                  aar: int) -> dict:
    """Ranks of all municipalities against all, as a heatmap; rows = municipality, columns = compared one, both in
    the order `sorter` (kdk.queries.matrice.orden, as the matrix's downloads have them). Every
    row is labelled at 11 px, each MATRICE_RAEKKE_PX tall; the columns' labels are thinned where they would
    overlap (the hover names both). In the presentation view the matrix is one screen (MATRICE_PRAESENTATION), its
    labels thinned to every n-th and the highlighted municipality (`_faa_maerker`)."""
    codes = orden(kommuner, sorter)
    names = kommuner.set_index("kommunekode")["navn"]
    wide = matrix.pivot(index="kommunekode", columns="sammenligningskode", values="rang").reindex(
        index=codes, columns=codes)
    labels = [names[c] for c in codes]
    i = codes.index(kode)
    heatmap = {"type": "heatmap", "z": [values(row) for row in wide.to_numpy().tolist()], "x": labels, "y": labels,
               "colorscale": [[0, farver.KOMMUNE_FARVE], [0.1, farver.REGION_FARVE], [0.35, "#dbe7f2"], [1, "#ffffff"]],
               "zmin": 1, "zmax": len(codes) - 1, "colorbar": {"title": {"text": gettext("Rang")}, "thickness": 12},
               "hovertemplate": gettext("%{y} → %{x}: nr. %{z}") + "<extra></extra>", "xgap": 0, "ygap": 0}
    outline = {"color": farver.DAARLIGERE_FARVE, "width": 1.5}
    marks = [{"type": "rect", "xref": "x", "yref": "paper", "x0": i - 0.5, "x1": i + 0.5, "y0": 0, "y1": 1,
              "line": outline},
             {"type": "rect", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": i - 0.5, "y1": i + 0.5,
              "line": outline}]
    figure = {"data": [heatmap], "layout": {
        "title": {"text": gettext("Sammenligningsmatrice: {omraade}, {aar}").format(omraade=omraade_navn, aar=aar),
                  "subtitle": {"text": gettext("Række = kommune, kolonne = sammenlignet kommune · mørk = mest "
                                               "sammenlignelig (nr. 1) · {kommune} er fremhævet").format(
                                                   kommune=names[kode])}, "x": 0},
        "separators": plotly_separators(), "font": {"family": FONT, "size": 11},
        "height": max(900, MATRICE_RAEKKE_PX * len(codes) + 80 + 140),
        "margin": {"l": 130, "r": 20, "t": 80, "b": 140}, "plot_bgcolor": "white", "shapes": marks,
        "xaxis": {"tickangle": -60, "tickfont": {"size": 11}, "side": "bottom", "automargin": True},
        "yaxis": {"autorange": "reversed", "tickfont": {"size": 11}, "tickmode": "linear", "dtick": 1,
                  "automargin": True}}}
    ticks = _faa_maerker(labels, i)
    return i_praesentation(figure, {**MATRICE_PRAESENTATION, "xaxis": ticks, "yaxis": ticks})


def _faa_maerker(labels: list[str], i: int) -> dict:
    """An axis of the matrix in the presentation view, where its rows are too thin for every label at 18 px: every
    n-th municipality named, so that the labels are MATRICE_LABEL_PX apart, and the highlighted one (`i`) always,
    in bold, with the others near it left out."""
    layout = MATRICE_PRAESENTATION
    row_px = (layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]) / len(labels)
    n = max(1, math.ceil(MATRICE_LABEL_PX / row_px))
    shown = sorted({i, *(j for j in range(0, len(labels), n) if abs(j - i) >= n)})
    return {"tickmode": "array", "tickvals": [labels[j] for j in shown],
            "ticktext": [f"<b>{labels[j]}</b>" if j == i else labels[j] for j in shown]}
