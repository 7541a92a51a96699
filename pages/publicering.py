"""/publicering: the publication team's release workflow — choose a release, judge it, and build its bundle.

For the publication team only (those who `kan_publicere`, asked of web.viewer.person); anyone else gets 404 like
any unknown page. It lists every release with its embargo time (a staged release, `python -m kdk ingest …
--embargo-til`, shows as such until its time); one is chosen in the address (`?release=ID`, the newest by default;
an unknown id gets a 400). For the chosen release the page shows, as a list of sections: a checklist of
what is done for it (kdk.queries.publicering.checklist), its validation
findings, its disclosure audit per data area, the share of generated demo data (components.demoandel) and what
changed since the release before it (kdk.queries.publicering), and for a staged release a form that changes its
embargo time (posted to web/embargo.py). The bundle is built in a background thread
(kdk.export.jobs): the page shows its progress and then the download link. Starting an export is audited. The
page is drawn in the page's language (/en/publicering in English), its dates and times too; the releases' own
texts (descriptions, validation messages) are shown as they were written.
"""
from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback
from flask_wtf.csrf import generate_csrf

from components import datastatus as vis
from components.demoandel import demoadvarsel
from components.fremdrift import fremdrift
from components.light import dcc, html
from components.publikationsjob import publikationsjob
from components.shell import fejlside
from kdk import format as fmt
from kdk import periods
from kdk.auth import audit
from kdk.config import settings
from kdk.db import marts
from kdk.export import bundle, jobs
from kdk.marts.embargo import vist
from kdk.marts.findings import besked_vist
from kdk.marts.releases import beskrivelse_vist
from kdk.queries import omraader
from kdk.queries import publicering as udgivelse
from kdk.queries.scope import now
from kdk.sprog import N_, adresse, gettext, ngettext
from web import viewer
from web.guard import IKKE_FUNDET, Problem

FUND_GRAENSE = 50   # findings listed; the rest are counted
NIVEAUER = {"fejl": N_("Fejl"), "advarsel": N_("Advarsel")}   # a finding's level as the page names it


def validate(release: str | None = None, **_) -> Problem | None:
    if not viewer.person().kan_publicere:
        return IKKE_FUNDET
    if release is not None and udgivelse.release(release) is None:
        return Problem(400, gettext("Ukendt release"), gettext(
            "Der findes ingen release «{release}». Vælg en release på listen på siden Publicering.").format(
            release=release))
    return None


def title() -> str:
    """The page's title, also in the shell's meta tags: only the publication team learns that the page exists
    (anyone else gets the shell an unknown address gets)."""
    return gettext("Publicering – Kend din kommune") if viewer.person().kan_publicere else "Kend din kommune"


dash.register_page(__name__, path="/publicering", name="Publicering", order=9, nav=False, title=title,
                   validate=validate)


def layout(release: str | None = None, **_):
    problem = validate(release)
    if problem:
        return fejlside(problem.titel, problem.tekst, problem.status)
    table = udgivelse.releases()
    chosen = udgivelse.release(release or table.iloc[0]["release_id"])
    return html.Div([
        html.H1(gettext("Publicering")),
        html.P(gettext("Vælg en release, se dens validering, diskretionering, demodata og ændringerne siden den "
                       "forrige, og byg release-bundtet til KL's databank: nøgletallene som CSV i Danmarks Statistiks "
                       "format, en PX-fil pr. nøgletal og et manifest med kontrolsummer. Data under embargo kommer "
                       "med; de er stadig skjult for alle andre indtil embargotidspunktet."), className="intro"),
        _picker(table, chosen["release_id"]),
        html.H2(gettext("Release {release} (nr. {nummer})").format(release=chosen["release_id"],
                                                                   nummer=chosen["loebenummer"]),
                id="publicering-valgt"),
        _checklist(chosen["release_id"]),
        _validation(chosen["release_id"]),
        _disclosure(chosen["release_id"]),
        demoadvarsel(*bundle.demo_andel(marts(), omraader.fuld_adgang(), chosen["release_id"])),
        _changes(udgivelse.changes(chosen["release_id"])),
        _embargo_form(chosen),
        _bundle(chosen["release_id"]),
        publikationsjob(chosen["release_id"]),
    ], className="publicering")


def _picker(table: pd.DataFrame, chosen: str):
    """Every release, each a link that chooses it; the chosen one marked."""
    rows = [html.Tr([html.Td(str(r.loebenummer)),
                     html.Td(html.Strong(r.release_id) if r.release_id == chosen else
                             dcc.Link(r.release_id, href=f"/publicering?release={r.release_id}")),
                     html.Td(fmt.short_date(r.udtraeksdato)), html.Td(vist(r.embargo_til)),
                     html.Td(gettext("Under embargo") if _under_embargo(r.embargo_til) else
                             gettext("Offentliggjort")), html.Td(beskrivelse_vist(r.beskrivelse))],
                    **({"aria-current": "true", "className": "valgt"} if r.release_id == chosen else {}))
            for r in table.itertuples()]
    return html.Section([
        html.H2(gettext("Vælg release")),
        html.Table([html.Thead(html.Tr([html.Th(gettext(h), scope="col") for h in (
            N_("Nr."), N_("Release"), N_("Dataudtræk"), N_("Embargo til"), N_("Status"), N_("Beskrivelse"))])),
                    html.Tbody(rows)], className="metodetabel"),
    ], className="ds-afsnit", id="publicering-releases")


def _antal(tekst: str, antal: int) -> str:
    """`tekst` (ngettext's choice for `antal`) with the count written in the active language: '3 advarsler'."""
    return tekst.format(antal=fmt.number(antal))


def _under_embargo(embargo_til) -> bool:
    """Whether a release is not public yet: a staged one is seen only by the publication team until its time."""
    return bool(pd.notna(embargo_til) and embargo_til > now())


def _checklist(release_id: str):
    """What is done for the release; the bundle's item follows its job (reload the page when it is built)."""
    items = udgivelse.checklist(release_id, settings().export_dir)
    return html.Section([
        html.H2(gettext("Tjekliste")),
        html.Ul([html.Li([html.Span(gettext("✓ Udført: ") if done else gettext("✗ Mangler: "),
                                    className="tjek-status"), gettext(label)],
                         className="tjek udfoert" if done else "tjek mangler") for label, done in items],
                className="tjekliste"),
    ], className="ds-afsnit", id="publicering-tjekliste")


def _validation(release_id: str):
    found = udgivelse.findings(release_id)
    levels = found["niveau"].value_counts()
    errors, warnings = int(levels.get("fejl", 0)), int(levels.get("advarsel", 0))
    listed = [[gettext(NIVEAUER[r.niveau]) if r.niveau in NIVEAUER else r.niveau.capitalize(), r.regel,
               html.Code(r.fil), fmt.number(r.linje) if pd.notna(r.linje) else "–", r.noegletal_id or "–",
               besked_vist(r.besked)]
              for r in found.head(FUND_GRAENSE).itertuples()]
    rest = len(found) - len(listed)
    return html.Section([
        html.H2(gettext("Validering")),
        html.P(gettext("Kontrollen fandt {fejl} og {advarsler}.").format(
            fejl=_antal(ngettext("{antal} fejl", "{antal} fejl", errors), errors),
            advarsler=_antal(ngettext("{antal} advarsel", "{antal} advarsler", warnings), warnings))),
        html.Details([
            html.Summary((gettext("Vis de første {antal} fund") if rest else gettext("Vis {antal} fund")).format(
                antal=fmt.number(len(listed)))),
            vis.table([gettext("Niveau"), gettext("Regel"), gettext("Fil"), gettext("Linje"), gettext("Nøgletal"),
                       gettext("Besked")], listed, None, "ds-fund", gettext("Releasens valideringsfund")),
            html.P(gettext("og {antal} flere").format(antal=fmt.number(rest)), className="ds-flere")
            if rest else None,
        ], className="ds-fundliste") if listed else None,
    ], className="ds-afsnit", id="publicering-validering")


def _disclosure(release_id: str):
    audited = udgivelse.disclosure(release_id)
    if audited.empty:
        return html.Section([html.H2(gettext("Diskretionering")),
                             html.P(gettext("Releasen har ikke kørt diskretioneringen: den skjuler ingen nye "
                                            "celler."))],
                            className="ds-afsnit", id="publicering-diskretion")
    rows = [[r.omraade, fmt.number(r.noegletal), fmt.number(r.skjulte), fmt.number(r.sekundaere),
             fmt.number(r.antal)] for r in audited.itertuples()]
    cells, figures = int(audited["skjulte"].sum()), int(audited["noegletal"].sum())
    return html.Section([
        html.H2(gettext("Diskretionering")),
        html.P(gettext("{celler} er skjult i {noegletal}, heraf {sekundaere} ved sekundær diskretionering.").format(
            celler=_antal(ngettext("{antal} celle", "{antal} celler", cells), cells),
            noegletal=_antal(ngettext("{antal} nøgletal", "{antal} nøgletal", figures), figures),
            sekundaere=fmt.number(audited["sekundaere"].sum()))),
        vis.table([gettext("Dataområde"), gettext("Nøgletal"), gettext("Skjulte celler"), gettext("Heraf sekundært"),
                   gettext("Reviderede antal")], rows, gettext("Diskretionering pr. dataområde")),
    ], className="ds-afsnit", id="publicering-diskretion")


def _changes(changes: udgivelse.Changes):
    section = [html.H2(gettext("Ændringer siden forrige release"))]
    if changes.forrige is None:
        section.append(html.P(gettext("Det er den første release: der er intet at sammenligne med.")))
        return html.Section(section, className="ds-afsnit", id="publicering-aendringer")
    section.append(html.P(gettext("Sammenlignet med release {release}: {vaerdier} revideret.").format(
        release=changes.forrige,
        vaerdier=_antal(ngettext("{antal} værdi", "{antal} værdier", changes.revised), changes.revised))))
    if changes.new_periods:
        section.append(html.P(gettext("Nye perioder: {perioder}.").format(perioder="; ".join(
            f"{titel} ({', '.join(periods.label(p) for p in nye)})" for titel, nye in changes.new_periods))))
    if changes.added:
        section.append(html.P(gettext("Nye nøgletal: {titler}.").format(titler=", ".join(changes.added))))
    if changes.removed:
        section.append(html.P(gettext("Nøgletal uden værdier nu: {titler}.").format(
            titler=", ".join(changes.removed))))
    largest = changes.largest()
    if len(largest):
        section.append(vis.table(
            [gettext("Nøgletal"), gettext("Kommune"), gettext("Periode"), gettext("Før"), gettext("Nu"),
             gettext("Ændring")],
            [[r.titel, r.navn, periods.label(r.periode), fmt.number(r.old, r.decimaler),
              fmt.number(r.new, r.decimaler), fmt.change(r.new - r.old, r.decimaler, "")]
             for r in largest.itertuples()], gettext("De største revisioner"), "", gettext("Største revisioner")))
    return html.Section(section, className="ds-afsnit", id="publicering-aendringer")


def _embargo_form(release: dict):
    """The staged release's embargo time, and a form (web/embargo.py) that changes it; a published release's is
    shown only."""
    section = [html.H2(gettext("Embargo"))]
    if not _under_embargo(release["embargo_til"]):
        section.append(html.P(gettext("Releasen er offentliggjort ({tidspunkt}); dens embargotidspunkt kan ikke "
                                      "ændres.").format(tidspunkt=vist(release["embargo_til"]))))
        return html.Section(section, className="ds-afsnit", id="publicering-embargo")
    when = pd.Timestamp(release["embargo_til"])
    section += [
        html.P(gettext("Under embargo til {tidspunkt} (dansk tid). Kun publiceringsteamet ser releasen indtil "
                       "da.").format(tidspunkt=vist(when))),
        html.Form([
            dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
            dcc.Input(type="hidden", name="release", value=release["release_id"]),
            html.Label([gettext("Dato (dd.mm.åååå)") + " ",
                        dcc.Input(type="text", name="dato", value=f"{when:%d.%m.%Y}", required=True,
                                  id="embargo-dato", inputMode="numeric")]),
            html.Label([" " + gettext("Klokkeslæt (tt.mm)") + " ",
                        dcc.Input(type="text", name="tid", value=f"{when:%H.%M}", required=True, id="embargo-tid",
                                  inputMode="numeric")]),
            html.Button(gettext("Skift embargotidspunkt"), type="submit", className="knap", id="embargo-gem"),
        ], method="post", action="/publicering/embargo", className="embargoform"),
    ]
    return html.Section(section, className="ds-afsnit", id="publicering-embargo")


def _bundle(release_id: str):
    return html.Section([
        html.H2(gettext("Databank-bundt")),
        html.Button(gettext("Byg databank-bundt"), id="publicering-start", n_clicks=0, className="knap"),
        dcc.Store(id="publicering-release", data=release_id),
        dcc.Interval(id="publicering-interval", interval=1000, n_intervals=0),
        html.Div(id="publicering-status", role="status", **{"aria-live": "polite"}),
    ], className="ds-afsnit")


@callback(Output("publicering-status", "children", allow_duplicate=True), Input("publicering-start", "n_clicks"),
          State("publicering-release", "data"), prevent_initial_call=True)
def start(clicks: int | None, release_id: str | None):
    if not viewer.person().kan_publicere or not clicks or not isinstance(release_id, str):
        raise dash.exceptions.PreventUpdate
    started = jobs.start(marts(), omraader.fuld_adgang(), release_id, settings().export_dir)
    who = viewer.user().brugernavn if viewer.user() else None
    audit.log("eksport_startet", who, f"release {release_id}")
    return html.P(gettext("Eksporten er startet …") if started else gettext("Eksporten er allerede i gang."))


@callback(Output("publicering-status", "children"), Input("publicering-interval", "n_intervals"),
          State("publicering-release", "data"))
def progress(_: int | None, release_id: str | None):
    if not viewer.person().kan_publicere or not isinstance(release_id, str):
        raise dash.exceptions.PreventUpdate
    state = jobs.status(settings().export_dir, release_id)
    if state["tilstand"] == "ikke startet":
        return html.P(gettext("Bundtet er ikke bygget endnu."))
    parts = fremdrift(state, gettext("Eksportens fremdrift"))
    if state["tilstand"] == "færdig":
        parts.append(html.A(gettext("Hent {fil}").format(fil=state["fil"]), href=adresse(f"/eksport/{state['fil']}"),
                            download="", className="knap"))
    return html.Div(parts)
