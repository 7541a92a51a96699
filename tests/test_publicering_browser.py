"""The publication team's release workflow end to end in a real browser, as the team would work: a release is
staged under embargo with the command line in the app's data folder; redaktion signs in with the second factor, chooses
the release on /publicering, reads what changed since the release before it, moves the embargo, builds the databank
bundle and downloads it; the zip's manifest names the release and the new embargo time."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import zipfile

import pytest

from kdk.auth import users
from kdk.config import PROJECT_DIR
from tests.browser import sign_in_enrolling
from tests.conftest import running_server
from tests.test_auth import GOOD
from tests.test_ingest import all_98, wide_file


@pytest.mark.browser
def test_stage_compare_move_embargo_build_and_download(browser, fresh_marts, tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'brugere.sqlite'}"
    monkeypatch.setenv("KDK_BRUGER_DB", db)
    users.add("red", GOOD, "redaktion")
    env = {"KDK_BRUGER_DB": db, "KDK_EKSPORT_DIR": str(tmp_path / "eksport")}
    index = all_98("1,00")
    index["101"] = "2,22"
    staged = subprocess.run(
        [sys.executable, "-m", "kdk", "ingest", str(wide_file(tmp_path / "indeks.csv", index, years=("2025",))),
         "--noegletal", "befolkning.socio_indeks", "--embargo-til", "2099-01-10 08:00",
         "--revision", "Indekset for 2025 er genberegnet"],
        cwd=PROJECT_DIR, env={**os.environ, "KDK_MARTS": str(fresh_marts.marts_path)},
        capture_output=True, text=True, check=True)
    release = re.search(r"som release (\S+),", staged.stdout)[1]
    with running_server(fresh_marts, workers=1, extra_env=env) as base:
        context = browser.new_context(base_url=base, locale="da-DK", accept_downloads=True)
        context.set_default_timeout(60_000)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in_enrolling(page, "red", GOOD, "/publicering")

        # The newest release, the staged one, is chosen; choose the one before it, then the staged one again.
        page.locator("#publicering-releases a").click()
        page.get_by_text("Det er den første release").wait_for()
        page.get_by_role("link", name=release).click()
        page.wait_for_url(re.compile(rf"/publicering\?release={re.escape(release)}$"))
        page.get_by_text("Sammenlignet med release").wait_for()
        changes = page.locator("#publicering-aendringer").inner_text()
        assert "Sammenlignet med release" in changes and "København" in changes and "2,22" in changes
        assert "Under embargo til 10.01.2099 kl. 08.00" in page.locator("#publicering-embargo").inner_text()

        page.get_by_label("Dato").fill("01.02.2099")
        page.get_by_label("Klokkeslæt").fill("09.30")
        page.get_by_role("button", name="Skift embargotidspunkt").click()
        page.wait_for_url(re.compile(rf"/publicering\?release={re.escape(release)}$"))
        # Every worker serves the new marts once it has warmed them, as after a load (web/epoch.py).
        _reload_until(page, "Under embargo til 01.02.2099 kl. 09.30")

        page.get_by_role("button", name="Byg databank-bundt").click()
        link = page.get_by_role("link", name=f"Hent kdk-release-{release}.zip")
        link.wait_for(timeout=180_000)
        with page.expect_download() as download:
            link.click()
        saved = tmp_path / "bundt.zip"
        download.value.save_as(saved)
        manifest = json.loads(zipfile.ZipFile(saved).read("manifest.json"))
        assert manifest["release_id"] == release and manifest["embargo_til"] == "2099-02-01T09:30:00"
        assert errors == []
        context.close()



def _reload_until(page, text: str, seconds: float = 180) -> None:
    """Reload the page until it shows `text`: a wait for the workers, not a timing assertion."""
    deadline = time.monotonic() + seconds
    while not page.get_by_text(text).count():
        assert time.monotonic() < deadline, f"the page never showed {text!r}"
        page.wait_for_timeout(2000)
        page.reload()
        page.locator("#publicering-embargo").wait_for()
