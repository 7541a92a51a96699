"""Background jobs with several app servers sharing the user database and the export folder (kdk.export.jobs): of
servers racing to start a job one runs it; any server shows a job's progress and serves its file, to the publication
team only; a job whose server died says so and can be started again; a long silent job keeps its claim by its
heartbeat; and progress is written to the database at most about twice a second.

"Another server" is a separate Python process (`python -c`) on the same SQLite file and export folder; "this
server" is the app over the Flask test client."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event

from kdk import publikation
from kdk.auth import store, users
from kdk.config import PROJECT_DIR
from kdk.export import jobs
from tests.dash_http import call, texts
from tests.test_admin import sign_in_with_code
from tests.test_auth import GOOD, sign_in

# Another server: it waits for `gate/start` (and the time written in it), starts the job NAME (whose work marks
# that it ran, reports 40 pct. "Skriver filer" and waits for `gate/slip` before writing NAME.zip), prints whether it
# started it, and waits for its job to end.
SERVER = """
import os, sys, threading, time
from pathlib import Path
from kdk.export import jobs

folder, name, gate = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])

def work(progress):
    (gate / f"ran-{os.getpid()}").touch()
    progress(0.4, "Skriver filer")
    while not (gate / "slip").exists():
        time.sleep(0.05)
    out = folder / f"{name}.zip"
    out.write_bytes(b"PK-" + name.encode())
    return [out]

(gate / f"ready-{os.getpid()}").touch()
while not (gate / "start").exists():
    time.sleep(0.01)
time.sleep(max(0.0, float((gate / "start").read_text() or 0) - time.time()))   # all at once, by the clock
print(jobs.run(folder, name, work, "Jobbet fejlede."), flush=True)
while any(t.name == f"job-{name}" for t in threading.enumerate()):
    time.sleep(0.05)
"""


@pytest.fixture
def shared(userdb, tmp_path, monkeypatch):
    """The user database (SQLite, and PostgreSQL as several servers share it) and the export folder the servers
    share, and a folder for the other servers' signals."""
    monkeypatch.setenv("KDK_EKSPORT_DIR", str(tmp_path / "eksport"))
    (tmp_path / "gate").mkdir()
    store.engine()   # the database exists before the servers start (they do not race to create its tables)
    return tmp_path / "eksport", tmp_path / "gate"


def other_server(shared, name: str) -> subprocess.Popen:
    folder, gate = shared
    return subprocess.Popen([sys.executable, "-c", SERVER, str(folder), name, str(gate)],
                            cwd=PROJECT_DIR, stdout=subprocess.PIPE, text=True)


def wait_for(what, seconds: float = 60):
    """Poll `what` until it gives something true (a wait for another process, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while not (found := what()):
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.1)
    return found


def test_servers_racing_to_start_a_job_run_it_once(shared):
    folder, gate = shared
    servers = [other_server(shared, "kapløb") for _ in range(3)]
    wait_for(lambda: len(list(gate.glob("ready-*"))) == 3)
    (gate / "at").write_text(str(time.time() + 0.5))
    (gate / "at").rename(gate / "start")
    started = sorted(s.stdout.readline().strip() for s in servers)   # the job runs until all have answered
    (gate / "slip").touch()
    assert [s.wait(timeout=120) for s in servers] == [0, 0, 0]
    assert started == ["False", "False", "True"]
    assert len(list(gate.glob("ran-*"))) == 1
    assert jobs.job_status(folder, "kapløb")["filer"] == ["kapløb.zip"]


@pytest.fixture
def team(client, app, shared, con):
    """This server's client signed in as the publication team (redaktion), and the newest release's bundle state."""
    users.add("red", GOOD, "redaktion")
    users.add("les", GOOD, "laeser", "101")
    sign_in_with_code(client, "red")
    release = con.execute("SELECT release_id FROM release ORDER BY loebenummer DESC").fetchone()[0]
    return client, {"publicering-release.data": release}


def shown(client, app, state) -> str:
    answer = call(client, app, {"publicering-interval.n_intervals": 1}, state)
    return json.dumps(answer.get_json(), ensure_ascii=False)


def test_a_bundle_built_by_another_server_shows_its_progress_and_file_here(team, app, shared):
    client, state = team
    folder, gate = shared
    name = f"kdk-release-{state['publicering-release.data']}"
    (gate / "start").touch()
    server = other_server(shared, name)
    wait_for(lambda: "Skriver filer (40 pct.)" in shown(client, app, state))
    again = call(client, app, {"publicering-start.n_clicks": 1}, state)
    assert "Eksporten er allerede i gang" in again.get_data(as_text=True)
    (gate / "slip").touch()
    assert server.communicate(timeout=120)[0].strip() == "True"
    assert f"/eksport/{name}.zip" in shown(client, app, state)
    assert client.get(f"/eksport/{name}.zip").data == b"PK-" + name.encode()
    assert len(list(gate.glob("ran-*"))) == 1
    reader = app.server.test_client()
    assert reader.get(f"/eksport/{name}.zip").status_code == 404
    assert sign_in(reader, "les").status_code == 302
    assert reader.get(f"/eksport/{name}.zip").status_code == 404


def test_a_job_whose_server_died_says_so_and_can_be_started_again(team, app, shared, monkeypatch):
    client, state = team
    folder, gate = shared
    (gate / "start").touch()
    server = other_server(shared, f"kdk-release-{state['publicering-release.data']}")
    wait_for(lambda: "Skriver filer (40 pct.)" in shown(client, app, state))
    server.kill()   # the server dies mid-job: no heartbeat from now on
    server.wait()
    monkeypatch.setattr(jobs, "STALE", 1.0)
    wait_for(lambda: "holdt op med at svare" in shown(client, app, state), seconds=10)
    restarted = call(client, app, {"publicering-start.n_clicks": 1}, state)
    assert "Eksporten er startet" in restarted.get_data(as_text=True)
    done = wait_for(lambda: "/eksport/kdk-release-" in (text := shown(client, app, state)) and text, seconds=180)
    assert "(100 pct.)" in done


def test_a_long_job_without_progress_keeps_its_claim_by_its_heartbeat(shared, monkeypatch):
    folder, _ = shared
    monkeypatch.setattr(jobs, "HEARTBEAT", 0.1)
    monkeypatch.setattr(jobs, "STALE", 0.5)

    def silent(progress) -> list[Path]:
        time.sleep(2)
        (folder / "stille.zip").write_bytes(b"PK")
        return [folder / "stille.zip"]

    assert jobs.run(folder, "stille", silent, "Jobbet fejlede.")
    time.sleep(1.2)
    assert jobs.job_status(folder, "stille")["tilstand"] == "i gang"
    assert not jobs.run(folder, "stille", silent, "Jobbet fejlede.")
    assert wait_for(lambda: jobs.job_status(folder, "stille")["tilstand"] == "færdig", seconds=10)


def test_progress_is_written_at_most_about_twice_a_second(shared):
    folder, _ = shared
    writes = []
    event.listen(store.engine(), "before_cursor_execute",
                 lambda *args: writes.append(args[2]) if args[2].lstrip().upper().startswith("UPDATE JOB") else None)

    def chatty(progress) -> list[Path]:
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            progress(0.5, "Regner")
        (folder / "snak.zip").write_bytes(b"PK")
        return [folder / "snak.zip"]

    assert jobs.run(folder, "snak", chatty, "Jobbet fejlede.")
    wait_for(lambda: jobs.job_status(folder, "snak")["tilstand"] == "færdig", seconds=10)
    assert 2 <= len(writes) <= 5   # progress about every THROTTLE (0.5 s) of the second, and the end


def test_a_job_whose_files_left_the_export_folder_is_not_offered_and_can_run_again(shared):
    folder, _ = shared

    def quick(progress) -> list[Path]:
        (folder / "kort.zip").write_bytes(b"PK")
        return [folder / "kort.zip"]

    assert jobs.run(folder, "kort", quick, "Jobbet fejlede.")
    wait_for(lambda: jobs.job_status(folder, "kort")["tilstand"] == "færdig", seconds=10)
    (folder / "kort.zip").unlink()   # the folder was emptied, or this server does not share it
    assert jobs.job_status(folder, "kort")["tilstand"] == "ikke startet"
    assert jobs.run(folder, "kort", quick, "Jobbet fejlede.")
    wait_for(lambda: jobs.job_status(folder, "kort")["tilstand"] == "færdig", seconds=10)


def _pdf_status(client, app, release: str, sprog: str) -> str:
    """The text of the PDF job's status as /publicering (sprog "da") or /en/publicering ("en") shows it."""
    client.environ_base["HTTP_REFERER"] = "http://localhost" + ("/en" if sprog == "en" else "") + "/publicering"
    answer = call(client, app, {"publikation-interval.n_intervals": 1, "publikation-tema.value": "rekruttering"},
                  {"publikation-release.data": release})
    return " ".join(texts(answer.get_json()["response"]["publikation-status"]["children"]))



DANISH = re.compile(r"\b(af|PDF-filer|hele landet|Hele landet|pct|Færdig|Starter|Hent|filer|som)\b")


def test_the_pdf_jobs_progress_is_shown_in_the_pages_language(team, app, shared, monkeypatch):
    """The job's thread has no request and so no language: what it records is shown in the language of the page
    that asks, English on /en/publicering and Danish on /publicering, while it runs and when it is done."""
    client, state = team
    folder, _ = shared
    release = state["publicering-release.data"]
    monkeypatch.setattr(jobs, "THROTTLE", 0.0)   # every part's progress is recorded
    parts = publikation.dele(release, "rekruttering", ("101",))
    go = [threading.Event() for _ in parts]

    def work(progress) -> list[Path]:   # the PDF job's progress, part by part, without printing the pages
        record = publikation.jobfremdrift(progress)
        for done, (part, step) in enumerate(zip(parts, go), 1):
            record(done, len(parts), part)
            assert step.wait(60)
        (folder / "samlet.pdf").write_bytes(b"%PDF-1.7")
        return [folder / "samlet.pdf"]

    assert jobs.run(folder, publikation.job(release, "rekruttering"), work, "Publikationen fejlede.")
    english = wait_for(lambda: "All of Denmark" in (t := _pdf_status(client, app, release, "en")) and t)
    assert "1 of 2 PDF files: All of Denmark (50%)" in english and not DANISH.search(english), english
    assert "1 af 2 PDF-filer: hele landet (50 pct.)" in _pdf_status(client, app, release, "da")
    go[0].set()
    english = wait_for(lambda: "2 of 2" in (t := _pdf_status(client, app, release, "en")) and t)
    assert "2 of 2 PDF files: København (100%)" in english and not DANISH.search(english), english
    assert "2 af 2 PDF-filer: København (100 pct.)" in _pdf_status(client, app, release, "da")
    go[1].set()
    english = wait_for(lambda: "Done" in (t := _pdf_status(client, app, release, "en")) and t)
    assert "Done (100%)" in english and not DANISH.search(english), english
    assert "Færdig (100 pct.)" in _pdf_status(client, app, release, "da")
