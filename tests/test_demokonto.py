"""Demo accounts for webinars (`python -m kdk users demo`): public data only, whatever anyone grants them, and an
expiry time after which the account cannot sign in and its open session ends."""
from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from sqlalchemy import text

from kdk.auth import audit, store, users
from kdk.cli import end_of_today, main
from tests.test_auth import GOOD, sign_in

SIGNED_IN_ONLY = "/konto/tokens"   # an account page: 200 signed in, a redirect to /login for anyone else


def demo(capsys, *args: str) -> tuple[str, str]:
    """A demo account made on the command line: its name and password as printed."""
    assert main(["users", "demo", *args]) == 0
    found = re.search(r"Demokonto til webinar: (\S+)  adgangskode: (\S+)  udløber", capsys.readouterr().out)
    return found[1], found[2]


def test_a_demo_account_sees_public_figures_and_is_refused_restricted_ones(client, userdb, capsys):
    name, password = demo(capsys)
    assert sign_in(client, name, password).status_code == 302
    assert client.get(SIGNED_IN_ONLY).status_code == 200
    assert client.get("/kommune/101?omraade=personale").status_code == 200
    api = client.get("/api/v1/data?noegletal=personale.sygefravaer_dage&kommune=101&periode=2024&format=json")
    assert api.status_code == 200 and api.get_json()["data"][0]["vaerdi"] > 0
    assert client.get("/kommune/101?omraade=ubu").status_code == 400
    assert client.get("/api/v1/data?noegletal=ubu.anbragte&kommune=101&format=json").status_code == 400
    with pytest.raises(users.UserError, match="kun offentlige data"):
        users.grant(name, {"ubu"}, "test")
    assert users.get(brugernavn=name).kan_vaere_vaert   # a webinar host may start a follow session


def test_the_expiry_is_the_end_of_the_day_by_default_and_users_list_shows_it(userdb, capsys):
    name, _ = demo(capsys)
    chosen, _ = demo(capsys, "--udloeber", "2099-01-12 16:00")
    assert main(["users", "list"]) == 0
    listed = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert f"udløber {end_of_today():%d.%m.%Y kl. %H.%M}" in listed[name] and "demokonto" in listed[name]
    assert "udløber 12.01.2099 kl. 16.00" in listed[chosen]
    with pytest.raises(SystemExit) as refused:
        main(["users", "demo", "--udloeber", "2001-01-01 10:00"])
    assert refused.value.code == 2 and "allerede passeret" in capsys.readouterr().err


def test_an_expired_demo_account_cannot_sign_in(client, userdb):
    users.add("demo-gammel", GOOD, "demokonto", udloeber=audit.now() - dt.timedelta(minutes=1))
    refused = sign_in(client, "demo-gammel")
    assert refused.status_code == 403 and "Demokontoen er udløbet" in refused.get_data(as_text=True)
    assert client.get(SIGNED_IN_ONLY).status_code == 302
    wrong = sign_in(client, "demo-gammel", "forkert-adgangskode-123")   # nothing said without the password
    assert wrong.status_code == 401 and "udløbet" not in wrong.get_data(as_text=True)


def test_the_session_of_a_demo_account_ends_at_its_expiry(client, userdb):
    users.add("demo-kort", GOOD, "demokonto", udloeber=audit.now() + dt.timedelta(seconds=2))
    assert sign_in(client, "demo-kort").status_code == 302
    assert client.get(SIGNED_IN_ONLY).status_code == 200
    time.sleep(2.1)
    assert client.get(SIGNED_IN_ONLY).status_code == 302


def test_only_a_demo_account_has_an_expiry(userdb):
    with pytest.raises(users.UserError, match="udløbstidspunkt"):
        users.add("demo-evig", GOOD, "demokonto")
    with pytest.raises(users.UserError, match="udløbstidspunkt"):
        users.add("anna", GOOD, "laeser", "101", udloeber=audit.now() + dt.timedelta(hours=1))
    users.add("bo", GOOD, "laeser", "101")
    with pytest.raises(users.UserError, match="udløbstidspunkt"):
        users.set_role("bo", "demokonto", "test")


def test_a_user_database_from_before_expiry_times_gets_the_column(userdb):
    users.add("anna", GOOD, "laeser", "101")
    with store.engine().begin() as con:   # as a version before expiry times (and before migrations) left it
        con.execute(text("ALTER TABLE bruger DROP COLUMN udloeber"))
        con.execute(text("DROP TABLE alembic_version"))
        con.execute(text("DROP TABLE job"))   # added by a later revision than the first
    store.engine().dispose()
    store._engine.cache_clear()
    assert users.get(brugernavn="anna").udloeber is None
    users.add("demo-ny", GOOD, "demokonto", udloeber=audit.now() + dt.timedelta(hours=1))
    assert users.get(brugernavn="demo-ny").udloeber is not None
