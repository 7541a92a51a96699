"""Shared helpers for the browser tests and benchmarks: the system Chromium through Playwright, axe-core (one page,
or a walk through many), signing in with a second factor, and a follow-mode session of a host and its viewers.

Not a test module. Playwright never downloads a browser here: it drives /usr/bin/chromium.
"""
from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import pyotp
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from kdk.chromium import CHROMIUM, CHROMIUM_ARGS, DASH_IDLE
from kdk.config import PROJECT_DIR, Settings

AXE = PROJECT_DIR / "frontend/node_modules/axe-core/axe.min.js"
AXE_RULESETS = ["wcag2a", "wcag2aa", "best-practice"]
# WCAG 2.2 AA and axe's experimental rules as well, as Lighthouse checks them: the target size (24 × 24 px, or
# spaced) matters most on a phone, and td-has-header (every data cell of a large table has a header) is experimental.
AXE_RULESETS_WCAG22 = [*AXE_RULESETS, "wcag22aa", "experimental"]
# axe findings that come from inside Dash's own dcc.Dropdown and cannot be changed from the app: Dash 4 renders
# `<input class="dash-dropdown-focus-target" tabindex="0" aria-hidden="true">` before every dropdown's button
# (dash/dcc src/fragments/Dropdown.tsx, "Safari skips <button> in the Tab order"), added by plotly/dash PR #3740
# for issue #3673. Removing it from the app would break keyboard focus in Safari. See docs/architecture.md.
# Only these exact nodes are let through; any other node of the same rule, or any other rule, still fails.
DASH_OWN = {("aria-hidden-focus", 'input class="dash-dropdown-focus-target"')}


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


def serious(violations: list[dict]) -> list[str]:
    """The serious and critical findings among axe's `violations`, one line per node, but Dash's own (DASH_OWN)."""
    found = []
    for v in violations:
        if v["impact"] not in ("serious", "critical"):
            continue
        for node in v["nodes"]:
            if any(v["id"] == rule and marker in node["html"] for rule, marker in DASH_OWN):
                continue
            found.append(f"{v['id']} ({v['impact']}): {node['target']} {node['html'][:160]}")
    return found


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


def settled(page: Page, path: str) -> None:
    """Load `path` and wait until the content is shown and, on a Dash page, every callback has run."""
    page.goto(path)
    page.locator("main, .indhold").first.wait_for(state="visible")
    if page.locator("#react-entry-point").count():
        wait_for_dash(page)


def axe_findings(page: Page, label: str, rulesets: list[str] = AXE_RULESETS) -> list[str]:
    """The page's serious and critical axe findings, each headed by `label`; the lesser ones are printed."""
    violations = run_axe(page, rulesets)
    for v in violations:
        if v["impact"] not in ("serious", "critical"):
            print(f"{label}: {v['id']} ({v['impact']}) on {len(v['nodes'])} node(s): {v['help']}")
    return [f"{label}: {f}" for f in serious(violations)]


Check = Callable[[Page, str], list[str]]


def axe_walk(browser: Browser, base_url: str, paths: Sequence[str], *, viewport: ViewportSize, locale: str,
             rulesets: list[str] = AXE_RULESETS, also: Check | None = None) -> list[str]:
    """Every serious and critical axe finding on each of `paths`, visited in turn in one tab of `viewport` (a
    phone's, touch and all, below 600 px wide) and `locale`, each once settled, and then what `also(page, path)`
    finds there. Lesser axe findings are printed."""
    phone = viewport["width"] < 600
    context = browser.new_context(base_url=base_url, viewport=viewport, is_mobile=phone, has_touch=phone,
                                  locale=locale)
    context.set_default_timeout(30_000)
    page = context.new_page()
    found: list[str] = []
    try:
        for path in paths:
            settled(page, path)
            found += axe_findings(page, path, rulesets)
            found += also(page, path) if also else []
    finally:
        context.close()
    return found


@dataclass
class FollowSession:
    """A host's follow-mode session in a browser: the host's tab, the viewers' tabs, the session's code, and the
    script errors of every tab."""
    host: Page
    viewers: list[Page]
    kode: str
    errors: list[str] = field(default_factory=list)


@contextlib.contextmanager
def follow_session(browser: Browser, built: Settings, locales: Sequence[str], workers: int) -> Iterator[FollowSession]:
    """A follow-mode session on the app under gunicorn (`workers`) on the test's user database (`KDK_BRUGER_DB`, as
    the fixture sqlite_userdb sets it): one tab per locale, the first a host's ("vaert", role redaktion) signed in
    with its second factor, its session started; the others anonymous viewers' that have opened nothing yet. The
    tabs and the server are closed on exit."""
    from kdk.auth import users
    from tests.conftest import running_server
    from tests.test_auth import GOOD

    db = os.environ["KDK_BRUGER_DB"]
    users.add("vaert", GOOD, "redaktion")
    # without the warm-up: a viewer is counted as following once its address changes, before the page is drawn
    with running_server(built, workers=workers, extra_env={"KDK_BRUGER_DB": db}, warm=False) as base:
        contexts = [browser.new_context(base_url=base, locale=locale, viewport={"width": 1280, "height": 720})
                    for locale in locales]
        try:
            host, *viewers = (c.new_page() for c in contexts)
            errors: list[str] = []
            for p in (host, *viewers):
                p.on("pageerror", lambda exc: errors.append(str(exc)))
            sign_in_enrolling(host, "vaert", GOOD, "/foelg")
            host.get_by_role("button", name="Start visningen").click()
            yield FollowSession(host, viewers, host.locator(".foelg-kode").inner_text(), errors)
        finally:
            for context in contexts:
                context.close()
