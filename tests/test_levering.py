"""Releases delivered to every app server: `kdk udgiv` publishes the live marts file to a folder, `kdk hent` fetches
it (from the folder, or over HTTP) into another data folder and switches to it only when it is whole and its SHA-256
is the manifest's; /sundhed says which release a worker serves and whether it is warm; `kdk status` asks the servers
and exits non-zero when they disagree or one is down."""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from kdk import cli
from kdk.config import Settings
from tests.conftest import altered, fingerprint, free_port, running_server, settings_in

STOPPED = int(Path("/proc/sys/kernel/pid_max").read_text()) + 1   # the id of no running process


def kdk(monkeypatch, st: Settings, *argv: str) -> int:
    """`python -m kdk argv` reading and writing the data folder of `st`."""
    monkeypatch.setenv("KDK_MARTS", str(st.marts_path))
    return cli.main(list(argv))


def live_bytes(st: Settings) -> bytes:
    return st.marts_path.resolve().read_bytes()


@pytest.fixture
def published(built, tmp_path, monkeypatch) -> Path:
    """The built marts published to a delivery folder of the test's own."""
    dest = tmp_path / "udgivelser"
    assert kdk(monkeypatch, built, "udgiv", "--til", str(dest)) == 0
    return dest


@pytest.fixture
def older(fresh_marts) -> Settings:
    """A second server's data folder, serving an older release than the one published."""
    return altered(fresh_marts, "aeldre-1", ("UPDATE release SET beskrivelse = 'ældre'", []))


def test_a_published_release_fetched_into_another_data_folder_is_the_same_file(built, published, tmp_path,
                                                                               monkeypatch, capsys):
    other = settings_in(tmp_path / "server2")
    other.marts_path.parent.mkdir()
    manifest = json.loads((published / "aktuel.json").read_text())
    assert kdk(monkeypatch, other, "hent", "--fra", str(published)) == 0
    assert "Hentet og skiftet til" in capsys.readouterr().out
    assert live_bytes(other) == live_bytes(built)
    assert other.marts_path.resolve().name == built.marts_path.resolve().name == manifest["fil"]
    assert manifest["sha256"] == hashlib.sha256(live_bytes(built)).hexdigest()
    assert manifest["release"] == built.marts_path.resolve().name.split("-")[1]
    assert kdk(monkeypatch, other, "hent", "--fra", str(published)) == 0   # once more: nothing new
    assert "allerede i brug" in capsys.readouterr().out


@pytest.mark.parametrize("damage", ["flipped byte", "truncated"])
def test_a_damaged_copy_is_refused_and_the_live_release_is_untouched(damage, published, older, monkeypatch, capsys):
    manifest = json.loads((published / "aktuel.json").read_text())
    delivered = published / manifest["fil"]
    data = bytearray(delivered.read_bytes())
    if damage == "flipped byte":
        data[len(data) // 2] ^= 0x01
    else:
        del data[len(data) // 3:]
    delivered.write_bytes(bytes(data))
    before = fingerprint(older), sorted(p.name for p in older.marts_dir.iterdir())
    assert kdk(monkeypatch, older, "hent", "--fra", str(published)) == 1
    assert "stemmer ikke med manifestet" in capsys.readouterr().err
    # the link, the bytes it points at and the folder's files are as before: no copy under any name, temporary or not
    assert (fingerprint(older), sorted(p.name for p in older.marts_dir.iterdir())) == before


def test_a_partly_written_file_is_never_fetched_and_is_removed_once_its_writer_is_gone(built, published, older,
                                                                                      monkeypatch):
    """A publish or fetch that was killed leaves at most a temporary file beside the last whole one; a fetch takes
    the whole one, and the next publish or fetch removes the leftovers."""
    manifest = json.loads((published / "aktuel.json").read_text())
    left = [folder / f".{manifest['fil']}.{STOPPED}.tmp" for folder in (published, older.marts_dir)]
    for partial in left:
        partial.write_bytes(live_bytes(built)[:1000])
    assert kdk(monkeypatch, older, "hent", "--fra", str(published)) == 0
    assert live_bytes(older) == live_bytes(built) and not left[1].exists()
    assert left[0].exists()   # the fetch reads the delivery folder, it does not tidy it
    assert kdk(monkeypatch, built, "udgiv", "--til", str(published)) == 0
    assert {p.name for p in published.iterdir()} == {"aktuel.json", manifest["fil"],
                                                     manifest["fil"].replace(".duckdb", ".json")}


@pytest.mark.parametrize("change", [{"fil": "../kdk.duckdb"}, {"fil": 5}, {"stoerrelse": "mange"}, {"sha256": None}])
def test_a_manifest_that_names_a_path_or_has_wrong_fields_is_refused(change, published, older, monkeypatch, capsys):
    manifest = json.loads((published / "aktuel.json").read_text())
    (published / "aktuel.json").write_text(json.dumps(manifest | change))
    before = fingerprint(older), sorted(p.name for p in older.marts_dir.iterdir())
    assert kdk(monkeypatch, older, "hent", "--fra", str(published)) == 1
    assert "Fejl: Manifestet" in capsys.readouterr().err
    assert (fingerprint(older), sorted(p.name for p in older.marts_dir.iterdir())) == before


def test_fetching_over_http_installs_the_release(built, published, older, monkeypatch):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(published)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/aktuel.json")
        assert kdk(monkeypatch, older, "hent", "--fra", base) == 0
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert live_bytes(older) == live_bytes(built)
    assert older.marts_path.resolve().name == built.marts_path.resolve().name


def test_the_manifest_gives_the_embargo_as_a_utc_instant(fresh_marts, tmp_path, monkeypatch):
    staged = altered(fresh_marts, "embargo-1", ("UPDATE release SET embargo_til = ?", [dt.datetime(2027, 1, 12, 9)]))
    assert kdk(monkeypatch, staged, "udgiv", "--til", str(tmp_path / "ud")) == 0
    assert json.loads((tmp_path / "ud" / "aktuel.json").read_text())["embargo_til"] == "2027-01-12T08:00:00Z"


def test_an_ingest_publishes_its_new_release_when_a_delivery_folder_is_set(fresh_marts, tmp_path, monkeypatch,
                                                                           capsys):
    from tests.test_ingest import all_98, wide_file

    dest = tmp_path / "udgivelser"
    monkeypatch.setenv("KDK_UDGIV_TIL", str(dest))
    assert kdk(monkeypatch, fresh_marts, "ingest", str(wide_file(tmp_path / "k.csv", all_98("7,7"))),
               "--noegletal", "skole.karakter") == 0
    assert f"Udgivet til {dest}" in capsys.readouterr().out
    manifest = json.loads((dest / "aktuel.json").read_text())
    assert manifest["fil"] == fresh_marts.marts_path.resolve().name and manifest["release"].endswith("-2")
    assert (dest / manifest["fil"]).read_bytes() == live_bytes(fresh_marts)


def test_publishing_keeps_the_newest_few_releases(fresh_marts, tmp_path, monkeypatch):
    dest = tmp_path / "udgivelser"
    monkeypatch.setenv("KDK_KEEP_VERSIONS", "2")
    for n in range(1, 5):
        altered(fresh_marts, f"udgave-{n}", ("UPDATE release SET beskrivelse = ?", [str(n)]))
        assert kdk(monkeypatch, fresh_marts, "udgiv", "--til", str(dest)) == 0
    assert sorted(p.name for p in dest.glob("kdk-*.duckdb")) == ["kdk-udgave-3.duckdb", "kdk-udgave-4.duckdb"]
    assert json.loads((dest / "aktuel.json").read_text())["fil"] == "kdk-udgave-4.duckdb"


def test_an_embargo_changed_on_the_build_server_is_published_too(fresh_marts, tmp_path):
    from kdk.marts import embargo

    staged = altered(fresh_marts, "staged-1", ("UPDATE release SET embargo_til = ?", [dt.datetime(2099, 1, 10, 8)]))
    dest = tmp_path / "udgivelser"
    changed = embargo.change(dataclasses.replace(staged, udgiv_til=dest), _only_release(staged),
                             dt.datetime(2098, 7, 1, 12))
    assert str(changed.before) == "2099-01-10 08:00:00" and changed.undelivered is None
    manifest = json.loads((dest / "aktuel.json").read_text())
    assert manifest["fil"] == staged.marts_path.resolve().name and manifest["embargo_til"] == "2098-07-01T10:00:00Z"


def _only_release(st: Settings) -> str:
    with duckdb.connect(str(st.marts_path.resolve()), read_only=True) as con:
        return con.execute("SELECT release_id FROM release").fetchone()[0]


def test_sundhed_is_503_before_the_worker_is_warm(client):
    """The test client's app was never warmed (gunicorn warms a worker before it takes requests)."""
    response = client.get("/sundhed")
    assert response.status_code == 503
    assert response.get_json()["varm"] is False
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture(scope="module")
def servers(built):
    with contextlib.ExitStack() as stack:
        # a short warm-up: these tests ask which release is served, not how fast pages come (a loaded CI machine)
        yield [stack.enter_context(running_server(built, workers=1, extra_env={"KDK_OPVARMNING_SEKUNDER": "2"}))
               for _ in range(2)]


def test_sundhed_on_a_running_server_names_the_warm_release(built, servers):
    with urllib.request.urlopen(f"{servers[0]}/sundhed", timeout=10) as response:
        assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
        answer = json.load(response)
    assert answer["varm"] is True and isinstance(answer["pid"], int)
    assert answer["version"] == built.marts_path.resolve().stem
    assert answer["release"] == answer["version"].split("-")[1]


def test_status_lists_every_server_and_fails_when_one_is_down(built, servers, monkeypatch, capsys):
    assert kdk(monkeypatch, built, "status", "--servere", ",".join(servers)) == 0
    out = capsys.readouterr().out
    assert all(s in out for s in servers) and "enige" in out and built.marts_path.resolve().stem in out
    stopped = f"http://127.0.0.1:{free_port()}"   # a server that is not running
    assert kdk(monkeypatch, built, "status", "--servere", f"{servers[0]},{stopped}") == 1
    assert "nede" in capsys.readouterr().out


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
