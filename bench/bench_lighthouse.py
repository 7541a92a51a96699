"""Benchmark: Lighthouse accessibility on the front page, the profile, the comparison and a theme (target ≥ 95).

Builds the marts into a temporary folder, starts the app under gunicorn as deployed (tests/conftest.py's
`running_server`) and runs Lighthouse (desktop preset, the system Chromium headless, accessibility only) once per
page, with bench_first_load.py's runner (Lighthouse from bench/lighthouse/, installed there with `npm ci` on first
use; never by `make test`). Prints each page's score and the audits that fail on it; writes nothing but the
temporary folder. If Lighthouse cannot run, says why.

Run: `.venv/bin/python bench/bench_lighthouse.py` from the repo root.
"""
from __future__ import annotations

import dataclasses
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_first_load import LIGHTHOUSE_TARGET, lighthouse  # noqa: E402

from kdk.config import settings  # noqa: E402
from kdk.marts.build import build  # noqa: E402
from tests.conftest import running_server  # noqa: E402

PAGES = [("front page", "/"), ("profile", "/kommune/101"), ("comparison", "/sammenligning?kommune=101"),
         ("theme", "/tema/rekruttering?kommune=101")]


def report_line(label: str, path: str, report: dict) -> str:
    """The page's accessibility score against the target, then one line per failing audit."""
    score = round(report["categories"]["accessibility"]["score"] * 100)
    verdict = "OK" if score >= LIGHTHOUSE_TARGET else "BELOW"
    failing = [a["title"] for a in report["audits"].values()
               if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0]
    return "\n".join([f"{label:<12} {path:<34} {score:>3}  {verdict}", *(f"    fails: {t}" for t in failing)])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        st = dataclasses.replace(settings(), marts_path=Path(tmp) / "kdk.duckdb")
        build(st)
        with running_server(st) as base:
            try:
                reports = [lighthouse(base + path, Path(tmp) / f"lighthouse-{n}.json", "accessibility")
                           for n, (_, path) in enumerate(PAGES)]
            except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
                print(f"Lighthouse could not run: {exc}")
                return
    version = reports[0]["lighthouseVersion"]
    print(f"Lighthouse {version}, desktop preset, accessibility (target ≥ {LIGHTHOUSE_TARGET})\n")
    for (label, path), report in zip(PAGES, reports, strict=True):
        print(report_line(label, path, report))


if __name__ == "__main__":
    main()
