"""`python -m kdk publikation`: the theme as PDF files for hele landet and chosen municipalities, and the combined
file with its table of contents, rendered in the system Chromium from the app on a private port."""
from __future__ import annotations

import io
import json
import time
import urllib.error
import urllib.request
import zipfile

import duckdb
import pytest
from pypdf import PdfReader

from kdk import cli, publikation
from kdk.auth import audit, users
from kdk.export import jobs
from tests.conftest import altered
from tests.dash_http import call, render
from tests.test_admin import sign_in_with_code
from tests.test_auth import GOOD, sign_in

pytestmark = pytest.mark.browser


def text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def release(built) -> str:
    with duckdb.connect(str(built.marts_path), read_only=True) as c:
        return c.execute("SELECT max_by(release_id, loebenummer) FROM release").fetchone()[0]


@pytest.fixture(scope="module")
def udgivet(built, release, tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setenv("KDK_MARTS", str(built.marts_path))
    out = tmp_path_factory.mktemp("publikation")
    code = cli.main(["publikation", "--release", release, "--tema", "rekruttering", "--out", str(out),
                     "--kommuner", "101,147"])
    return code, out


def test_the_files_have_deterministic_names(udgivet, release):
    code, out = udgivet
    assert code == 0
    assert sorted(f.name for f in out.iterdir()) == [
        f"rekruttering-{release}-000-hele-landet.pdf", f"rekruttering-{release}-101-koebenhavn.pdf",
        f"rekruttering-{release}-147-frederiksberg.pdf", f"rekruttering-{release}-samlet.pdf"]


@pytest.mark.parametrize("kode, navn", [("000", "Hele landet"), ("101", "København"), ("147", "Frederiksberg")])
def test_each_part_shows_its_municipality_and_the_theme(udgivet, kode, navn):
    _, out = udgivet
    [path] = out.glob(f"*-{kode}-*.pdf")
    assert len(PdfReader(path).pages) > 0
    content = text(path)
    assert f"Rekruttering: {navn}" in content
    assert "127.0.0.1" not in content   # the printed foot gives the public address, not the private server's


def test_the_combined_file_has_contents_and_an_outline(udgivet, release):
    _, out = udgivet
    parts = sorted(p for p in out.glob("*.pdf") if not p.name.endswith("samlet.pdf"))
    combined = PdfReader(out / f"rekruttering-{release}-samlet.pdf")
    counts = [len(PdfReader(p).pages) for p in parts]
    assert len(combined.pages) == sum(counts) + 1
    contents = combined.pages[0].extract_text()
    assert "Indhold" in contents or "indhold" in contents
    assert [o.title for o in combined.outline] == ["Indhold", "Hele landet", "København (101)", "Frederiksberg (147)"]
    # the contents give each part's first page: hele landet right after the contents, København after it
    assert "Hele landet 2" in contents and f"København (101) {2 + counts[0]}" in contents


@pytest.mark.parametrize("flag, value", [("--release", "findes-ikke"), ("--tema", "findes-ikke")])
def test_an_unknown_release_or_theme_is_refused_and_writes_nothing(built, release, tmp_path, monkeypatch, capsys,
                                                                     flag, value):
    monkeypatch.setenv("KDK_MARTS", str(built.marts_path))
    args = {"--release": release, "--tema": "rekruttering", flag: value}
    code = cli.main(["publikation", *[x for kv in args.items() for x in kv], "--out", str(tmp_path / "ud")])
    assert code == 1
    assert "findes ikke" in capsys.readouterr().err
    assert not (tmp_path / "ud").exists() or not any((tmp_path / "ud").iterdir())


def test_the_private_server_answers_nobody_without_its_key(built, monkeypatch):
    from kdk import privatserver

    monkeypatch.setenv("KDK_MARTS", str(built.marts_path))
    with privatserver.running(str(built.marts_path.resolve())) as (base, headers):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "/tema/rekruttering?kommune=101", timeout=30)
        assert refused.value.code == 404
        assert urllib.request.urlopen(urllib.request.Request(base + "/", headers=headers), timeout=30).status == 200


def test_a_release_under_embargo_is_published_with_its_data(fresh_marts, udgivet, release, tmp_path, monkeypatch):
    """The only release staged until 2099: its publication shows what it will show once public."""
    altered(fresh_marts, "embargo", ("UPDATE release SET embargo_til = TIMESTAMP '2099-01-01 08:00'", []))
    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    assert cli.main(["publikation", "--release", release, "--tema", "rekruttering", "--out", str(tmp_path),
                     "--kommuner", "101"]) == 0
    name = f"rekruttering-{release}-101-koebenhavn.pdf"
    assert text(tmp_path / name) == text(udgivet[1] / name)


def test_only_the_publication_team_may_download_the_pdfs(client, app, tmp_path, monkeypatch):
    monkeypatch.setenv("KDK_EKSPORT_DIR", str(tmp_path))
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    (tmp_path / "rekruttering-x-samlet.pdf").write_bytes(b"%PDF-1.7")
    assert client.get("/eksport/rekruttering-x-samlet.pdf").status_code == 404
    users.add("les", GOOD, "laeser", "101", {"personale"})
    assert sign_in(client, "les").status_code == 302
    assert client.get("/eksport/rekruttering-x-samlet.pdf").status_code == 404
    started = call(client, app, {"publikation-start.n_clicks": 1},
                   {"publikation-release.data": "x", "publikation-tema.value": "rekruttering"})
    assert started.status_code == 204   # nothing starts
    assert jobs.job_status(tmp_path, publikation.job("x", "rekruttering"))["tilstand"] == "ikke startet"


def test_the_publication_team_sees_the_pdf_section_and_is_told_why_a_start_is_refused(client, app, tmp_path,
                                                                                      monkeypatch):
    """Building all 99 PDFs from the page, following the job and downloading the files is the browser test's
    (tests/test_publicering_browser.py), so the suite renders them once."""
    monkeypatch.setenv("KDK_EKSPORT_DIR", str(tmp_path))
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    users.add("red", GOOD, "redaktion")
    sign_in_with_code(client, "red")
    assert "Publikation (PDF)" in render(client, app, "/publicering")
    refused = call(client, app, {"publikation-start.n_clicks": 1},
                   {"publikation-release.data": "findes-ikke", "publikation-tema.value": "rekruttering"})
    assert refused.status_code == 400
    assert "Releasen «findes-ikke» findes ikke" in json.dumps(refused.get_json(), ensure_ascii=False)
    assert audit.count(handling="publikation_startet") == 0   # only a job that starts is audited
    assert jobs.job_status(tmp_path, publikation.job("findes-ikke", "rekruttering"))["tilstand"] == "ikke startet"


def test_the_publication_team_downloads_every_file_of_a_finished_job_as_one_zip(built, release, client, app,
                                                                               tmp_path, monkeypatch):
    """A small job (hele landet and København, as the command line's --kommuner) run as the page runs it; its files
    as one zip, streamed, equal to the files on disk; for the publication team only, and audited."""
    folder = tmp_path / "eksport"
    monkeypatch.setenv("KDK_MARTS", str(built.marts_path))
    monkeypatch.setenv("KDK_EKSPORT_DIR", str(folder))
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    users.add("red", GOOD, "redaktion")
    users.add("les", GOOD, "laeser", "101")
    sign_in_with_code(client, "red")
    address = f"/eksport/publikation/rekruttering/{release}"
    assert client.get(address).status_code == 404   # no job done, no zip
    assert publikation.start(release, "rekruttering", folder, ("101",))
    state = {"publikation-release.data": release}
    deadline = time.monotonic() + 300
    while (status := jobs.job_status(folder, publikation.job(release, "rekruttering")))["tilstand"] != "færdig":
        assert status["tilstand"] != "fejl" and time.monotonic() < deadline, status   # a wait, not a timing
        time.sleep(0.5)
    listed = status["filer"]
    shown = call(client, app, {"publikation-interval.n_intervals": 1, "publikation-tema.value": "rekruttering"},
                 state).get_json()["response"]["publikation-status"]["children"]
    size = sum((folder / name).stat().st_size for name in listed) / 1e6
    link = next(n for n in shown["props"]["children"] if "zip" in str(n["props"].get("children", "")))
    assert link["props"]["children"] == f"Hent alle som zip (3 filer, {size:.1f} MB)".replace(".", ",")
    assert link["props"]["href"] == address

    download = client.get(address)
    assert download.status_code == 200 and download.is_streamed
    assert download.headers["Content-Disposition"] == f'attachment; filename="rekruttering-{release}-pdf.zip"'
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert archive.namelist() == listed and len(listed) == 3
    assert all(archive.read(name) == (folder / name).read_bytes() for name in listed)
    logged = audit.entries(handling="eksport_hentet")
    assert list(logged["bruger"]) == ["red"] and list(logged["detaljer"]) == [f"rekruttering-{release}-pdf.zip"]

    anonymous = app.server.test_client()
    assert anonymous.get(address).status_code == 404
    assert sign_in(anonymous, "les").status_code == 302
    assert anonymous.get(address).status_code == 404
    assert audit.count(handling="eksport_hentet") == 1
