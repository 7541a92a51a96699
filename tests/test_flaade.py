"""Several app servers behind nginx on one PostgreSQL (issue 23), with the real parts (tests/flaade.py): a sign-in
through nginx holds on both servers and a logout on one ends it on both; wrong passwords on either server count
together; one server stopped and started again under traffic costs no request, a page or a Dash callback; a release
published under the mixed load of bench/locustfile.py reaches both servers within the promised time
(kdk.marts.levering.LEVERET_INDEN) and no request fails."""
from __future__ import annotations

import collections
import concurrent.futures
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pyotp
import pytest
import requests

from bench.bench_load import (
    PASSWORD,
    SWAP_FIGURE,
    SWAP_FILE,
    create_readers,
    merged,
    read_entries,
    run_locust,
)
from kdk.auth import users
from kdk.config import PROJECT_DIR, Settings, using
from kdk.marts.levering import LEVERET_INDEN
from tests.dash_http import outputs
from tests.flaade import AppServer, flaade, own_marts
from tests.test_auth import GOOD, wait_out_delays

pytestmark = [pytest.mark.server, pytest.mark.langsom]

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
RESTRICTED = "/kommune/101?omraade=ubu"   # 400 for an anonymous viewer: no such area; 200 for the publication team


@pytest.fixture(scope="module")
def fleet(built, tmp_path_factory):
    """Two app servers behind nginx on one PostgreSQL; 20 wrong passwords per username before more are refused."""
    with flaade(built, tmp_path_factory.mktemp("flaade"), extra_env={"KDK_LOGIN_MAX_BRUGER": "20"}) as f:
        yield f


def form_token(browser: requests.Session, url: str) -> str:
    return CSRF.search(browser.get(url, timeout=30).text)[1]


def sign_in_with_code(browser: requests.Session, base: str, name: str) -> None:
    """Password, then the first code from the authenticator app the code step sets up."""
    r = browser.post(f"{base}/login", data={"username": name, "password": GOOD,
                                            "csrf_token": form_token(browser, f"{base}/login")},
                     allow_redirects=False, timeout=30)
    assert r.status_code == 302 and r.headers["Location"].startswith("/login/kode"), r.status_code
    page = browser.get(f"{base}/login/kode", timeout=30).text
    secret = re.search(r"<code>([A-Z2-7]{16,})</code>", page)[1]
    r = browser.post(f"{base}/login/kode", data={"kode": pyotp.TOTP(secret).now(), "csrf_token": CSRF.search(page)[1]},
                     allow_redirects=False, timeout=30)
    assert r.status_code == 302, r.status_code


def test_a_sign_in_through_nginx_holds_on_both_servers_and_a_logout_on_one_ends_it_on_both(fleet):
    with using(fleet.settings):
        users.add("redaktoer", GOOD, "redaktion")
    browser = requests.Session()
    sign_in_with_code(browser, fleet.front, "redaktoer")
    answers = [browser.get(fleet.front + RESTRICTED, timeout=30) for _ in range(6)]
    assert {r.status_code for r in answers} == {200}
    assert {r.headers["X-KDK-Server"] for r in answers} == {"app1", "app2"}     # round-robin: both served it
    app1, app2 = fleet.servers
    assert [browser.get(s.base + RESTRICTED, timeout=30).status_code for s in (app1, app2)] == [200, 200]
    assert browser.post(f"{app1.base}/logout", data={"csrf_token": form_token(browser, f"{app1.base}/logout")},
                        allow_redirects=False, timeout=30).status_code == 302
    assert [browser.get(s.base + RESTRICTED, timeout=30).status_code for s in (app1, app2)] == [400, 400]
    assert browser.get(fleet.front + RESTRICTED, timeout=30).status_code == 400


def wrong_password(base: str, name: str) -> requests.Response:
    """One wrong password for `name` at `base`, from a browser of its own."""
    browser = requests.Session()
    return browser.post(f"{base}/login", data={"username": name, "password": "forkert-kodeord-123",
                                               "csrf_token": form_token(browser, f"{base}/login")},
                        allow_redirects=False, timeout=30)


def test_twenty_wrong_passwords_over_both_servers_are_throttled_together(fleet):
    """Ten wrong passwords on each server: the 21st attempt is refused on either, and through nginx."""
    with using(fleet.settings):
        users.add("anna", GOOD, "laeser", "101")
    codes = []
    for n in range(20):
        with using(fleet.settings):
            wait_out_delays()                  # the growing delays between attempts are tested in test_throttle
        codes.append(wrong_password(fleet.servers[n % 2].base, "anna").status_code)
    assert codes == [401] * 20
    refused = [wrong_password(base, "anna") for base in (*(s.base for s in fleet.servers), fleet.front)]
    assert [r.status_code for r in refused] == [429, 429, 429]
    assert [r.headers.get("X-KDK-Server") for r in refused[:2]] == ["app1", "app2"]


def callback_body(base: str, inputs: dict, state: dict | None = None) -> dict:
    """The body of the POST with which Dash's renderer runs the callback whose inputs are `inputs` ('id.property' →
    value; the first fired it), with `state`, as tests/dash_http.py's `call` makes it, over HTTP."""
    dependencies = requests.get(f"{base}/_dash-dependencies", timeout=30).json()
    found = next(d for d in dependencies if [f"{i['id']}.{i['property']}" for i in d["inputs"]] == list(inputs))
    return {"output": found["output"], "outputs": outputs(found["output"]),
            "inputs": [dict(zip(("id", "property", "value"), (*k.rsplit(".", 1), v))) for k, v in inputs.items()],
            "state": [dict(zip(("id", "property", "value"), (*k.rsplit(".", 1), v))) for k, v in (state or {}).items()],
            "changedPropIds": [next(iter(inputs))]}


def router_callback(front: str, path: str) -> dict:
    """The body of the POST with which Dash's renderer asks for a page's content (its router callback)."""
    return callback_body(front, {"_pages_location.pathname": path, "_pages_location.search": ""})


class Traffic:
    """Viewers opening pages through nginx, as a browser does (the page, then Dash's router callback: a POST), in
    threads, until stopped: which server answered each request, and every request that failed."""

    PATHS = ("/", "/kommune/101", "/kommune/147", "/sammenligning")

    def __init__(self, front: str, viewers: int = 4):
        self.front, self.served, self.failed = front, collections.Counter(), []
        self.callbacks = {path: router_callback(front, path) for path in self.PATHS}
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.view, args=(n,), daemon=True) for n in range(viewers)]

    def view(self, n: int) -> None:
        session = requests.Session()
        i = n
        while not self.stopping.is_set():
            path = self.PATHS[i % len(self.PATHS)]
            i += 1
            self.ask(session, "GET", path)
            self.ask(session, "POST", path, json=self.callbacks[path])

    def ask(self, session: requests.Session, method: str, path: str, **kwargs) -> None:
        try:
            r = session.request(method, self.front + ("/_dash-update-component" if method == "POST" else path),
                                timeout=30, **kwargs)
        except requests.RequestException as exc:
            self.failed.append(f"{method} {path}: {exc}")
            return
        if r.status_code != 200:
            self.failed.append(f"{method} {path}: {r.status_code}")
        self.served[r.headers.get("X-KDK-Server")] += 1

    def __enter__(self) -> Traffic:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *_) -> None:
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=60)

    def served_by(self, seconds: float) -> collections.Counter:
        """Which servers answered during the next `seconds`."""
        before = self.served.copy()
        time.sleep(seconds)
        return self.served - before


def test_one_server_stopped_and_started_again_under_traffic_costs_no_request(fleet):
    app1, app2 = fleet.servers
    with Traffic(fleet.front) as traffic:
        assert set(traffic.served_by(3)) == {"app1", "app2"}
        app2.stop()
        try:
            assert set(traffic.served_by(5)) == {"app1"}
        finally:
            app2.start()
        deadline = time.monotonic() + 30   # nginx tries app2 again once its fail_timeout (10 s) is over
        while "app2" not in traffic.served_by(1):
            assert time.monotonic() < deadline, "nginx did not send requests to the restarted server"
    assert traffic.failed == []
    assert sum(traffic.served.values()) > 20


LOAD_USERS, LOAD_SECONDS = 25, 60   # the mixed users of bench/locustfile.py, through nginx
PUBLISH_AFTER = 10                  # s into the load: the new release is loaded and published
WORKERS = 2                         # gunicorn workers per server (tests/conftest.py's running_server)


def kdk(st: Settings, *argv: str) -> str:
    """`python -m kdk argv` on the data folder of `st`, as an operator runs it; its output (it must succeed)."""
    done = subprocess.run([sys.executable, "-m", "kdk", *argv], cwd=PROJECT_DIR, capture_output=True, text=True,
                          env={**os.environ, "KDK_MARTS": str(st.marts_path)})
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def delivered(servers: list[AppServer], release: str, deadline: float) -> None:
    """Returns once every worker seen on each server answers /sundhed (on the server's own port) with `release`,
    warm, and each server's WORKERS workers have answered; fails at `deadline` (time.monotonic)."""
    answers = {s.name: {} for s in servers}   # server → worker pid → the release it answered last
    while not all(len(seen) == WORKERS and set(seen.values()) == {release} for seen in answers.values()):
        assert time.monotonic() < deadline, f"release {release} not served everywhere in time: {answers}"
        for s in servers:
            with requests.get(s.base + "/sundhed", timeout=10) as r:
                state = r.json()
            answers[s.name][state["pid"]] = state["release"] if state["varm"] else "kold"
        time.sleep(0.2)


def test_a_release_published_under_load_reaches_both_servers_in_time_with_no_failed_request(built, tmp_path):
    shared = tmp_path / "udgivelser"
    publisher = own_marts(built, tmp_path / "udgiver")   # the publishing server's data folder
    kdk(publisher, "udgiv", "--til", str(shared))        # the release both servers hold
    out = tmp_path / "locust"
    out.mkdir()
    with flaade(built, tmp_path / "flaade", extra_env={"KDK_OPVARMNING_SEKUNDER": "10"}, per_address=False,
                hent_fra=shared) as fleet, concurrent.futures.ThreadPoolExecutor(1) as pool:
        readers = create_readers({"KDK_BRUGER_DB": fleet.settings.user_db, "KDK_MARTS": str(built.marts_path),
                                  "KDK_SECRET_KEY": fleet.settings.secret_key})
        load = pool.submit(run_locust, "locustfile.py", fleet.front, LOAD_USERS, LOAD_SECONDS, out / "mixed",
                           {"KDK_LOAD_READERS": ",".join(readers), "KDK_LOAD_PASSWORD": PASSWORD})
        time.sleep(PUBLISH_AFTER)
        kdk(publisher, "ingest", str(SWAP_FILE), "--noegletal", SWAP_FIGURE,   # as bench/bench_load.py loads data
            "--revision", "En udgivelse under trafik")
        kdk(publisher, "udgiv", "--til", str(shared))
        published = time.monotonic()
        release = json.loads((shared / "aktuel.json").read_text())["release"]
        assert release != json.loads(requests.get(fleet.servers[0].base + "/sundhed", timeout=10).text)["release"]
        delivered(fleet.servers, release, published + LEVERET_INDEN)
        seconds = time.monotonic() - published
        under_load = not load.done()
        status = kdk(built, "status", "--servere", ",".join(s.base for s in fleet.servers))
        load.result()
    print(f"release {release} served, warm, by both servers {seconds:.1f} s after it was published "
          f"(promise: {LEVERET_INDEN} s)".replace(".", ","))
    assert under_load, "the release arrived after the load had ended"
    rows = {line.split()[0]: line.split()[1] for line in status.splitlines() if line.startswith("http")}
    assert rows == {s.base: release for s in fleet.servers} and "Serverne er enige og varme." in status, status
    total = merged([e for e in read_entries(out / "mixed") if e.method != "inproc"])
    failures = Path(f"{out / 'mixed'}_failures.csv")
    assert total.requests > 100
    assert total.failures == 0, failures.read_text() if failures.exists() else total


def test_an_export_started_on_one_server_shows_its_progress_and_downloads_on_the_other(fleet, con):
    """The release bundle from /publicering: started through app1, followed and fetched through app2."""
    with using(fleet.settings):
        users.add("udgiver", GOOD, "redaktion")
    browser = requests.Session()
    app1, app2 = fleet.servers
    sign_in_with_code(browser, app1.base, "udgiver")
    release = con.execute("SELECT release_id FROM release ORDER BY loebenummer DESC").fetchone()[0]
    state = {"publicering-release.data": release}
    started = browser.post(app1.base + "/_dash-update-component", timeout=30,
                           json=callback_body(app1.base, {"publicering-start.n_clicks": 1}, state))
    assert started.headers["X-KDK-Server"] == "app1" and "Eksporten er startet" in started.text, started.text
    follow = callback_body(app2.base, {"publicering-interval.n_intervals": 1}, state)
    deadline = time.monotonic() + 120
    while True:   # a wait for the background job, not a timing assertion
        answer = browser.post(app2.base + "/_dash-update-component", json=follow, timeout=30)
        assert answer.status_code == 200 and answer.headers["X-KDK-Server"] == "app2", answer.status_code
        shown = json.dumps(answer.json(), ensure_ascii=False)
        if "/eksport/" in shown or time.monotonic() > deadline:
            break
        assert "pct.)" in shown, shown    # the job's progress, as app1 writes it
        time.sleep(0.5)
    link = f"/eksport/kdk-release-{release}.zip"
    assert link in shown and "(100 pct.)" in shown, shown
    download = browser.get(app2.base + link, timeout=60)
    assert download.status_code == 200 and download.headers["X-KDK-Server"] == "app2"
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert "manifest.json" in names and "noegletal.csv" in names
    assert requests.get(app2.base + link, timeout=30).status_code == 404   # not for an anonymous viewer
