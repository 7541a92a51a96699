"""/datastatus: can we trust the data? The answer per data area, and the public face of the ingest's validation.

Top: a short answer (last update, demo share, coverage, the last validation), the real and generated key figures
per data area with a total row and the sources of real data (attribution, licence, extraction date), the latest
release with the release history, the findings of the last validation, the disclosure audit summed over the key
figures the viewer may see (worded as the validation report words it, kdk.marts.protection.opsummering), and the
revisions of published values per key figure with the publisher's reason (kdk.marts.revision). Then one section per
data area (`id=<area code>`, so `/datastatus#skole` opens it): sources with attribution, coverage, demo share and
each figure's latest period, marked "Revideret" when a release revised it (the first NOEGLETAL_GRAENSE figures,
and a link to the area in the catalogue).
No query parameters; reads kdk.queries.datastatus (the data) and writes with components.datastatus (dates, shares,
tables and tiles): this module is the layout only.
"""
from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, clientside_callback

from components import datastatus as vis
from components.light import dcc, html
from components.maerke import andelsmaerke, demomaerke, maerke
from kdk import format as fmt
from kdk import periods
from kdk.marts import protection, revision
from kdk.marts.findings import besked_vist
from kdk.marts.releases import beskrivelse_vist
from kdk.queries import datastatus as statusdata
from kdk.queries.scope import Scope
from kdk.sprog import N_, gettext, pgettext
from web.guard import Problem
from web.rendercache import Keep

FUND_GRAENSE = 50       # findings listed; the rest are counted ("og N flere")
AABEN_GRAENSE = 10      # the list is open when it has at most this many findings
HISTORIK_GRAENSE = 20   # releases in the history table
NOEGLETAL_GRAENSE = 25  # key figures listed per area; the catalogue lists them all
HISTORIK_KOLONNER = (N_("Løbenr."), N_("Release"), N_("Dataudtræk"), N_("Beskrivelse"), N_("Fil"), N_("Fund"))
FUND_KOLONNER = (N_("Niveau"), N_("Regel"), N_("Fil"), N_("Linje"), N_("Kolonne"), N_("Nøgletal"), N_("Besked"))
NOEGLETAL_KOLONNER = (N_("Nøgletal"), N_("Opgøres"), N_("Perioder med tal"), N_("Seneste periode"), N_("Dækning"),
                      N_("Diskretioneret"), N_("Mangler"))

REGLER = {   # the rules' names and meanings, shown with gettext
    "manglende_kommuner": (N_("Kommuner mangler"), N_("En eller flere kommuner har ingen værdi i en periode.")),
    "spring": (N_("Stort spring"),
               N_("Værdien ændrer sig mere fra forrige periode, end nøgletallets grænse tillader.")),
    "ukendt_kommune": (N_("Ukendt kommune"), N_("Kommunen findes ikke.")),
    "ukendt_noegletal": (N_("Ukendt nøgletal"), N_("Nøgletallet findes ikke i kataloget.")),
    "ugyldig_periode": (N_("Ugyldig periode"), N_("Perioden kan ikke læses.")),
    "periodicitet": (N_("Forkert periodicitet"), N_("Perioden passer ikke til nøgletallets periodicitet.")),
    "ikke_tal": (N_("Ikke et tal"), N_("Værdien er ikke et tal.")),
    "dublet": (N_("Dublet"), N_("Samme nøgletal, kommune og periode står flere gange.")),
    "uden_for_interval": (N_("Uden for intervallet"), N_("Værdien ligger uden for nøgletallets plausible interval.")),
    "revision": (N_("Revideret"),
                 N_("Indlæsningen ændrer offentliggjorte tal; beskeden giver begrundelsen og omfanget.")),
    "kvote_naevner_beholdt": (N_("Nævner beholdt"),
                              N_("En brøk er indlæst uden tæller og nævner: nævneren er den senest offentliggjorte, og "
                                 "hele landet og regionerne er genberegnet med den.")),
    "engelsk": (N_("Engelsk tekst mangler"),
                N_("Kataloget mangler den engelske udgave af en tekst; den engelske side viser den danske tekst "
                   "markeret [da].")),
}
NIVEAUER = {"fejl": N_("Fejl"), "advarsel": N_("Advarsel")}
PERIODICITET = {"aar": N_("årlig"), "kvartal": N_("kvartalsvis"), "maaned": N_("månedlig"),
                "femaar": N_("rullende femårsperioder")}


def _regel(regel: str) -> tuple[str, str]:
    """A rule's name and meaning in the active language (an unknown rule: its id, no meaning)."""
    navn, betydning = REGLER.get(regel, (regel, ""))
    return (gettext(navn) if regel in REGLER else regel), (gettext(betydning) if betydning else "")


def _niveau(niveau: str) -> str:
    return gettext(NIVEAUER[niveau]) if niveau in NIVEAUER else niveau


def validate(**_) -> Problem | None:
    """No query parameters are needed; any given are ignored."""
    return None


TITEL = N_("Datastatus – Kend din kommune")
BESKRIVELSE = N_("Kan vi stole på tallene? Kilder, dækning, demodata og den seneste validering.")
dash.register_page(__name__, path="/datastatus", name=N_("Datastatus"), order=4, nav=True,
                   title=lambda **_: gettext(TITEL), description=lambda **_: gettext(BESKRIVELSE),
                   validate=validate, keep=Keep())

# `/datastatus#skole`: the page arrives after the browser looked for the anchor, so scroll to it once rendered.
clientside_callback(
    """function(id) {
        const hash = decodeURIComponent(window.location.hash.slice(1));
        const target = hash && document.getElementById(hash);
        if (target) { target.scrollIntoView(); }
        return window.dash_clientside.no_update;
    }""",
    Output("datastatus-anker", "data"), Input("datastatus-anker", "id"))


def layout(scope: Scope, **_):
    areas = statusdata.omraader(scope)
    figures = statusdata.daekning_pr_noegletal(scope)
    history = statusdata.releases(scope)
    summary = statusdata.fund_opsummering(scope)
    revisions = statusdata.revisioner(scope)
    return html.Div([
        dcc.Store(id="datastatus-anker"),
        html.Header([
            html.P(gettext("Datastatus"), className="overtitel"),
            html.H1(gettext("Kan vi stole på tallene?")),
            html.P(gettext("Her kan du se, hvor tallene kommer fra, hvor stor en del der er demodata, hvor "
                           "fuldstændige de er, og hvad kontrollen fandt, da de blev indlæst – samlet og for hvert "
                           "dataområde."), className="ds-ingress"),
        ], className="ds-hoved"),
        _answer(areas, statusdata.overblik(scope), history, summary),
        _real_and_generated(areas, statusdata.rigtige_kilder(scope)),
        _release(history),
        _validation(history, summary, statusdata.fund(scope, FUND_GRAENSE), statusdata.build_fund(scope)),
        _disclosure(statusdata.diskretion(scope)),
        _revisions(revisions),
        _areas(areas, figures, statusdata.kilder(scope), statusdata.fund_pr_omraade(scope), revisions),
    ], className="datastatus")


# --- sections ------------------------------------------------------------------------------------------------------

def _answer(areas: pd.DataFrame, overblik: dict, history: pd.DataFrame, summary: pd.DataFrame):
    latest = history.iloc[0] if len(history) else None
    total, demo = overblik["antal"], overblik["demo"]
    real = total - demo
    cells, with_value = overblik["celler"], overblik["med_vaerdi"]
    suppressed, missing = overblik["diskretioneret"], overblik["mangler"]
    fejl, advarsler = overblik["fejl"], overblik["advarsel"]
    validated = summary.iloc[0] if len(summary) else None

    if demo == 0:
        verdict = gettext("Alle nøgletal kommer fra officielle kilder, og de er kontrolleret ved indlæsningen.")
    elif demo > total / 2:
        verdict = gettext("De fleste nøgletal er endnu demodata. Brug dem til at se, hvordan Kend din kommune virker "
                          "– ikke som grundlag for beslutninger. De rigtige tal er kontrolleret ved indlæsningen.")
    else:
        verdict = gettext("De fleste nøgletal kommer fra officielle kilder og er kontrolleret ved indlæsningen; "
                          "nøgletal markeret «Demodata» er genererede.")
    sentences = []
    if latest is not None:
        sentences.append(gettext("Data er sidst opdateret {dato} (release {release}, nr. {nr}).").format(
            dato=vis.date(latest["udtraeksdato"]), release=latest["release_id"],
            nr=fmt.number(latest["loebenummer"])))
    sentences.append(gettext("{andel} af nøgletallene er demodata ({demo} af {i_alt}): genererede tal til "
                             "demonstration, ikke officiel statistik.").format(
        andel=vis.share(demo, total, 0), demo=fmt.number(demo), i_alt=fmt.number(total)))
    sentences.append(gettext("{antal} nøgletal bygger på rigtige kilder.").format(antal=fmt.number(real)))
    sentences.append(gettext("{andel} af kommunernes tal findes; {diskretioneret} er diskretioneret (små tal), og "
                             "{mangler} mangler.").format(andel=vis.share(with_value, cells),
                                                         diskretioneret=fmt.number(suppressed),
                                                         mangler=fmt.number(missing)))
    if validated is not None:
        sentences.append(gettext("Den seneste kontrol med fund (release nr. {nr}) fandt {fejl} og {advarsler}.").format(
            nr=fmt.number(validated["loebenummer"]), fejl=vis.fejl(fejl), advarsler=vis.advarsler(advarsler)))
    else:
        sentences.append(gettext("Kontrollen har ikke fundet noget at bemærke."))
    tiles = html.Dl([
        vis.tile(gettext("Sidst opdateret"),
                 vis.date(latest["udtraeksdato"]) if latest is not None else fmt.SUPPRESSED,
                 gettext("Release nr. {nr}").format(nr=fmt.number(latest["loebenummer"])) if latest is not None
                 else None, "dato"),
        vis.tile(gettext("Demodata"), vis.share(demo, total, 0),
                 gettext("{demo} af {i_alt}").format(demo=fmt.number(demo), i_alt=vis.noegletal(total)),
                 "demo" if demo else "god"),
        vis.tile(gettext("Kommunetal med værdi"), vis.share(with_value, cells),
                 [vis.coverage_bar(cells, with_value, suppressed, missing),
                  gettext("{demo} af {i_alt}").format(demo=fmt.number(with_value), i_alt=fmt.number(cells))]),
        vis.tile(gettext("Seneste kontrol"), vis.fejl(fejl),
                 [vis.advarsler(advarsler), " · ", dcc.Link(gettext("se fundene"), href="#ds-validering")],
                 "fejl" if fejl else "god"),
    ], className="ds-fliser")
    return html.Section([
        html.H2(gettext("Kort svar"), id="ds-svar-titel"),
        html.P(verdict, className="ds-dom"),
        tiles,
        html.P(" ".join(sentences), className="ds-saetninger"),
        html.P([gettext("Gå til et dataområde:") + " "]
               + vis.join([dcc.Link(a.navn, href=f"#{a.kode}") for a in areas.itertuples()]),
               className="ds-genveje"),
    ], className="ds-svar", **{"aria-labelledby": "ds-svar-titel"})


def _real_and_generated(areas: pd.DataFrame, sources: pd.DataFrame) -> dict:
    """Per data area the real and the generated key figures, with a total row; then every source of real data with
    its attribution, licence, extraction date and the key figures from it."""
    rows = [[a.navn, fmt.number(a.antal - a.antal_demo), fmt.number(a.antal_demo), fmt.number(a.antal)]
            for a in areas.itertuples()]
    total, demo = int(areas["antal"].sum()), int(areas["antal_demo"].sum())
    rows.append([html.Strong(gettext("I alt")), *(html.Strong(fmt.number(n)) for n in (total - demo, demo, total))])
    items = [html.Li([
        html.Div([maerke(False), " ", html.Strong(s.navn)]),
        html.P(s.attribution),
        html.P(_licens(s.licens, s.udtraeksdato), className="ds-note"),
        html.P(f"{vis.noegletal(s.antal)}: {s.titler}." if s.antal
               else gettext("Ingen af de nøgletal, du kan se, kommer herfra."), className="ds-note"),
    ], className="ds-kilde") for s in sources.itertuples()]
    return html.Section([
        html.H2(gettext("Rigtige og genererede tal")),
        html.P(gettext("Rigtige nøgletal kommer fra officielle kilder og er indlæst og kontrolleret, som kilden har "
                       "dem. Genererede nøgletal (demodata) er lavet af Kend din kommune, så siderne kan vises, før de "
                       "rigtige tal er indlæst; de er ikke officiel statistik."), className="ds-forklaring"),
        vis.table([gettext("Dataområde"), gettext("Rigtige nøgletal"), gettext("Genererede nøgletal (demodata)"),
                   gettext("I alt")], rows,
                  gettext("Nøgletal pr. dataområde"), "ds-rigtige-tabel",
                  gettext("Rigtige og genererede nøgletal pr. dataområde")),
        html.H3(gettext("Kilder til rigtige data")),
        html.Ul(items, className="ds-kilder"),
    ], id="ds-rigtige", className="ds-afsnit")


def _licens(licens: str, udtraeksdato) -> str:
    """A source's licence and the date of its data extraction."""
    return gettext("{licens} · dataudtræk {dato}").format(licens=licens, dato=vis.date(udtraeksdato))


def _release(history: pd.DataFrame) -> dict:
    if not len(history):
        return html.Section([html.H2(gettext("Seneste release")), html.P(gettext("Der er ingen release endnu."))],
                            id="ds-release")
    latest = history.iloc[0]
    facts = [(gettext("Release"), latest["release_id"]), (gettext("Løbenummer"), fmt.number(latest["loebenummer"])),
             (gettext("Dataudtræk"), vis.date(latest["udtraeksdato"])),
             (gettext("Beskrivelse"), beskrivelse_vist(latest["beskrivelse"])),
             (gettext("Fil"), vis.file_name(latest["kilde_fil"])
              or gettext("Ingen (bygget fra de medfølgende kilder)"))]
    shown = history.head(HISTORIK_GRAENSE)
    rows = [[fmt.number(r.loebenummer), html.Code(r.release_id), vis.date(r.udtraeksdato),
             beskrivelse_vist(r.beskrivelse),
             vis.file_name(r.kilde_fil) or "–", f"{vis.fejl(r.fejl)} · {vis.advarsler(r.advarsler)}"]
            for r in shown.itertuples()]
    older = len(history) - len(shown)
    return html.Section([
        html.H2(gettext("Seneste release")),
        html.P(gettext("En release er en samlet udgave af data. Hver ny indlæsning giver en ny release med et højere "
                       "løbenummer; den nyeste er den, du ser i hele Kend din kommune."), className="ds-forklaring"),
        html.Dl([html.Div([html.Dt(k), html.Dd(v)]) for k, v in facts], className="fakta ds-release-fakta"),
        html.H3(gettext("Releasehistorik")),
        vis.table([gettext(h) for h in HISTORIK_KOLONNER], rows,
                  gettext("De nyeste {antal} releases").format(antal=fmt.number(len(shown))) if older
                  else gettext("Alle releases, nyeste først"), "ds-historik", gettext("Releasehistorik")),
        html.P(gettext("og {antal} ældre").format(antal=fmt.number(older)), className="ds-flere") if older else None,
    ], id="ds-release", className="ds-afsnit")


def _validation(history: pd.DataFrame, summary: pd.DataFrame, findings: pd.DataFrame, build: pd.DataFrame):
    explain = html.P([
        gettext("Hver fil kontrolleres, før den indlæses: kendte kommuner og nøgletal, gyldige perioder, tal, "
                "dubletter og plausible intervaller.") + " ",
        html.Strong(gettext("Fejl stopper en indlæsning; advarsler vises her.")),
        " " + gettext("Data med fejl når derfor aldrig frem til Kend din kommune. En advarsel betyder, at tallet er "
                      "indlæst, men bør ses efter: en kommune mangler, eller en værdi har ændret sig meget siden "
                      "forrige periode."),
    ], className="ds-forklaring")
    build_levels = statusdata.antal_pr_niveau(build)
    build_text = html.P(
        gettext("Ved opbygningen af data (release nr. 1) fandt kontrollen i alt {fejl} og {advarsler}.").format(
            fejl=vis.fejl(build_levels["fejl"]), advarsler=vis.advarsler(build_levels["advarsel"])),
        className="ds-build")
    if not len(summary):
        return html.Section([html.H2(gettext("Seneste validering")), explain,
                             html.P(gettext("Kontrollen har ikke fundet noget at bemærke.")), build_text],
                            id="ds-validering", className="ds-afsnit")
    first = summary.iloc[0]
    release = history.set_index("release_id").loc[first["release_id"]]
    total = int(summary["antal"].sum())
    origin = [gettext("Fundene er fra release {release} (nr. {nr}, dataudtræk {dato}): {beskrivelse}.").format(
        release=first["release_id"], nr=fmt.number(first["loebenummer"]), dato=vis.date(release["udtraeksdato"]),
        beskrivelse=beskrivelse_vist(release["beskrivelse"]).rstrip("."))]
    if history.iloc[0]["release_id"] != first["release_id"]:
        origin.append(" " + gettext("De nyere releases gav ingen fund."))
    rule_rows = [[_niveau(r.niveau), html.Span(_regel(r.regel)[0], title=r.regel), _regel(r.regel)[1],
                  fmt.number(r.antal)] for r in summary.itertuples()]
    listed = [[html.Span(_niveau(r.niveau), className=f"ds-niveau {r.niveau}"),
               html.Span(_regel(r.regel)[0], title=r.regel), html.Code(r.fil),
               fmt.number(r.linje) if pd.notna(r.linje) else "–", r.kolonne if isinstance(r.kolonne, str) else "–",
               dcc.Link(r.titel, href=f"#{r.dataomraade}") if isinstance(r.titel, str) else "–", besked_vist(r.besked)]
              for r in findings.itertuples()]
    rest = total - len(findings)
    return html.Section([
        html.H2(gettext("Seneste validering")),
        explain,
        html.P(origin),
        vis.table([gettext("Niveau"), gettext("Regel"), gettext("Hvad betyder det"), gettext("Antal")], rule_rows,
                  gettext("Fund pr. regel"), "ds-regler", gettext("Fund pr. regel")),
        html.Details([
            html.Summary(gettext("Vis de første {antal} fund med fil, linje og kolonne").format(
                antal=fmt.number(len(findings))) if rest
                else gettext("Vis alle {antal} fund med fil, linje og kolonne").format(antal=fmt.number(total))),
            vis.table([gettext(k) for k in FUND_KOLONNER], listed, None, "ds-fund",
                      gettext("Fund fra den seneste validering")),
            html.P(gettext("og {antal} flere").format(antal=fmt.number(rest)), className="ds-flere") if rest else None,
        ], open=total <= AABEN_GRAENSE, className="ds-fundliste"),
        build_text,
    ], id="ds-validering", className="ds-afsnit")


def _disclosure(audit: dict | None):
    explain = html.P(gettext(
        "Tal under 5 vises ikke (–), og heller ikke de tal, der ellers ville afsløre dem: kommuner, der kan trækkes "
        "fra en region eller hele landet, måneder, der kan trækkes fra et årsgennemsnit, og nøgletal, der bruger "
        "det samme antal. Efter hver opbygning og indlæsning revideres det: for hvert skjult antal beregnes, hvor "
        "snævert de offentliggjorte tal kan afgrænse det, og intervallet skal være mindst 3 bredt, ellers "
        "indlæses data ikke."), className="ds-forklaring")
    return html.Section([html.H2(gettext("Diskretionering")), explain,
                         html.P(protection.opsummering(**audit) if audit
                                else gettext("Disse data er bygget før revisionen af diskretioneringen."),
                                className="ds-diskretion")],
                        id="ds-diskretion", className="ds-afsnit")


def _revisions(revisions: pd.DataFrame) -> dict:
    explain = html.P(" ".join([
        gettext("En indlæsning sammenlignes med de offentliggjorte tal, før den offentliggøres."),
        revision.graense_tekst(), gettext("Reviderede tal er markeret på kommunernes sider.")]),
        className="ds-forklaring")
    rows = [[html.Span(r.titel, title=r.noegletal_id), gettext("nr. {nr}").format(nr=fmt.number(r.loebenummer)),
             vis.date(r.udtraeksdato), besked_vist(r.besked)] for r in revisions.itertuples()]
    return html.Section([
        html.H2(gettext("Revisioner")), explain,
        vis.table([gettext("Nøgletal"), gettext("Release"), gettext("Dataudtræk"), gettext("Revision")], rows,
                  gettext("Reviderede nøgletal, nyeste først"), "ds-revisionsliste") if rows
        else html.P(gettext("Ingen offentliggjorte tal er revideret.")),
    ], id="ds-revisioner", className="ds-afsnit")


def _areas(areas: pd.DataFrame, figures: pd.DataFrame, sources: pd.DataFrame, findings: pd.DataFrame,
           revisions: pd.DataFrame):
    return html.Section([
        html.Div([html.H2(gettext("Dataområder")),
        html.P(gettext("For hvert dataområde: hvor tallene kommer fra, hvor stor en del af kommunernes tal der findes, "
                       "og hvilken periode hvert nøgletal senest er opgjort for. Dækning er andelen af alle kommune × "
                       "periode-celler for områdets nøgletal, der har en værdi."), className="ds-forklaring")],
                 className="ds-afsnit"),
        *[_area(a, figures[figures["dataomraade"] == a.kode], sources[sources["dataomraade"] == a.kode],
                findings[findings["dataomraade"] == a.kode], revisions.drop_duplicates("noegletal_id"))
          for a in areas.itertuples()],
    ], id="ds-omraader", className="ds-omraader")


def _area(area, figures: pd.DataFrame, sources: pd.DataFrame, findings: pd.DataFrame,
          latest_revisions: pd.DataFrame) -> dict:
    demo, total = int(area.antal_demo), int(area.antal)
    badge = andelsmaerke(demo, total)
    warnings = statusdata.antal_pr_niveau(findings)["advarsel"]
    tiles = html.Dl([
        vis.tile(gettext("Demodata"), vis.share(demo, total, 0),
                 gettext("{demo} af {i_alt}").format(demo=fmt.number(demo), i_alt=vis.noegletal(total)),
                 "demo" if demo else "god"),
        vis.tile(gettext("Dækning"), vis.share(area.med_vaerdi, area.celler),
                 [vis.coverage_bar(int(area.celler), int(area.med_vaerdi), int(area.diskretioneret),
                                   int(area.mangler)),
                  gettext("{antal} af {i_alt} kommunetal").format(antal=fmt.number(area.med_vaerdi),
                                                                 i_alt=fmt.number(area.celler))]),
        vis.tile(gettext("Diskretioneret"), fmt.number(area.diskretioneret), gettext("små tal, der skjules")),
        vis.tile(gettext("Mangler"), fmt.number(area.mangler), gettext("kommunetal uden værdi")),
        vis.tile(gettext("Advarsler"), fmt.number(warnings), gettext("ved seneste kontrol"),
                 "advarsel" if warnings else "god"),
    ], className="ds-fliser smaa")
    revised = latest_revisions.set_index("noegletal_id")["besked"]
    rows = [[html.Span([r.titel, " ", demomaerke(r.demodata),
                        html.Span(gettext("Revideret"), className="maerke revideret",
                                  title=besked_vist(revised[r.noegletal_id]))
                        if r.noegletal_id in revised.index else None]),
             gettext(PERIODICITET[r.periodicitet]) if r.periodicitet in PERIODICITET else r.periodicitet,
             vis.period_span(r.foerste_periode, r.seneste_periode),
             html.Strong(periods.label(r.seneste_periode)) if isinstance(r.seneste_periode, str) else fmt.SUPPRESSED,
             vis.share(r.med_vaerdi, r.celler), fmt.number(r.diskretioneret), fmt.number(r.mangler)]
            for r in figures.head(NOEGLETAL_GRAENSE).itertuples()]
    rest = html.P([gettext("Viser de første {antal} af {i_alt} nøgletal.").format(
                       antal=NOEGLETAL_GRAENSE, i_alt=fmt.number(len(figures))) + " ",
                   dcc.Link(gettext("Se alle {antal} nøgletal om {omraade} i kataloget").format(
                       antal=fmt.number(len(figures)), omraade=area.navn.lower()),
                            href=f"/noegletal?omraade={area.kode}"), "."], className="ds-note") \
        if len(figures) > NOEGLETAL_GRAENSE else None
    return html.Section([
        html.Div([html.H3(area.navn), badge], className="ds-omraade-titel"),
        html.P(area.beskrivelse, className="omraade-beskrivelse"),
        tiles,
        html.H4(gettext("Kilder")),
        _sources(sources),
        html.H4(pgettext("flertal", "Nøgletal")),
        vis.table([gettext(k) for k in NOEGLETAL_KOLONNER], rows, None, "ds-noegletal",
                  gettext("Nøgletal: {omraade}").format(omraade=area.navn)),
        rest,
    ], id=area.kode, className="ds-omraade")


def _sources(sources: pd.DataFrame) -> dict:
    """An area's sources (kdk.queries.datastatus.kilder): the demo data with where the real data will come from, each
    real source with the source texts of its figures, licence, extraction date and files."""
    items = []
    for s in sources.itertuples():
        if s.demodata:
            items.append(html.Li([
                html.Div([maerke(True), " ", html.Strong(s.kilde_navn), f" · {vis.noegletal(s.antal)}"]),
                html.P(s.attribution),
                html.P([gettext("Rigtige data, når de indlæses:") + " ", "; ".join(s.rigtige_data), "."],
                       className="ds-note"),
            ], className="ds-kilde demo"))
            continue
        items.append(html.Li([
            html.Div([maerke(False), " ", html.Strong(s.kilde_navn), f" · {vis.noegletal(s.antal)}"]),
            html.P(s.attribution),
            *[html.P([gettext("Kildeangivelse på nøgletallet:") + " ", t], className="ds-note")
              for t in vis.more_than(s.attribution, s.tekster)],
            html.P(_licens(s.licens, s.kilde_udtraeksdato) + (f" · {s.filer}" if s.filer else ""),
                   className="ds-note"),
        ], className="ds-kilde"))
    return html.Ul(items, className="ds-kilder")
