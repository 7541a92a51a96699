"""Sharing in a real browser (the system Chromium, the app under gunicorn): the header's Del button copies the
page's address and says so, and an embedded chart is drawn inside an <iframe> on a page of another origin, while the
app's other pages refuse to be framed there."""
from __future__ import annotations

import contextlib
import http.server
import threading

import pytest
from playwright.sync_api import Page, expect

from tests.browser import wait_for_dash
from tests.conftest import free_port

pytestmark = pytest.mark.browser


def test_del_copies_the_address_and_says_so(page: Page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto("/noegletal/skole.karakter?aar=2020")
    wait_for_dash(page)
    page.get_by_role("button", name="Del", exact=True).click()
    expect(page.locator(".del-besked")).to_have_text("Adressen er kopieret")
    assert page.evaluate("() => navigator.clipboard.readText()") == f"{live_server}/noegletal/skole.karakter?aar=2020"
    snippet = page.get_by_label("Kort", exact=True)
    expect(snippet).to_have_value(f'<iframe src="{live_server}/indlejr/skole.karakter/kort?aar=2020" '
                                  'title="Karaktergennemsnit, 9. klasse (bundne prøver) – Kend din kommune" '
                                  'width="100%" height="560" style="border:0" loading="lazy"></iframe>')
    page.keyboard.press("Escape")
    expect(page.locator("#del-panel")).to_be_hidden()
    assert page.errors == []


def test_without_the_clipboard_del_selects_the_address_in_a_field(page: Page):
    page.goto("/kommune/101")
    wait_for_dash(page)
    page.evaluate("() => Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.get_by_role("button", name="Del", exact=True).click()
    field = page.get_by_label("Sidens adresse")
    expect(field).to_be_focused()
    assert field.evaluate("el => el.value.slice(el.selectionStart, el.selectionEnd)").endswith("/kommune/101")
    expect(page.locator(".del-besked")).to_contain_text("Ctrl+C")


@contextlib.contextmanager
def other_site(html: str):
    """A site of its own origin (another port) serving `html` at /."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


def test_an_embed_is_drawn_inside_another_sites_page_and_other_pages_are_not(page: Page, live_server):
    base = live_server.replace("127.0.0.1", "localhost")   # another origin than the framing site's
    frames = (f'<iframe id="indlejret" src="{base}/indlejr/skole.karakter/rangering" width="900" height="600">'
              f'</iframe><iframe id="forside" src="{base}/" width="900" height="300"></iframe>')
    with other_site(f"<!doctype html><title>En kommunes hjemmeside</title>{frames}") as site:
        page.goto(site)
        embed = page.frame_locator("#indlejret")
        expect(embed.locator(".main-svg").first).to_be_visible()
        expect(embed.get_by_role("heading", name="Karaktergennemsnit, 9. klasse (bundne prøver)")).to_be_visible()
        expect(embed.get_by_role("link", name="Se nøgletallet i Kend din kommune")).to_be_visible()
        page.wait_for_timeout(1000)
        front = page.frame_locator("#forside")
        assert front.locator(".topbar").count() == 0   # the front page refuses to be framed
