"""Components of the comparison page: the group table with the "why", the method panel, the matrix."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from components import farver
from components.charts import FONT, values
from components.light import dcc, html
from kdk import format as fmt
from kdk.format import PLOTLY_SEPARATORS

VARIABEL_FARVER = ["#1b6aa5", "#e49b0f", "#5a9e6f", "#a05195", "#d45087", "#6d7f8c", "#2f4b7c", "#a3a500"]


def variabel_navn(row) -> str:
    return f"{row['titel']} (log)" if row.get("transformation") == "log" else row["titel"]


def gruppetabel(kode: str, navn: str, gruppe: Sequence[dict], shares: pd.DataFrame, values: pd.DataFrame,
                model: Sequence[dict], fjern_href: dict[str, str] | None = None) -> dict:
    """One row per member of `gruppe` (kdk.queries.sammenligning.gruppe): rank, name, region, distance, and why
    (`shares`: each kept variable's share of the distance, a row per member; and the two municipalities' values
    side by side, from `values`, kdk.queries.sammenligning.variabler). `model`: the method's candidates."""
    kept = [r for r in model if r["beholdt"]]
    colour = {r["variabel"]: VARIABEL_FARVER[i % len(VARIABEL_FARVER)] for i, r in enumerate(kept)}
    names = {r["variabel"]: variabel_navn(r) for r in kept}
    decimals = {r["variabel"]: int(r["decimaler"]) for r in kept}
    by_municipality = dict(zip(zip(values["kommunekode"], values["variabel"]), values["vaerdi"]))
    share_of = shares.to_dict("index")
    head = html.Thead(html.Tr([html.Th("Rang"), html.Th("Kommune"), html.Th("Region"),
                               html.Th("Afstand", title="Vægtet afstand på de strukturelle forhold; 0 = ens"),
                               html.Th("Hvor forskellen ligger", title="Hvert forholds andel af afstanden"),
                               html.Th("")]))
    rows = []
    for member in gruppe:
        share = share_of.get(member["kode"], {})
        bar = html.Div([html.Span(style={"width": f"{100 * share.get(v, 0):.1f}%", "background": colour[v]},
                                  title=f"{names[v]}: {fmt.percent(share.get(v, 0))} af afstanden")
                        for v in names], className="andelsbjaelke", role="img",
                       **{"aria-label": "Andel af afstanden: " + ", ".join(
                           f"{names[v]} {fmt.percent(share.get(v, 0))}" for v in names)})
        detail = html.Details([html.Summary("Se værdierne"), _side_by_side(kode, navn, member, names,
                                                                           decimals, by_municipality)])
        remove = html.Td(dcc.Link("Fjern", href=fjern_href[member["kode"]], className="fjern",
                                  title=f"Fjern {member['navn']} fra gruppen")) if fjern_href else html.Td()
        rows.append(html.Tr([html.Td(str(member["rang"]) if member["rang"] is not None else "–"),
                             html.Td(dcc.Link(member["navn"], href=f"/kommune/{member['kode']}")),
                             html.Td(member["regionsnavn"]), html.Td(fmt.number(member["afstand"], 2)),
                             html.Td([bar, detail]), remove]))
    legend = html.Ul([html.Li([html.Span(className="prik", style={"background": colour[v]}), name])
                      for v, name in names.items()], className="variabel-forklaring")
    return html.Div([legend, html.Table([head, html.Tbody(rows)], className="gruppetabel")])


def _side_by_side(kode: str, navn: str, member: dict, names: dict[str, str], decimals: dict[str, int],
                  values: dict[tuple[str, str], float]) -> dict:
    """The kept variables' values (`names`: variable → its name) of the municipality and a member side by side, each
    at its key figure's `decimals`; `values` by (code, variable)."""
    rows = [html.Tr([html.Th(name, scope="row"), html.Td(fmt.number(values.get((kode, v)), decimals[v])),
                     html.Td(fmt.number(values.get((member["kode"], v)), decimals[v]))]) for v, name in names.items()]
    return html.Table([html.Thead(html.Tr([html.Th(""), html.Th(navn), html.Th(member["navn"])])),
                       html.Tbody(rows)], className="vaerditabel")


def demosaetning(model: Sequence[dict], udfald: dict) -> str | None:
    """The sentence that says the groups rest on generated demo data, when the outcome (`udfald`) or any candidate
    in `model` is demo data (their catalogue flag `demodata`); None when all are real."""
    demo = sum(bool(r["demodata"]) for r in model)
    parts = (["udgiften"] if udfald["demodata"] else []) + ([f"{demo} af {len(model)} strukturelle forhold"] if demo
                                                           else [])
    if not parts:
        return None
    return f"Grupperne bygger på genererede demodata – ikke officiel statistik: {' og '.join(parts)} er demodata."


def metodepanel(model: Sequence[dict], udfald: dict, aar: int, antal_kommuner: int) -> dict:
    """The method in plain Danish, and its candidates (`model`, kdk.queries.sammenligning.model) as a table; it
    opens with `demosaetning` where the groups rest on generated demo data."""
    r2, n = float(model[0]["r2"]), int(model[0]["n"])
    kept = [r for r in model if r["beholdt"]]
    if model[0]["ingen_signifikante"]:
        selection = ("Ingen af de strukturelle forhold havde en statistisk sikker sammenhæng (p < 0,05) med "
                     "udgiften; det stærkeste er beholdt, så grupperne skal læses med forsigtighed.")
    else:
        selection = (f"{len(kept)} af {len(model)} strukturelle forhold havde en statistisk sikker sammenhæng "
                     f"(p < 0,05) med udgiften og er beholdt.")
    rows = [html.Tr([html.Td(variabel_navn(r)), html.Td(f"{r['kilde_aar']}"),
                     html.Td(fmt.number(r["koefficient"], 0 if abs(r["koefficient"]) >= 100 else 2)),
                     html.Td(_p(r["p_vaerdi"])), html.Td(fmt.percent(r["vaegt"]) if r["beholdt"] else "–"),
                     html.Td("Ja" if r["beholdt"] else "Nej")]) for r in model]
    demo = demosaetning(model, udfald)
    return html.Details([
        html.Summary("Sådan er grupperne fundet"),
        html.P(demo) if demo else None,
        html.P(f"Kommunerne sammenlignes på de strukturelle forhold (rammebetingelser), der hænger sammen med "
               f"{udfald['titel'].lower()} ({udfald['enhed']}) i {aar}. Forhold, kommunen kan ændre på kort sigt, "
               f"indgår ikke."),
        html.Ol([
            html.Li(f"Hvert forhold standardiseres (gennemsnit 0, spredning 1) på tværs af de {antal_kommuner} "
                    "kommuner."),
            html.Li(f"En lineær regression (OLS) på {n} kommuner viser, hvilke forhold der betyder noget. "
                    + selection),
            html.Li("Vægten er forholdets standardiserede koefficient i forhold til de øvrige beholdte; "
                    "vægtene summerer til 100 %."),
            html.Li("Afstanden mellem to kommuner er kvadratroden af den vægtede sum af kvadrerede forskelle. "
                    "De nærmeste er de mest sammenlignelige. At B er i A's gruppe betyder ikke, at A er i B's."),
        ]),
        html.P(f"Modellen med de beholdte forhold forklarer {fmt.percent(r2)} af forskellene mellem kommunerne "
               f"(R²)."),
        html.Table([html.Thead(html.Tr([html.Th(h) for h in ("Forhold", "Data fra", "Koefficient", "p-værdi",
                                                            "Vægt", "Beholdt")])),
                    html.Tbody(rows)], className="metodetabel"),
    ], className="metode", open=True)


def _p(p: float) -> str:
    return "< 0,001" if p < 0.001 else fmt.number(p, 3)


def matrice_figur(matrix: pd.DataFrame, kommuner: pd.DataFrame, kode: str, sorter: str, omraade_navn: str,
                  aar: int) -> dict:
    """Ranks of all municipalities against all, as a heatmap; rows = municipality, columns = compared one."""
    order = kommuner.sort_values(["regionskode", "navn"] if sorter == "region" else ["navn"])
    codes = order["kommunekode"].tolist()
    names = order.set_index("kommunekode")["navn"]
    wide = matrix.pivot(index="kommunekode", columns="sammenligningskode", values="rang").reindex(
        index=codes, columns=codes)
    labels = [names[c] for c in codes]
    i = codes.index(kode)
    heatmap = {"type": "heatmap", "z": [values(row) for row in wide.to_numpy().tolist()], "x": labels, "y": labels,
               "colorscale": [[0, farver.KOMMUNE_FARVE], [0.1, farver.REGION_FARVE], [0.35, "#dbe7f2"], [1, "#ffffff"]],
               "zmin": 1, "zmax": len(codes) - 1, "colorbar": {"title": {"text": "Rang"}, "thickness": 12},
               "hovertemplate": "%{y} → %{x}: nr. %{z}<extra></extra>", "xgap": 0, "ygap": 0}
    outline = {"color": farver.DAARLIGERE_FARVE, "width": 1.5}
    marks = [{"type": "rect", "xref": "x", "yref": "paper", "x0": i - 0.5, "x1": i + 0.5, "y0": 0, "y1": 1,
              "line": outline},
             {"type": "rect", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": i - 0.5, "y1": i + 0.5,
              "line": outline}]
    return {"data": [heatmap], "layout": {
        "title": {"text": f"Sammenligningsmatrice: {omraade_navn}, {aar}",
                  "subtitle": {"text": "Række = kommune, kolonne = sammenlignet kommune; mørk = mest sammenlignelig "
                                       f"(nr. 1). {names[kode]} er fremhævet."}, "x": 0},
        "separators": PLOTLY_SEPARATORS, "font": {"family": FONT, "size": 11}, "height": max(900, 9 * len(codes) + 210),
        "margin": {"l": 130, "r": 20, "t": 80, "b": 130}, "plot_bgcolor": "white", "shapes": marks,
        "xaxis": {"tickangle": -60, "tickfont": {"size": 8}, "side": "bottom"},
        "yaxis": {"autorange": "reversed", "tickfont": {"size": 8}}}}
