"""Accounts as stored: a username is short and plain (it is part of addresses like /admin/brugere/<navn>), and the
user database file (password hashes, TOTP secrets) is readable by its owner only."""
from __future__ import annotations

import stat

import pytest

from kdk.auth import users
from kdk.auth.store import engine
from tests.test_admin import kbh_admin, post  # noqa: F401
from tests.test_auth import GOOD, userdb  # noqa: F401
from tests.test_http import app, client, monkeypatch_module  # noqa: F401

BAD = ["a", "x" * 51, "anna/../admin", "anna?x=1", "<script>", "an na", "anna\r\nx", "-anna", ".anna", "anna#1",
       "ånna\u202e", "anna%2F"]


@pytest.mark.parametrize("name", BAD)
def test_a_username_that_is_not_plain_is_refused_with_a_danish_message(kbh_admin, name):  # noqa: F811
    r = post(kbh_admin, "/admin/brugere", navn=name, rolle="laeser")
    assert r.status_code == 400 and "Brugernavnet skal" in r.get_data(as_text=True)
    assert users.get(brugernavn=name.strip().lower()) is None


def test_a_plain_username_is_accepted(kbh_admin):  # noqa: F811
    r = post(kbh_admin, "/admin/brugere", navn="Søren.Ny-laeser_2@kbh", rolle="laeser")
    assert r.status_code == 200 and users.get(brugernavn="søren.ny-laeser_2@kbh") is not None


def test_the_user_database_is_readable_by_its_owner_only(userdb):  # noqa: F811
    users.add("anna", GOOD, "laeser", "101")
    engine().dispose()
    for path in userdb.glob("brugere.sqlite*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
