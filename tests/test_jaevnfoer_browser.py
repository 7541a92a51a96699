"""A key figure's development chart in a real browser (the system Chromium, the app under gunicorn): three
municipalities chosen in the picker, the index switched on, and a reload that shows the same chart from the
address. No serious accessibility findings in the controls, no script errors."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import run_axe, serious, wait_for_dash
from tests.test_browser import open_page

pytestmark = pytest.mark.browser

TREND_LINES = "#noegletal-udvikling .scatterlayer .trace"

# What the reader sees of the development chart: its lines, their labels and the y-axis title.
TREND_SHOWN = """() => {
  const gd = document.querySelector('#noegletal-udvikling .js-plotly-plot');
  return {lines: gd.data.map(t => [t.name, t.y]), labels: (gd.layout.annotations || []).map(a => a.text),
          axis: (gd.layout.yaxis.title || {}).text || null};
}"""


def choose(page, name: str) -> None:
    """Type a municipality's name into the development's picker and choose it, as a user does."""
    page.locator("#noegletal-kommuner").click()
    search = page.locator("input.dash-dropdown-search")
    search.click()
    page.keyboard.type(name)
    page.get_by_role("option", name=re.compile(rf"^{name} \(\d{{3}}\)$")).click()   # «København (101)»
    page.keyboard.press("Escape")
    wait_for_dash(page)


def test_three_municipalities_as_an_index_survive_a_reload(page):
    open_page(page, "/noegletal/befolkning.taethed", TREND_LINES)
    for name in ("København", "Aarhus", "Odense"):
        choose(page, name)
    expect(page).to_have_url(re.compile(r"/noegletal/befolkning\.taethed\?kommuner=101,751,461$"))
    expect(page.locator(TREND_LINES)).to_have_count(4)
    page.locator("#noegletal-skala").click()
    page.get_by_role("option", name="Indeks (første år = 100)", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?kommuner=101,751,461&skala=indeks$"))
    expect(page.locator("#noegletal-udvikling .ytitle")).to_have_text(re.compile(r"^Indeks \(\d{4} = 100\)$"))
    wait_for_dash(page)
    chosen = page.evaluate(TREND_SHOWN)
    assert chosen["labels"] == ["København", "Aarhus", "Odense", "Hele landet"]
    assert [line[1][0] for line in chosen["lines"]] == [100, 100, 100, 100]
    assert serious([v for v in run_axe(page) if "noegletal-kommuner" in str(v) or "noegletal-skala" in str(v)]) == []

    page.reload()
    page.locator(TREND_LINES).first.wait_for()
    wait_for_dash(page)
    assert page.evaluate(TREND_SHOWN) == chosen
    expect(page.locator("#noegletal-skala")).to_have_text("Indeks (første år = 100)")
    expect(page.locator("#noegletal-kommuner")).to_contain_text("Aarhus")
    assert page.errors == []
