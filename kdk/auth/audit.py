"""The audit log: append-only (logins and failures, throttling, rights changes, exports, token use, views of
embargoed data), and its retention policy (slettepolitik): entries older than KDK_AUDIT_DAGE days (default
365) are deleted by `python -m kdk audit slet` and by nothing else."""
from __future__ import annotations

import datetime as dt
import os

import pandas as pd
from sqlalchemy import delete, insert, select

from kdk.auth.store import audit, engine


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def log(handling: str, bruger: str | None = None, detaljer: str = "", adresse: str | None = None) -> None:
    with engine().begin() as con:
        con.execute(insert(audit).values(tidspunkt=now(), bruger=bruger, handling=handling, detaljer=detaljer,
                                         adresse=adresse))


def entries(limit: int = 500, handling: str | None = None) -> pd.DataFrame:
    query = select(audit).order_by(audit.c.id.desc()).limit(limit)
    if handling:
        query = query.where(audit.c.handling == handling)
    with engine().connect() as con:
        return pd.DataFrame(con.execute(query).mappings().all(), columns=[c.name for c in audit.columns])


def retention_days() -> int:
    return int(os.environ.get("KDK_AUDIT_DAGE", "365"))


def apply_retention() -> int:
    """Delete entries older than the retention period; returns how many. The deletion itself is logged."""
    cutoff = now() - dt.timedelta(days=retention_days())
    with engine().begin() as con:
        deleted = con.execute(delete(audit).where(audit.c.tidspunkt < cutoff)).rowcount
    log("slettepolitik", detaljer=f"{deleted} poster ældre end {retention_days()} dage slettet")
    return deleted
