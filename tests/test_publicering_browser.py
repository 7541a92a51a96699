"""The publication team's release workflow end to end in a real browser, as the team would work: a release is
staged under embargo with the command line in the app's data folder; redaktion signs in with the second factor, chooses
the release on /publicering, reads what changed since the release before it, moves the embargo, builds the databank
bundle and downloads it; the zip's manifest names the release and the new embargo time. Then it builds the
publication's PDFs for the release, follows the job's progress, downloads the combined file (contents and an outline
of the 99 parts), all the files as one zip and one municipality's file, and sees the checklist tick the PDFs off."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import zipfile

import pytest
from pypdf import PdfReader

from kdk.auth import audit, users
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
    with running_server(fresh_marts, workers=1, extra_env=env, warm=False) as base:
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

        title = page.locator("#publikation-tema").inner_text().strip()
        page.get_by_role("button", name="Byg publikationens PDF-filer").click()
        combined = page.get_by_role("link", name=_combined_link(release))
        progress = page.get_by_text(re.compile(r"[1-9]\d* af 99 PDF-filer: .+ \(\d+ pct\.\)"))
        progress.wait_for(timeout=180_000)
        assert page.get_by_role("progressbar", name="Publikationens fremdrift").count() == 1
        page.reload()   # half way, the checklist does not count the PDFs as built
        assert "Mangler: Publikationens PDF'er bygget" in page.locator("#publicering-tjekliste").inner_text()
        _follow_job(page, combined)
        with page.expect_download() as download:
            combined.click()
        tema = download.value.suggested_filename.removesuffix(f"-{release}-samlet.pdf")
        started = audit.entries(handling="publikation_startet")
        assert list(started["bruger"]) == ["red"] and list(started["detaljer"]) == [f"release {release}, tema {tema}"]
        reader = PdfReader(_saved(download.value, tmp_path))
        contents = reader.pages[0].extract_text()
        assert title in contents and f"release {release}" in contents and "København (101)" in contents
        outline = [item.title for item in reader.outline]
        assert len(outline) == 1 + 99 and outline[:3] == ["Indhold", "Hele landet", "København (101)"]
        assert title in reader.metadata.title and release in reader.metadata.title

        with page.expect_download() as download:   # every file as one zip, under their own names
            page.get_by_role("link", name=re.compile(r"^Hent alle som zip \(100 filer, \d+,\d MB\)$")).click()
        names = zipfile.ZipFile(_saved(download.value, tmp_path)).namelist()
        assert len(names) == 100 and names[0] == f"{tema}-{release}-samlet.pdf"

        page.get_by_text("De 99 enkelte PDF-filer").click()
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile(rf"-{re.escape(release)}-101-koebenhavn\.pdf$")).click()
        municipality = "".join(p.extract_text() for p in PdfReader(_saved(download.value, tmp_path)).pages)
        assert "København" in municipality and f"Release {release}" in municipality

        page.reload()
        ticked = page.locator("#publicering-tjekliste .udfoert")
        ticked.first.wait_for()
        assert "Publikationens PDF'er bygget" in ticked.all_inner_texts()[-1]
        assert errors == []
        context.close()


def _combined_link(release: str) -> re.Pattern:
    """The name of the link to any theme's combined file of the release (kdk.publikation.filnavn: the theme's slug,
    the release id, 'samlet')."""
    return re.compile(rf"^Hent [a-z0-9-]+-{re.escape(release)}-samlet\.pdf$")


def _follow_job(page, done, seconds: float = 600) -> None:
    """Poll the PDF job's status on the page until `done` shows, failing at once if the job fails. The whole job
    prints 99 pages, about 100 s on a quiet machine: a wait for the job, not a timing assertion."""
    status = page.locator("#publikation-status")
    deadline = time.monotonic() + seconds
    while not done.count():
        text = status.inner_text()
        assert "fejlede" not in text, text
        assert time.monotonic() < deadline, f"the PDFs were not built in {seconds} s; last shown: {text!r}"
        page.wait_for_timeout(1000)


def _saved(download, tmp_path):
    """The downloaded file, saved under its own name."""
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path


def _reload_until(page, text: str, seconds: float = 180) -> None:
    """Reload the page until it shows `text`: a wait for the workers, not a timing assertion."""
    deadline = time.monotonic() + seconds
    while not page.get_by_text(text).count():
        assert time.monotonic() < deadline, f"the page never showed {text!r}"
        page.wait_for_timeout(2000)
        page.reload()
        page.locator("#publicering-embargo").wait_for()
