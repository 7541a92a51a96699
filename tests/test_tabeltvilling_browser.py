"""The Diagram | Tabel switch in the system Chromium, by keyboard only: Tab to a chart's "Tabel" button and press
Enter, and the table of the chart's CSV rows takes the chart's place (aria-pressed follows); Space on "Diagram"
brings the chart back; a year chosen while the table is shown redraws the table (and the chart's one-sentence
description, its aria-describedby) for that year. No serious accessibility finding with the table shown, and no
script error. On the comparison page, every chart's "Excel" link can be clicked and downloads that chart's data."""
from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import run_axe, serious, wait_for_dash
from tests.test_browser import open_page

PAGE = "/noegletal/skole.karakter"
RANKING = "figure:has(#noegletal-rangering)"


def tab_to(page: Page, name: str, inside: str) -> None:
    """Press Tab until the focus is on the button called `name` inside `inside` (as a keyboard user would)."""
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("([name, inside]) => document.activeElement.textContent === name && "
                         "document.activeElement.closest(inside) !== null", [name, inside]):
            return
    raise AssertionError(f"Tab never reached «{name}» in {inside}")


def rows(page: Page, figure: str) -> int:
    return page.locator(f"{figure} .tvilling-tabel tbody tr").count()


@pytest.mark.browser
def test_the_switch_shows_the_table_by_keyboard_and_keeps_it_in_step(page):
    open_page(page, PAGE, RANKING + " .js-plotly-plot")
    figure = page.locator(RANKING)
    tab_to(page, "Tabel", RANKING)
    page.keyboard.press("Enter")
    table = figure.locator(".tvilling-tabel table")
    expect(table).to_be_visible()
    expect(figure.locator(".dash-graph")).to_be_hidden()
    expect(figure.get_by_role("button", name="Tabel")).to_have_attribute("aria-pressed", "true")
    expect(figure.get_by_role("button", name="Diagram")).to_have_attribute("aria-pressed", "false")
    csv_href = figure.locator("figcaption a", has_text="CSV").get_attribute("href")
    csv_rows = list(csv.DictReader(io.StringIO(page.request.get(csv_href).text().lstrip("\ufeff")), delimiter=";"))
    assert rows(page, RANKING) == len(csv_rows) > 90
    assert csv_rows[0]["NOEGLETAL"] in table.locator("caption").inner_text()
    assert serious(run_axe(page)) == []
    description = page.locator("#" + figure.get_attribute("aria-describedby"))
    assert description.text_content().startswith("Søjlediagram: ")

    first_period = table.locator("tbody tr").first.locator("td").first
    other_year = str(int(first_period.inner_text()) - 1)
    page.locator("#noegletal-aar").click()
    page.get_by_role("option", name=other_year, exact=True).click()
    wait_for_dash(page)
    expect(first_period).to_have_text(other_year)
    expect(description).to_contain_text(f", {other_year}: ")

    tab_to(page, "Diagram", RANKING)
    page.keyboard.press(" ")
    expect(figure.locator(".dash-graph")).to_be_visible()
    expect(figure.locator(".tvilling-tabel")).to_be_hidden()
    expect(figure.get_by_role("button", name="Diagram")).to_have_attribute("aria-pressed", "true")
    assert page.errors == []


@pytest.mark.browser
def test_every_excel_link_on_the_comparison_page_downloads_its_charts_data(page):
    open_page(page, "/sammenligning?kommune=101", ".benchmark .js-plotly-plot")
    figures = page.locator("figure.tvilling")
    assert figures.count() == 4
    for i in range(figures.count()):
        figure = figures.nth(i)
        link = figure.get_by_role("link", name=re.compile("^Excel"))
        expected = link.evaluate("a => a.href")
        with page.expect_download() as download:
            link.click()
        assert download.value.url == expected and "format=xlsx" in expected
        assert download.value.suggested_filename.endswith(".xlsx")
    assert page.errors == []


@pytest.mark.browser
def test_a_table_that_cannot_be_fetched_says_so_in_danish(page):
    """A lost connection gives the browser's own English error; the reader gets a Danish sentence instead, and the
    page asks once, not again at every change of the page (it asked hundreds of times a second before)."""
    open_page(page, PAGE, RANKING + " .js-plotly-plot")
    asked = []
    page.route(re.compile(r"/api/v1/data\?.*format=html"), lambda route: (asked.append(1), route.abort()))
    page.locator(RANKING).get_by_role("button", name="Tabel").click()
    panel = page.locator(f"{RANKING} .tvilling-tabel")
    expect(panel).to_have_text("Tabellen kunne ikke hentes. Prøv igen om lidt.")
    page.wait_for_timeout(1000)
    assert len(asked) == 1
