"""Shared helpers for the browser tests and benchmarks: the system Chromium through Playwright, and axe-core.

Not a test module. Playwright never downloads a browser here: it drives /usr/bin/chromium.
"""
from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import pyotp
from playwright.sync_api import Browser, Page, sync_playwright

from kdk.chromium import CHROMIUM, CHROMIUM_ARGS, DASH_IDLE
from kdk.config import PROJECT_DIR

AXE = PROJECT_DIR / "frontend/node_modules/axe-core/axe.min.js"
AXE_RULESETS = ["wcag2a", "wcag2aa", "best-practice"]


@contextlib.contextmanager
def chromium(headless: bool = True) -> Iterator[Browser]:
    """The system Chromium, headless; closed (with Playwright's driver) on exit. Use one per module or session."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=headless)
        try:
            yield browser
        finally:
            browser.close()


def wait_for_dash(page: Page, timeout: float = 30_000) -> None:
    """Wait until Dash's renderer has no callback pending or running (for 300 ms in a row).

    A wait, not an assertion: it lets a test act on the page the user sees once it has settled, instead of on
    a page that callbacks are still rewriting.
    """
    page.wait_for_function(DASH_IDLE, timeout=timeout)


def run_axe(page: Page, rulesets: list[str] = AXE_RULESETS) -> list[dict]:
    """axe-core's violations (by default WCAG 2 A and AA, and best practice) for the page as it is now.

    axe is evaluated through the DevTools protocol, not added as a <script>: the app's Content-Security-Policy
    rightly refuses inline scripts, and the test must not weaken it."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate("(tags) => axe.run(document, {runOnly: tags}).then(r => r.violations)", rulesets)


def sign_in_enrolling(page: Page, brugernavn: str, adgangskode: str, next_path: str) -> None:
    """Sign in through the login form as a user whose role needs a second factor, enrolling the factor on the way
    (the code shown once, then a TOTP from it); returns when the browser has landed on `next_path`."""
    page.goto(f"/login?next={next_path}")
    page.get_by_label("Brugernavn").fill(brugernavn)
    page.get_by_label("Adgangskode").fill(adgangskode)
    page.get_by_role("button", name="Log ind").click()
    secret = re.search(r"[A-Z2-7]{16,}", page.locator("code").first.inner_text())[0]
    page.get_by_label("Kode fra din autentificerings-app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))
