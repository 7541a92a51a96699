"""Screenshots of the app for the README: the front page, a profile, the comparison and a theme, each at a laptop's
1366 × 900 and a phone's 390 × 844 (the phone emulated: touch, its viewport), the first screen a reader sees.

Reads the app over HTTP: by default it starts the app under gunicorn as deployed (tests/conftest.py's
`running_server`) on the marts `python -m kdk build` made (KDK_MARTS), or shoots a running app given with --url.
Writes docs/screenshots/<side>-<bredde>.png (or --ud), replacing what is there, and, when it starts the app, the
app's gunicorn log beside the marts (git-ignored). Drives the system Chromium through Playwright (tests/browser.py);
downloads nothing.

Run from the repo root: `.venv/bin/python tools/skaermbilleder.py` (about a minute).
"""
from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kdk.config import PROJECT_DIR, settings  # noqa: E402
from tests.browser import chromium, wait_for_dash  # noqa: E402
from tests.conftest import running_server  # noqa: E402

SIDER = {"forside": "/", "profil": "/kommune/101", "sammenligning": "/sammenligning?kommune=101",
         "tema": "/tema/rekruttering?kommune=101"}
SKAERME = {1366: {"viewport": {"width": 1366, "height": 900}},
           390: {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}}
# Every chart drawn, and drawn at the width of its box (dcc.Graph resizes a chart after its box has settled).
TEGNET = """() => [...document.querySelectorAll('.js-plotly-plot')].every(gd => {
  const svg = gd.querySelector('svg.main-svg');
  return svg && Math.abs(svg.getBoundingClientRect().width - gd.getBoundingClientRect().width) < 1;
})"""


def skyd(url: str, ud: Path) -> list[Path]:
    """One PNG per page and screen width into `ud`; returns the files written."""
    ud.mkdir(parents=True, exist_ok=True)
    written = []
    with chromium() as browser:
        for bredde, skaerm in SKAERME.items():
            context = browser.new_context(base_url=url, locale="da-DK", **skaerm)
            context.set_default_timeout(60_000)
            page = context.new_page()
            for navn, path in SIDER.items():
                page.goto(path)
                wait_for_dash(page, timeout=60_000)
                page.wait_for_function(TEGNET)
                page.wait_for_timeout(500)   # a chart's last transition
                fil = ud / f"{navn}-{bredde}.png"
                page.screenshot(path=fil, animations="disabled")
                written.append(fil)
            context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running app, e.g. http://127.0.0.1:8050 (default: start one)")
    parser.add_argument("--ud", type=Path, default=PROJECT_DIR / "docs" / "screenshots", help="the folder to write")
    args = parser.parse_args()
    st = settings()
    if not args.url and not st.marts_path.exists():
        sys.exit(f"No marts at {st.marts_path}: run `python -m kdk build` first, or give --url.")
    with contextlib.nullcontext(args.url) if args.url else running_server(st) as url:
        for fil in skyd(url, args.ud):
            print(fil.relative_to(PROJECT_DIR) if fil.is_relative_to(PROJECT_DIR) else fil)


if __name__ == "__main__":
    main()
