"""The frame around every page: header with the search for municipalities and key figures and the navigation,
footer with sources, and the foot of every printed page."""
from __future__ import annotations

from components.light import dcc, html
from components.vaelgere import soeg_options
from kdk import sprog
from kdk.auth.rettigheder import Tilladelser
from kdk.marts.katalog import DEMO


def konto(person: Tilladelser) -> dict:
    """Sign in, or the signed-in user's links, those their permissions open (`person` answers the questions of
    kdk.auth.rettigheder; plain links: these pages live outside Dash). 'Log ud' opens /logout, whose button logs
    out: the shell is kept per user, not per session, so it cannot hold the session's CSRF token."""
    if not person.brugernavn:
        return html.Div(html.A("Log ind", href="/login", className="nav-link"), className="konto")
    links = [html.Span(person.brugernavn, className="konto-navn")]
    if person.kan_publicere:
        links.append(html.A("Publicering", href="/publicering", className="nav-link"))
    if person.kan_vaere_vaert:   # assets/foelg.js adds the running session's code
        links.append(html.A("Følg mig", href="/foelg", className="nav-link foelg-mig"))
    if person.administrerer_brugere:
        links.append(html.A("Brugere", href="/admin/brugere", className="nav-link"))
    links += [html.A("API-nøgler", href="/konto/tokens", className="nav-link"),
              html.A("Log ud", href="/logout", className="nav-link")]
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
                html.Span(f"Nøgletal for Danmarks {len(kommuner)} kommuner", className="logo-under")],
               href="/", className="logo"),
        html.Div([
            html.Label("Find kommune eller nøgletal", htmlFor="kommunevaelger", className="visually-hidden"),
            dcc.Dropdown(id="kommunevaelger", options=options, placeholder="Find kommune eller nøgletal …",
                         clearable=False, searchable=True, className="kommunevaelger"),
        ], className="vaelger", role="search"),
        # On a narrow screen the links fold into a menu the button opens (assets/menu.js).
        html.Button("Menu", type="button", className="menu-knap", **{"aria-expanded": "false",
                                                                       "aria-controls": "hovedmenu"}),
        html.Div([
            # The visitor's own municipality, kept in this browser only (assets/minkommune.js fills it in).
            dcc.Store(id="min-kommune", storage_type="local"),
            html.Div(dcc.Link(id="min-kommune-link", href="/", className="nav-link", title="Min kommune"),
                     id="min-kommune-hoved", className="min-kommune-hoved", hidden=True),
            # The current section's link is marked in the browser, also after Dash's navigation (assets/navigation.js).
            dcc.Store(id="hovednav-sektioner", data={p["path"]: [p["path"], *p.get("undersider", ())] for p in nav}),
            html.Nav([dcc.Link(p["name"], href=p["path"], className="nav-link",
                               id={"type": "hovednav", "sti": p["path"]}) for p in nav],
                     className="hovednav", **{"aria-label": "Hovednavigation"}),
            # Opens the page shown in the presentation view (assets/praesentation.js, components/praesentation.py).
            html.Button("Præsentation", type="button", className="praesentation-knap",
                        title="Vis siden i præsentationsvisning: stor skrift, ét afsnit ad gangen"),
            # Copies the page's address and offers its charts to embed (assets/deling.js), said in the live region.
            html.Button("Del", type="button", className="del-knap", title="Kopiér sidens adresse",
                        **{"aria-expanded": "false"}),
            html.Span(className="del-besked", role="status", **{"aria-live": "polite"}),
            sprogskift(),
            account,
        ], id="hovedmenu", className="hovedmenu"),
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
            html.H2("Kilder", className="fod-titel"),
            html.Ul(attributions, className="kilder"),
            html.P("Nøgletal markeret «Demodata» er genererede demonstrationsdata og ikke officiel statistik. "
                   "Små tal er diskretioneret (vises som –)."),
            html.P(html.A("Data til Excel, Power BI og andre værktøjer: API-dokumentation", href="/api/dokumentation")),
        ]),
        html.P(f"Dataudtræk {release['udtraeksdato']:%d.%m.%Y} · release {release['release_id']}",
               className="release"),
    ], className="sidefod")


def udskriftsfod(release: dict) -> dict:
    """The foot of every printed page (assets/print.css; hidden on screen): source (the footer's list of sources ends
    the printout), release, extraction date and the page's address, which assets/print.js fills in from the browser's
    location when printing starts (one shell serves every page: Dash changes the address without a request)."""
    return html.P([
        "Kilde: Kend din kommune; nøgletallenes kilder står i kildelisten sidst i udskriften · "
        f"Release {release['release_id']} · Dataudtræk {release['udtraeksdato']:%d.%m.%Y} · ",
        html.Span(className="adresse"),
    ], className="udskriftsfod")


def fejlside(titel: str, tekst: str, kode: int = 404, forslag: tuple[tuple[str, str], ...] = ()) -> dict:
    """A Danish error page with a way back and links to the pages `forslag` suggests, (text, address) pairs (the
    HTTP status is set by the request guard)."""
    return html.Section([
        html.Div(str(kode), className="fejlkode"),   # a large label above the heading, not a paragraph
        html.H1(titel),
        html.P(tekst),
        html.Ul([html.Li(dcc.Link(text, href=href)) for text, href in forslag], className="forslag")
        if forslag else None,
        html.P([dcc.Link("Gå til forsiden", href="/"), " eller find en kommune i feltet øverst."]),
    ], className="fejlside")
