"""The key-figure catalogue and a key figure's page in a real browser (the system Chromium, the app under gunicorn).

Typing in the search narrows the list as you type, the address follows without a page render (the field keeps
the focus), and a reload, the back button or a shared link shows the same list. A figure's page draws its three
charts; the year picker and a click on the map navigate. No serious accessibility findings, no script errors.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import run_axe, serious, wait_for_dash
from tests.test_browser import POINT_IN_MUNICIPALITY, open_page

pytestmark = pytest.mark.browser

ROWS = ".katalogtabel tbody tr"
SEARCH = "#katalog-soeg"
RANKING_BARS = "#noegletal-rangering .barlayer .point"
MAP_FILLS = "#noegletal-kort .scatterlayer path.js-fill"
TREND_LINES = "#noegletal-udvikling .scatterlayer .trace"


def figure_ids(page: Page) -> list[str]:
    return page.locator(".katalog-titel").evaluate_all(
        "links => links.map(a => a.getAttribute('href').replace('/noegletal/', ''))")


def choose_option(page: Page, control: str, option: str) -> None:
    page.locator(control).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_search_narrows_the_list_as_you_type_and_survives_a_reload(page):
    open_page(page, "/noegletal", ROWS)
    expect(page).to_have_title("Nøgletal – Kend din kommune")
    expect(page.locator("h1")).to_have_text("Nøgletal")
    total = page.locator(ROWS).count()
    assert total > 40
    expect(page.locator("#katalog-antal")).to_have_text(f"{total} af {total} nøgletal")
    assert [i for i in figure_ids(page) if i.startswith("ubu.")] == []

    page.get_by_label("Søg i titel og definition").click()
    page.keyboard.type("ledighed", delay=40)

    def shows_ledighed():   # both unemployment figures, Jobindsats' and DST's, and the index that uses one
        expect(page.locator("#katalog-antal")).to_have_text(f"3 af {total} nøgletal")
        expect(page.locator(ROWS)).to_have_count(3)
        assert set(figure_ids(page)) == {"beskaeftigelse.ledighed", "beskaeftigelse.fuldtidsledighed",
                                         "befolkning.socio_indeks"}

    shows_ledighed()
    expect(page).to_have_url(re.compile(r"/noegletal\?q=ledighed$"))
    expect(page.locator(SEARCH)).to_be_focused()          # no page render while typing
    wait_for_dash(page)
    page.reload()
    page.locator(ROWS).first.wait_for()
    expect(page.locator(SEARCH)).to_have_value("ledighed")
    shows_ledighed()

    choose_option(page, "#katalog-data", "Kun rigtige data")
    expect(page.locator(ROWS)).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/noegletal\?q=ledighed&data=rigtige$"))
    expect(page.locator("#katalog-antal")).to_have_text(f"2 af {total} nøgletal")


def test_the_menu_link_after_a_search_shows_the_whole_list_again(page):
    open_page(page, "/noegletal", ROWS)
    total = page.locator(ROWS).count()
    page.locator(SEARCH).click()
    page.keyboard.type("normering", delay=40)
    expect(page.locator(ROWS)).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/noegletal\?q=normering$"))
    wait_for_dash(page)
    page.locator(".hovednav").get_by_role("link", name="Nøgletal").click()
    expect(page).to_have_url(re.compile(r"/noegletal$"))
    expect(page.locator(SEARCH)).to_have_value("")
    expect(page.locator(ROWS)).to_have_count(total)


def test_no_match_says_so_and_offers_the_whole_list(page):
    open_page(page, "/noegletal?q=anbragte", "#katalog-antal")
    expect(page.locator(ROWS)).to_have_count(0)
    expect(page.locator("#katalog-liste")).to_contain_text("Ingen nøgletal passer til søgningen")
    wait_for_dash(page)
    page.locator("#katalog-liste").get_by_role("link", name="vis alle nøgletal").click()
    expect(page).to_have_url(re.compile(r"/noegletal$"))
    expect(page.locator(SEARCH)).to_have_value("")
    expect(page.locator("#katalog-antal")).to_have_text(re.compile(r"^(\d+) af \1 nøgletal$"))
    assert page.locator(ROWS).count() > 40


def test_area_filter_and_back_from_a_figure_keeps_the_list(page):
    open_page(page, "/noegletal", ROWS)
    choose_option(page, "#katalog-omraade", "Skole")
    expect(page).to_have_url(re.compile(r"/noegletal\?omraade=skole$"))
    expect(page.locator(".katalog-omraade h2")).to_have_count(1)
    assert all(i.startswith("skole.") for i in figure_ids(page))
    wait_for_dash(page)
    page.get_by_role("link", name="Karaktergennemsnit, 9. klasse (bundne prøver)").click()
    expect(page).to_have_url(re.compile(r"/noegletal/skole\.karakter$"))
    expect(page.locator("h1")).to_have_text("Karaktergennemsnit, 9. klasse (bundne prøver)")
    wait_for_dash(page)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/noegletal\?omraade=skole$"))
    expect(page.locator(".katalog-omraade h2")).to_have_count(1)
    expect(page.locator("#katalog-omraade")).to_contain_text("Skole")


def test_figure_page_draws_its_three_charts(page):
    open_page(page, "/noegletal", ROWS)
    page.get_by_role("link", name="Registreret ledighed, månedlig (Jobindsats)", exact=True).click()
    expect(page).to_have_url(re.compile(r"/noegletal/beskaeftigelse\.ledighed$"))
    expect(page).to_have_title("Registreret ledighed, månedlig (Jobindsats) – Kend din kommune")
    expect(page.locator("h1")).to_have_text("Registreret ledighed, månedlig (Jobindsats)")
    page.locator(MAP_FILLS).first.wait_for()   # the page's first chart also fetches Plotly (web/static.py)
    expect(page.locator(MAP_FILLS)).to_have_count(98)
    expect(page.locator(RANKING_BARS)).to_have_count(98)
    expect(page.locator(TREND_LINES)).to_have_count(6)
    for graph in ("#noegletal-rangering", "#noegletal-kort", "#noegletal-udvikling"):
        expect(page.locator(f"{graph} .gtitle")).to_have_text("Registreret ledighed, månedlig (Jobindsats)")
    expect(page.locator(".noegletal-info")).to_contain_text("Lavere er bedre")
    expect(page.get_by_role("link", name="Datastatus for beskæftigelse")).to_have_attribute(
        "href", "/datastatus#beskaeftigelse")


# What the visitor sees of one year: the level, the ranking's bars and the map's colours and hover texts, the titles.
YEAR_SHOWN = """() => {
  const gd = (id) => document.querySelector(id + ' .js-plotly-plot');
  const [rank, map] = [gd('#noegletal-rangering'), gd('#noegletal-kort')];
  return {level: document.querySelector('#noegletal-niveau').innerText,
          bars: [rank.data[0].x, rank.data[0].y], titles: [rank.layout.title, map.layout.title],
          fills: map.data.map(t => [t.fillcolor, t.hovertemplate]), colourbar: map.data[map.data.length - 1].marker,
          downloads: [...document.querySelectorAll('.hent a')].map(a => a.href)};
}"""


def test_year_picker_is_in_the_url_and_shows_what_a_reload_shows(page):
    open_page(page, "/noegletal/skole.karakter", MAP_FILLS)
    choose_option(page, "#noegletal-aar", "2019")
    expect(page).to_have_url(re.compile(r"/noegletal/skole\.karakter\?aar=2019$"))

    def shows_2019():
        expect(page.locator("#noegletal-aar")).to_have_text("2019")
        expect(page.get_by_role("heading", name="Niveau i 2019")).to_be_visible()
        expect(page.locator("#noegletal-rangering")).to_contain_text("2019")
        expect(page.locator("#noegletal-kort .gtitle-subtitle")).to_contain_text("2019")
        wait_for_dash(page)
        return page.evaluate(YEAR_SHOWN)

    patched = shows_2019()
    page.reload()
    page.locator(MAP_FILLS).first.wait_for()
    assert shows_2019() == patched
    page.go_back()
    expect(page).to_have_url(re.compile(r"/noegletal/skole\.karakter$"))
    expect(page.get_by_role("heading", name="Niveau i 2025")).to_be_visible()


def test_click_on_the_map_opens_that_profile(page):
    open_page(page, "/noegletal/befolkning.taethed", MAP_FILLS)
    expect(page.locator(MAP_FILLS)).to_have_count(98)
    page.locator("#noegletal-kort").scroll_into_view_if_needed()
    point = page.evaluate(POINT_IN_MUNICIPALITY.replace("#forside-kort", "#noegletal-kort"), "461")
    assert point is not None and point["name"] == "Odense"
    page.mouse.click(point["x"], point["y"])
    expect(page).to_have_url(re.compile(r"/kommune/461$"))
    expect(page.locator("h1")).to_have_text("Odense")


def test_restricted_figure_shows_the_danish_404(page):
    page.goto("/noegletal/ubu.anbragte")
    expect(page.locator("h1")).to_have_text("Nøgletallet findes ikke")
    expect(page.locator(".fejlside")).to_contain_text("«ubu.anbragte»")
    expect(page.locator(".fejlside").get_by_role("link", name="Se alle nøgletal")).to_have_attribute(
        "href", "/noegletal")
    expect(page.locator(".js-plotly-plot")).to_have_count(0)


@pytest.mark.parametrize(("path", "ready"), [("/noegletal", ROWS), ("/noegletal?q=zzzz", "#katalog-antal"),
                                             ("/noegletal/beskaeftigelse.ledighed", MAP_FILLS),
                                             ("/noegletal/befolkning.indbyggere", MAP_FILLS)])
def test_no_serious_accessibility_violations_and_no_script_errors(page, path, ready):
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    open_page(page, path, ready)
    assert serious(run_axe(page)) == []
    assert page.errors == []
    assert console_errors == []
