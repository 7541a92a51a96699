"""Benchmark: cold first load of the profile and the front page in headless Chromium (target: profile ≤ 1 MB).

Builds the marts into a temporary folder, starts the app under gunicorn as deployed (tests/conftest.py's
`running_server`), and loads each page in a fresh browser context with the cache disabled, several times.
Prints, per page: bytes over the network (CDP `Network.loadingFinished` encodedDataLength: compressed bodies
plus headers), number of requests, time to DOMContentLoaded, time until the first key-figure card is visible,
time until the first chart's SVG is rendered (`.js-plotly-plot .main-svg`; on the front page that is the map),
and time until Dash has no callback left to run. Times are medians, measured in the page from navigation start.

Then runs Lighthouse (desktop preset, the system Chromium headless) against the profile on the same server, several
times, and prints the median run's performance score (target ≥ 95), its metrics (FCP, LCP, TBT, CLS, Speed Index)
and the audits it still flags. Lighthouse lives in bench/lighthouse/ (a pinned npm package, installed there with
`npm ci` on first use; never by `make test`). If it cannot run, the bench says why and prints the rest.

Run: `.venv/bin/python bench/bench_first_load.py` from the repo root (the system Chromium, no browser downloads).
"""
from __future__ import annotations

import dataclasses
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kdk.config import settings  # noqa: E402
from kdk.marts.build import build  # noqa: E402
from tests.browser import CHROMIUM, DASH_IDLE, chromium  # noqa: E402
from tests.conftest import running_server  # noqa: E402

BUDGET_BYTES = 1_000_000
RUNS = 3
LIGHTHOUSE_DIR = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE_PATH = "/kommune/101"
LIGHTHOUSE_TARGET = 95
METRICS = [("first-contentful-paint", "FCP"), ("largest-contentful-paint", "LCP"), ("total-blocking-time", "TBT"),
           ("cumulative-layout-shift", "CLS"), ("speed-index", "Speed Index")]
PAGES = [  # (label, path, what must be on screen before the load counts as done)
    ("front page", "/", ".js-plotly-plot .main-svg"),
    ("profile", "/kommune/101", "article.noegletal-kort"),
    ("profile, Beskæftigelse", "/kommune/101?omraade=beskaeftigelse", ".js-plotly-plot .main-svg"),
]

# Records, on every animation frame from navigation start, when the first card and the first chart appear.
MARKS = """(() => {
  window.__kdkMarks = {};
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const probe = () => {
    const m = window.__kdkMarks;
    if (m.card === undefined) { const c = document.querySelector('article.noegletal-kort');
                                if (c && visible(c)) m.card = performance.now(); }
    if (m.chart === undefined && document.querySelector('.js-plotly-plot .main-svg')) m.chart = performance.now();
    if (m.card === undefined || m.chart === undefined) requestAnimationFrame(probe);
  };
  requestAnimationFrame(probe);
})();"""


@dataclasses.dataclass
class Load:
    bytes: int
    requests: int
    dom_content_loaded: float
    card: float | None
    chart: float | None
    settled: float
    by_url: dict[str, tuple[int, int]]  # path → (bytes, requests)


def cold_load(browser, base: str, path: str, ready: str) -> Load:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        urls: dict[str, str] = {}
        sizes: dict[str, int] = {}
        cdp.on("Network.requestWillBeSent",
               lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
               if not e["request"]["url"].startswith("data:") else None)
        cdp.on("Network.loadingFinished",
               lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])) if e["requestId"] in urls
               else None)
        page.add_init_script(MARKS)
        page.goto(base + path, wait_until="domcontentloaded")
        page.locator(ready).first.wait_for(state="visible", timeout=60_000)
        page.wait_for_function(DASH_IDLE, timeout=60_000)
        settled = page.evaluate("performance.now()") - 300  # DASH_IDLE waits for 300 ms of quiet
        page.wait_for_load_state("networkidle")
        nav = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
        marks = page.evaluate("window.__kdkMarks")
        by_url: dict[str, tuple[int, int]] = {}
        for rid, size in sizes.items():
            url = urls[rid].removeprefix(base).split("?")[0]
            total, count = by_url.get(url, (0, 0))
            by_url[url] = (total + size, count + 1)
        return Load(sum(sizes.values()), len(urls), nav, marks.get("card"), marks.get("chart"), settled, by_url)
    finally:
        context.close()


def lighthouse(url: str, out: Path, category: str = "performance") -> dict:
    """One Lighthouse desktop run of `url` in the system Chromium, scoring `category`; its JSON report. Raises with
    Lighthouse's error."""
    cli = LIGHTHOUSE_DIR / "node_modules/.bin/lighthouse"
    if not cli.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=LIGHTHOUSE_DIR, check=True)
    done = subprocess.run([str(cli), url, "--preset=desktop", f"--chrome-path={CHROMIUM}",
                           "--chrome-flags=--headless=new --no-sandbox --disable-gpu", f"--only-categories={category}",
                           "--output=json", f"--output-path={out}", "--quiet"], capture_output=True, text=True)
    if done.returncode or not out.exists():
        raise RuntimeError(f"lighthouse exited with {done.returncode}: {(done.stderr or done.stdout).strip()[-2000:]}")
    report = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {report['runtimeError']}")
    return report


def print_lighthouse(reports: list[dict]) -> None:
    """The median run by performance score: score, metrics, and the audits that still cost something."""
    scores = [round(r["categories"]["performance"]["score"] * 100) for r in reports]
    report = sorted(reports, key=lambda r: r["categories"]["performance"]["score"])[len(reports) // 2]
    score = round(report["categories"]["performance"]["score"] * 100)
    audits = report["audits"]
    print(f"\nLighthouse {report['lighthouseVersion']}, desktop preset, {LIGHTHOUSE_PATH}: performance {score} "
          f"(runs: {', '.join(map(str, scores))}; target ≥ {LIGHTHOUSE_TARGET}: "
          f"{'OK' if score >= LIGHTHOUSE_TARGET else 'BELOW'})")
    print("  " + " · ".join(f"{label} {audits[key]['displayValue']}" for key, label in METRICS))
    flagged = [a for key, a in audits.items() if not key.endswith("-insight")   # the same findings, newer names
               and a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") == "metricSavings"]
    for audit in flagged:
        value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
        print(f"  still flagged: {audit['title']}{value}")


def ms(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    return f"{statistics.median(known):,.0f} ms" if len(known) == len(values) else "–"


def main(runs: int = RUNS) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        st = dataclasses.replace(settings(), marts_path=Path(tmp) / "kdk.duckdb")
        start = time.perf_counter()
        build(st)
        print(f"marts built in {time.perf_counter() - start:.1f} s; starting gunicorn …")
        with running_server(st) as base:
            with chromium() as browser:
                results = {label: [cold_load(browser, base, path, ready) for _ in range(runs)]
                           for label, path, ready in PAGES}
            try:
                reports = [lighthouse(base + LIGHTHOUSE_PATH, Path(tmp) / f"lighthouse-{n}.json") for n in range(runs)]
                failure = None
            except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
                reports, failure = [], str(exc)
    print(f"\nCold first load, headless Chromium, cache disabled, median of {runs} runs "
          "(times from navigation start)\n")
    header = (f"{'page':<24} {'transferred':>12} {'requests':>9} {'DOMContentLoaded':>17} {'first card':>11} "
              f"{'first chart':>12} {'callbacks done':>15}")
    print(header)
    print("-" * len(header))
    for label, _path, _ in PAGES:
        loads = results[label]
        size = statistics.median(load.bytes for load in loads)
        requests = statistics.median(load.requests for load in loads)
        print(f"{label:<24} {size / 1e6:>9.2f} MB {requests:>9.0f} {ms([x.dom_content_loaded for x in loads]):>17} "
              f"{ms([x.card for x in loads]):>11} {ms([x.chart for x in loads]):>12} "
              f"{ms([x.settled for x in loads]):>15}")
    print("\n(first card: first article.noegletal-kort visible; first chart: first .js-plotly-plot .main-svg in the"
          " page; callbacks done: Dash has no callback pending)")
    for label, path, _ in PAGES:
        load = results[label][0]
        print(f"\nLargest transfers, {label} ({path}):")
        for url, (size, count) in sorted(load.by_url.items(), key=lambda kv: -kv[1][0])[:8]:
            print(f"  {size / 1e3:>8.1f} kB  {count:>2} × {url}")
    profile = statistics.median(load.bytes for load in results["profile"])
    verdict = "OK" if profile <= BUDGET_BYTES else "OVER BUDGET"
    print(f"\ntarget: at most 1 MB transferred for the profile — measured {profile / 1e6:.2f} MB: {verdict}")
    if failure:
        print(f"\nLighthouse could not run: {failure}")
    else:
        print_lighthouse(reports)


if __name__ == "__main__":
    main()
