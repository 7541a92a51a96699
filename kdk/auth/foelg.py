"""Follow sessions ("Følg oplægsholderen"): a host's short code and the address of the page the host shows, which
viewers' browsers follow.

Kept in the user store (table foelg_session), so every worker and server sees the same state: the database is the
truth. A session has a code of six characters from an alphabet without look-alikes (no 0/O, 1/I/L), lasts until
its host stops it or the Danish day ends, and holds one address (a public page's path and query, checked by the
caller, web/foelg.py) with a version number raised at every change. Reading a session's state (`tilstand`) is
memoised per process for at most TILSTAND_SEKUNDER, so a thousand viewers polling every second cost a few reads of
the database a second per worker. Reads and writes the foelg_session table only.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
import threading
from dataclasses import dataclass

from cachetools import TTLCache
from sqlalchemy import exists, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from kdk.auth.audit import now
from kdk.auth.store import bruger, engine, foelg_session
from kdk.queries.scope import DANISH_TIME

ALFABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LAENGDE = 6
KODE = re.compile(f"[{ALFABET}]{{{LAENGDE}}}")
TILSTAND_SEKUNDER = 0.5
_memo: TTLCache = TTLCache(maxsize=4096, ttl=TILSTAND_SEKUNDER)
_memo_lock = threading.Lock()


@dataclass(frozen=True)
class Tilstand:
    """What viewers follow: the session's code, the host's address and its version."""

    kode: str
    adresse: str
    version: int


def ny_kode() -> str:
    return "".join(secrets.choice(ALFABET) for _ in range(LAENGDE))


def normaliseret(kode: str) -> str | None:
    """`kode` as stored (upper case), or None when it cannot be a code."""
    kode = kode.strip().upper()
    return kode if KODE.fullmatch(kode) else None


def dagens_slut(tidspunkt: dt.datetime) -> dt.datetime:
    """The end of the Danish day of `tidspunkt` (UTC, naive, as the store keeps time), in UTC."""
    dansk = tidspunkt.replace(tzinfo=dt.UTC).astimezone(DANISH_TIME)
    midnat = dt.datetime.combine(dansk.date() + dt.timedelta(days=1), dt.time(), DANISH_TIME)
    return midnat.astimezone(dt.UTC).replace(tzinfo=None)


def _live(current: dt.datetime):
    """A session is live until it is stopped, until the end of its day, and while its host may sign in (not disabled,
    not an expired demo account)."""
    host_may_sign_in = exists().where(bruger.c.id == foelg_session.c.vaert_id, bruger.c.aktiv.is_(True),
                                      or_(bruger.c.udloeber.is_(None), bruger.c.udloeber > current))
    return foelg_session.c.afsluttet.is_(None), foelg_session.c.udloeber > current, host_may_sign_in


def aktiv(vaert_id: int) -> Tilstand | None:
    """The host's running session, if any."""
    with engine().connect() as con:
        row = con.execute(select(foelg_session).where(foelg_session.c.vaert_id == vaert_id, *_live(now()))
                          .order_by(foelg_session.c.oprettet.desc())).first()
    return Tilstand(row.kode, row.adresse, row.version) if row else None


def start(vaert_id: int, adresse: str = "/") -> Tilstand:
    """The host's running session, or a new one showing `adresse` (a new code, drawn again if taken)."""
    running = aktiv(vaert_id)
    if running:
        return running
    current = now()
    while True:
        kode = ny_kode()
        try:
            with engine().begin() as con:
                con.execute(insert(foelg_session).values(kode=kode, vaert_id=vaert_id, oprettet=current,
                                                         udloeber=dagens_slut(current), adresse=adresse, version=1))
            return Tilstand(kode, adresse, 1)
        except IntegrityError:   # the code of an earlier session: draw another
            continue


def stop(kode: str, vaert_id: int) -> bool:
    """End the host's session `kode`; False when it is not theirs or not running."""
    with engine().begin() as con:
        ended = con.execute(update(foelg_session).where(foelg_session.c.kode == kode,
                                                        foelg_session.c.vaert_id == vaert_id, *_live(now()))
                            .values(afsluttet=now())).rowcount
    return bool(ended)


def vis(kode: str, vaert_id: int, adresse: str) -> Tilstand | None:
    """The host of the running session `kode` shows `adresse` now: its version is raised when the address changed.
    None when the session is not the host's or not running."""
    current = now()
    mine = (foelg_session.c.kode == kode, foelg_session.c.vaert_id == vaert_id, *_live(current))
    with engine().begin() as con:
        con.execute(update(foelg_session).where(*mine, foelg_session.c.adresse != adresse)
                    .values(adresse=adresse, version=foelg_session.c.version + 1))
        row = con.execute(select(foelg_session).where(*mine)).first()
    return Tilstand(row.kode, row.adresse, row.version) if row else None


def udstedt(kode: str) -> bool:
    """Whether `kode` was ever given out, to a session running or ended."""
    with engine().connect() as con:
        return con.execute(select(exists().where(foelg_session.c.kode == kode))).scalar_one()


def tilstand(kode: str) -> Tilstand | None:
    """The running session `kode`'s state, or None (unknown, stopped or expired); at most TILSTAND_SEKUNDER old."""
    with _memo_lock:
        if kode in _memo:
            return _memo[kode]
    with engine().connect() as con:
        row = con.execute(select(foelg_session.c.kode, foelg_session.c.adresse, foelg_session.c.version)
                          .where(foelg_session.c.kode == kode, *_live(now()))).first()
    found = Tilstand(row.kode, row.adresse, row.version) if row else None
    with _memo_lock:
        _memo[kode] = found
    return found
