"""Changing the embargo time of a release staged under embargo, as the publication team does on /publicering.

Reads the live marts file; writes a new versioned file that is the live one with only that release's `embargo_til`
changed, and switches the link to it (kdk.marts.store.publish), in the writers' turn (kdk.marts.store.writing) from
reading the live file through the switch: a change made while a build, a load or a fetch writes waits for it (at
most `wait` seconds, else Busy with nothing changed) and then starts from its result. With KDK_UDGIV_TIL set it also
publishes the new file to the other app servers (kdk.marts.levering); a failure there is logged, the change stands
here, and `Changed.undelivered` says why it did not reach them. Who may see what is decided from the release table
in the query layer (kdk.queries.scope) and every cached answer is kept per marts file (kdk.queries.cache), so the
new time rules every page, callback, API answer and export at once, exactly as after a load.

A time is refused (EmbargoError, its reason in the active language) for a release already published, for a time
already past, and where releases would become public out of the order they were staged in (kdk.marts.releases):
not before a release staged earlier, not after one staged later. `vist` writes a time as the active language does.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import duckdb
import pandas as pd
from babel.dates import format_time

from kdk import format as fmt
from kdk import sprog
from kdk.config import Settings
from kdk.marts import levering, store
from kdk.queries.scope import now

log = logging.getLogger(__name__)


class EmbargoError(Exception):
    """The embargo time cannot be set; the message, in the active language, says why."""


class Published(EmbargoError):
    """The release is already public: its embargo is over and cannot be set again."""


class Busy(EmbargoError):
    """Another writer changed the marts for longer than the change would wait; nothing was changed."""


@dataclass(frozen=True)
class Changed:
    before: pd.Timestamp           # the embargo time the release had
    undelivered: str | None = None   # why the new marts did not reach the other app servers (Danish); None: they did


def vist(when) -> str:
    """A time as the active language writes it, '12.01.2027 kl. 09.00' or '12/01/2027 at 09:00', or the dash for a
    release published without embargo."""
    if when is None or pd.isna(when):
        return "–"
    when = pd.Timestamp(when)
    return sprog.gettext("{dato} kl. {tid}").format(
        dato=fmt.short_date(when), tid=format_time(when.time(), format="short", locale=sprog.locale()))


def check(releases: pd.DataFrame, release_id: str, when: dt.datetime) -> pd.Series:
    """The release row whose embargo may be moved to `when` (Danish wall-clock time); EmbargoError otherwise."""
    chosen = releases[releases["release_id"] == release_id]
    if chosen.empty:
        raise EmbargoError(sprog.gettext("Der findes ingen release «{release}».").format(release=release_id))
    row = chosen.iloc[0]
    current = pd.Timestamp(now())
    if pd.isna(row["embargo_til"]) or row["embargo_til"] <= current:
        raise Published(sprog.gettext("Release {release} er allerede offentliggjort, så dens embargotidspunkt kan "
                                      "ikke ændres.").format(release=release_id))
    if pd.Timestamp(when) <= current:
        raise EmbargoError(sprog.gettext("Embargotidspunktet {tidspunkt} er allerede passeret. Vælg et senere "
                                         "tidspunkt.").format(tidspunkt=vist(when)))
    others = releases[releases["embargo_til"].notna() & (releases["embargo_til"] > current)]
    earlier = others[others["loebenummer"] < row["loebenummer"]]
    later = others[others["loebenummer"] > row["loebenummer"]]
    if not earlier.empty and pd.Timestamp(when) < earlier["embargo_til"].max():
        first = earlier.loc[earlier["embargo_til"].idxmax()]
        raise EmbargoError(sprog.gettext("Release {release} er stillet op før denne og under embargo til {tidspunkt}; "
                                         "denne release kan ikke offentliggøres før den.").format(
            release=first["release_id"], tidspunkt=vist(first["embargo_til"])))
    if not later.empty and pd.Timestamp(when) > later["embargo_til"].min():
        last = later.loc[later["embargo_til"].idxmin()]
        raise EmbargoError(sprog.gettext("Release {release} er stillet op efter denne og offentliggøres {tidspunkt}; "
                                         "denne release kan ikke offentliggøres efter den.").format(
            release=last["release_id"], tidspunkt=vist(last["embargo_til"])))
    return row


def change(settings: Settings, release_id: str, when: dt.datetime, wait: float | None = None) -> Changed:
    """Set the staged release's embargo to `when` in new live marts, waiting at most `wait` seconds (None: as long
    as it takes) for another writer; the time it had, and whether the other servers have the change."""
    try:
        with store.writing(settings, timeout=wait):
            before = _change(settings, release_id, when)
    except store.Busy:
        raise Busy(sprog.gettext("Data bliver opdateret lige nu; prøv igen om lidt. Embargotidspunktet er ikke "
                                 "ændret.")) from None
    if not settings.udgiv_til:
        return Changed(before)
    try:
        levering.udgiv(settings, settings.udgiv_til)
    except levering.LeveringError as exc:
        log.exception("embargo of %s changed here but not published to %s", release_id, settings.udgiv_til)
        return Changed(before, str(exc))
    return Changed(before)


def _change(settings: Settings, release_id: str, when: dt.datetime) -> pd.Timestamp:
    live = store.current(settings)
    if live is None:
        raise EmbargoError(sprog.gettext("Der er ingen data at ændre embargoen i; byg dem først med python -m kdk "
                                         "build."))
    with duckdb.connect(str(live), read_only=True) as con:
        releases = con.execute("SELECT * FROM release").df()
    row = check(releases, release_id, when)
    newest = releases.loc[releases["loebenummer"].idxmax(), "release_id"]
    store.publish(settings, newest, partial(_copy, live, release_id, when))
    return row["embargo_til"]


def _copy(source: Path, release_id: str, when: dt.datetime, con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Fill the new file with every table of `source`, the release's embargo time changed."""
    con.execute(f"ATTACH '{source}' AS live (READ_ONLY)")
    try:
        for name in store.TABLE_ORDER:
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM live.{name}")
    finally:
        con.execute("DETACH live")
    con.execute("UPDATE release SET embargo_til = $when WHERE release_id = $id", {"when": when, "id": release_id})
    return {name: con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0] for name in store.TABLE_ORDER}
