"""The app on a phone (issue 22, Build item 4), in the system Chromium emulating a phone against the app under
gunicorn: no page scrolls sideways at 360 and 390 px (a wide table scrolls in its own box instead)."""
from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import wait_for_dash

pytestmark = pytest.mark.browser

PHONES = [{"width": 360, "height": 740}, {"width": 390, "height": 844}]
# Every public page, and the profile and comparison in the states with the widest content.
PUBLIC_PAGES = ["/", "/kommune/101", "/kommune/101?omraade=skole", "/kommune/101?omraade=oekonomi",
                "/kommune/851?omraade=beskaeftigelse", "/sammenligning", "/sammenligning?kommune=101", "/temaer",
                "/tema/rekruttering?kommune=101", "/noegletal", "/noegletal/befolkning.indbyggere", "/datastatus",
                "/brug-i-excel", "/tabel?noegletal=skole.karakter,befolkning.taethed&kommune=000,101,751", "/login",
                "/findes-ikke"]

# The document's width against the layout viewport's (a phone's browser widens the window to fit a too wide page, so
# window.innerWidth is no measure), and, when it is wider, the outermost elements that reach past the right edge and
# are not inside a box that clips or scrolls on its own (such an element does not widen the page).
SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + [...e.classList].slice(0, 3).map(c => '.' + c).join('');
  const past = e => e.getBoundingClientRect().right > width + 0.5;
  const clipped = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
                           if (getComputedStyle(a).overflowX !== 'visible') return true;
                         return false; };
  const widest = [...document.body.querySelectorAll('*')]
    .filter(e => past(e) && !(e.parentElement && past(e.parentElement)) && !clipped(e))
    .map(e => `${name(e)} (${Math.round(e.getBoundingClientRect().right)} px)`).slice(0, 5);
  return {scroll: document.scrollingElement.scrollWidth, window: width, widest: widest};
}"""


@contextlib.contextmanager
def phone(browser: Browser, base_url: str, size: dict) -> Iterator[Page]:
    """A page in a phone's window: `size` in CSS pixels, touch, overlay scroll bars, the page's viewport meta."""
    context = browser.new_context(base_url=base_url, viewport=size, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="da-DK")
    context.set_default_timeout(30_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def settled(page: Page, path: str) -> None:
    page.goto(path)
    page.locator(".indhold").first.wait_for(state="visible")
    if page.locator("#react-entry-point").count():   # a Dash page, not sign-in's
        wait_for_dash(page)
    page.wait_for_timeout(300)   # charts drawn after the last callback resize to their box


@pytest.mark.parametrize("size", PHONES, ids=lambda s: f"{s['width']}px")
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, size, path):
    with phone(browser, live_server, size) as page:
        settled(page, path)
        found = page.evaluate(SIDEWAYS)
    print(f"{path} at {size['width']} px: document {found['scroll']} px wide")
    assert found["scroll"] <= found["window"], f"{path} is {found['scroll']} px wide: {found['widest']}"


# The map's plot area, and its card, on the front page and a key figure's page.
MAPS = [("/", "#forside-kort"), ("/noegletal/befolkning.indbyggere", "#noegletal-kort")]
PLOT_AREA = """(card) => {
  const c = document.querySelector(card), area = c.querySelector('.nsewdrag');
  return {card: c.getBoundingClientRect().width, map: area ? area.getBoundingClientRect().width : 0};
}"""


def danish(text: str) -> float:
    return float(text.split()[0].replace(".", "").replace(",", "."))


@pytest.mark.parametrize(("path", "card"), MAPS)
def test_on_a_phone_the_map_takes_its_cards_width_with_a_sorted_list_of_municipalities_under_it(
        browser, live_server, path, card):
    with phone(browser, live_server, PHONES[1]) as page:
        settled(page, path)
        page.locator(f"{card} .nsewdrag").wait_for()
        page.wait_for_function(f"() => (({PLOT_AREA})('{card}')).map > 0")
        widths = page.evaluate(PLOT_AREA, card)
        print(f"{path}: map {widths['map']:.0f} px wide in a card of {widths['card']:.0f} px")
        assert widths["map"] >= 0.8 * widths["card"]

        listed = page.get_by_role("region", name="Kommunerne sorteret")
        expect(listed).to_be_visible()
        rows = listed.locator("tbody tr")
        expect(rows).to_have_count(98)
        ranks = rows.locator("td.kortliste-rang").all_inner_texts()
        values = [danish(v) for v in rows.locator("td.kortliste-vaerdi").all_inner_texts() if v != "–"]
        assert ranks[0] == "1." and values == sorted(values, reverse=True)
        first = rows.first.get_by_role("link")
        name = first.inner_text()
        first.click()
        expect(page).to_have_url(re.compile(r"/kommune/\d{3}$"))
        expect(page.locator("h1")).to_have_text(name)


def test_the_front_pages_list_follows_the_year_chosen(browser, live_server):
    with phone(browser, live_server, PHONES[1]) as page:
        settled(page, "/?noegletal=befolkning.indbyggere")
        caption = page.locator(".kortliste caption")
        latest = caption.inner_text()
        page.locator("#forside-aar").click()
        page.get_by_role("option").nth(1).click()
        expect(caption).not_to_have_text(latest, timeout=20_000)
        year = re.search(r"/\?noegletal=befolkning.indbyggere&aar=(\d{4})$", page.url)
        assert year and year[1] in caption.inner_text()


def test_on_a_phone_the_profile_is_folded_sections_under_a_compact_head_with_a_jump_menu(browser, live_server):
    with phone(browser, live_server, PHONES[1]) as page:
        settled(page, "/kommune/101")
        sections = page.locator("section.omraade")
        count = sections.count()
        heading = page.locator("#omraade-befolkning summary").bounding_box()
        height = page.evaluate("() => document.scrollingElement.scrollHeight")
        print(f"/kommune/101 at 390 px: the first section's heading ends at {heading['y'] + heading['height']:.0f} px, "
              f"the page is {height} px long")
        assert count > 5 and heading["y"] + heading["height"] <= 0.75 * PHONES[1]["height"]
        expect(page.locator("details.afsnit[open]")).to_have_count(1)   # the first; the others folded
        expect(page.locator("#omraade-befolkning article.noegletal-kort").first).to_be_visible()
        school = page.locator("#omraade-skole article.noegletal-kort").first
        expect(school).to_be_hidden()

        page.locator("#omraade-skole summary").focus()   # by keyboard: Enter opens and closes a section
        page.keyboard.press("Enter")
        expect(school).to_be_visible()
        page.keyboard.press("Enter")
        expect(school).to_be_hidden()

        economy = page.locator("#omraade-oekonomi article.noegletal-kort").first
        page.get_by_role("navigation", name="Gå til dataområde").get_by_role("link", name="Økonomi").click()
        expect(page).to_have_url(re.compile(r"/kommune/101#omraade-oekonomi$"))
        expect(economy).to_be_visible()
        expect(page.locator("#omraade-oekonomi summary")).to_be_in_viewport()

        page.emulate_media(media="print")   # printing shows every section
        expect(school).to_be_visible()
        expect(page.locator("#omraade-demokrati article.noegletal-kort").first).to_be_visible()


def test_on_a_laptop_every_section_of_the_profile_is_open(page):
    settled(page, "/kommune/101")
    sections = page.locator("section.omraade").count()
    expect(page.locator("details.afsnit[open]")).to_have_count(sections)
