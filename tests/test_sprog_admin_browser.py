"""Follow mode in English in the system Chromium (issue 24): a viewer who opens /en/foelg/<kode> follows a host who
shows the Danish pages, and is sent to the same pages in English, with the banner in English (assets/foelg.js)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import follow_session, wait_for_dash
from tests.test_foelg_browser import followed_within, reported


@pytest.mark.browser
def test_a_viewer_under_en_follows_a_danish_host_in_english(browser, built, sqlite_userdb):
    with follow_session(browser, built, ["da-DK", "en-GB"], workers=1) as session:
        host, (viewer,), kode = session.host, session.viewers, session.kode
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
        assert session.errors == []
