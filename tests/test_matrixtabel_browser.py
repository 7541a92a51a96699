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


# The column of one municipality in the table: each row's (row header, the cell's text).
COLUMN = """([table, name]) => {
  const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
  const i = heads.indexOf(name);
  return [...table.querySelectorAll('tbody tr')]
    .map(tr => [tr.cells[0].textContent.trim(), tr.cells[i].textContent.trim()]);
}"""


def ranks(column: list[list[str]]) -> list[int | None]:
    return [None if text == "–" else int(text) for _, text in column]


@pytest.mark.browser
@pytest.mark.parametrize(("prefix", "tabel", "view"), [("", "Tabel", ""), ("/en", "Table", ""),
                                                       ("", "Tabel", "&visning=praesentation")])
def test_a_click_on_a_column_header_sorts_the_matrix_table(page, prefix, tabel, view):
    """A click on Aarhus's column header sorts the rows by their rank against Aarhus, lowest first, a second click
    highest first; the header says so (aria-sort), the empty cell (Aarhus against itself) stays last both times,
    and København, the page's municipality, stays marked wherever its row goes. In Danish, in English and in the
    presentation view; no serious accessibility finding."""
    open_page(page, f"{prefix}/sammenligning?kommune=101&sammenligningsomraade=skole&aar=2024&fane=matrice{view}",
              f"{MATRIX} .js-plotly-plot")
    figure = page.locator(MATRIX)
    figure.get_by_role("button", name=tabel, exact=True).click()
    table = figure.locator(".tvilling-tabel table")
    expect(table.locator("tbody tr")).to_have_count(98)
    header = table.locator("thead th", has=page.get_by_role("button", name="Aarhus", exact=True))
    before = page.evaluate(COLUMN, [table.element_handle(), "Aarhus"])
    expect(header).not_to_have_attribute("aria-sort", "ascending")
    for direction in ("ascending", "descending"):
        header.get_by_role("button").click()
        expect(header).to_have_attribute("aria-sort", direction)
        column = page.evaluate(COLUMN, [table.element_handle(), "Aarhus"])
        numbers = ranks(column)
        assert numbers[-1] is None and None not in numbers[:-1]
        assert numbers[:-1] == sorted(numbers[:-1], reverse=direction == "descending")
        assert sorted(map(tuple, column)) == sorted(map(tuple, before))     # the rows moved whole
        expect(table.locator("tbody tr.egen th")).to_have_text("København")
        expect(table.locator("thead th[aria-sort]")).to_have_count(1)
    assert serious(run_axe(page)) == []
    assert page.errors == []
