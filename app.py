"""The app factory: `create_app()` builds the Flask server with the Dash app on it and returns the server.

gunicorn serves `app:create_app()` (gunicorn.conf.py); `python app.py` runs Dash's development server on
http://127.0.0.1:8050. Importing this module does nothing but define the factory: no file is read or written and
nothing is compressed until `create_app()` runs. Pages live in `pages/` (one module per URL; Dash imports them when
the Dash app is made), reusable parts in `components/`, the domain core in `kdk/`.

`create_app(settings)` serves `settings` (a kdk.config.Settings): it binds them (kdk.config.using) while it makes the
app and around each request the app answers, so every module's `settings()` reads them there, and a test can make
apps from Settings values without touching os.environ. Without them (gunicorn's `app:create_app()`) the app reads the
KDK_* environment, per call. Two readers take a setting once per process, at import, and so follow the environment
only: the answer cache's size (KDK_CACHE_SVAR_MB, kdk/queries/cache.py) and the limit on concurrent Excel exports
(KDK_XLSX_SAMTIDIGE, web/api.py). `create_app` writes the secret key file beside the marts when there is none
(kdk/auth/sealing.py) and the compressed static files that `make setup` has not made yet (web/static.py). The Dash
app is `server.extensions["kdk.dash"]`.
"""
from __future__ import annotations

import functools
import logging
import os

import dash
import plotly.io as pio
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, clientside_callback, dcc, html
from flask import Flask
from flask_compress import Compress

from components import shell
from components.praesentation import praesentation
from kdk import config, sprog
from kdk.auth.redact import RedactingFormatter
from kdk.config import Settings, using
from kdk.queries import omraader
from web import epoch, foelg, guard, headers, links, login, pagescope, rendercache, static, timing, viewer
from web import sprog as sprogvalg
from web.admin import admin
from web.api import api
from web.apidok import apidok
from web.eksport import eksport
from web.embargo import embargo
from web.indlejr import indlejr
from web.sundhed import sundhed

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def create_app(settings: Settings | None = None) -> Flask:
    """The Flask server with the Dash app, its pages, callbacks, routes and blueprints installed, serving `settings`
    (by default the environment's, read per call)."""
    with using(settings):
        server = _made()
    inner = server.wsgi_app

    def with_settings(environ, start_response):
        with using(settings):
            return inner(environ, start_response)

    server.wsgi_app = with_settings
    return server


def _made() -> Flask:
    config.settings().check_shared_secret()   # several servers on one user database need one key
    configure_logging()
    # Dash writes every answer with plotly's JSON encoder. The pages are made of plain values (components/light.py,
    # chart dicts), which its orjson engine writes directly: five times faster than the standard engine, and UTF-8
    # instead of \u escapes. An answer that still holds Dash component objects (the shell, a Patch) is converted
    # first, and is correct but slower; tests/test_components.py keeps the pages plain.
    pio.json.config.default_engine = "orjson"

    server = Flask(__name__)
    server.config.update(COMPRESS_MIMETYPES=["text/html", "text/css", "application/javascript", "application/json",
                                             "text/javascript", "image/svg+xml", "image/x-icon"],
                         COMPRESS_MIN_SIZE=500)
    Compress(server)
    app = Dash(__name__, server=server, use_pages=True, on_error=callback_failed, title="Kend din kommune",
               update_title=None, serve_locally=True,
               assets_path_ignore=["vendor"],  # Plotly is loaded by the first chart on a page (web/static.py)
               suppress_callback_exceptions=True,  # else Dash inlines every page's layout in the HTML
               meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}])
    # Danish document; Dash's script wrapper is a <footer>, which would give the page a second footer landmark.
    app.index_string = (app.index_string.replace("<html>", '<html lang="da">')
                        .replace("<footer>", "<div>").replace("</footer>", "</div>"))
    app.layout = layout
    for page in dash.page_registry.values():
        if not getattr(page["layout"], "with_views", False):   # the registry outlives an app: wrap once
            page["layout"] = with_views(page["layout"])
            # A page's title and description (the head of its HTML, link previews) are Danish texts, marked N_ in
            # the page's module: translated where Dash shows them. A title the page computes translates itself.
            page.update({part: in_language(page[part]) for part in ("title", "description")
                         if isinstance(page.get(part), str)})
    pagescope.install()
    # The header's picker opens the chosen municipality's profile or key figure's page in the browser
    # (assets/navigation.js).
    clientside_callback(ClientsideFunction("kdk", "municipality"), Output("nav", "href"),
                        Input("kommunevaelger", "value"), prevent_initial_call=True)
    # "You are here": the current section's link in the header is marked (assets/navigation.js).
    clientside_callback(ClientsideFunction("kdk", "currentSection"),
                        Output({"type": "hovednav", "sti": ALL}, "className"), Input("nav", "pathname"),
                        State("hovednav-sektioner", "data"))
    # The header's link to the visitor's own municipality, kept in the browser (assets/minkommune.js).
    clientside_callback(ClientsideFunction("minkommune", "header"), Output("min-kommune-hoved", "hidden"),
                        Output("min-kommune-link", "href"), Output("min-kommune-link", "children"),
                        Output("min-kommune-link", "title"), Input("min-kommune", "data"))
    # ... and offered as the first option of the header's search.
    clientside_callback(ClientsideFunction("minkommune", "headerOptions"), Output("kommunevaelger", "options"),
                        Input("min-kommune", "data"), State("kommunevaelger", "options"))

    sprogvalg.install(server, app)   # first: every later hook answers in the request's language
    login.install(server)
    links.install(server)
    guard.install(server, app)
    security_headers = headers.install(server, app)
    static.install(server, app, security_headers)
    rendercache.install(server)
    epoch.install(server)
    timing.install(server)
    foelg.install(server, security_headers)   # the outermost: viewers' polls skip the rest
    server.register_blueprint(api)
    server.register_blueprint(apidok)
    server.register_blueprint(indlejr)
    server.register_blueprint(eksport)
    server.register_blueprint(embargo)
    server.register_blueprint(admin)
    server.register_blueprint(sundhed)
    server.extensions["kdk.dash"] = app
    return server


def configure_logging() -> None:
    """English log lines at KDK_LOG_LEVEL, with no API token in them."""
    logging.basicConfig(level=config.settings().log_level, format=LOG_FORMAT)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(RedactingFormatter(LOG_FORMAT))


def callback_failed(exc: Exception) -> None:
    """A callback raised: log it (English) and tell the user (in the page's language) instead of leaving the page
    blank."""
    logging.getLogger("kdk.callbacks").error("callback failed: %r", exc, exc_info=exc)
    dash.set_props("fejlbesked", {"children": sprog.gettext("Der opstod en fejl, så visningen ikke kunne opdateres. "
                                                            "Prøv igen, eller gå til forsiden."), "hidden": False})


def with_views(layout):
    """A page's `layout` that also draws the views every page has (web.guard.VISNINGER): given
    `visning=praesentation`, the page in the presentation view (components/praesentation.py); given a view or a step
    (`trin`, which the browser shows) that web.guard.shared_problem refuses, its message. Drawn in English, its
    links lead to English pages (kdk.sprog.med_adresser)."""
    @functools.wraps(layout)
    def viewed(visning=None, trin=None, **values):
        problem = guard.shared_problem(visning=visning, trin=trin)
        if problem:
            return shell.fejlside(problem.titel, problem.tekst, problem.status)
        tree = layout(**values)
        return sprog.med_adresser(praesentation(tree) if visning else tree)
    viewed.with_views = True
    return viewed


def in_language(text: str):
    """A page's registered Danish `text` as Dash calls a page's title or description: in the active language."""
    def translated(**_values) -> str:
        return sprog.gettext(text)
    return translated


def layout():
    scope = viewer.scope()
    release = omraader.seneste_release(scope)
    nav = sorted((p for p in dash.page_registry.values() if p.get("nav")), key=lambda p: p.get("order", 99))
    return html.Div(sprog.med_adresser([
        dcc.Location(id="nav", refresh="callback-nav"),
        html.A(sprog.gettext("Spring til indhold"), href="#indhold", className="skip-link"),
        shell.header(omraader.kommuner(scope).to_dict("records"), nav, shell.konto(viewer.person()),
                     omraader.synlige_noegletal(scope)[["noegletal_id", "titel"]].to_dict("records")),
        html.Div(id="fejlbesked", role="alert", className="fejlbesked", hidden=True),
        html.Main(dash.page_container, id="indhold", className="indhold"),
        shell.footer(omraader.kilder(scope).to_dict("records"), release),
        shell.udskriftsfod(release),
    ]), className="side")


if __name__ == "__main__":
    create_app().extensions["kdk.dash"].run(host="127.0.0.1", port=int(os.environ.get("PORT", "8050")), debug=True)
