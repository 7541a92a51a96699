"""The audit log: append-only (logins and failures, throttling, rights changes, exports, token use, views of
embargoed data), and its retention policy (slettepolitik): entries older than KDK_AUDIT_DAGE days (default
365) are deleted by `python -m kdk audit slet` and by nothing else."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Row, delete, func, insert, select

from kdk.auth.store import audit, engine
from kdk.config import settings


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def log(handling: str, bruger: str | None = None, detaljer: str = "", adresse: str | None = None) -> None:
    with engine().begin() as con:
        con.execute(insert(audit).values(tidspunkt=now(), bruger=bruger, handling=handling, detaljer=detaljer,
                                         adresse=adresse))


def entries(limit: int | None = 500, handling: str | None = None, bruger: str | None = None,
            offset: int = 0) -> pd.DataFrame:
    """The newest entries first, optionally only one kind of action or one user's."""
    return pd.DataFrame(_select(audit.c, handling, bruger, limit, offset), columns=[c.name for c in audit.columns])


def count(handling: str | None = None, bruger: str | None = None) -> int:
    """How many entries there are, optionally only of one kind of action or one user's."""
    return _select([func.count(audit.c.id)], handling, bruger)[0][0]


def actions() -> list[str]:
    """The kinds of action the log holds, for filtering."""
    with engine().connect() as con:
        return [a for (a,) in con.execute(select(audit.c.handling).distinct().order_by(audit.c.handling))]


def _select(columns, handling: str | None, bruger: str | None, limit: int | None = None,
            offset: int = 0) -> Sequence[Row]:
    query = select(*columns)
    if handling:
        query = query.where(audit.c.handling == handling)
    if bruger:
        query = query.where(audit.c.bruger == bruger)
    if limit is not None:
        query = query.order_by(audit.c.id.desc()).limit(limit).offset(offset)
    with engine().connect() as con:
        return con.execute(query).all()


def retention_days() -> int:
    return settings().audit_days


def apply_retention() -> int:
    """Delete entries older than the retention period; returns how many. The deletion itself is logged."""
    cutoff = now() - dt.timedelta(days=retention_days())
    with engine().begin() as con:
        deleted = con.execute(delete(audit).where(audit.c.tidspunkt < cutoff)).rowcount
    log("slettepolitik", detaljer=f"{deleted} poster ældre end {retention_days()} dage slettet")
    return deleted
