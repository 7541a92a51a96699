"""Second-factor codes (TOTP, RFC 6238, 30-second steps), each time step accepted once per user: a code seen over
a shoulder or replayed cannot be used again, nor can an older one. Reads and writes the totp_trin table of the
user store, so the rule holds across workers and servers, and each user's secret (bruger.totp_hemmelighed),
encrypted by kdk.auth.sealing."""
from __future__ import annotations

import datetime as dt

import pyotp
from pyotp.utils import strings_equal
from sqlalchemy import and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from kdk.auth import sealing
from kdk.auth.store import bruger, engine, totp_trin

# The step before and after the current one are accepted too, for clocks a little out of step.
DRIFT = (0, -1, 1)


def secret(user_id: int) -> str | None:
    """The user's TOTP secret, or None if they have not set up a second factor yet."""
    with engine().connect() as con:
        sealed = con.execute(select(bruger.c.totp_hemmelighed).where(bruger.c.id == user_id)).scalar()
    return sealing.unseal(sealed) if sealed else None


def confirm(user_id: int, secret: str) -> None:
    """Keep the secret a user has just proved with a code, encrypted."""
    with engine().begin() as con:
        con.execute(update(bruger).where(bruger.c.id == user_id).values(totp_hemmelighed=sealing.seal(secret)))


def _step(secret: str, code: str, when: dt.datetime) -> int | None:
    """The time step near `when` whose code this is, or None."""
    totp = pyotp.TOTP(secret)
    return next((totp.timecode(when) + d for d in DRIFT if strings_equal(totp.at(when, counter_offset=d), code)),
                None)


def accept(user_id: int, secret: str, code: str) -> bool:
    """True once for a right code; False for a wrong one and for a step this user has already signed in with (or
    one before it). Claiming the step is a single conditional write, so parallel requests cannot both win."""
    step = _step(secret, code.strip(), dt.datetime.now(dt.UTC))
    if step is None:
        return False
    with engine().begin() as con:
        if con.execute(update(totp_trin).where(and_(totp_trin.c.bruger_id == user_id, totp_trin.c.trin < step))
                       .values(trin=step)).rowcount:
            return True
    try:
        with engine().begin() as con:
            con.execute(insert(totp_trin).values(bruger_id=user_id, trin=step))
    except IntegrityError:   # the user has a row already, at this step or a later one
        return False
    return True
