"""Login throttling holds across gunicorn workers: 20 wrong passwords for one user against 2 workers end in
HTTP 429, and so do wrong second-factor codes, and the audit log records it. The delays that grow between attempts
are waited out by moving the recorded attempts back in the user database. Thirty parallel guesses get no more
evaluations than the limit: each attempt is checked and counted in one step, across workers."""
from __future__ import annotations

import concurrent.futures
import re
import threading

import requests

from kdk.auth import audit, users
from tests.conftest import running_server
from tests.test_auth import GOOD, wait_out_delays


def test_twenty_wrong_passwords_across_two_workers_get_429(built, tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'brugere.sqlite'}"
    monkeypatch.setenv("KDK_BRUGER_DB", db)
    users.add("anna", GOOD, "laeser", "101")
    with running_server(built, workers=2, extra_env={"KDK_BRUGER_DB": db}, warm=False) as base:
        codes = []
        for _ in range(20):
            wait_out_delays()              # the growing delays are tested in test_throttle
            browser = requests.Session()   # a fresh client each time, so requests spread over both workers
            form = browser.get(f"{base}/login", timeout=30).text
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)[1]
            r = browser.post(f"{base}/login", data={"username": "anna", "password": "forkert-kodeord-123",
                                                    "csrf_token": token}, timeout=30, allow_redirects=False)
            codes.append(r.status_code)
    assert codes[:10] == [401] * 10          # the limit is 10 failures per username per 15 minutes ...
    assert set(codes[10:]) == {429}          # ... counted together by both workers
    refused = audit.entries(handling="login_spaerret")
    assert len(refused) == 10 and set(refused["bruger"]) == {"anna"}
    assert len(audit.entries(handling="login_fejlet")) == 10


def test_wrong_codes_across_two_workers_get_429(built, tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'brugere.sqlite'}"
    monkeypatch.setenv("KDK_BRUGER_DB", db)
    users.add("redaktoer", GOOD, "redaktion")
    csrf = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
    with running_server(built, workers=2, extra_env={"KDK_BRUGER_DB": db}, warm=False) as base:
        browser = requests.Session()
        token = csrf.search(browser.get(f"{base}/login", timeout=30).text)[1]
        r = browser.post(f"{base}/login", data={"username": "redaktoer", "password": GOOD, "csrf_token": token},
                         timeout=30, allow_redirects=False)
        assert r.headers["Location"].startswith("/login/kode")
        token = csrf.search(browser.get(f"{base}/login/kode", timeout=30).text)[1]
        codes = []
        for _ in range(12):
            wait_out_delays()
            codes.append(browser.post(f"{base}/login/kode", data={"kode": "000000", "csrf_token": token}, timeout=30,
                                      headers={"Connection": "close"},   # a new connection each time: both workers
                                      allow_redirects=False).status_code)
    assert codes == [401] * 10 + [429] * 2
    assert len(audit.entries(handling="anden_faktor_spaerret")) == 2


def test_thirty_parallel_guesses_across_two_workers_get_no_more_evaluations_than_the_limit(built, tmp_path,
                                                                                           monkeypatch):
    db = f"sqlite:///{tmp_path / 'brugere.sqlite'}"
    monkeypatch.setenv("KDK_BRUGER_DB", db)
    users.add("anna", GOOD, "laeser", "101")
    csrf = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
    with running_server(built, workers=2, extra_env={"KDK_BRUGER_DB": db}, warm=False) as base:
        browsers = [requests.Session() for _ in range(30)]
        tokens = [csrf.search(browser.get(f"{base}/login", timeout=30).text)[1] for browser in browsers]
        start = threading.Barrier(len(browsers))

        def guess(n: int) -> int:
            start.wait()
            return browsers[n].post(f"{base}/login", data={"username": "anna", "password": "forkert-kodeord-123",
                                                           "csrf_token": tokens[n]}, timeout=60,
                                    headers={"Connection": "close"}, allow_redirects=False).status_code

        with concurrent.futures.ThreadPoolExecutor(len(browsers)) as pool:
            codes = list(pool.map(guess, range(len(browsers))))
    evaluated = len(audit.entries(handling="login_fejlet"))
    assert codes.count(401) == evaluated <= 10                          # KDK_LOGIN_MAX_BRUGER
    assert codes.count(429) == 30 - evaluated
