"""Accounts as stored: a username is short and plain (it is part of addresses like /admin/brugere/<navn>), and the
user database file (password hashes, TOTP secrets) is readable by its owner only, and the TOTP secrets in it are
encrypted."""
from __future__ import annotations

import re
import stat
import time

import pyotp
import pytest

from kdk.auth import store, users
from kdk.auth.store import bruger, engine
from tests.test_admin import post, secret_offered, sign_in_with_code
from tests.test_auth import GOOD, csrf, log_out, sign_in

BAD = ["a", "x" * 51, "anna/../admin", "anna?x=1", "<script>", "an na", "anna\r\nx", "-anna", ".anna", "anna#1",
       "ånna\u202e", "anna%2F"]


@pytest.mark.parametrize("name", BAD)
def test_a_username_that_is_not_plain_is_refused_with_a_danish_message(kbh_admin, name):
    r = post(kbh_admin, "/admin/brugere", navn=name, rolle="laeser")
    assert r.status_code == 400 and "Brugernavnet skal" in r.get_data(as_text=True)
    assert users.get(brugernavn=name.strip().lower()) is None


def test_a_plain_username_is_accepted(kbh_admin):
    r = post(kbh_admin, "/admin/brugere", navn="Søren.Ny-laeser_2@kbh", rolle="laeser")
    assert r.status_code == 200 and users.get(brugernavn="søren.ny-laeser_2@kbh") is not None


def test_the_user_database_is_readable_by_its_owner_only(sqlite_userdb):
    users.add("anna", GOOD, "laeser", "101")
    engine().dispose()
    for path in sqlite_userdb.glob("brugere.sqlite*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def stored_bytes(userdb) -> bytes:
    """What the user database holds: its files (SQLite, free pages and write-ahead log included), or every row of
    every table (PostgreSQL)."""
    if engine().dialect.name != "sqlite":
        with engine().connect() as con:
            return repr([con.execute(table.select()).all() for table in store.metadata.sorted_tables]).encode()
    engine().dispose()
    return b"".join(path.read_bytes() for path in sorted(userdb.glob("brugere.sqlite*")))


def test_totp_secrets_are_encrypted_in_the_user_database(client, userdb):
    users.add("kbh-admin", GOOD, "kommune_admin", "101")
    users.add("frb-admin", GOOD, "kommune_admin", "147")
    enrolled = sign_in_with_code(client, "kbh-admin")            # a confirmed secret ...
    log_out(client)
    sign_in(client, "frb-admin")
    offered = secret_offered(client)                              # ... and one a waiting login was offered
    stored = stored_bytes(userdb)
    assert enrolled.encode() not in stored and offered.encode() not in stored
    assert not re.search(rb"[A-Z2-7]{32}", stored)
    log_out(client)
    assert sign_in(client, "kbh-admin").headers["Location"].startswith("/login/kode")
    next_code = pyotp.TOTP(enrolled).at(time.time() + 30)          # this step's code was used at enrolment
    r = client.post("/login/kode", data={"kode": next_code, "csrf_token": csrf(client, "/login/kode")})
    assert r.status_code == 302 and client.get("/konto/tokens").status_code == 200


def test_plaintext_secrets_of_an_older_database_are_encrypted_on_open_and_still_sign_in(client, userdb):
    users.add("kbh-admin", GOOD, "kommune_admin", "101")
    secret = pyotp.random_base32()
    with engine().begin() as con:                                 # as an older version stored it
        con.execute(bruger.update().values(totp_hemmelighed=secret))
    engine().dispose()
    store._engine.cache_clear()                                   # the app (or `kdk users`) opens the database anew
    assert users.get(brugernavn="kbh-admin").totp
    assert secret.encode() not in stored_bytes(userdb)
    assert sign_in(client, "kbh-admin").headers["Location"].startswith("/login/kode")
    r = client.post("/login/kode", data={"kode": pyotp.TOTP(secret).now(), "csrf_token": csrf(client, "/login/kode")})
    assert r.status_code == 302 and client.get("/konto/tokens").status_code == 200


def test_a_changed_secret_key_gets_a_clear_answer_at_the_code_step(client, userdb, monkeypatch, caplog):
    users.add("kbh-admin", GOOD, "kommune_admin", "101")
    sign_in_with_code(client, "kbh-admin")
    log_out(client)
    monkeypatch.setenv("KDK_SECRET_KEY", "en-anden-noegle")          # the key the secrets were sealed with is gone
    assert sign_in(client, "kbh-admin").headers["Location"].startswith("/login/kode")
    r = client.get("/login/kode")
    assert r.status_code == 503 and "Kontakt en administrator" in r.get_data(as_text=True)
    assert "KDK_SECRET_KEY" in caplog.text
