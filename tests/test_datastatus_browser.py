"""/datastatus in the system Chromium against the app under gunicorn: Danish numbers, every visible area, the
anchor of a data area, and no serious accessibility findings."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import run_axe, serious, wait_for_dash

pytestmark = pytest.mark.browser

PUBLIC_AREAS = ["befolkning", "oekonomi", "personale", "skole", "dagtilbud", "aeldre", "sundhed", "handicap",
                "beskaeftigelse", "demokrati"]
# A share in Danish notation: "87 pct.", "99,2 pct.", "over 99,9 pct.".
DANISH_SHARE = re.compile(r"^((over|under) )?\d{1,3}(,\d)? pct\.$")
DANISH_THOUSANDS = re.compile(r"\b\d{1,3}(\.\d{3})+\b")
DANISH_DATE = re.compile(r"^\d{1,2}\. (januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|"
                         r"december) \d{4}$")


def open_status(page, path: str = "/datastatus") -> None:
    page.goto(path)
    page.locator("section.ds-omraade").first.wait_for(state="visible")
    wait_for_dash(page)


def test_status_page_in_danish_with_every_area_and_no_serious_axe_findings(page):
    open_status(page)
    expect(page.locator("h1")).to_have_text("Kan vi stole på tallene?")
    expect(page).to_have_title("Datastatus – Kend din kommune")
    assert page.locator("section.ds-omraade").evaluate_all("s => s.map(e => e.id)") == PUBLIC_AREAS
    expect(page.locator("#ubu")).to_have_count(0)

    answer = page.locator(".ds-svar")
    expect(answer).to_contain_text("af nøgletallene er demodata")
    numbers = answer.locator(".ds-tal").all_inner_texts()
    assert DANISH_DATE.match(numbers[0]), numbers
    assert DANISH_SHARE.match(numbers[1]) and DANISH_SHARE.match(numbers[2]), numbers
    assert DANISH_THOUSANDS.search(answer.inner_text()), "no thousands point in the answer"
    shares = page.locator("section.ds-omraade .ds-flise").filter(has_text="Dækning").locator(".ds-tal")
    expect(shares).to_have_count(len(PUBLIC_AREAS))
    assert [s for s in shares.all_inner_texts() if not DANISH_SHARE.match(s)] == []
    assert any("," in s for s in shares.all_inner_texts()), "no decimal comma in the coverage"

    expect(page.locator("#ds-validering")).to_contain_text("Fejl stopper en indlæsning; advarsler vises her.")
    page.locator("#ds-validering summary").click()
    expect(page.locator("table.ds-fund tbody tr")).to_have_count(50)
    assert "ubu." not in page.content()
    assert page.errors == []
    assert serious(run_axe(page)) == []


def test_an_area_anchor_scrolls_to_its_section(page):
    open_status(page, "/datastatus#skole")
    expect(page.locator("#skole")).to_be_in_viewport()
    expect(page.locator("#skole h3")).to_have_text("Skole")
