"""The system Chromium as Playwright drives it (never a downloaded browser): its path and flags, and the page
condition "Dash has settled", shared by the publication renderer (kdk/publikation.py) and the browser tests
(tests/browser.py). Reads and writes nothing.
"""
from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

# True once Dash's renderer has had no callback pending or running for 300 ms in a row.
DASH_IDLE = """() => {
  const state = window.store && window.store.getState && window.store.getState();
  if (!state || state.appLifecycle !== 'HYDRATED') return false;
  const c = state.callbacks || {};
  const busy = state.isLoading || ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed']
    .some(k => (c[k] || []).length);
  const now = performance.now();
  if (busy) { window.__kdkIdleSince = null; return false; }
  if (window.__kdkIdleSince == null) window.__kdkIdleSince = now;
  return now - window.__kdkIdleSince > 300;
}"""
