"""The pickers in a real browser (the system Chromium, the app under gunicorn), as a keyboard or mouse user meets
them: typing searches also where a value is chosen, every text is Danish, "Århus" finds Aarhus, the focused picker
has a ring one can see, the header's picker opens a key figure's page, and no letter typed before a list is drawn
is lost."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.test_browser import open_page

pytestmark = pytest.mark.browser

KARAKTER = "Skole: Karaktergennemsnit, 9. klasse (bundne prøver)"


def test_typing_into_a_picker_with_a_value_searches(page):
    open_page(page, "/", "#forside-noegletal")
    picker = page.locator("#forside-noegletal")
    expect(picker).not_to_have_text("")            # a key figure is chosen
    picker.click()
    page.keyboard.type("Karakter")                  # no click into the search field first
    expect(page.get_by_role("option")).to_have_text([KARAKTER])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"noegletal=skole\.karakter"))
    expect(picker).to_have_text(KARAKTER)


# What a user reads or hears: the page's text and the placeholders, titles and labels of its elements.
SHOWN_TEXT = """() => [document.body.innerText,
  ...[...document.querySelectorAll('[placeholder], [title], [aria-label]')]
  .map(el => ['placeholder', 'title', 'aria-label'].map(a => el.getAttribute(a) || '').join(' '))].join(' ')"""


def test_picker_texts_are_danish(page):
    open_page(page, "/brug-i-excel", "#excel-kommune")
    page.locator("#excel-kommune").click()
    search = page.locator("input.dash-dropdown-search")
    expect(search).to_have_attribute("placeholder", "Søg")
    expect(page.get_by_role("button", name="Vælg alle", exact=True)).to_be_visible()
    page.keyboard.type("Atlantis")
    expect(search).to_be_focused()
    expect(page.locator(".dash-dropdown-content")).to_contain_text("Ingen match")
    expect(page.get_by_role("button", name="Ryd søgning")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#excel-kommune .dash-dropdown-clear")).to_have_attribute("title", "Ryd valg")
    shown = page.evaluate(SHOWN_TEXT)
    assert [english for english in ("Search", "No options", "Select", "Clear") if english in shown] == []


def test_header_search_finds_aarhus_as_aarhus_and_opens_a_key_figure(page):
    open_page(page, "/", "#kommunevaelger")
    page.locator("#kommunevaelger").click()
    page.keyboard.type("Århus")
    expect(page.get_by_role("option")).to_have_text(["Aarhus (751)"])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/kommune/751$"))
    expect(page.locator("h1")).to_have_text("Aarhus")
    page.locator("#kommunevaelger").click()
    page.keyboard.type("karakter")                  # at once, as a user does
    expect(page.get_by_role("option")).to_have_text(["Nøgletal: Karaktergennemsnit, 9. klasse (bundne prøver)"])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/noegletal/skole\.karakter$"))
    expect(page.locator("h1")).to_have_text("Karaktergennemsnit, 9. klasse (bundne prøver)")


# The focused element's outline, and the colour it is drawn against: the first opaque background around it.
FOCUS_RING = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  let behind = el.parentElement, colour = 'rgba(0, 0, 0, 0)';
  while (behind && /rgba\\(.*, 0\\)$|transparent/.test(colour = getComputedStyle(behind).backgroundColor)) {
    behind = behind.parentElement;
  }
  return {id: el.id, tag: el.tagName, text: (el.textContent || '').trim().slice(0, 40), style: s.outlineStyle,
          width: parseFloat(s.outlineWidth), colour: s.outlineColor, behind: behind ? colour : 'rgb(255, 255, 255)'};
}"""


def luminance(css: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_focus_stop_up_to_the_front_page_picker_has_a_visible_ring(page):
    """WCAG 2.4.7 and 2.4.11: from the skip link through the header's links, buttons and picker to the front
    page's key-figure picker, each element the Tab key reaches has an outline of at least 2 px, at 3:1 or more
    against what surrounds it."""
    open_page(page, "/", "#forside-noegletal")
    rings = []
    for _ in range(40):
        page.keyboard.press("Tab")
        rings.append(page.evaluate(FOCUS_RING))
        if rings[-1]["id"] == "forside-noegletal":
            break
    assert rings[-1]["id"] == "forside-noegletal"
    assert "kommunevaelger" in [r["id"] for r in rings]
    faint = [r for r in rings if r["style"] == "none" or r["width"] < 2 or contrast(r["colour"], r["behind"]) < 3]
    assert faint == []


# A browser too busy to draw at once: React draws a change (the list a click opens, among others) in a microtask
# after the event that caused it; while `window.drawLate` is set, that waits so many milliseconds instead.
DRAW_LATE = """(() => {
  const soon = window.queueMicrotask.bind(window);
  window.drawLate = 0;
  window.queueMicrotask = (job) => window.drawLate ? setTimeout(job, window.drawLate) : soon(job);
})()"""


def test_letters_typed_before_the_list_is_drawn_are_kept(page):
    """A user clicks the header's picker and types at once, on a machine so busy that the list is drawn 100 ms
    after the click and each key's release is handled 300 ms after its press: the first letter, pressed on the
    picker's button before there is a list, is kept and comes first."""
    page.add_init_script(DRAW_LATE)
    open_page(page, "/", "#kommunevaelger")
    page.evaluate("() => { window.drawLate = 100 }")
    page.locator("#kommunevaelger").click()
    for letter in "Aarh":                           # no wait for the list
        page.keyboard.press(letter, delay=300)
    page.evaluate("() => { window.drawLate = 0 }")
    expect(page.locator("input.dash-dropdown-search")).to_have_value("Aarh")
    expect(page.get_by_role("option")).to_have_text(["Aarhus (751)"])
