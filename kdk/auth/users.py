"""Users, roles and data-area rights, and what a user may see (their Scope).

The roles and what they permit are declared in kdk.auth.rettigheder, whose questions a User answers. Signed-in
users see restricted key figures of the data areas they are granted, for all municipalities; the publication team
sees every area and releases under embargo. A demo account (for a webinar) sees public data only and cannot sign in
after its expiry time, nor use a session begun before it. Reads and writes the user database (kdk.auth.store).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, insert, select, update

from kdk.auth import audit, passwords, pending, sessions
from kdk.auth.rettigheder import ROLLER, Tilladelser, skal_hoere_til_kommune, skal_udloebe
from kdk.auth.store import bruger, bruger_omraade, engine
from kdk.queries.scope import Scope
from kdk.sprog import gettext

# A username is part of addresses (/admin/brugere/<navn>) and messages: letters, digits and . _ - @, 2-50 characters.
BRUGERNAVN = re.compile(r"[a-z0-9æøå][a-z0-9æøå._@-]{1,49}")


class UserError(Exception):
    """A user operation that cannot be done; the message is in the active language (Danish on the command line)."""


class NameTaken(UserError):
    """The username belongs to an existing user (whom the one asking may not be allowed to know of)."""


@dataclass(frozen=True)
class User(Tilladelser):
    id: int
    brugernavn: str
    rolle: str
    kommunekode: str | None
    aktiv: bool
    skal_skifte_kodeord: bool
    omraader: frozenset[str]
    totp: bool
    udloeber: dt.datetime | None = None   # UTC; None: never

    def scope(self, alle_omraader: frozenset[str]) -> Scope:
        granted = self.omraader if self.kan_faa_lukkede_data else frozenset()
        return Scope(omraader=alle_omraader if self.ser_alle_omraader else granted, se_embargo=self.ser_embargo)

    @property
    def udloebet(self) -> bool:
        return self.udloeber is not None and audit.now() >= self.udloeber

    @property
    def gyldig(self) -> bool:
        """Whether the account may be used now: active and not expired."""
        return self.aktiv and not self.udloebet


def _row_to_user(row, areas) -> User:
    return User(id=row.id, brugernavn=row.brugernavn, rolle=row.rolle, kommunekode=row.kommunekode,
                aktiv=row.aktiv, skal_skifte_kodeord=row.skal_skifte_kodeord, omraader=frozenset(areas),
                totp=bool(row.totp_hemmelighed), udloeber=row.udloeber)


def get(user_id: int | None = None, brugernavn: str | None = None) -> User | None:
    query = select(bruger).where(bruger.c.id == user_id) if user_id is not None else \
        select(bruger).where(bruger.c.brugernavn == (brugernavn or "").lower())
    with engine().connect() as con:
        row = con.execute(query).first()
        if row is None:
            return None
        areas = con.execute(select(bruger_omraade.c.dataomraade).where(bruger_omraade.c.bruger_id == row.id))
        return _row_to_user(row, [a for (a,) in areas])


def find(kommunekode: str | None = None, tekst: str = "", roller: tuple[str, ...] = tuple(ROLLER),
         aktiv: bool | None = None, offset: int = 0, limit: int | None = None) -> tuple[list[User], int]:
    """Users by name, ordered by name: those of one municipality (or all), whose name contains `tekst`, with
    one of the roles and the status given; one page of them (`offset`, `limit`) and how many match in all."""
    where: list[ColumnElement[bool]] = [bruger.c.rolle.in_(roller)]
    if kommunekode:
        where.append(bruger.c.kommunekode == kommunekode)
    if tekst:
        where.append(bruger.c.brugernavn.contains(tekst.strip().lower(), autoescape=True))
    if aktiv is not None:
        where.append(bruger.c.aktiv == aktiv)
    with engine().connect() as con:
        total = con.execute(select(func.count()).select_from(bruger).where(*where)).scalar_one()
        rows = con.execute(select(bruger).where(*where).order_by(bruger.c.brugernavn).offset(offset).limit(limit)).all()
        areas: dict[int, list[str]] = {}
        for user_id, area in con.execute(select(bruger_omraade.c.bruger_id, bruger_omraade.c.dataomraade)
                                         .where(bruger_omraade.c.bruger_id.in_([r.id for r in rows]))):
            areas.setdefault(user_id, []).append(area)
    return [_row_to_user(r, areas.get(r.id, [])) for r in rows], total


def add(brugernavn: str, password: str, rolle: str, kommunekode: str | None = None,
        omraader: AbstractSet[str] = frozenset(), af: str = "kommandolinjen", skal_skifte: bool = False,
        udloeber: dt.datetime | None = None) -> User:
    """A new user; `udloeber` (UTC) is the expiry time a demo account must have and no other role may."""
    brugernavn = brugernavn.strip().lower()
    if not BRUGERNAVN.fullmatch(brugernavn):
        raise UserError(gettext("Brugernavnet skal være 2-50 tegn: små bogstaver (a-å), tal og . _ - @, og det skal "
                                "begynde med et bogstav eller et tal."))
    if rolle not in ROLLER:
        raise UserError(gettext("Ukendt rolle «{rolle}». Brug {roller}.").format(rolle=rolle, roller=", ".join(ROLLER)))
    if skal_hoere_til_kommune(rolle) and not kommunekode:
        raise UserError(gettext("En læser eller kommuneadministrator skal høre til en kommune (--kommune)."))
    if skal_udloebe(rolle) != (udloeber is not None):
        raise UserError(gettext("En demokonto skal have et udløbstidspunkt, og kun en demokonto kan have et. "
                                "Opret demokonti med python -m kdk users demo."))
    _check_areas(rolle, omraader)
    if get(brugernavn=brugernavn):
        raise NameTaken(gettext("Brugeren «{bruger}» findes allerede.").format(bruger=brugernavn))
    reasons = passwords.problems(password, brugernavn)
    if reasons:
        raise UserError(" ".join(reasons))
    with engine().begin() as con:
        user_id = con.execute(insert(bruger).values(
            brugernavn=brugernavn, kodeord_hash=passwords.hash_password(password), rolle=rolle,
            kommunekode=kommunekode, aktiv=True, skal_skifte_kodeord=skal_skifte, oprettet=audit.now(),
            udloeber=udloeber)
            .returning(bruger.c.id)).scalar_one()
        for area in sorted(omraader):
            con.execute(insert(bruger_omraade).values(bruger_id=user_id, dataomraade=area))
    audit.log("bruger_oprettet", af, f"{brugernavn} ({rolle}, {kommunekode or '-'}; områder: "
                                     f"{','.join(sorted(omraader)) or '-'})")
    return _written(user_id)


def _written(user_id: int) -> User:
    """The user just written, read back (a user deleted meanwhile is an error)."""
    if (user := get(user_id=user_id)) is None:
        raise UserError(gettext("Brugeren findes ikke længere."))
    return user


def _check_areas(rolle: str, omraader: AbstractSet[str]) -> None:
    if omraader and not ROLLER[rolle].lukkede_data:
        raise UserError(gettext("En demokonto ser kun offentlige data og kan ikke få lukkede dataområder."))


def grant(brugernavn: str, omraader: set[str], af: str) -> User:
    user = get(brugernavn=brugernavn)
    if user is None:
        raise UserError(gettext("Brugeren «{bruger}» findes ikke.").format(bruger=brugernavn))
    _check_areas(user.rolle, omraader)
    with engine().begin() as con:
        con.execute(delete(bruger_omraade).where(bruger_omraade.c.bruger_id == user.id))
        for area in sorted(omraader):
            con.execute(insert(bruger_omraade).values(bruger_id=user.id, dataomraade=area))
    audit.log("rettigheder_aendret", af, f"{user.brugernavn}: {','.join(sorted(omraader)) or '-'}")
    return _written(user.id)


def set_active(brugernavn: str, aktiv: bool, af: str) -> None:
    """Activate or deactivate a user; deactivating ends their sessions and waiting logins, so reactivating later
    does not bring an old session back."""
    user = get(brugernavn=brugernavn)
    if user is None:
        raise UserError(gettext("Brugeren «{bruger}» findes ikke.").format(bruger=brugernavn))
    with engine().begin() as con:
        con.execute(update(bruger).where(bruger.c.id == user.id).values(aktiv=aktiv))
    if not aktiv:
        sessions.end_all(user.id)
        pending.drop_all(user.id)
    audit.log("bruger_aktiveret" if aktiv else "bruger_deaktiveret", af, user.brugernavn)


def set_role(brugernavn: str, rolle: str, af: str) -> None:
    user = get(brugernavn=brugernavn)
    if user is None:
        raise UserError(gettext("Brugeren «{bruger}» findes ikke.").format(bruger=brugernavn))
    if rolle not in ROLLER:
        raise UserError(gettext("Ukendt rolle «{rolle}».").format(rolle=rolle))
    if skal_hoere_til_kommune(rolle) and not user.kommunekode:
        raise UserError(gettext("En læser eller kommuneadministrator skal høre til en kommune."))
    if skal_udloebe(rolle) != (user.udloeber is not None):
        raise UserError(gettext("Kun en demokonto har et udløbstidspunkt: en bruger kan ikke skifte til eller fra "
                                "den rolle."))
    if rolle != user.rolle:
        with engine().begin() as con:
            con.execute(update(bruger).where(bruger.c.id == user.id).values(rolle=rolle))
        audit.log("rolle_aendret", af, f"{user.brugernavn}: {user.rolle} → {rolle}")


def set_password(brugernavn: str, password: str, af: str, skal_skifte: bool = False,
                 keep_session: str | None = None) -> None:
    """Set a new password and end all the user's sessions but `keep_session` (the one that changed it, if any),
    and every login of theirs waiting for its code: whoever held a session or knew the password from before a
    change or reset no longer holds the account."""
    user = get(brugernavn=brugernavn)
    if user is None:
        raise UserError(gettext("Brugeren «{bruger}» findes ikke.").format(bruger=brugernavn))
    reasons = passwords.problems(password, brugernavn)
    if reasons:
        raise UserError(" ".join(reasons))
    with engine().begin() as con:
        con.execute(update(bruger).where(bruger.c.id == user.id).values(
            kodeord_hash=passwords.hash_password(password), skal_skifte_kodeord=skal_skifte))
    sessions.end_all(user.id, keep=keep_session)
    pending.drop_all(user.id)
    audit.log("kodeord_nulstillet" if skal_skifte else "kodeord_skiftet", af, user.brugernavn)


def authenticate(brugernavn: str, password: str) -> User | None:
    """The active user with this name and password, or None (same work either way: no user enumeration)."""
    with engine().connect() as con:
        row = con.execute(select(bruger).where(bruger.c.brugernavn == brugernavn.strip().lower())).first()
    ok = passwords.verify(row.kodeord_hash if row else None, password)
    if not ok or row is None or not row.aktiv:
        return None
    return get(user_id=row.id)
