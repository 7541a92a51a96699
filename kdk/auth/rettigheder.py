"""The one permission vocabulary: the roles, what each permits, and the questions pages, routes, the API, the shell
and the CLI ask of the person behind a request — a kdk User, or ANONYM. Reads and writes nothing.

The role strings are written here and nowhere else in the app: everything else asks `kan_publicere`,
`administrerer_brugere`, `kan_administrere(bruger)` and so on. Anonymous answers every question no.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kdk.sprog import N_


@dataclass(frozen=True)
class Rolle:
    """What one role permits."""

    navn: str                                  # its Danish name in the administration (N_: translated where shown)
    ser_alt: bool = False                      # every data area and releases under embargo (the publication team)
    publicerer: bool = False                   # /publicering and the databank bundle
    administrerer: Literal["kommune", "alle"] | None = None   # the users of its own municipality, or everyone's
    anden_faktor: bool = False                 # signs in with a second factor (TOTP)
    hoerer_til_kommune: bool = False           # must belong to a municipality
    vaert: bool = False                        # hosts a webinar: starts a follow session that viewers follow
    lukkede_data: bool = True                  # may be granted restricted data areas
    udloeber: bool = False                     # an account for one occasion: it must have an expiry time


LAESER = "laeser"
DEMO = "demokonto"
ROLLER: dict[str, Rolle] = {
    LAESER: Rolle(N_("Læser"), hoerer_til_kommune=True),
    "kommune_admin": Rolle(N_("Kommuneadministrator"), administrerer="kommune", anden_faktor=True,
                           hoerer_til_kommune=True),
    "redaktion": Rolle(N_("Redaktion"), ser_alt=True, publicerer=True, anden_faktor=True, vaert=True),
    "admin": Rolle(N_("Administrator"), ser_alt=True, publicerer=True, administrerer="alle", anden_faktor=True,
                   vaert=True),
    DEMO: Rolle(N_("Demokonto"), vaert=True, lukkede_data=False, udloeber=True),
}
ROLLE_NAVN = {navn: rolle.navn for navn, rolle in ROLLER.items()}
INGEN = Rolle("Anonym")


class Tilladelser:
    """The permission questions, answered from the role table for anyone with a name (None: anonymous), `rolle` and
    `kommunekode`."""

    brugernavn: str | None
    rolle: str | None
    kommunekode: str | None

    @property
    def _rolle(self) -> Rolle:
        return ROLLER.get(self.rolle or "", INGEN)

    @property
    def ser_alle_omraader(self) -> bool:
        """Every data area, granted or not."""
        return self._rolle.ser_alt

    @property
    def ser_embargo(self) -> bool:
        """Releases before their embargo time (views of them are audited)."""
        return self._rolle.ser_alt

    @property
    def kan_publicere(self) -> bool:
        """The publication page, its export and the bundle downloads."""
        return self._rolle.publicerer

    @property
    def kan_vaere_vaert(self) -> bool:
        """Starting a follow session ("Følg oplægsholderen") that anonymous viewers follow."""
        return self._rolle.vaert

    @property
    def administrerer_brugere(self) -> bool:
        """The user administration (/admin/brugere), for their own municipality at least."""
        return self._rolle.administrerer is not None

    @property
    def administrerer_alle(self) -> bool:
        """Every municipality's users and every role, the audit log, and being told that a name is taken."""
        return self._rolle.administrerer == "alle"

    @property
    def tildelbare_roller(self) -> tuple[str, ...]:
        """The roles they may give (and the users of which roles they see)."""
        if self.administrerer_alle:
            return tuple(ROLLER)
        if self.administrerer_brugere:
            return tuple(navn for navn, rolle in ROLLER.items() if rolle.hoerer_til_kommune)
        return ()

    def kan_administrere(self, bruger: Tilladelser) -> bool:
        """Whether they may see and change `bruger`: anyone for an administrator; the users of their own
        municipality with a role they may give for a municipal administrator."""
        return self.administrerer_alle or (self.administrerer_brugere and bruger.kommunekode == self.kommunekode
                                           and bruger.rolle in self.tildelbare_roller)

    @property
    def kraever_anden_faktor(self) -> bool:
        return self._rolle.anden_faktor

    @property
    def kan_faa_lukkede_data(self) -> bool:
        """Whether restricted data areas may be granted them (a demo account sees public data only, always)."""
        return self._rolle.lukkede_data


def skal_hoere_til_kommune(rolle: str) -> bool:
    """Whether a user of `rolle` must belong to a municipality."""
    return ROLLER[rolle].hoerer_til_kommune


def skal_udloebe(rolle: str) -> bool:
    """Whether a user of `rolle` must have an expiry time (a demo account)."""
    return ROLLER[rolle].udloeber


@dataclass(frozen=True)
class Anonym(Tilladelser):
    """The viewer nobody signed in as: no name, no role, no municipality."""

    brugernavn: str | None = None
    rolle: str | None = None
    kommunekode: str | None = None


ANONYM = Anonym()
