"""The sign-in and user-management pages in a real browser: they work with the app's CSP and have no serious
accessibility findings."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kdk.auth import users
from tests.browser import run_axe, serious, sign_in_enrolling
from tests.conftest import running_server
from tests.test_auth import GOOD


@pytest.mark.browser
def test_login_two_factor_and_user_management_in_the_browser(browser, built, tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'brugere.sqlite'}"
    monkeypatch.setenv("KDK_BRUGER_DB", db)
    users.add("kbh-admin", GOOD, "kommune_admin", "101")
    with running_server(built, workers=1, extra_env={"KDK_BRUGER_DB": db}, warm=False) as base:
        context = browser.new_context(base_url=base, locale="da-DK")
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto("/login?next=/admin/brugere")
        assert serious(run_axe(page)) == []
        sign_in_enrolling(page, "kbh-admin", GOOD, "/admin/brugere")
        assert page.locator("h1").inner_text() == "Brugere"
        assert serious(run_axe(page)) == []
        page.get_by_role("link", name="Opret bruger").click()
        page.get_by_label("Brugernavn").fill("ny-kollega")
        page.get_by_label("Udsatte børn og unge").check()
        page.get_by_role("button", name="Opret").click()
        assert "vises kun denne ene gang" in page.locator("[role=status]").inner_text()
        assert page.locator("h1").inner_text() == "Bruger ny-kollega"
        assert page.get_by_label("Udsatte børn og unge").is_checked()
        assert serious(run_axe(page)) == []
        page.get_by_role("link", name="Brugere", exact=True).click()
        page.get_by_label("Søg brugernavn").fill("kollega")
        page.get_by_role("button", name="Find").click()
        # the list of the search's answer, once it has come (the address changes before the page is drawn)
        expect(page.locator("main")).to_contain_text("1–1 af 1 brugere")
        expect(page.locator("tbody tr")).to_have_count(1)
        assert errors == []
        context.close()
