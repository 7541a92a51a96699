"""The user database's schema is kept by migrations (Alembic): a new database, one an older version of the app made
(its users still sign in), servers starting together, the operators' commands, and a shared database's secret key."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from kdk import cli
from kdk.auth import migrations, passwords, store, users
from kdk.auth.audit import now
from kdk.config import PROJECT_DIR
from tests.test_auth import GOOD, sign_in


def test_a_new_database_gets_the_tables_the_code_declares_and_a_revision(userdb):
    users.add("anna", GOOD, "laeser", "101")
    assert migrations.current(store.engine()) == migrations.head()
    with store.engine().connect() as con:
        assert compare_metadata(MigrationContext.configure(con), store.metadata) == []


LATER_TABLES = {"job"}   # tables added by revisions after the first (kdk/auth/migrations/versions)


def older_database(path) -> None:
    """A user database as an older version left it: `create_all` of its tables (no `bruger.udloeber` yet, no
    alembic_version, none of the tables added since, such as `job`), with a reader in it."""
    engine = create_engine(f"sqlite:///{path}")
    store.metadata.create_all(engine, tables=[t for t in store.metadata.sorted_tables if t.name not in LATER_TABLES])
    with engine.begin() as con:
        con.exec_driver_sql("ALTER TABLE bruger DROP COLUMN udloeber")
        con.execute(store.bruger.insert().values(brugernavn="anna", kodeord_hash=passwords.hash_password(GOOD),
                                                 rolle="laeser", kommunekode="101", aktiv=True,
                                                 skal_skifte_kodeord=False, oprettet=now()))
    engine.dispose()


def test_an_older_database_is_adopted_and_its_users_still_sign_in(client, sqlite_userdb):
    older_database(sqlite_userdb / "brugere.sqlite")
    r = sign_in(client, "anna", next_="/kommune/101")
    assert r.status_code == 302 and r.headers["Location"] == "/kommune/101"
    assert migrations.current(store.engine()) == migrations.head()
    assert "udloeber" in {c["name"] for c in inspect(store.engine()).get_columns("bruger")}
    assert users.get(brugernavn="anna").udloeber is None


OPEN = "from kdk.auth import store, users; store.engine(); print(len(users.find()[0]))"


def test_servers_starting_together_on_a_new_database_all_start(userdb):
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    starting = [subprocess.Popen([sys.executable, "-c", OPEN], env=env, cwd=PROJECT_DIR, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(4)]
    answers = [p.communicate(timeout=120) for p in starting]
    assert [(p.returncode, out) for p, (out, _) in zip(starting, answers)] == [(0, "0\n")] * 4, answers
    assert migrations.current(store.engine()) == migrations.head()


def test_operators_see_where_the_database_stands_and_upgrade_it(userdb, capsys):
    assert cli.main(["db", "status"]) == 0
    assert "ingen revision" in capsys.readouterr().out
    assert cli.main(["db", "upgrade"]) == 0
    assert f"revision {migrations.head()}" in capsys.readouterr().out
    assert cli.main(["db", "status"]) == 0
    assert f"revision {migrations.head()} (den nyeste)" in capsys.readouterr().out


START = {
    "create_app": [sys.executable, "-c", "from app import create_app; create_app()"],
    "gunicorn": [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "app:create_app()"],
}


@pytest.mark.parametrize("start", START)
def test_a_shared_user_database_without_a_secret_key_stops_the_start(built, start):
    env = {key: value for key, value in os.environ.items() if key != "KDK_SECRET_KEY"}
    env.update(KDK_MARTS=str(built.marts_path), KDK_BRUGER_DB="postgresql://kdk@127.0.0.1:9/kdk",
               KDK_BIND="127.0.0.1:9")
    done = subprocess.run(START[start], env=env, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "KDK_SECRET_KEY must be set when KDK_BRUGER_DB is not SQLite" in done.stderr, textwrap.shorten(
        done.stderr, 2000)
