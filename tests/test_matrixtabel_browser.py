"""The comparison matrix's Diagram | Tabel switch in the system Chromium: "Tabel" shows, in the matrix's place, a
table laid out as the matrix (a row and a column per municipality, with row and column headers) of the ranks its
CSV link gives; "Diagram" brings the heatmap back. No serious accessibility finding with the table shown, and no
script error."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import run_axe, serious
from tests.test_browser import open_page

MATRIX = "figure.matrice"


@pytest.mark.browser
def test_the_matrix_switches_to_its_table_and_back(page):
    open_page(page, "/sammenligning?kommune=101&sammenligningsomraade=skole&aar=2024&fane=matrice",
              f"{MATRIX} .js-plotly-plot")
    figure = page.locator(MATRIX)
    figure.get_by_role("button", name="Tabel").click()
    table = figure.locator(".tvilling-tabel table")
    expect(table).to_be_visible()
    expect(figure.locator(".dash-graph")).to_be_hidden()
    expect(table.locator("tbody th[scope=row]")).to_have_count(98)
    expect(table.locator("thead th[scope=col]")).to_have_count(99)
    expect(table.locator("caption")).to_contain_text("Sammenligningsmatrice: Skole, 2024")
    assert serious(run_axe(page)) == []
    figure.get_by_role("button", name="Diagram").click()
    expect(figure.locator(".dash-graph")).to_be_visible()
    expect(figure.locator(".tvilling-tabel")).to_be_hidden()
    assert page.errors == []
