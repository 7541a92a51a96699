"""Several app servers behind nginx on one PostgreSQL (issue 23), with the real parts (tests/flaade.py): a sign-in
through nginx holds on both servers and a logout on one ends it on both; wrong passwords on either server count
together; one server stopped and started again under traffic costs no request, a page or a Dash callback."""
from __future__ import annotations

import collections
import re
import threading
import time

import pyotp
import pytest
import requests

from kdk.auth import users
from kdk.config import using
from tests.dash_http import outputs
from tests.flaade import flaade
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


def router_callback(front: str, path: str) -> dict:
    """The body of the POST with which Dash's renderer asks for a page's content (its router callback)."""
    dependencies = requests.get(f"{front}/_dash-dependencies", timeout=30).json()
    router = next(d for d in dependencies if [f"{i['id']}.{i['property']}" for i in d["inputs"]]
                  == ["_pages_location.pathname", "_pages_location.search"])
    return {"output": router["output"], "outputs": outputs(router["output"]),
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": ""}],
            "state": [], "changedPropIds": ["_pages_location.pathname"]}


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
