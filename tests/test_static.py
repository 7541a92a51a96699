"""Static files come compressed once, from the copies web/static.py made: the right encoding for the client, the
same bytes as the file on disk once decoded, long caching only where Dash fingerprints the URL, the security
headers, and no compression at request time."""
from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

import brotli
import pytest
import whitenoise.compress

from web import static

BROWSER = "gzip, deflate, br, zstd"
SECURITY = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options")


@pytest.fixture(scope="module")
def page_files(app):
    """URL → file on disk: the Plotly bundle where dcc.Graph loads Plotly, and dcc's fingerprinted main bundle."""
    html = app.server.test_client().get("/").get_data(as_text=True)
    assert "plotly-kdk" not in html   # no page loads Plotly before it draws a chart
    dcc = re.search(r'src="(/_dash-component-suites/dash/dcc/dash_core_components\.v[^"]+\.js)"', html).group(1)
    return {"/" + static.PLOTLY_JS: Path(app.config.assets_folder) / static.PLOTLY_BUNDLE,
            dcc: Path(sys.modules["dash"].__file__).parent / "dcc/dash_core_components.js"}


@pytest.mark.parametrize("accept, encoding, decode", [(BROWSER, "br", brotli.decompress),
                                                      ("gzip", "gzip", gzip.decompress),
                                                      ("", None, bytes)])
def test_bundles_come_in_the_accepted_encoding_and_decode_to_the_file_on_disk(client, page_files, accept, encoding,
                                                                               decode):
    page_csp = client.get("/").headers["Content-Security-Policy"]
    for url, file in page_files.items():
        r = client.get(url, headers={"Accept-Encoding": accept})
        body = r.get_data()
        assert r.status_code == 200
        assert r.headers.get("Content-Encoding") == encoding
        assert decode(body) == file.read_bytes()
        assert int(r.headers["Content-Length"]) == len(body)
        assert r.headers["Vary"] == "Accept-Encoding"
        assert r.headers["Content-Type"].startswith("text/javascript")
        assert all(r.headers.get(h) for h in SECURITY) and r.headers["Content-Security-Policy"] == page_csp
        r.close()


def test_long_caching_only_where_dash_fingerprints_the_url(client, page_files):
    plotly, dcc = page_files
    assert client.get(dcc).headers["Cache-Control"] == "max-age=315360000, public, immutable"
    # The Plotly URL and dcc's async chunks carry no fingerprint: a new bundle or Dash version changes their content.
    for url in (plotly, "/_dash-component-suites/dash/dcc/async-dropdown.js"):
        r = client.get(url, headers={"Accept-Encoding": BROWSER})
        assert r.status_code == 200 and r.headers["Content-Encoding"] == "br"
        assert r.headers["Cache-Control"] == "max-age=0, public" and r.headers["ETag"].startswith('W/"')
        r.close()


def test_every_request_serves_the_bytes_compressed_once_at_start_up(client, page_files):
    for url in page_files:
        first, second = (client.get(url, headers={"Accept-Encoding": BROWSER}) for _ in range(2))
        assert first.headers["ETag"] == second.headers["ETag"] and first.headers["ETag"].startswith('W/"')
        stored = static.CACHE / first.headers["ETag"][3:-1]   # the copy's folder: one weak validator per content
        assert first.get_data() == second.get_data() == next(stored.glob("*.br")).read_bytes()
        revalidated = client.get(url, headers={"Accept-Encoding": BROWSER, "If-None-Match": first.headers["ETag"]})
        assert revalidated.status_code == 304 and revalidated.get_data() == b""
        assert all(revalidated.headers.get(h) for h in SECURITY)


def test_an_asset_changed_since_the_start_is_served_fresh_by_flask(client):
    url = re.search(r'href="(/assets/style\.css\?m=[^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    assert client.get(url).headers["Cache-Control"] == "max-age=315360000, public, immutable"
    r = client.get("/assets/style.css?m=1", headers={"Accept-Encoding": BROWSER})   # Dash's URL after a change
    assert r.status_code == 200 and "immutable" not in r.headers["Cache-Control"]
    r.close()


def test_files_are_compressed_once_and_a_change_gets_its_own_copy(tmp_path, monkeypatch):
    source = tmp_path / "app.js"
    source.write_text("const tal = [" + ",".join(str(i) for i in range(2000)) + "];\n")
    cache = tmp_path / "cache"
    first = static.compressed_copies({"/assets/app.js": source}, cache)["/assets/app.js"]
    assert brotli.decompress(Path(f"{first}.br").read_bytes()) == source.read_bytes()
    assert gzip.decompress(Path(f"{first}.gz").read_bytes()) == source.read_bytes()

    monkeypatch.setattr(whitenoise.compress.Compressor, "compress", lambda *a: pytest.fail("compressed again"))
    assert static.compressed_copies({"/assets/app.js": source}, cache)["/assets/app.js"] == first   # a restart

    monkeypatch.undo()
    source.write_text("const tal = [];\n" * 100)
    changed = static.compressed_copies({"/assets/app.js": source}, cache)["/assets/app.js"]
    assert changed != first and changed.read_bytes() == source.read_bytes()
    assert first.read_bytes() != source.read_bytes()   # a running worker may still serve the old copy
