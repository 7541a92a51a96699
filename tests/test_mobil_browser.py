"""The app on a phone (issue 22, Build item 4), in the system Chromium emulating a phone against the app under
gunicorn: no page scrolls sideways at 360 and 390 px (a wide table scrolls in its own box instead)."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import wait_for_dash

pytestmark = pytest.mark.browser

PHONES = [{"width": 360, "height": 740}, {"width": 390, "height": 844}]
# Every public page, and the profile and comparison in the states with the widest content.
PUBLIC_PAGES = ["/", "/kommune/101", "/kommune/101?omraade=skole", "/kommune/101?omraade=oekonomi",
                "/kommune/851?omraade=beskaeftigelse", "/sammenligning", "/sammenligning?kommune=101", "/temaer",
                "/tema/rekruttering?kommune=101", "/noegletal", "/noegletal/befolkning.indbyggere", "/datastatus",
                "/brug-i-excel", "/login", "/findes-ikke"]

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

