"""Creates the Flask server and the Dash app; `server` is what gunicorn serves.

`python app.py` runs Dash's development server on http://127.0.0.1:8050. Pages live in `pages/`
(one module per URL), reusable parts in `components/`, the domain core in `kdk/`.
"""
from __future__ import annotations

import logging
import os

import dash
import plotly.io as pio
from dash import ClientsideFunction, Dash, Input, Output, clientside_callback, dcc, html
from flask import Flask
from flask_compress import Compress

from components import shell
from kdk.auth.redact import RedactingFormatter
from kdk.config import settings
from kdk.queries import omraader
from web import epoch, guard, headers, links, login, rendercache, static, timing, viewer
from web.admin import admin
from web.api import api
from web.eksport import eksport

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
logging.basicConfig(level=settings().log_level, format=LOG_FORMAT)
for handler in logging.getLogger().handlers:
    handler.setFormatter(RedactingFormatter(LOG_FORMAT))   # no API token in a log line

# Dash writes every answer with plotly's JSON encoder. The pages are made of plain values (components/light.py, chart
# dicts), which its orjson engine writes directly: five times faster than the standard engine, and UTF-8 instead of
# \u escapes. An answer that still holds Dash component objects (the shell, a Patch) is converted first, and is
# correct but slower; tests/test_components.py keeps the pages plain.
pio.json.config.default_engine = "orjson"

server = Flask(__name__)
server.config.update(COMPRESS_MIMETYPES=["text/html", "text/css", "application/javascript", "application/json",
                                         "text/javascript", "image/svg+xml", "image/x-icon"], COMPRESS_MIN_SIZE=500)
Compress(server)

def callback_failed(exc: Exception) -> None:
    """A callback raised: log it (English) and tell the user (Danish) instead of leaving the page blank."""
    logging.getLogger("kdk.callbacks").error("callback failed: %r", exc, exc_info=exc)
    dash.set_props("fejlbesked", {"children": "Der opstod en fejl, så visningen ikke kunne opdateres. "
                                              "Prøv igen, eller gå til forsiden.", "hidden": False})


app = Dash(__name__, server=server, use_pages=True, on_error=callback_failed, title="Kend din kommune",
           update_title=None, serve_locally=True,
           assets_path_ignore=["vendor"],  # Plotly is loaded by the first chart on a page (web/static.py)
           suppress_callback_exceptions=True,  # else Dash inlines every page's layout in the HTML
           meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}])
# Danish document; Dash's script wrapper is a <footer>, which would give the page a second footer landmark.
app.index_string = (app.index_string.replace("<html>", '<html lang="da">')
                    .replace("<footer>", "<div>").replace("</footer>", "</div>"))


def layout():
    scope = viewer.scope()
    nav = sorted((p for p in dash.page_registry.values() if p.get("nav")), key=lambda p: p.get("order", 99))
    return html.Div([
        dcc.Location(id="nav", refresh="callback-nav"),
        html.A("Spring til indhold", href="#indhold", className="skip-link"),
        shell.header(omraader.kommuner(scope).to_dict("records"), nav,
                     shell.konto(viewer.person())),
        html.Div(id="fejlbesked", role="alert", className="fejlbesked", hidden=True),
        html.Main(dash.page_container, id="indhold", className="indhold"),
        shell.footer(omraader.kilder(scope).to_dict("records"), omraader.seneste_release(scope)),
    ], className="side")


app.layout = layout
login.install(server)
links.install(server)
guard.install(server, app)
static.install(server, app, headers.install(server, app))
rendercache.install(server)
epoch.install(server)
timing.install(server)
server.register_blueprint(api)
server.register_blueprint(eksport)
server.register_blueprint(admin)


# The header's picker opens the chosen municipality's profile in the browser (assets/navigation.js).
clientside_callback(ClientsideFunction("kdk", "municipality"), Output("nav", "href"), Input("kommunevaelger", "value"),
                    prevent_initial_call=True)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8050")), debug=True)
