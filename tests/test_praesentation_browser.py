"""Presentation mode in a real browser (the system Chromium, the app under gunicorn), as a webinar host sees it at
1280×720: chart text large, chrome hidden, the keys step through the sections with the step in the address, a
reload keeping it and Escape leaving; and the ordinary header's height on a shared screen, 1280×720 and 150 % zoom
(853×480 CSS px), where the links fold into a menu, as they do on a phone."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import run_axe, wait_for_dash
from tests.test_browser import serious

pytestmark = pytest.mark.browser

SHARED_SCREEN = {"width": 1280, "height": 720}
ZOOMED = {"width": 853, "height": 480}   # 1280×720 at 150 %
PHONE = {"width": 390, "height": 844}
CHART_TEXTS = """() => [...document.querySelectorAll('.js-plotly-plot svg text')]
    .filter(t => t.textContent.trim() && t.getClientRects().length)
    .map(t => [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize)])"""
STEP = "() => new URL(location.href).searchParams.get('trin')"   # the step in the address


def open_shown(page: Page, path: str) -> None:
    page.goto(path)
    page.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible")
    wait_for_dash(page)


def section_top(page: Page, heading: str) -> float:
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True)).first \
        .evaluate("el => el.getBoundingClientRect().top")


@pytest.mark.parametrize("path", ["/kommune/101?omraade=befolkning&visning=praesentation",
                                  "/tema/rekruttering?kommune=101&visning=praesentation"])
def test_presentation_shows_chart_text_of_at_least_18_px_without_chrome(page: Page, path):
    page.set_viewport_size(SHARED_SCREEN)
    open_shown(page, path)
    texts = page.evaluate(CHART_TEXTS)
    assert texts and min(size for _, size in texts) >= 18, sorted(texts, key=lambda t: t[1])[:5]
    for chrome in (".topbar", ".hovednav", ".sidefod", ".kontroller"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.get_by_role("link", name="Afslut præsentation")).to_be_visible()
    assert page.errors == []


@pytest.mark.parametrize("path", ["/?visning=praesentation",
                                  "/noegletal/beskaeftigelse.ledighed?visning=praesentation"])
def test_presentation_enlarges_the_charts_its_callbacks_draw(page: Page, path):
    """The front page's map and the key figure page's ranking and map are redrawn by callbacks (another year, an
    address from back or forward): those charts too keep the large type once the callbacks have drawn them."""
    page.set_viewport_size(SHARED_SCREEN)
    open_shown(page, path)
    older = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].length")
    page.evaluate("""() => {   // an older year, as back or forward would show it
        window.history.pushState({}, '', location.pathname + '?aar=2023&visning=praesentation');
        window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
    }""")
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot svg text')]"
                           ".some(t => t.textContent.includes('arbejdsstyrken, 2023'))")
    wait_for_dash(page)
    texts = page.evaluate(CHART_TEXTS)
    assert page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].length") == older
    assert texts and min(size for _, size in texts) >= 18, sorted(texts, key=lambda t: t[1])[:5]
    assert page.errors == []


def test_keys_step_through_the_sections_the_address_follows_and_a_reload_keeps_it(page: Page):
    page.set_viewport_size(SHARED_SCREEN)
    open_shown(page, "/tema/rekruttering?kommune=101&visning=praesentation")
    first = page.locator("section.tema-afsnit h2").first.inner_text()
    page.keyboard.press("PageDown")   # the summary
    page.keyboard.press("ArrowRight")   # the first section
    assert page.evaluate(STEP) == "2"
    assert abs(section_top(page, first)) <= 1
    page.keyboard.press("ArrowDown")   # its first card
    page.keyboard.press("PageUp")
    assert page.evaluate(STEP) == "2" and abs(section_top(page, first)) <= 1
    page.reload()
    page.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible")
    wait_for_dash(page)
    page.wait_for_function("() => window.scrollY > 0")
    assert page.evaluate(STEP) == "2" and abs(section_top(page, first)) <= 1
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(STEP) == "1"
    page.keyboard.press("Escape")
    expect(page.locator(".topbar")).to_be_visible()
    expect(page.get_by_role("link", name="Afslut præsentation")).to_have_count(0)
    assert "visning" not in page.url and "trin" not in page.url
    assert page.errors == []


def test_an_address_pushed_as_the_follow_mode_does_shows_its_step(page: Page):
    """A viewer following a host (assets/foelg.js) is sent the host's address, step included, as a Dash link would
    open it, and then scrolled to the top; the page then shows the host's step."""
    page.set_viewport_size(SHARED_SCREEN)
    open_shown(page, "/tema/rekruttering?kommune=101&visning=praesentation")
    first = page.locator("section.tema-afsnit h2").first.inner_text()
    page.evaluate("""() => {
        window.history.pushState({}, '', location.pathname + location.search + '&trin=2');
        window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
        window.scrollTo(0, 0);
    }""")
    wait_for_dash(page)
    page.wait_for_function("() => window.scrollY > 0")
    assert abs(section_top(page, first)) <= 1
    page.keyboard.press("ArrowRight")   # and the keys go on from there
    assert page.evaluate(STEP) == "3"


def test_the_header_button_opens_the_view_and_the_page_links_stay_in_it(page: Page):
    page.set_viewport_size(SHARED_SCREEN)
    page.goto("/kommune/101")
    page.locator("article.noegletal-kort").first.wait_for(state="visible")
    wait_for_dash(page)
    page.get_by_role("button", name="Præsentation").click()
    expect(page.locator(".topbar")).to_be_hidden()
    assert page.url.endswith("/kommune/101?visning=praesentation")
    page.keyboard.press("PageDown")
    page.get_by_role("link", name="Åbn skole i dybden").click()   # an area in depth, still presented
    expect(page).to_have_url(re.compile(r"/kommune/101\?omraade=skole&visning=praesentation$"))
    expect(page.get_by_role("link", name="Afslut præsentation")).to_be_visible()
    assert page.evaluate("() => window.scrollY") == 0



@pytest.mark.parametrize("viewport, most", [(SHARED_SCREEN, 120), (ZOOMED, 80), (PHONE, 100)])
def test_the_header_leaves_a_shared_screen_to_the_page(page: Page, viewport, most):
    page.set_viewport_size(viewport)
    page.goto("/kommune/101")
    page.locator(".topbar").wait_for(state="visible")
    wait_for_dash(page)
    height = page.locator(".topbar").evaluate("el => el.getBoundingClientRect().height")
    print(f"header height at {viewport['width']}×{viewport['height']}: {height:.0f} px")
    assert height <= most
    links = page.locator(".hovednav")
    if viewport == SHARED_SCREEN:
        expect(links.get_by_role("link", name="Temaer")).to_be_visible()
    else:   # folded into the menu
        expect(links).to_be_hidden()
        page.get_by_role("button", name="Menu").click()
        links.get_by_role("link", name="Temaer").click()
        expect(page).to_have_url(re.compile(r"/temaer$"))
        expect(links).to_be_hidden()


def test_the_host_moves_to_another_data_area_with_the_views_own_menu(page: Page):
    """The profile's data-area tabs sit among the pickers the view hides; the view's corner has them as a menu, so a
    host goes from one area to the next by keyboard without leaving the view, and the next area starts at its head."""
    page.set_viewport_size(SHARED_SCREEN)
    open_shown(page, "/kommune/101?omraade=befolkning&visning=praesentation")
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")
    assert page.evaluate(STEP) == "2"
    menu = page.get_by_role("navigation", name="Dataområder")
    for _ in range(5):   # the view's own controls are the first a host tabs to
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('.praesentation-menu summary')"):
            break
    expect(page.locator(".praesentation-menu summary")).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    assert serious(run_axe(page)) == []
    link = menu.get_by_role("link", name="Skole", exact=True)
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/kommune/101\?omraade=skole&visning=praesentation$"))
    page.get_by_role("heading", name="Skole", exact=True).wait_for()
    page.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible")
    wait_for_dash(page)
    assert page.evaluate(STEP) is None and page.evaluate("() => window.scrollY") == 0   # step 0
    for chrome in (".topbar", ".hovednav", ".sidefod", ".kontroller"):
        expect(page.locator(chrome).first).to_be_hidden()
    texts = page.evaluate(CHART_TEXTS)
    assert texts and min(size for _, size in texts) >= 18, sorted(texts, key=lambda t: t[1])[:5]
    page.keyboard.press("PageDown")   # and the keys step through the new area from its head
    assert page.evaluate(STEP) == "1"
    assert page.errors == []


def test_the_front_pages_map_is_a_step_that_fits_the_shared_screen(page: Page):
    """The front page's map, one step on, fills the screen with its titles, plot and colour bar, and nothing is cut
    off (the browser's own "min kommune" picker, the host's and not the audience's, is not shown in the view)."""
    page.set_viewport_size(SHARED_SCREEN)
    open_shown(page, "/?visning=praesentation")
    expect(page.get_by_role("region", name="Vælg din kommune")).to_be_hidden()
    page.keyboard.press("PageDown")
    assert page.evaluate(STEP) == "1"
    box = page.evaluate("""() => Object.fromEntries(
        ['figure.kort', '#forside-kort .nsewdrag', '#forside-kort .colorbar']
        .map(s => [s, document.querySelector(s).getBoundingClientRect().toJSON()]))""")
    card, plot, scale = box["figure.kort"], box["#forside-kort .nsewdrag"], box["#forside-kort .colorbar"]
    assert abs(card["top"]) <= 1 and card["bottom"] <= SHARED_SCREEN["height"], card
    assert plot["top"] - card["top"] <= 220, plot   # the titles, not an empty margin, above the map
    assert plot["height"] >= 0.6 * SHARED_SCREEN["height"], plot
    assert scale["bottom"] <= SHARED_SCREEN["height"] and scale["right"] <= card["right"], scale


def test_the_comparison_matrix_is_one_readable_screen_with_the_hosts_municipality_named(page: Page):
    """The matrix of 98 × 98 is a picture of which municipalities are alike, not a table to read row by row (its
    Tabel is that): in the view it is one step that fits the screen, its row and column labels far enough apart to
    read at 18 px, and the host's municipality (København, outlined) always named on both axes."""
    page.set_viewport_size(SHARED_SCREEN)
    open_shown(page, "/sammenligning?kommune=101&sammenligningsomraade=skole&fane=matrice&visning=praesentation")
    card = page.locator("figure.matrice")
    page.keyboard.press("PageDown")   # the step after the page's head
    box = card.evaluate("el => el.getBoundingClientRect().toJSON()")
    assert abs(box["top"]) <= 1 and box["bottom"] <= SHARED_SCREEN["height"], box
    for axis, place in (("ytick", "y"), ("xtick", "x")):
        labels = card.locator(f".{axis} text").evaluate_all(
            f"""els => els.filter(t => t.textContent.trim()).map(t => [t.textContent.trim(),
                t.getBoundingClientRect()['{place}'], parseFloat(getComputedStyle(t).fontSize)])""")
        assert "København" in [name for name, _, _ in labels], labels
        assert min(size for _, _, size in labels) >= 18
        places = sorted(at for _, at, _ in labels)
        assert min(b - a for a, b in zip(places, places[1:])) >= 20, labels   # not drawn over each other
    assert page.errors == []


@pytest.mark.parametrize("path", [
    "/?visning=praesentation", "/kommune/101?omraade=skole&visning=praesentation",
    "/noegletal/beskaeftigelse.ledighed?visning=praesentation",
    "/sammenligning?kommune=101&visning=praesentation", "/temaer?visning=praesentation",
    "/tema/rekruttering?kommune=101&visning=praesentation", "/noegletal?visning=praesentation",
    "/datastatus?visning=praesentation", "/tabel?noegletal=skole.karakter&kommune=101,147&visning=praesentation"])
def test_every_kind_of_page_stays_in_the_view_without_chrome_or_text_cut_off(page: Page, path):
    page.set_viewport_size(SHARED_SCREEN)
    page.goto(path)
    page.locator(".praesentation").wait_for()
    wait_for_dash(page)
    page.wait_for_timeout(500)   # a callback that would move the page on has had its chance
    assert page.evaluate("() => location.pathname + location.search") == path
    for chrome in (".topbar", ".sidefod", ".kontroller"):
        expect(page.locator(chrome).first).to_be_hidden()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= SHARED_SCREEN["width"]
    assert page.errors == []
