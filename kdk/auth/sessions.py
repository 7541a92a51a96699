"""Server-side sessions: the cookie carries a random token; the server keeps its SHA-256 and can end it.

Logout ends the session on the server, so a copied cookie stops working; a session idle longer than
KDK_SESSION_MINUTTER (default 30) minutes has ended too, and so has one begun more than KDK_SESSION_MAKS_TIMER
(default 12) hours ago, however busy (an absolute lifetime). A password change or reset ends all the user's
other sessions (`end_all`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import and_, insert, select, update

from kdk.auth.audit import now
from kdk.auth.store import engine, session
from kdk.config import settings

TOUCH_EVERY = dt.timedelta(seconds=60)


def digest(token: str) -> str:
    """What the server keeps of a random token handed to a browser."""
    return hashlib.sha256(token.encode()).hexdigest()


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=settings().session_minutes)


def absolute_limit() -> dt.timedelta:
    return dt.timedelta(hours=settings().session_max_hours)


def create(user_id: int) -> str:
    token = secrets.token_urlsafe(32)
    with engine().begin() as con:
        con.execute(insert(session).values(id=digest(token), bruger_id=user_id, oprettet=now(), sidst_aktiv=now()))
    return token


def user_id(token: str | None) -> int | None:
    """The user of a live session, or None (unknown, ended, idle too long or past its absolute lifetime)."""
    if not token:
        return None
    current = now()
    with engine().connect() as con:
        row = con.execute(select(session).where(session.c.id == digest(token))).first()
    if (row is None or row.afsluttet is not None or current - row.sidst_aktiv > idle_limit()
            or current - row.oprettet > absolute_limit()):
        return None
    if current - row.sidst_aktiv > TOUCH_EVERY:
        with engine().begin() as con:
            con.execute(update(session).where(session.c.id == row.id).values(sidst_aktiv=current))
    return row.bruger_id


def end(token: str | None) -> None:
    if token:
        with engine().begin() as con:
            con.execute(update(session).where(session.c.id == digest(token)).values(afsluttet=now()))


def end_all(user_id: int, keep: str | None = None) -> None:
    """End every live session of the user except the one whose token is `keep`."""
    live = and_(session.c.bruger_id == user_id, session.c.afsluttet.is_(None))
    if keep:
        live = and_(live, session.c.id != digest(keep))
    with engine().begin() as con:
        con.execute(update(session).where(live).values(afsluttet=now()))
