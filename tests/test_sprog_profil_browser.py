"""An English profile in a real browser (the system Chromium, the app under gunicorn): the header's picker, the
year picker, "min kommune" and the menu's "you are here" stay in English under /en, the scripts speak English, and
the charts' hover and axes write numbers the English way ("7.4", never "7,4")."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.test_browser import open_page, pick

pytestmark = pytest.mark.browser

IN_DEPTH = "/en/kommune/101?omraade=skole"

# The first trend chart on the page whose values have decimals, hovered at its municipality's last point: the
# hover text, and the value axis's tick labels.
HOVER_TREND = """() => {
    const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.layout && g.layout.meta
        && g.layout.meta.art === 'udvikling' && /\\.[1-9]f/.test(g.layout.yaxis.tickformat));
    const last = gd.data[0].y.length - 1;
    Plotly.Fx.hover(gd, [{curveNumber: 0, pointNumber: last}]);
    return {hover: gd.querySelector('.hoverlayer').textContent,
            ticks: [...gd.querySelectorAll('.ytick text')].map(t => t.textContent),
            names: gd.data.map(t => t.name)};
}"""


def test_the_header_picker_year_and_menu_stay_in_english(page):
    open_page(page, IN_DEPTH, "h1")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".overtitel")).to_have_text("Municipal profile")
    assert page.locator(".hovednav a[aria-current='page']").all_inner_texts() == []   # a profile is in no section

    page.locator("#profil-aar").click()
    page.get_by_role("option", name="2024").click()
    expect(page).to_have_url(re.compile(r"/en/kommune/101\?omraade=skole&aar=2024$"))

    pick(page, "Aarhus", "Aarhus (751)")
    expect(page).to_have_url(re.compile(r"/en/kommune/751$"))
    expect(page.locator("h1")).to_have_text("Aarhus")

    page.locator(".hovednav").get_by_role("link", name="Themes").click()   # Dash's navigation, no reload
    expect(page).to_have_url(re.compile(r"/en/temaer$"))
    expect(page.locator(".hovednav a[aria-current='page']")).to_have_text(["Themes"])
    open_page(page, "/en/noegletal", "h1")
    expect(page.locator(".hovednav a[aria-current='page']")).to_have_text(["Key figures"])
    assert page.errors == []


def test_min_kommune_and_sharing_speak_english_and_link_under_en(page):
    open_page(page, "/en/kommune/101", "h1")
    button = page.locator("#profil-min-kommune")
    expect(button).to_have_text("☆ Make it my municipality")
    button.click()
    expect(button).to_have_text("★ My municipality (forget it)")
    link = page.locator("#min-kommune-link")
    expect(link).to_have_text("København")
    expect(link).to_have_attribute("href", "/en/kommune/101")
    expect(link).to_have_attribute("title", "My municipality: København")

    page.locator(".hovednav").get_by_role("link", name="Home").click()
    expect(page.locator("#forside-min-profil")).to_have_attribute("href", "/en/kommune/101")
    expect(page.locator("#forside-min-sammenligning")).to_have_attribute("href", "/en/sammenligning?kommune=101")

    page.get_by_role("button", name="Share").click()
    expect(page.locator("#del-panel")).to_contain_text("The page's address")
    expect(page.locator(".del-besked")).to_have_text(re.compile(r"^The address (has been copied|is selected)"))
    assert page.errors == []


def test_an_english_figures_embeds_are_english(page, live_server):
    open_page(page, "/en/noegletal/skole.karakter?aar=2020", "h1")
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_label("Map", exact=True)).to_have_value(
        re.compile(rf'^<iframe src="{re.escape(live_server)}/en/indlejr/skole.karakter/kort\?aar=2020" '))
    page.keyboard.press("Escape")
    button = page.locator(".indlejr-knap").first
    button.click()
    expect(page.locator(".indlejr-felt textarea")).to_have_value(
        re.compile(rf'^<iframe src="{re.escape(live_server)}/en/indlejr/skole.karakter/\w+/noegletal/skole.karakter'))
    expect(page.locator(".indlejr-felt")).to_contain_text("Code to embed the chart on another website")
    assert page.errors == []


def test_the_charts_hover_and_axes_are_english(page):
    open_page(page, IN_DEPTH, ".js-plotly-plot .main-svg")
    seen = page.evaluate(HOVER_TREND)
    assert "All of Denmark" in seen["names"]
    assert re.search(r"København.*: \d+\.\d", seen["hover"]), seen["hover"]
    assert not re.search(r"\d,\d", seen["hover"]), seen["hover"]
    assert seen["ticks"] and all(re.fullmatch(r"[\d,]*\d(\.\d+)?", t) for t in seen["ticks"]), seen["ticks"]
    assert any("." in t for t in seen["ticks"]), seen["ticks"]
    assert page.errors == []
