"""Shared helpers for the browser tests and benchmarks: the system Chromium through Playwright, and axe-core.

Not a test module. Playwright never downloads a browser here: it drives /usr/bin/chromium.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

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


def run_axe(page: Page) -> list[dict]:
    """axe-core's violations (WCAG 2 A and AA, and best practice) for the page as it is now.

    axe is evaluated through the DevTools protocol, not added as a <script>: the app's Content-Security-Policy
    rightly refuses inline scripts, and the test must not weaken it."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate("(tags) => axe.run(document, {runOnly: tags}).then(r => r.violations)", AXE_RULESETS)
