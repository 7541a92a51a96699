"""The user database: tables and the engine (SQLAlchemy Core, so SQLite and PostgreSQL work the same).

Reads KDK_BRUGER_DB (a database URL; default a SQLite file beside the marts; `postgresql://` means the psycopg
driver); brings the schema to the newest migration on first use (kdk.auth.migrations, Alembic: a database an older
version made is adopted, and workers starting together wait for one another). A SQLite file (password hashes, TOTP
secrets) is made readable by its owner only (mode 0600, which SQLite gives its -wal and -shm files too), and
deleted content is overwritten. TOTP secrets are stored encrypted (kdk.auth.sealing); those an older version stored
in plain text are encrypted when the database is opened.
"""
from __future__ import annotations

import functools
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    select,
    update,
)
from sqlalchemy.engine import Engine, make_url

from kdk.auth import migrations, sealing
from kdk.config import settings

metadata = MetaData()

bruger = Table(
    "bruger", metadata,
    Column("id", Integer, primary_key=True),
    Column("brugernavn", String(100), nullable=False, unique=True),
    Column("kodeord_hash", String(200), nullable=False),
    Column("rolle", String(20), nullable=False),            # a role of kdk.auth.rettigheder.ROLLER
    Column("kommunekode", String(3)),                       # the municipality a user belongs to (admins: none)
    Column("aktiv", Boolean, nullable=False, default=True),
    Column("skal_skifte_kodeord", Boolean, nullable=False, default=False),
    Column("totp_hemmelighed", String(200)),                # encrypted (kdk.auth.sealing)
    Column("oprettet", DateTime, nullable=False),
    Column("udloeber", DateTime),                           # UTC; a demo account cannot sign in from then on
)

bruger_omraade = Table(
    "bruger_omraade", metadata,
    Column("bruger_id", Integer, ForeignKey("bruger.id"), primary_key=True),
    Column("dataomraade", String(40), primary_key=True),
)

session = Table(
    "session", metadata,
    Column("id", String(64), primary_key=True),             # SHA-256 of the random token in the cookie
    Column("bruger_id", Integer, ForeignKey("bruger.id"), nullable=False),
    Column("oprettet", DateTime, nullable=False),
    Column("sidst_aktiv", DateTime, nullable=False),
    Column("afsluttet", DateTime),                          # set at logout: the cookie stops working
)

login_forsoeg = Table(
    "login_forsoeg", metadata,
    Column("id", Integer, primary_key=True),
    Column("brugernavn", String(100), nullable=False, index=True),
    Column("adresse", String(64), nullable=False, index=True),
    Column("tidspunkt", DateTime, nullable=False, index=True),
    Column("lykkedes", Boolean, nullable=False),
)

audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True),
    Column("tidspunkt", DateTime, nullable=False, index=True),
    Column("bruger", String(100)),
    Column("handling", String(60), nullable=False),
    Column("detaljer", Text, nullable=False, default=""),
    Column("adresse", String(64)),
)

# Logins whose password is verified and whose second-factor code is not yet (kdk.auth.pending).
afventende_login = Table(
    "afventende_login", metadata,
    Column("id", String(64), primary_key=True),             # SHA-256 of the random handle in the cookie
    Column("bruger_id", Integer, ForeignKey("bruger.id"), nullable=False, index=True),
    Column("kodeord_bekraeftet", DateTime, nullable=False),  # when the password was verified
    Column("ny_hemmelighed", String(200)),                  # the TOTP secret offered at first login, encrypted
)

# The last TOTP time step each user signed in with: a code is accepted only for a later step (no replay).
totp_trin = Table(
    "totp_trin", metadata,
    Column("bruger_id", Integer, ForeignKey("bruger.id"), primary_key=True),
    Column("trin", Integer, nullable=False),
)


api_token = Table(
    "api_token", metadata,
    Column("id", Integer, primary_key=True),
    Column("bruger_id", Integer, ForeignKey("bruger.id"), nullable=False),
    Column("navn", String(100), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),   # SHA-256 of the token; the token is shown once
    Column("oprettet", DateTime, nullable=False),
    Column("tilbagekaldt", DateTime),
)

# Follow sessions ("Følg oplægsholderen", kdk.auth.foelg): the host's current public address, which viewers follow.
foelg_session = Table(
    "foelg_session", metadata,
    Column("kode", String(6), primary_key=True),            # what viewers type: /foelg/<kode>
    Column("vaert_id", Integer, ForeignKey("bruger.id"), nullable=False, index=True),
    Column("oprettet", DateTime, nullable=False),
    Column("udloeber", DateTime, nullable=False),           # the end of the day it was started (Danish time)
    Column("afsluttet", DateTime),                          # set when the host stops it
    Column("adresse", String(500), nullable=False),         # path and query of a public page
    Column("version", Integer, nullable=False),             # raised at every change of address
)

# Background jobs (kdk.export.jobs): which server runs each, and its progress, so every server reports the same.
job = Table(
    "job", metadata,
    Column("navn", String(200), primary_key=True),         # e.g. kdk-release-<id>, publikation-<tema>-<id>
    Column("tilstand", String(20), nullable=False),         # i gang, færdig or fejl (no row: ikke startet)
    Column("andel", Float, nullable=False),                 # share done, 0–1
    Column("tekst", Text, nullable=False),                  # what is being done: a Danish message id
    Column("vaerdier", Text, nullable=False, server_default="{}"),   # JSON: the values of the text's placeholders
    Column("filer", Text, nullable=False),                  # JSON list of the files written, the main one first
    Column("taget_af", String(300), nullable=False),        # host name and pid of the server that claimed it
    Column("startet", DateTime, nullable=False),            # UTC, as every time here
    Column("hjerteslag", DateTime, nullable=False),         # the running server's last sign of life
    Column("afsluttet", DateTime),
)


def database_url() -> str:
    """KDK_BRUGER_DB's URL, with the installed driver (psycopg) named when it names none."""
    given = settings().user_db_url
    url = make_url(given)
    if url.drivername != "postgresql":
        return given
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def connect(url: str) -> Engine:
    """An engine on the database at `url` as it is (no migration): on SQLite with the settings every connection
    needs."""
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if url.startswith("sqlite"):
        _owner_only(make_url(url).database)
        @event.listens_for(engine, "connect")
        def _sqlite(connection, _):   # several gunicorn workers share the file
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")  # WAL's own advice: no fsync per commit, still consistent
            connection.execute("PRAGMA busy_timeout=5000")
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA secure_delete=ON")   # no old secret left behind in free space
    return engine


@functools.lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    engine = connect(url)
    migrations.upgrade(engine)
    _seal_plain_secrets(engine)
    return engine


def _seal_plain_secrets(engine: Engine) -> None:
    """Encrypt the TOTP secrets stored in plain text before encryption at rest; each row changes only if it still
    holds the plain value, so workers opening the database together do not seal a secret twice."""
    columns = [(bruger, bruger.c.totp_hemmelighed), (afventende_login, afventende_login.c.ny_hemmelighed)]
    with engine.begin() as con:
        sealed = 0
        for table, column in columns:
            key = table.primary_key.columns[0]
            for row_key, value in con.execute(select(key, column).where(column.is_not(None))).all():
                if sealing.is_plain(value):
                    sealed += con.execute(update(table).where(key == row_key, column == value)
                                          .values({column.name: sealing.seal(value)})).rowcount
    if sealed and engine.dialect.name == "sqlite":
        with engine.connect() as con:   # the plain values' old pages leave the write-ahead log
            con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _owner_only(database: str | None) -> None:
    if database and database != ":memory:":
        path = Path(database)
        path.touch(mode=0o600)
        path.chmod(0o600)   # also a file made before this rule


def engine() -> Engine:
    return _engine(database_url())
