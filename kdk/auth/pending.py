"""Logins waiting for their second factor: the password is verified, the code is not yet.

Kept in the user store (table afventende_login), so the cookie carries only a random handle and every worker
and server sees the same state. A pending login is bound to the moment the password was verified: it lasts
KDK_ANDEN_FAKTOR_MINUTTER (default 5) minutes from then, is used once, and a password change or reset drops all
of the user's (`drop_all`), so a cookie from before the change no longer reaches the code step. It also holds
the TOTP secret offered at a first login until the user confirms it, encrypted (kdk.auth.sealing).
"""
from __future__ import annotations

import datetime as dt
import secrets

import pyotp
from sqlalchemy import delete, insert, select, update

from kdk.auth import sealing
from kdk.auth.audit import now
from kdk.auth.sessions import digest
from kdk.auth.store import afventende_login, engine
from kdk.config import settings


def lifetime() -> dt.timedelta:
    return dt.timedelta(minutes=settings().second_factor_minutes)


def start(user_id: int) -> str:
    """A handle for a login whose password was verified just now (expired ones are cleared on the way)."""
    handle = secrets.token_urlsafe(32)
    with engine().begin() as con:
        con.execute(delete(afventende_login).where(afventende_login.c.kodeord_bekraeftet < now() - lifetime()))
        con.execute(insert(afventende_login).values(id=digest(handle), bruger_id=user_id, kodeord_bekraeftet=now()))
    return handle


def _row(handle):
    if not isinstance(handle, str) or not handle:   # a cookie signed before this module held a user id
        return None
    with engine().connect() as con:
        row = con.execute(select(afventende_login).where(afventende_login.c.id == digest(handle))).first()
    return row if row is not None and now() - row.kodeord_bekraeftet <= lifetime() else None


def user_id(handle: str | None) -> int | None:
    """The user of a live pending login, or None (unknown, used, expired or dropped by a password change)."""
    row = _row(handle)
    return row.bruger_id if row else None


def new_secret(handle: str) -> str:
    """The TOTP secret offered to this pending login for setting up the second factor (made on first ask)."""
    row = _row(handle)
    if row.ny_hemmelighed:
        return sealing.unseal(row.ny_hemmelighed)
    secret = pyotp.random_base32()
    with engine().begin() as con:
        con.execute(update(afventende_login).where(afventende_login.c.id == row.id)
                    .values(ny_hemmelighed=sealing.seal(secret)))
    return secret


def finish(handle: str) -> None:
    with engine().begin() as con:
        con.execute(delete(afventende_login).where(afventende_login.c.id == digest(handle)))


def drop_all(user_id: int) -> None:
    with engine().begin() as con:
        con.execute(delete(afventende_login).where(afventende_login.c.bruger_id == user_id))
