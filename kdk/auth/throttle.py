"""Login throttling per username and per address, shared by every worker (it lives in the user database, not in
a worker's memory, which would multiply the limit by the number of workers).

Reads and writes the login_forsoeg table. An address over its failure limit is refused only for accounts that have
failures of their own in the window: behind a proxy everyone shares one address, and guesses at other accounts must
not lock out a user whose account is not under attack."""
from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import and_, func, insert, select

from kdk.auth.audit import now
from kdk.auth.store import engine, login_forsoeg

WINDOW = dt.timedelta(minutes=15)


def limits() -> tuple[int, int]:
    """(failures per username, failures per address) within the window."""
    return int(os.environ.get("KDK_LOGIN_MAX_BRUGER", "10")), int(os.environ.get("KDK_LOGIN_MAX_ADRESSE", "50"))


def record(brugernavn: str, adresse: str, lykkedes: bool) -> None:
    with engine().begin() as con:
        con.execute(insert(login_forsoeg).values(brugernavn=brugernavn.lower(), adresse=adresse, tidspunkt=now(),
                                                 lykkedes=lykkedes))


def throttled(brugernavn: str, adresse: str) -> bool:
    since = now() - WINDOW
    per_user, per_address = limits()
    failed = and_(login_forsoeg.c.tidspunkt >= since, login_forsoeg.c.lykkedes.is_(False))
    with engine().connect() as con:
        by_user = con.execute(select(func.count()).where(failed, login_forsoeg.c.brugernavn == brugernavn.lower()))
        by_address = con.execute(select(func.count()).where(failed, login_forsoeg.c.adresse == adresse))
        user_failures = by_user.scalar_one()
        return user_failures >= per_user or (user_failures > 0 and by_address.scalar_one() >= per_address)
