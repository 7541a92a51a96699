"""The English catalogue in a real browser (the system Chromium, the app under gunicorn): a search narrows the list as
the reader types, the address follows under /en, the figures found link to their English pages, and a reload shows
the same list."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import wait_for_dash
from tests.test_browser import open_page

pytestmark = pytest.mark.browser

ROWS = ".katalogtabel tbody tr"


def test_an_english_search_keeps_its_address_and_links_in_english(page):
    open_page(page, "/en/noegletal", ROWS)
    expect(page.locator("h1")).to_have_text("Key figures")
    total = page.locator(ROWS).count()
    page.get_by_label("Search title and definition").click()
    page.keyboard.type("unemployment", delay=40)
    expect(page).to_have_url(re.compile(r"/en/noegletal\?q=unemployment$"))
    wait_for_dash(page)   # the count of an earlier letter's search may still be shown while the last one runs
    expect(page.locator("#katalog-antal")).to_have_text(re.compile(rf"^\d+ of {total} key figures$"))
    found = int(page.locator("#katalog-antal").inner_text().split()[0])
    expect(page.locator(ROWS)).to_have_count(found)   # the list narrowed, not only its count
    links = page.locator(".katalog-titel").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert links and all(href.startswith("/en/noegletal/") for href in links), links
    assert "/en/noegletal/beskaeftigelse.ledighed" in links
    wait_for_dash(page)
    page.reload()
    page.locator(ROWS).first.wait_for()
    expect(page.locator("#katalog-soeg")).to_have_value("unemployment")
    expect(page.locator(ROWS)).to_have_count(len(links))
    assert not page.errors
