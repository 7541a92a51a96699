"""Static files compressed once and served by WhiteNoise in front of Flask: /assets/* and Dash's
/_dash-component-suites/*.

Reads the files Dash serves to the browser: everything in the assets folder (our CSS) and the component-suite
files Dash registers (renderer, React, dcc, html, table and their async chunks); not source maps, which only
developer tools fetch. One URL is answered with another file: dcc.Graph loads plotly.js from Dash's URL for its
own full copy (4.8 MB) when a page draws its first chart, and gets the app's slim bundle (frontend/, built into
assets/vendor/, which app.py keeps out of every page's <script>s). So pages without a chart never load Plotly.

Writes each file once into build/static/<sha256 of its name and content>/, with a brotli (.br) and a gzip (.gz) version
beside it (WhiteNoise's compressor, at the highest levels). `make setup` does that ahead (`python -m web.static`), and
the app's first start does what is still missing (`install`, called by app.create_app): a file already there is never
written again, so a start-up only hashes the sources; under gunicorn the first worker compresses and the other waits
for it (a file lock). Old copies stay until build/static is deleted, which is safe whenever the app is stopped.

WhiteNoise then answers these URLs without Flask: the brotli bytes when the client accepts br, else gzip, else the
plain file, with Content-Encoding, Vary: Accept-Encoding, Content-Length, a weak ETag (the content's hash, shared
by its encodings), Last-Modified and 304s; plus the app's security headers. A URL Dash fingerprints is cached for
a year as immutable (`….v4_4_1m1795719768.js`, and `?m=<mtime>` on assets); Dash's unfingerprinted async chunks
must be revalidated. An asset whose `?m=` no longer matches (changed since the start), and every other request,
go on to Flask, where Flask-Compress compresses on the fly as before.
"""
from __future__ import annotations

import fcntl
import hashlib
import logging
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

import dash
from dash.fingerprint import check_fingerprint
from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from kdk.config import PROJECT_DIR

log = logging.getLogger(__name__)

CACHE = PROJECT_DIR / "build" / "static"
COMPONENT_SUITES = "/_dash-component-suites/"
PLOTLY_JS = "_dash-component-suites/plotly/package_data/plotly.min.js"   # where Dash's renderer looks for Plotly
PLOTLY_BUNDLE = "vendor/plotly-kdk.min.js"                                # in the assets folder


def assets(app: dash.Dash) -> dict[str, Path]:
    """URL path → file for everything in the assets folder."""
    folder = Path(app.config.assets_folder)
    return {app.get_asset_url(f.relative_to(folder).as_posix()): f for f in sorted(folder.rglob("*")) if f.is_file()}


def component_suites(app: dash.Dash) -> dict[str, Path]:
    """URL path (without fingerprint) → file for the component-suite files Dash registers when it renders a page,
    with the slim Plotly bundle in place of Dash's full plotly.js."""
    with app.server.test_request_context("/"):
        app.index()
    prefix = app.config.requests_pathname_prefix
    files = {f"{prefix}_dash-component-suites/{namespace}/{rel}": Path(sys.modules[namespace].__file__).parent / rel
             for namespace, paths in app.registered_paths.items() for rel in sorted(paths) if not rel.endswith(".map")}
    files[prefix + PLOTLY_JS] = Path(app.config.assets_folder) / PLOTLY_BUNDLE
    return {url: file for url, file in files.items() if file.is_file()}


def compressed_copies(sources: dict[str, Path], cache: Path = CACHE) -> dict[str, Path]:
    """URL path → the copy in `cache`, with .br and .gz beside it; compresses only what is not there yet."""
    cache.mkdir(parents=True, exist_ok=True)
    copies, made, start = {}, 0, time.perf_counter()
    with open(cache / ".lock", "a") as lock:   # "a": taking the lock leaves the file as it is
        fcntl.flock(lock, fcntl.LOCK_EX)   # released when the file closes
        for url, source in sources.items():
            digest = hashlib.sha256(source.name.encode() + b"/" + source.read_bytes()).hexdigest()[:32]
            folder = cache / digest
            if not folder.is_dir():
                tmp = Path(tempfile.mkdtemp(dir=cache, prefix=".tmp-"))
                shutil.copy2(source, tmp / source.name)
                Compressor(quiet=True).compress(str(tmp / source.name))
                tmp.rename(folder)   # complete or absent, even after a crash
                made += 1
            copies[url] = folder / source.name
    if made:
        log.info("compressed %d static files into %s in %.1f s", made, cache, time.perf_counter() - start)
    return copies


def _weak_etag(headers, path: str, url: str) -> None:
    """The content's hash (the copy's folder), shared by the encodings of it, so weak (RFC 9110, 8.8.1)."""
    headers["ETag"] = f'W/"{Path(path).parent.name}"'


def install(server: Flask, app: dash.Dash, security_headers: Callable[[], dict[str, str]]) -> None:
    """Serve the compressed copies in front of Flask (see the module docstring)."""
    asset_sources = assets(app)
    copies = compressed_copies(asset_sources | component_suites(app))
    options = {"allow_all_origins": False, "add_headers_function": _weak_etag}
    immutable = WhiteNoise(None, immutable_file_test=lambda path, url: True, **options)
    revalidated = WhiteNoise(None, max_age=0, **options)
    for url, copy in copies.items():
        immutable.add_file_to_dictionary(url, str(copy))
        revalidated.add_file_to_dictionary(url, str(copy))
    asset_times = {url: str(source.stat().st_mtime) for url, source in asset_sources.items()}  # Dash's `?m=`
    flask_app = server.wsgi_app

    def static_first(environ, start_response):
        path = environ.get("PATH_INFO", "")
        static = None
        if path.startswith(COMPONENT_SUITES):
            plain, fingerprinted = check_fingerprint(path)
            static = (immutable if fingerprinted else revalidated).files.get(plain)
        elif path in asset_times and parse_qs(environ.get("QUERY_STRING", "")).get("m") == [asset_times[path]]:
            static = immutable.files.get(path)
        if static is None:
            return flask_app(environ, start_response)
        extra = list(security_headers().items())
        return WhiteNoise.serve(static, environ, lambda status, headers: start_response(status, headers + extra))

    server.wsgi_app = static_first


if __name__ == "__main__":
    from app import create_app

    create_app()   # installing the app's static files compresses what is not compressed yet
