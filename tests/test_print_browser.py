"""Printing in the system Chromium against the app under gunicorn, as an anonymous reader prints a page (and as
`kdk publikation` makes its PDFs, with page.pdf()): A4 portrait within the publication's page limits, no navigation
chrome, the foot with source, release, data extraction date and the page's address on every page, and every chart,
its last x-axis label and every label in it inside the printable width of the print layout."""
from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser import wait_for_dash

pytestmark = pytest.mark.browser

MM = 96 / 25.4                                  # CSS pixels per millimetre
PRINTABLE_WIDTH = (210 - 2 * 12) * MM           # A4 less assets/print.css's side margins: 703 px
# Each page the publication prints, and the most A4 pages it may take (issue 21: a profile 6, a theme 8); an area in
# depth with real sources, whose attributions make the charts' subtitles as wide as a screen's chart; and the data
# status, which a publication's reader may be shown beside it.
PAGES = [("/kommune/101", 6), ("/kommune/851", 6), ("/tema/rekruttering?kommune=101", 8),
         ("/sammenligning?kommune=101", 6), ("/kommune/101?omraade=beskaeftigelse", 8), ("/datastatus", 6)]

CHARTS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
  const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right}; };
  const ticks = [...gd.querySelectorAll('.xtick text')].filter(t => t.textContent.trim());
  return {title: (gd.querySelector('.gtitle') || {}).textContent || '', graph: box(gd),
          svgs: [...gd.querySelectorAll('svg.main-svg')].map(box),
          lastTick: ticks.length ? {text: ticks[ticks.length - 1].textContent, ...box(ticks[ticks.length - 1])} : null,
          texts: [...gd.querySelectorAll('svg.main-svg text')].filter(t => t.textContent.trim())
                   .map(t => ({text: t.textContent, ...box(t)}))};
})"""
FITTED = """() => [...document.querySelectorAll('.js-plotly-plot')].every(gd =>
  [...gd.querySelectorAll('svg.main-svg')].every(s => Math.abs(s.getBoundingClientRect().width
                                                               - gd.getBoundingClientRect().width) < 1))"""


@pytest.fixture(scope="module")
def release(con) -> dict:
    """The release an anonymous reader sees: the newest without an embargo."""
    release_id, extracted = con.execute("SELECT release_id, udtraeksdato FROM release WHERE embargo_til IS NULL "
                                        "ORDER BY loebenummer DESC LIMIT 1").fetchone()
    return {"id": release_id, "dato": f"{extracted:%d.%m.%Y}"}


def inside(box: dict) -> bool:
    return box["left"] >= -0.5 and box["right"] <= PRINTABLE_WIDTH + 0.5


@pytest.mark.parametrize(("path", "most_pages"), PAGES)
def test_a_page_prints_on_a4_within_its_limit_with_the_foot_on_every_page_and_its_charts_inside(
        page, live_server, release, path, most_pages):
    page.goto(path)
    wait_for_dash(page)
    expect(page.locator(".udskriftsfod")).to_be_hidden()   # on screen the foot is the page's own footer

    page.emulate_media(media="print")
    page.wait_for_function(FITTED)
    for chrome in (".topbar", ".kontroller", ".modebar-container", ".hent"):
        for element in page.locator(chrome).all():
            expect(element).to_be_hidden()
    charts = page.evaluate(CHARTS)
    for chart in charts:
        assert inside(chart["graph"]) and all(inside(s) for s in chart["svgs"]), (chart["title"], chart["graph"])
        assert chart["lastTick"] is None or inside(chart["lastTick"]), (chart["title"], chart["lastTick"])
        assert [t for t in chart["texts"] if not inside(t)] == [], chart["title"]

    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    texts = [p.extract_text() for p in pdf.pages]
    print(f"{path}: {len(pdf.pages)} A4 pages, {len(charts)} charts")
    assert 1 <= len(pdf.pages) <= most_pages
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    address = live_server + path
    for number, text in enumerate(texts, 1):
        assert "Kilde:" in text, number
        assert f"Release {release['id']}" in text and f"Dataudtræk {release['dato']}" in text, number
        assert address in re.sub(r"\s", "", text), number
    assert not any("Find kommune" in text or "Log ind" in text for text in texts)
    assert page.errors == []
