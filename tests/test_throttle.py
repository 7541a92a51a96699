"""Login throttling that cannot be turned against users, seen as an attacker and a user see it over HTTP: a flood of
failures from one address does not lock out the other people behind it, a guessed account is refused with growing
delays and a Retry-After, unknown usernames are answered the same way, and parallel guesses get no more evaluations
than the limit."""
from __future__ import annotations

import concurrent.futures
import threading

from kdk.auth import audit, users
from tests.test_auth import GOOD, csrf, log_out, sign_in, wait_out_delays

WRONG = "forkert-kodeord-123"


def test_failures_from_one_address_do_not_lock_out_its_other_users(app, client, userdb, monkeypatch):
    monkeypatch.setenv("KDK_LOGIN_MAX_ADRESSE", "6")
    users.add("anna", GOOD, "laeser", "101")
    users.add("bo", GOOD, "laeser", "101")
    attacker = [sign_in(client, name, WRONG).status_code for name in ("bo", "bo", "x1", "x2", "x3", "x4")]
    assert attacker == [401] * 6                                       # the address is now over its limit
    guessed = sign_in(client, "bo", WRONG)
    assert guessed.status_code == 429 and "For mange forkerte forsøg" in guessed.get_data(as_text=True)
    assert sign_in(client, "bo").status_code == 429                    # bo is under attack: refused, even rightly
    colleague = app.server.test_client()                                # someone else behind the same proxy
    assert sign_in(colleague, "anna").status_code == 302               # anna's account is not under attack


def test_parallel_guesses_get_no_more_evaluations_than_the_limit(app, userdb):
    users.add("anna", GOOD, "laeser", "101")
    guessers = [app.server.test_client() for _ in range(30)]
    tokens = [csrf(guesser) for guesser in guessers]
    start = threading.Barrier(len(guessers))

    def guess(n: int) -> int:
        start.wait()
        return guessers[n].post("/login", data={"username": "anna", "password": WRONG,
                                                "csrf_token": tokens[n]}).status_code

    with concurrent.futures.ThreadPoolExecutor(len(guessers)) as pool:
        codes = list(pool.map(guess, range(len(guessers))))
    evaluated = len(audit.entries(handling="login_fejlet"))
    assert codes.count(401) == evaluated <= 10                          # KDK_LOGIN_MAX_BRUGER
    assert codes.count(429) == 30 - evaluated


def guesses(client, name: str) -> list[tuple[int, str | None]]:
    """Wrong passwords for `name` until locked, waiting out each delay; (status, Retry-After) of every answer."""
    answers = []
    while not answers or int(answers[-1][1] or 0) <= 60:
        r = sign_in(client, name, WRONG)
        answers.append((r.status_code, r.headers.get("Retry-After")))
        if r.status_code == 429:
            assert "For mange forkerte forsøg. Prøv igen om" in r.get_data(as_text=True)
            wait_out_delays()
    return answers


def test_a_guessed_account_waits_longer_after_each_failure_and_unknown_names_fare_the_same(client, userdb):
    users.add("anna", GOOD, "laeser", "101")
    anna = guesses(client, "anna")
    delays = [(429, str(2 ** n)) for n in range(6)] + [(429, "60")]    # 1, 2, 4 ... 32 s, capped at 60 s
    assert anna[:3] == [(401, None)] * 3                                # three failures go without a wait
    assert anna[3:-1] == [answer for delay in delays for answer in (delay, (401, None))]
    assert anna[-1][0] == 429 and 800 < int(anna[-1][1]) <= 900         # at ten: locked for the window
    locked = sign_in(client, "anna")
    assert locked.status_code == 429 and "Prøv igen om 14 minutter" in locked.get_data(as_text=True)
    nobody = guesses(client, "findes-ikke")                             # an unknown username: the same answers
    assert nobody[:-1] == anna[:-1] and nobody[-1][0] == 429


def test_a_browser_that_signed_in_before_gets_past_a_flooded_address(app, client, userdb, monkeypatch):
    monkeypatch.setenv("KDK_LOGIN_MAX_ADRESSE", "4")
    users.add("anna", GOOD, "laeser", "101")
    users.add("bo", GOOD, "laeser", "101")
    annas = app.server.test_client()
    assert sign_in(annas, "anna").status_code == 302                   # her browser now carries a device cookie
    log_out(annas)
    assert sign_in(client, "bo").status_code == 302                    # the attacker's own account: his cookie names bo
    assert [sign_in(client, "anna", WRONG).status_code for _ in range(2)] == [401] * 2
    assert [sign_in(client, name, WRONG).status_code for name in ("x1", "x2")] == [401] * 2
    assert sign_in(client, "anna").status_code == 429                  # anna is under attack from a flooded address
    assert sign_in(app.server.test_client(), "anna").status_code == 429   # ... and a new browser is refused too
    assert sign_in(annas, "anna").status_code == 302                   # her own browser is let through
