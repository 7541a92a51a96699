"""Login throttling per username and per address, shared by every worker (it lives in the user database, not in
a worker's memory, which would multiply the limit by the number of workers).

Reads and writes the login_forsoeg table. `attempt` checks the limits and, if the attempt may go ahead, records it
as a failure in the same transaction, so parallel guesses cannot all pass the check before any is counted;
`succeeded` then marks it a success. Refused attempts are not recorded (they are audited by the caller).

- Per username: after 3 failures in the window each further attempt waits 2^(n-3) seconds after the last failure
  (n failures; at most a minute), and at the limit the name is locked until its failures leave the window. Names
  are counted whether or not the user exists, so the answers do not tell.
- Per address: an address over its failure limit is refused only for accounts with failures of their own in the
  window (behind a proxy everyone shares one address, and guesses at other accounts must not lock out a user whose
  account is not under attack), and never for a known device: a browser that has signed in as the user before
  (web.device).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.expression import ColumnElement

from kdk.auth.audit import now
from kdk.auth.store import engine, login_forsoeg
from kdk.config import settings

WINDOW = dt.timedelta(minutes=15)
DELAY_AFTER = 3            # failures per username before each further attempt must wait
DELAY_CAP_S = 60           # the longest delay between attempts, in seconds
LOCK_KEY = 18_004          # the PostgreSQL advisory lock that serialises login attempts


@dataclass(frozen=True)
class Decision:
    """Whether an attempt may be evaluated. If so it is already recorded as a failure, row `attempt_id`; if not,
    `retry_after` is the whole seconds to wait."""

    allowed: bool
    attempt_id: int | None = None
    retry_after: int = 0


def limits() -> tuple[int, int]:
    """(failures per username, failures per address) within the window."""
    return settings().login_max_per_user, settings().login_max_per_address


def attempt(brugernavn: str, adresse: str, known_device: bool = False) -> Decision:
    """Check the limits for one attempt and, unless refused, record it as a failure: one step, under a lock. From a
    known device (a browser that has signed in as this user before) the per-address limit does not apply."""
    name = brugernavn.lower()
    with engine().connect() as con:
        _lock(con)
        wait = _wait(con, name, adresse, known_device)
        if wait:
            return Decision(False, retry_after=math.ceil(wait.total_seconds()))
        attempt_id = con.execute(insert(login_forsoeg).values(brugernavn=name, adresse=adresse, tidspunkt=now(),
                                                              lykkedes=False).returning(login_forsoeg.c.id)).scalar_one()
        con.commit()
        return Decision(True, attempt_id)


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


def _wait(con: Connection, name: str, adresse: str, known_device: bool) -> dt.timedelta:
    """How long this attempt must wait (zero: it may go ahead)."""
    per_user, per_address = limits()
    t = now()
    by_user = _failures(con, login_forsoeg.c.brugernavn == name, t, per_user)
    waits = [dt.timedelta(0)]
    if len(by_user) >= per_user:
        waits.append(by_user[per_user - 1] + WINDOW - t)
    elif len(by_user) >= DELAY_AFTER:
        waits.append(by_user[0] + dt.timedelta(seconds=min(2 ** (len(by_user) - DELAY_AFTER), DELAY_CAP_S)) - t)
    if by_user and not known_device:
        by_address = _failures(con, login_forsoeg.c.adresse == adresse, t, per_address)
        if len(by_address) >= per_address:
            waits.append(by_address[per_address - 1] + WINDOW - t)
    return max(waits)


def _failures(con: Connection, whose: ColumnElement[bool], t: dt.datetime, most: int) -> list[dt.datetime]:
    """The times of the newest `most` failures in the window matching `whose`, newest first."""
    return list(con.execute(
        select(login_forsoeg.c.tidspunkt)
        .where(whose, login_forsoeg.c.lykkedes.is_(False), login_forsoeg.c.tidspunkt >= t - WINDOW)
        .order_by(login_forsoeg.c.tidspunkt.desc()).limit(most)).scalars())
