"""Finding one's way in a real browser (the system Chromium, the app under gunicorn), issue 22's navigation:
a "min kommune" chosen once and remembered across pages and a reload, and forgotten on request.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.test_browser import open_page

pytestmark = pytest.mark.browser

HEADER_LINK = "#min-kommune-link"


def test_min_kommune_is_remembered_across_pages_and_a_reload_and_can_be_forgotten(page):
    open_page(page, "/kommune/751", "h1")
    expect(page.locator(HEADER_LINK)).to_be_hidden()
    button = page.get_by_role("button", name=re.compile("Gør til min kommune"))
    button.click()
    expect(page.locator("#profil-min-kommune")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(HEADER_LINK)).to_have_text("Aarhus")

    page.locator(".hovednav").get_by_role("link", name="Forside").click()   # Dash's navigation, no reload
    expect(page.locator("#forside-min-kommune")).to_be_visible()
    expect(page.locator("#forside-min-kommune")).to_contain_text("Min kommune: Aarhus")
    expect(page.locator("#forside-min-profil")).to_have_attribute("href", "/kommune/751")

    page.reload()
    expect(page.locator(HEADER_LINK)).to_have_text("Aarhus")
    expect(page.locator(HEADER_LINK)).to_have_attribute("href", "/kommune/751")

    # The comparison page and a theme without a municipality open for it, and back does not lead into a loop.
    page.locator(".hovednav").get_by_role("link", name="Sammenligning").click()
    expect(page).to_have_url(re.compile(r"/sammenligning\?kommune=751$"))
    expect(page.locator(".gruppe h2").first).to_contain_text("Aarhus")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/$"))
    open_page(page, "/tema/rekruttering", "h1")
    expect(page).to_have_url(re.compile(r"/tema/rekruttering\?kommune=751$"))
    expect(page.locator("h1")).to_contain_text("Aarhus")
    open_page(page, "/tema/rekruttering?kommune=101", "h1")   # a municipality in the address is kept
    expect(page.locator("h1")).to_contain_text("København")

    open_page(page, "/", "#forside-min-kommune")
    page.get_by_role("button", name="Glem min kommune").click()
    expect(page.locator(HEADER_LINK)).to_be_hidden()
    expect(page.locator("#forside-min-kommune")).to_be_hidden()
    page.reload()
    open_page(page, "/sammenligning", "h1")
    expect(page).to_have_url(re.compile(r"/sammenligning$"))
    assert page.errors == []


def choose_min_kommune(page, kode: str) -> None:
    open_page(page, f"/kommune/{kode}", "h1")
    page.locator("#profil-min-kommune").click()
    expect(page.locator("#profil-min-kommune")).to_have_attribute("aria-pressed", "true")


def test_header_stays_one_line_at_1280_with_a_long_min_kommune(page):
    choose_min_kommune(page, "760")   # Ringkøbing-Skjern, one of the longest names
    expect(page.locator(HEADER_LINK)).to_be_visible()
    bar = page.evaluate("""() => {
        const header = document.querySelector('.topbar');
        const parts = [...header.querySelectorAll('.logo, .vaelger, .min-kommune-hoved, .nav-link, .konto')]
            .map(e => e.getBoundingClientRect()).filter(r => r.width > 0);
        const middles = parts.map(r => r.top + r.height / 2);
        return {height: header.getBoundingClientRect().height, width: document.documentElement.scrollWidth,
                spread: Math.max(...middles) - Math.min(...middles),
                links: document.querySelectorAll('.hovednav .nav-link').length};
    }""")
    assert bar["links"] >= 5
    assert bar["spread"] < 12, bar    # one row: every part's middle at the same height
    assert bar["height"] < 60, bar
    assert bar["width"] <= 1280


def test_the_navigation_is_folded_on_a_phone_and_opens_with_the_menu_button(page):
    page.set_viewport_size({"width": 390, "height": 844})
    choose_min_kommune(page, "751")
    links = page.locator(".hovednav .nav-link")
    expect(links.first).to_be_hidden()
    assert page.locator(".topbar").bounding_box()["height"] < 110
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(links.first).to_be_visible()
    expect(page.locator(HEADER_LINK)).to_be_visible()
    page.locator(".hovednav").get_by_role("link", name="Nøgletal").click()
    expect(page).to_have_url(re.compile(r"/noegletal$"))
    expect(links.first).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def current_links(page) -> list[str]:
    return page.locator(".hovednav a[aria-current='page']").all_inner_texts()


def test_you_are_here_follows_dash_navigation(page):
    open_page(page, "/noegletal", "h1")
    expect(page.locator(".hovednav a[aria-current='page']")).to_have_text(["Nøgletal"])
    current = page.locator(".hovednav").get_by_role("link", name="Nøgletal")
    other = page.locator(".hovednav").get_by_role("link", name="Temaer")
    style = "e => getComputedStyle(e).borderBottomColor"
    assert current.evaluate(style) != other.evaluate(style)   # seen, not only announced

    other.click()   # Dash's navigation: the address changes without a reload
    expect(page).to_have_url(re.compile(r"/temaer$"))
    expect(page.locator(".hovednav a[aria-current='page']")).to_have_text(["Temaer"])
    assert current.get_attribute("aria-current") is None
    page.locator(".tema-kort h2 a").first.click()   # a theme's page is in the section Temaer
    expect(page).to_have_url(re.compile(r"/tema/"))
    expect(page.locator(".hovednav a[aria-current='page']")).to_have_text(["Temaer"])
    page.go_back()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/noegletal$"))
    expect(page.locator(".hovednav a[aria-current='page']")).to_have_text(["Nøgletal"])
    open_page(page, "/kommune/101", "h1")   # a profile belongs to no section of the menu
    assert current_links(page) == []
    assert page.errors == []


def test_a_year_without_values_collapses_those_figures_to_one_line_each(page):
    open_page(page, "/kommune/751", "article.noegletal-kort")
    population = page.locator("#kort-befolkning\\.indbyggere")
    expect(population).to_be_visible()
    page.locator("#profil-aar").click()
    page.get_by_role("option", name="2025", exact=True).click()
    expect(page).to_have_url(re.compile(r"/kommune/751\?aar=2025$"))
    expect(population).to_have_count(0)
    row = page.locator(".uden-tal-raekke", has_text="Indbyggertal")
    expect(row).to_have_text("Indbyggertal: Ingen tal for 2025 — seneste år 2022")
    assert row.bounding_box()["height"] < 30   # one line, not a tall empty card
    expect(page.locator(".uden-tal-antal").first).to_contain_text("nøgletal har ingen tal for 2025")
    expect(page.locator(".noegletal-kort .status", has_text="Der er ikke et tal")).to_have_count(0)
    row.get_by_role("link").click()   # to the figure in its latest year
    expect(page).to_have_url(re.compile(r"/kommune/751\?omraade=befolkning#kort-befolkning\.indbyggere$"))
    expect(population).to_be_visible()
    assert page.errors == []
