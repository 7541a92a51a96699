"""Login throttling per username and per address, shared by every worker (it lives in the user database, not in
a worker's memory, which would multiply the limit by the number of workers).

Reads and writes the login_forsoeg table. `attempt` checks the limits and, if the attempt may go ahead, records it
as a failure in the same transaction, so parallel guesses cannot all pass the check before any is counted;
`succeeded` then marks it a success. An address over its failure limit is refused only for accounts that have
failures of their own in the window: behind a proxy everyone shares one address, and guesses at other accounts must
not lock out a user whose account is not under attack.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.engine import Connection

from kdk.auth.audit import now
from kdk.auth.store import engine, login_forsoeg

WINDOW = dt.timedelta(minutes=15)
LOCK_KEY = 18_004   # the PostgreSQL advisory lock that serialises login attempts


@dataclass(frozen=True)
class Decision:
    """Whether an attempt may be evaluated. If so it is already recorded as a failure, row `attempt_id`."""

    allowed: bool
    attempt_id: int | None = None


def limits() -> tuple[int, int]:
    """(failures per username, failures per address) within the window."""
    return int(os.environ.get("KDK_LOGIN_MAX_BRUGER", "10")), int(os.environ.get("KDK_LOGIN_MAX_ADRESSE", "50"))


def attempt(brugernavn: str, adresse: str) -> Decision:
    """Check the limits for one attempt and, unless refused, record it as a failure: one step, under a lock."""
    name = brugernavn.lower()
    with engine().connect() as con:
        _lock(con)
        if _refused(con, name, adresse):
            return Decision(False)
        row = con.execute(insert(login_forsoeg).values(brugernavn=name, adresse=adresse, tidspunkt=now(),
                                                       lykkedes=False))
        con.commit()
        return Decision(True, row.inserted_primary_key[0])


def succeeded(decision: Decision) -> None:
    """The attempt was right: it no longer counts as a failure."""
    with engine().begin() as con:
        con.execute(update(login_forsoeg).where(login_forsoeg.c.id == decision.attempt_id).values(lykkedes=True))


def _lock(con: Connection) -> None:
    """Serialise attempts until the transaction ends: SQLite takes its write lock at once (BEGIN IMMEDIATE), so two
    workers cannot both count before either records; PostgreSQL takes a transaction-scoped advisory lock."""
    if con.dialect.name == "sqlite":
        con.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        con.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))


def _refused(con: Connection, name: str, adresse: str) -> bool:
    per_user, per_address = limits()
    failed = and_(login_forsoeg.c.tidspunkt >= now() - WINDOW, login_forsoeg.c.lykkedes.is_(False))
    user_failures = con.execute(select(func.count()).where(failed, login_forsoeg.c.brugernavn == name)).scalar_one()
    if user_failures >= per_user:
        return True
    return user_failures > 0 and con.execute(
        select(func.count()).where(failed, login_forsoeg.c.adresse == adresse)).scalar_one() >= per_address
