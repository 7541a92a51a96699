"""The theme page and a profile's area in depth on a phone, and "min kommune" as the header's first choice (issue 22,
items 3 and 4), in the system Chromium against the app under gunicorn.

On a phone (390×844) the theme's sections and the depth view's key figures fold under their headings, the first
open, every heading reachable by keyboard, the page no wider than the screen; on a laptop, in print and in the
presentation view every section is open. A municipality chosen on the front page is the header search's first
option after a reload, and the themes and the comparison open on it unless the address names another.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.test_browser import open_page, pick
from tests.test_mobil_browser import PHONES, SIDEWAYS, phone, settled

pytestmark = pytest.mark.browser

PHONE = PHONES[1]   # 390×844
HEIGHT = "() => document.scrollingElement.scrollHeight"
OPEN_ALL = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"
# The pages that fold, the sections whose headings fold them, and the first heading under the page's head.
FOLDING = [("/tema/rekruttering?kommune=101", "section.tema-afsnit", ".opsummering h2"),
           ("/kommune/101?omraade=skole", "section.dybde-afsnit", "section.omraade > details > summary")]


def headings_reached_by_tab(page: Page, selector: str, presses: int = 400) -> set[str]:
    """The texts of the summaries of `selector`'s sections that pressing Tab from the top of the page focuses."""
    wanted = set(page.locator(f"{selector} summary").all_inner_texts())
    page.locator("body").focus()
    reached: set[str] = set()
    for _ in range(presses):
        page.keyboard.press("Tab")
        reached.add(page.evaluate(f"() => document.activeElement.matches('{selector} summary') "
                                  "? document.activeElement.innerText : ''"))
        if wanted <= reached:
            break
    return wanted & reached


@pytest.mark.parametrize(("path", "sections", "first"), FOLDING)
def test_on_a_phone_the_page_folds_into_sections_each_heading_a_key_that_opens_it(browser, live_server, path,
                                                                                   sections, first):
    with phone(browser, live_server, PHONE) as page:
        settled(page, path)
        count = page.locator(sections).count()
        folded = page.evaluate(HEIGHT)
        found = page.evaluate(SIDEWAYS)
        assert found["scroll"] <= found["window"], f"{path} is {found['scroll']} px wide: {found['widest']}"
        first_heading = page.locator(first).first.bounding_box()
        expect(page.locator(f"{sections} > details[open]")).to_have_count(1)   # the first; the others folded
        assert page.locator(f"{sections} > details").first.get_attribute("open") is not None

        assert headings_reached_by_tab(page, sections) == set(page.locator(f"{sections} summary").all_inner_texts())
        page.evaluate("() => { window.ikkeGenindlaest = true; }")
        last = page.locator(f"{sections} summary").last
        last.focus()
        page.keyboard.press("Enter")   # opens it, in the page: no reload, no new address
        expect(page.locator(f"{sections} > details").last).to_have_attribute("open", "")
        assert page.evaluate("() => window.ikkeGenindlaest === true") and page.url.endswith(path)

        page.evaluate(OPEN_ALL)
        unfolded = page.evaluate(HEIGHT)
    print(f"{path} at 390 px: {count} sections, {folded} px folded against {unfolded} px open "
          f"({unfolded / folded:.1f} times), the first heading under the head ends at "
          f"{first_heading['y'] + first_heading['height']:.0f} px")
    assert count >= 4 and folded * 2.5 <= unfolded
    assert first_heading["y"] + first_heading["height"] <= 0.75 * PHONE["height"]   # the head fills no screen


@pytest.mark.parametrize(("path", "sections", "_"), FOLDING)
def test_on_a_laptop_in_print_and_in_the_presentation_every_section_is_open(browser, live_server, page, path,
                                                                            sections, _):
    settled(page, path)
    count = page.locator(sections).count()
    expect(page.locator(f"{sections} > details[open]")).to_have_count(count)
    with phone(browser, live_server, PHONE) as small:
        settled(small, path)
        small.emulate_media(media="print")
        expect(small.locator(f"{sections} .graf").last).to_be_visible()
        settled(small, path + "&visning=praesentation")
        expect(small.locator(f"{sections} > details[open]")).to_have_count(count)


def test_min_kommune_chosen_on_the_front_page_is_the_headers_first_choice_and_opens_the_themes(page):
    open_page(page, "/", "#forside-kort")
    invitation = page.get_by_role("region", name="Vælg din kommune")
    expect(invitation).to_be_visible()
    pick(page, "Aarhus", "Aarhus (751)", "#forside-min-vaelger")
    expect(invitation).to_be_hidden()
    expect(page.locator("#forside-min-kommune")).to_contain_text("Min kommune: Aarhus")

    page.reload()
    page.locator("#kommunevaelger").click()
    expect(page.get_by_role("option").first).to_have_text("Min kommune: Aarhus")
    page.get_by_role("option").first.click()
    expect(page).to_have_url(re.compile(r"/kommune/751$"))
    expect(page.locator("h1")).to_have_text("Aarhus")

    open_page(page, "/tema/rekruttering", "h1")
    expect(page).to_have_url(re.compile(r"/tema/rekruttering\?kommune=751$"))
    expect(page.locator("h1")).to_contain_text("Aarhus")
    open_page(page, "/sammenligning", "h1")
    expect(page).to_have_url(re.compile(r"/sammenligning\?kommune=751$"))
    expect(page.locator(".gruppe h2").first).to_contain_text("Aarhus")
    open_page(page, "/sammenligning?kommune=101", "h1")   # an address with a municipality always wins
    expect(page.locator(".gruppe h2").first).to_contain_text("København")
    open_page(page, "/tema/rekruttering?kommune=101", "h1")
    expect(page.locator("h1")).to_contain_text("København")
    assert page.errors == []
