"""Follow mode in English in the system Chromium (issue 24): a viewer who opens /en/foelg/<kode> follows a host who
shows the Danish pages, and is sent to the same pages in English, with the banner in English (assets/foelg.js)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kdk.auth import users
from tests.browser import wait_for_dash
from tests.conftest import running_server
from tests.test_auth import GOOD
from tests.test_foelg_browser import followed_within, reported, sign_in_as_host


@pytest.mark.browser
def test_a_viewer_under_en_follows_a_danish_host_in_english(browser, built, tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'brugere.sqlite'}"
    monkeypatch.setenv("KDK_BRUGER_DB", db)
    users.add("vaert", GOOD, "redaktion")
    with running_server(built, workers=1, extra_env={"KDK_BRUGER_DB": db}) as base:
        contexts = [browser.new_context(base_url=base, locale=locale, viewport={"width": 1280, "height": 720})
                    for locale in ("da-DK", "en-GB")]
        host, viewer = (c.new_page() for c in contexts)
        errors = []
        for p in (host, viewer):
            p.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in_as_host(host)
        host.get_by_role("button", name="Start visningen").click()
        kode = host.locator(".foelg-kode").inner_text()
        host.goto("/kommune/101")
        wait_for_dash(host)
        expect(host.locator(".foelg-mig")).to_contain_text(kode)

        viewer.goto(f"/en/foelg/{kode}")
        viewer.wait_for_url(re.compile(r"/en/kommune/101$"))
        expect(viewer.locator(".foelg-banner")).to_contain_text(f"You are following {kode}")
        assert viewer.evaluate("document.documentElement.lang") == "en"

        reported(host, lambda: host.goto("/temaer"))
        followed_within([viewer], "/en/temaer")
        viewer.get_by_role("button", name="Stop following").click()
        assert errors == []
        for context in contexts:
            context.close()
