"""axe-core on every page (issue 22, Must show), in the system Chromium against the app under gunicorn, on a laptop
(1366 × 900) and on a phone (390 × 844), by WCAG 2.2 A and AA and best practice: no serious or critical finding
anywhere; lesser findings are printed.

Every public page in the states a visitor reaches: the front page, the profile and one data area, what is new, the
comparison (and its matrix), the themes, the key figures (searched, one figure, and in the index view of two chosen
municipalities), the data status, the Excel guide, the API documentation, sign-in, the 404 page, and a key figure's
chart switched to its table. One browser and one server for the module; the pages of one width run in a loop.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser import AXE_RULESETS, run_axe, wait_for_dash
from tests.test_browser import serious

pytestmark = pytest.mark.browser

# WCAG 2.2 AA and axe's experimental rules as well, as Lighthouse checks them: the target size (24 × 24 px, or
# spaced) matters most on a phone, and td-has-header (every data cell of a large table has a header) is experimental.
RULESETS = [*AXE_RULESETS, "wcag22aa", "experimental"]
SIZES = {"1366px": {"width": 1366, "height": 900}, "390px": {"width": 390, "height": 844}}
PAGES = ["/", "/kommune/101", "/kommune/101?omraade=skole", "/kommune/101/nyt", "/sammenligning?kommune=101",
         "/sammenligning?kommune=101&fane=matrice", "/temaer", "/tema/rekruttering?kommune=101", "/noegletal",
         "/noegletal?q=sygefravær", "/noegletal/skole.karakter",
         "/noegletal/skole.karakter?kommuner=101,751&skala=indeks", "/datastatus", "/brug-i-excel",
         "/api/dokumentation", "/login", "/findes-ikke", "/tabel?noegletal=skole.karakter&kommune=101,751"]
# The key figure's ranking chart, switched to its table (the Diagram | Tabel twin).
TABLE_PAGE, RANKING = "/noegletal/skole.karakter", "figure:has(#noegletal-rangering)"


def settled(page: Page, path: str) -> None:
    """Load `path` and wait until the content is shown and, on a Dash page, every callback has run."""
    page.goto(path)
    page.locator("main, .indhold").first.wait_for(state="visible")
    if page.locator("#react-entry-point").count():
        wait_for_dash(page)


def findings(page: Page, label: str) -> list[str]:
    """The page's serious and critical axe findings; the lesser ones are printed."""
    violations = run_axe(page, RULESETS)
    for v in violations:
        if v["impact"] not in ("serious", "critical"):
            print(f"{label}: {v['id']} ({v['impact']}) on {len(v['nodes'])} node(s): {v['help']}")
    return [f"{label}: {f}" for f in serious(violations)]


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_no_page_has_a_serious_accessibility_finding(browser, live_server, size):
    context = browser.new_context(base_url=live_server, viewport=size, is_mobile=size["width"] < 600,
                                  has_touch=size["width"] < 600, locale="da-DK")
    context.set_default_timeout(30_000)
    page = context.new_page()
    found = []
    try:
        for path in PAGES:
            settled(page, path)
            found += findings(page, path)
        settled(page, TABLE_PAGE)
        page.locator(RANKING).get_by_role("button", name="Tabel").click()
        page.locator(f"{RANKING} .tvilling-tabel table").wait_for(state="visible")
        found += findings(page, TABLE_PAGE + " (Tabel)")
    finally:
        context.close()
    assert found == [], "\n".join(found)
