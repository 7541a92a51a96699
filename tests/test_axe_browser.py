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

from tests.browser import AXE_RULESETS_WCAG22, axe_findings, axe_walk

pytestmark = pytest.mark.browser

SIZES = {"1366px": {"width": 1366, "height": 900}, "390px": {"width": 390, "height": 844}}
PAGES = ["/", "/kommune/101", "/kommune/101?omraade=skole", "/kommune/101/nyt", "/sammenligning?kommune=101",
         "/sammenligning?kommune=101&fane=matrice", "/temaer", "/tema/rekruttering?kommune=101", "/noegletal",
         "/noegletal?q=sygefravær", "/noegletal/skole.karakter",
         "/noegletal/skole.karakter?kommuner=101,751&skala=indeks", "/datastatus", "/brug-i-excel",
         "/api/dokumentation", "/login", "/findes-ikke", "/tabel?noegletal=skole.karakter&kommune=101,751"]
# The key figure's ranking chart, switched to its table (the Diagram | Tabel twin).
TABLE_PAGE, RANKING = "/noegletal/skole.karakter", "figure:has(#noegletal-rangering)"


def twin_table(page: Page, path: str) -> list[str]:
    """On the key figure's page, its ranking chart switched to its table, and that table's findings."""
    if path != TABLE_PAGE:
        return []
    page.locator(RANKING).get_by_role("button", name="Tabel").click()
    page.locator(f"{RANKING} .tvilling-tabel table").wait_for(state="visible")
    return axe_findings(page, TABLE_PAGE + " (Tabel)", AXE_RULESETS_WCAG22)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_no_page_has_a_serious_accessibility_finding(browser, live_server, size):
    found = axe_walk(browser, live_server, PAGES, viewport=size, locale="da-DK", rulesets=AXE_RULESETS_WCAG22,
                     also=twin_table)
    assert found == [], "\n".join(found)
