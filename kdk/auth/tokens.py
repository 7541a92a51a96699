"""Personal API tokens for BI tools: created and revoked by the user, stored as a SHA-256 hash (the token itself
is shown once), carrying the user's own rights. Every use is audited. A token named by nobody is named "API-nøgle"
in the language it is created in."""
from __future__ import annotations

import hashlib
import secrets

import pandas as pd
from sqlalchemy import and_, insert, select, update

from kdk.auth import audit, users
from kdk.auth.store import api_token, engine
from kdk.sprog import gettext

PREFIX = "kdk_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(user: users.User, navn: str) -> str:
    token = PREFIX + secrets.token_urlsafe(32)
    with engine().begin() as con:
        con.execute(insert(api_token).values(bruger_id=user.id, navn=navn.strip()[:100] or gettext("API-nøgle"),
                                             hash=_hash(token), oprettet=audit.now()))
    audit.log("api_token_oprettet", user.brugernavn, navn)
    return token


def revoke(user: users.User, token_id: int) -> bool:
    with engine().begin() as con:
        done = con.execute(update(api_token).where(and_(api_token.c.id == token_id,
                                                        api_token.c.bruger_id == user.id,
                                                        api_token.c.tilbagekaldt.is_(None)))
                           .values(tilbagekaldt=audit.now())).rowcount
    if done:
        audit.log("api_token_tilbagekaldt", user.brugernavn, str(token_id))
    return bool(done)


def listing(user: users.User) -> pd.DataFrame:
    """The user's tokens, oldest first, with `aktiv` saying whether each still works (a missing revocation time
    is NaT, which is true in a boolean test, so pages must not test `tilbagekaldt` itself)."""
    with engine().connect() as con:
        rows = con.execute(select(api_token.c.id, api_token.c.navn, api_token.c.oprettet, api_token.c.tilbagekaldt)
                           .where(api_token.c.bruger_id == user.id).order_by(api_token.c.id)).mappings().all()
    frame = pd.DataFrame(rows, columns=["id", "navn", "oprettet", "tilbagekaldt"])
    return frame.assign(aktiv=frame["tilbagekaldt"].isna())


def user_for(token: str, adresse: str | None = None) -> users.User | None:
    """The active owner of a live token, or None; the use is audited."""
    with engine().connect() as con:
        row = con.execute(select(api_token).where(and_(api_token.c.hash == _hash(token),
                                                       api_token.c.tilbagekaldt.is_(None)))).first()
    user = users.get(user_id=row.bruger_id) if row else None
    if row is None or user is None or not user.gyldig:
        audit.log("api_token_afvist", None, "ukendt eller tilbagekaldt nøgle", adresse)
        return None
    audit.log("api_token_brugt", user.brugernavn, row.navn, adresse)
    return user
