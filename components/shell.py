"""The frame around every page: header with the search for municipalities and key figures and the navigation,
footer with sources, the foot of every printed page, and the texts the browser scripts show, all in the page's
language."""
from __future__ import annotations

from components.light import dcc, html
from components.vaelgere import soeg_options
from kdk import format as fmt
from kdk import sprog
from kdk.auth.rettigheder import Tilladelser
from kdk.marts.katalog import DEMO
from kdk.sprog import N_, gettext, pgettext

# The header's sections are named by the page registry (`name`), in Danish; here in the page's language (a page's
# own title and texts are its module's). The section "Nøgletal" is plural, "Key figures", where a column or a picker
# of that name is "Key figure" (kdk.sprog.pgettext).
SEKTIONER = {
    "Forside": lambda: gettext("Forside"),
    "Sammenligning": lambda: gettext("Sammenligning"),
    "Nøgletal": lambda: pgettext("flertal", "Nøgletal"),
    "Temaer": lambda: gettext("Temaer"),
    "Datastatus": lambda: gettext("Datastatus"),
    "Excel / Power BI": lambda: gettext("Excel / Power BI"),
    "Tabel": lambda: gettext("Tabel"),
}

# What the scripts in assets/ show, by the name they ask for (window.kdkSprog.tekst, assets/sprog.js: a data-
# attribute of `skripttekster`, its name in camelCase there).
SKRIPTTEKSTER = {
    "min-kommune": N_("Min kommune"),
    "min-kommune-navn": N_("Min kommune: {navn}"),
    "adresse-kopieret": N_("Adressen er kopieret"),
    "adresse-markeret": N_("Adressen er markeret i feltet: kopiér den med Ctrl+C"),
    "kode-kopieret": N_("Koden til indlejring er kopieret"),
    "kode-markeret": N_("Koden er markeret i feltet: kopiér den med Ctrl+C"),
    "ikke-offentligt": N_("Diagrammet kan ikke indlejres: det er ikke offentligt"),
    "ikke-nu": N_("Diagrammet kan ikke indlejres lige nu: prøv igen"),
    "indlejr-felt": N_("Kode til at indlejre diagrammet på en anden hjemmeside"),
    "indlejr-overskrift": N_("Indlejr et diagram på en anden hjemmeside"),
    "art-udvikling": N_("Udviklingen over tid"),
    "art-rangering": N_("Alle kommuner (rangering)"),
    "art-kort": N_("Kort"),
    "del-siden": N_("Del siden"),
    "luk": N_("Luk"),
    "sidens-adresse": N_("Sidens adresse"),
    "noegletal": N_("Nøgletal"),
    "diagram": N_("Diagram"),
    "henter-tabel": N_("Henter tabellen …"),
    "tabel-fejl": N_("Tabellen kunne ikke hentes."),
    "proev-igen": N_("Prøv igen om lidt."),
    "sorteret-stigende": N_("Sorteret stigende; klik for at sortere faldende"),
    "sorteret-faldende": N_("Sorteret faldende; klik for at sortere stigende"),
}


def skripttekster() -> dict:
    """The scripts' texts (SKRIPTTEKSTER) in the page's language, on a hidden element in the header: the shell is
    drawn per language (web/rendercache.py), the scripts are the same files for both."""
    return html.Div(id="skripttekster", hidden=True,
                    **{f"data-{navn}": gettext(tekst) for navn, tekst in SKRIPTTEKSTER.items()})


def konto(person: Tilladelser) -> dict:
    """Sign in, or the signed-in user's links, those their permissions open (`person` answers the questions of
    kdk.auth.rettigheder; plain links: these pages live outside Dash). 'Log ud' opens /logout, whose button logs
    out: the shell is kept per user, not per session, so it cannot hold the session's CSRF token."""
    if not person.brugernavn:
        return html.Div(html.A(gettext("Log ind"), href="/login", className="nav-link"), className="konto")
    links = [html.Span(person.brugernavn, className="konto-navn")]
    if person.kan_publicere:
        links.append(html.A(gettext("Publicering"), href="/publicering", className="nav-link"))
    if person.kan_vaere_vaert:   # assets/foelg.js adds the running session's code
        links.append(html.A(gettext("Følg mig"), href="/foelg", className="nav-link foelg-mig"))
    if person.administrerer_brugere:
        links.append(html.A(gettext("Brugere"), href="/admin/brugere", className="nav-link"))
    links += [html.A(gettext("API-nøgler"), href="/konto/tokens", className="nav-link"),
              html.A(gettext("Log ud"), href="/logout", className="nav-link")]
    return html.Div(links, className="konto")


def header(kommuner: list[dict], nav: list[dict], account: dict | None = None, noegletal: list[dict] = ()) -> dict:
    """`kommuner`: dicts with kommunekode/navn; `nav`: dicts with name/path from the page registry, and the paths
    that begin the section's other pages (`undersider`, such as "/tema/" for Temaer); `noegletal`: the key figures
    the viewer may see (dicts with noegletal_id/titel), which the picker finds beside the municipalities (the shell is
    kept per viewer, web/rendercache.py, so no one else gets this list). The visitor's own municipality ("min
    kommune") is kept in the browser's local storage by the `min-kommune` Store and shown as a link by
    assets/minkommune.js: the same header for every visitor."""
    options = soeg_options(kommuner, noegletal)
    return html.Header([
        html.A([html.Span("Kend din kommune", className="logo-navn"),
                html.Span(gettext("Nøgletal for Danmarks {antal} kommuner").format(antal=len(kommuner)),
                          className="logo-under")],
               href="/", className="logo"),
        html.Div([
            html.Label(gettext("Find kommune eller nøgletal"), htmlFor="kommunevaelger", className="visually-hidden"),
            dcc.Dropdown(id="kommunevaelger", options=options, placeholder=gettext("Find kommune eller nøgletal …"),
                         clearable=False, searchable=True, className="kommunevaelger"),
        ], className="vaelger", role="search"),
        # On a narrow screen the links fold into a menu the button opens (assets/menu.js).
        html.Button(gettext("Menu"), type="button", className="menu-knap", **{"aria-expanded": "false",
                                                                       "aria-controls": "hovedmenu"}),
        html.Div([
            # The visitor's own municipality, kept in this browser only (assets/minkommune.js fills it in).
            dcc.Store(id="min-kommune", storage_type="local"),
            html.Div(dcc.Link(id="min-kommune-link", href="/", className="nav-link", title=gettext("Min kommune")),
                     id="min-kommune-hoved", className="min-kommune-hoved", hidden=True),
            # The current section's link is marked in the browser, also after Dash's navigation (assets/navigation.js).
            dcc.Store(id="hovednav-sektioner", data={p["path"]: [p["path"], *p.get("undersider", ())] for p in nav}),
            html.Nav([dcc.Link(SEKTIONER[p["name"]](), href=p["path"], className="nav-link",
                               id={"type": "hovednav", "sti": p["path"]}) for p in nav],
                     className="hovednav", **{"aria-label": gettext("Hovednavigation")}),
            # Opens the page shown in the presentation view (assets/praesentation.js, components/praesentation.py).
            html.Button(gettext("Præsentation"), type="button", className="praesentation-knap",
                        title=gettext("Vis siden i præsentationsvisning: stor skrift, ét afsnit ad gangen")),
            # Copies the page's address and offers its charts to embed (assets/deling.js), said in the live region.
            html.Button(gettext("Del"), type="button", className="del-knap", title=gettext("Kopiér sidens adresse"),
                        **{"aria-expanded": "false"}),
            html.Span(className="del-besked", role="status", **{"aria-live": "polite"}),
            sprogskift(),
            account,
        ], id="hovedmenu", className="hovedmenu"),
        skripttekster(),
    ], className="topbar")


def sprogskift() -> dict:
    """The link to this page in the other language (assets/sprog.js makes its address from the browser's; without
    script it opens the other language's front page), named in that language; where the header is crowded it shows
    the language's code instead (assets/sprog.css), which a screen reader skips for the name."""
    other = sprog.ENGELSK if sprog.aktivt() == sprog.DANSK else sprog.DANSK
    return html.A([html.Span(sprog.NAVNE[other], className="sprog-navn"),
                   html.Span(other.upper(), className="sprog-kode", **{"aria-hidden": "true"})],
                  href=sprog.adresse("/", other), hrefLang=other, lang=other,
                  className="nav-link sprogskift",
                  title=sprog.gettext("Se siden på engelsk") if other == sprog.ENGELSK
                  else sprog.gettext("Se siden på dansk"))


def footer(kilder: list[dict], release: dict) -> dict:
    """The footer: every real source's attribution (kilder.toml), linked to the source's site where it has one, and
    the release shown."""
    attributions = [html.Li(html.A(k["attribution"], href=k["url"]) if k["url"] else k["attribution"])
                    for k in kilder if k["id"] != DEMO]
    return html.Footer([
        html.Div([
            html.H2(gettext("Kilder"), className="fod-titel"),
            html.Ul(attributions, className="kilder"),
            html.P(gettext("Nøgletal markeret «Demodata» er genererede demonstrationsdata og ikke officiel statistik. "
                           "Små tal er diskretioneret (vises som –).")),
            html.P(html.A(gettext("Data til Excel, Power BI og andre værktøjer: API-dokumentation"),
                          href="/api/dokumentation")),
        ]),
        html.P(gettext("Dataudtræk {dato} · release {release}").format(
            dato=fmt.short_date(release["udtraeksdato"]), release=release["release_id"]),
               className="release"),
    ], className="sidefod")


def udskriftsfod(release: dict) -> dict:
    """The foot of every printed page (assets/print.css; hidden on screen): source (the footer's list of sources ends
    the printout), release, extraction date and the page's address, which assets/print.js fills in from the browser's
    location when printing starts (one shell serves every page: Dash changes the address without a request)."""
    return html.P([
        gettext("Kilde: Kend din kommune; nøgletallenes kilder står i kildelisten sidst i udskriften · "
                "Release {release} · Dataudtræk {dato} · ").format(release=release["release_id"],
                                                                  dato=fmt.short_date(release["udtraeksdato"])),
        html.Span(className="adresse"),
    ], className="udskriftsfod")


def fejlside(titel: str, tekst: str, kode: int = 404, forslag: tuple[tuple[str, str], ...] = ()) -> dict:
    """An error page in the active language with a way back and links to the pages `forslag` suggests, (text,
    address) pairs (the HTTP status is set by the request guard)."""
    return html.Section([
        html.Div(str(kode), className="fejlkode"),   # a large label above the heading, not a paragraph
        html.H1(titel),
        html.P(tekst),
        html.Ul([html.Li(dcc.Link(text, href=href)) for text, href in forslag], className="forslag")
        if forslag else None,
        html.P([dcc.Link(gettext("Gå til forsiden"), href="/"), gettext(" eller find en kommune i feltet øverst.")]),
    ], className="fejlside")
