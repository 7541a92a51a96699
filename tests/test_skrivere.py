"""Writers of the live marts take turns: a load and an embargo change that run at the same time both stand
afterwards, an embargo change that cannot get its turn in time is refused with nothing changed, and an embargo
change that did not reach the other app servers says so."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from kdk.auth import audit
from kdk.config import PROJECT_DIR, Settings, settings
from tests.conftest import fingerprint
from tests.test_admin import sign_in_with_code
from tests.test_ingest import all_98, wide_file
from tests.test_publicering import _form_token, staged  # noqa: F401 - `staged` is a fixture used here

LATER = "2099-06-01 08:00"          # the loaded release's embargo: after the staged one's
MOVED = dt.datetime(2099, 1, 5, 9, 0)   # where the publication team moves the staged release's embargo


@pytest.fixture
def staged_marts(staged) -> Settings:  # noqa: F811
    """The test's own marts, with the release `staged` stages (its KDK_MARTS)."""
    return settings()


def _opened(pid: int, path: Path) -> bool:
    """Whether the process `pid` has the file `path` open."""
    try:
        return any(os.path.realpath(fd) == str(path) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except (FileNotFoundError, PermissionError):   # the process, or one of its descriptors, has just gone
        return False


def _started_load(marts_path: Path, tmp_path: Path) -> subprocess.Popen:
    """`python -m kdk ingest` of a whole year of skole.karakter under a later embargo, once it reads the live file."""
    base = marts_path.resolve()
    path = wide_file(tmp_path / "karakterer.csv", all_98("7,3"))
    load = subprocess.Popen([sys.executable, "-m", "kdk", "ingest", str(path), "--noegletal", "skole.karakter",
                             "--embargo-til", LATER], cwd=PROJECT_DIR, env={**os.environ, "KDK_MARTS": str(marts_path)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not _opened(load.pid, base):   # a wait for the load to read its base, not a timing assertion
        assert load.poll() is None and time.monotonic() < deadline, load.communicate()
        time.sleep(0.01)
    return load


def _live(marts_path: Path) -> tuple[dt.datetime, int]:
    """The staged release's embargo time and the loaded rows the live marts hold."""
    with duckdb.connect(str(marts_path.resolve()), read_only=True) as con:
        [(embargo,)] = con.execute("SELECT embargo_til FROM release WHERE loebenummer = 2").fetchall()
        [(loaded,)] = con.execute("""SELECT count(*) FROM fct_noegletal f JOIN release r USING (release_id)
            WHERE noegletal_id = 'skole.karakter' AND periode = '2026' AND r.loebenummer = 3""").fetchall()
    return embargo, loaded


@pytest.mark.langsom
def test_an_embargo_change_during_a_load_leaves_both_in_the_live_marts(staged, client, app,  # noqa: F811
                                                                        staged_marts, tmp_path, monkeypatch):
    monkeypatch.setenv("KDK_SKRIVER_VENT_SEKUNDER", "300")   # the change waits for the whole load here
    staged_id, _ = staged
    sign_in_with_code(client, "red")
    token = _form_token(client, app, staged_id)
    load = _started_load(staged_marts.marts_path, tmp_path)
    changed = client.post("/publicering/embargo", data={"release": staged_id, "dato": f"{MOVED:%d.%m.%Y}",
                                                        "tid": f"{MOVED:%H.%M}", "csrf_token": token})
    out, err = load.communicate(timeout=300)
    assert load.returncode == 0, err
    assert changed.status_code == 303, changed.get_data(as_text=True)
    assert _live(staged_marts.marts_path) == (MOVED, 98 + 6)   # the new time, and the loaded year with its totals


@pytest.mark.langsom
def test_an_embargo_change_while_a_load_writes_is_refused_with_nothing_changed(staged, client, app,  # noqa: F811
                                                                                staged_marts, tmp_path, monkeypatch):
    monkeypatch.setenv("KDK_SKRIVER_VENT_SEKUNDER", "0.5")
    staged_id, _ = staged
    sign_in_with_code(client, "red")
    token = _form_token(client, app, staged_id)
    load = _started_load(staged_marts.marts_path, tmp_path)
    before = fingerprint(staged_marts)
    refused = client.post("/publicering/embargo", data={"release": staged_id, "dato": f"{MOVED:%d.%m.%Y}",
                                                        "tid": f"{MOVED:%H.%M}", "csrf_token": token})
    assert fingerprint(staged_marts) == before
    assert load.poll() is None   # the load was still writing all along
    assert refused.status_code == 409
    assert "Data bliver opdateret lige nu; prøv igen om lidt" in refused.get_data(as_text=True)
    assert audit.count(handling="embargo_aendret") == 0
    _, err = load.communicate(timeout=300)
    assert load.returncode == 0, err
    assert _live(staged_marts.marts_path) == (dt.datetime(2099, 1, 10, 8, 0), 98 + 6)   # the load, not the change


@pytest.mark.langsom
def test_two_loads_at_once_take_turns_and_both_land(staged, staged_marts, tmp_path):  # noqa: F811
    first = _started_load(staged_marts.marts_path, tmp_path)
    path = wide_file(tmp_path / "fravaer.csv", all_98("6,1"), years=("2026",))
    second = subprocess.run([sys.executable, "-m", "kdk", "ingest", str(path), "--noegletal", "skole.elevfravaer",
                             "--embargo-til", "2099-07-01 08:00"], cwd=PROJECT_DIR, capture_output=True, text=True,
                            env={**os.environ, "KDK_MARTS": str(staged_marts.marts_path)}, timeout=300)
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert second.returncode == 0, second.stderr
    with duckdb.connect(str(staged_marts.marts_path.resolve()), read_only=True) as con:
        landed = con.execute("""SELECT r.loebenummer, f.noegletal_id, count(*) FROM fct_noegletal f
            JOIN release r USING (release_id) WHERE f.periode = '2026' AND r.loebenummer > 2
            AND f.noegletal_id IN ('skole.karakter', 'skole.elevfravaer') GROUP BY ALL ORDER BY 1""").fetchall()
    assert landed == [(3, "skole.karakter", 98 + 6), (4, "skole.elevfravaer", 98 + 6)]
    assert "Venter på en anden indlæsning eller ændring af data" in second.stderr


def test_an_embargo_change_that_does_not_reach_the_other_servers_says_so(staged, client, app,  # noqa: F811
                                                                          staged_marts, tmp_path, monkeypatch):
    blocked = tmp_path / "en-fil"
    blocked.write_text("ikke en mappe")
    monkeypatch.setenv("KDK_UDGIV_TIL", str(blocked / "udgivelser"))   # a folder that cannot be made
    staged_id, _ = staged
    sign_in_with_code(client, "red")
    changed = client.post("/publicering/embargo", data={
        "release": staged_id, "dato": f"{MOVED:%d.%m.%Y}", "tid": f"{MOVED:%H.%M}",
        "csrf_token": _form_token(client, app, staged_id)})
    shown = changed.get_data(as_text=True)
    assert changed.status_code == 200
    assert "Embargotidspunktet er ændret på denne server, men ændringen nåede ikke de andre servere" in shown
    assert f'href="/publicering?release={staged_id}"' in shown
    assert _live(staged_marts.marts_path)[0] == MOVED   # the change stands here
    [detail] = audit.entries(handling="embargo_aendret")["detaljer"].tolist()
    assert detail.startswith(f"release {staged_id}: 10.01.2099 kl. 08.00 → 05.01.2099 kl. 09.00; ikke leveret til "
                             "de andre servere: Releasen kan ikke udgives til")
