"""The table builder in a real browser (the system Chromium, the app under gunicorn): two key figures and two
municipalities chosen in the pickers, the address follows each choice, a reload shows the same table, no serious
accessibility findings and no script errors."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import run_axe, serious, wait_for_dash
from tests.test_browser import open_page

pytestmark = pytest.mark.browser

TABLE = ".tabelside .tabel-data table"


def choose(page, picker: str, typed: str, option: str) -> None:
    """Type into a picker and choose an option, as a user does."""
    page.locator(picker).click()
    page.keyboard.type(typed)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    wait_for_dash(page)


def test_two_figures_and_two_municipalities_survive_a_reload(page):
    open_page(page, "/tabel", "#tabel-noegletal")
    choose(page, "#tabel-noegletal", "Karakter", "Karaktergennemsnit, 9. klasse (bundne prøver)")
    expect(page).to_have_url(re.compile(r"/tabel\?noegletal=skole\.karakter$"))
    choose(page, "#tabel-noegletal", "Befolkningst", "Befolkningstæthed")
    choose(page, "#tabel-kommune", "Aarhus", "Aarhus (751)")
    choose(page, "#tabel-kommune", "København", "København (101)")
    expect(page).to_have_url(re.compile(r"/tabel\?noegletal=befolkning\.taethed,skole\.karakter&kommune=101,751$"))
    page.locator(TABLE).wait_for()
    rows = page.locator(f"{TABLE} tbody tr").all_inner_texts()
    # each figure's newest year: rows of both figures, each for one of the two municipalities
    assert rows and all(("København" in r) != ("Aarhus" in r) for r in rows)
    assert {r.split("\t")[0] for r in rows} == {"Befolkningstæthed", "Karaktergennemsnit, 9. klasse (bundne prøver)"}
    assert serious(run_axe(page)) == []

    page.reload()
    page.locator(TABLE).wait_for()
    wait_for_dash(page)
    assert page.locator(f"{TABLE} tbody tr").all_inner_texts() == rows
    expect(page.locator("#tabel-kommune")).to_contain_text("Aarhus")
    assert page.errors == []
