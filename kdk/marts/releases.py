"""Releases: a new release's row, its embargo, and how it stacks on the releases before it.

Reads the live marts' tables as DataFrames; writes nothing. A release may be staged under embargo (`embargo_til`,
Danish wall-clock time): until then only the publication team sees it, and everyone else keeps seeing the
releases before it. So a release never deletes what it replaces: the rows it replaces stay, marked with
`erstattet_af`, and the comparison groups of the newest release the public may see stay beside its own
(kdk.queries.scope decides which a viewer reads). Releases become public in the order they were made: a release
cannot be published before one staged earlier, so what a viewer sees is always the state of one release.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kdk.marts.findings import IngestError
from kdk.queries.scope import now
from kdk.sprog import N_, gettext

# The description of a release the build made, written in Danish; a page shows it in its language (a message)
BYGGET = N_("Data bygget fra de medfølgende kilder og genererede demodata")


def beskrivelse_vist(tekst: str) -> str:
    """A release's description as a page shows it: the build's own (BYGGET) in the active language, one the
    publication team wrote at a load as they wrote it."""
    return gettext(tekst) if tekst == BYGGET else tekst

KEY = ["noegletal_id", "omraade_kode", "periode"]


def new_row(releases: pd.DataFrame | None, content: str, udtraeksdato: dt.date, embargo_til: dt.datetime | None,
            beskrivelse: str, kilde_fil: str | None) -> pd.DataFrame:
    """The release row that follows `releases` (None for a first build; callers check the order first, see
    `check_order`): its number is the next, and its id the content's hash with that number (loading the same file
    twice makes two releases)."""
    number = 1 if releases is None else int(releases["loebenummer"].max()) + 1
    return pd.DataFrame([{
        "release_id": content if number == 1 else f"{content}-{number}",
        "udtraeksdato": pd.Timestamp(udtraeksdato),
        "embargo_til": pd.Timestamp(embargo_til) if embargo_til else pd.NaT,
        "beskrivelse": beskrivelse,
        "kilde_fil": kilde_fil,
        "loebenummer": number,
    }])


def check_order(releases: pd.DataFrame | None, embargo_til: dt.datetime | None) -> None:
    """Refuse a release that would become public before a release staged earlier."""
    if releases is None:
        return
    pending = releases[releases["embargo_til"].notna() & (releases["embargo_til"] > pd.Timestamp(now()))]
    if pending.empty:
        return
    latest = pending.loc[pending["embargo_til"].idxmax()]
    if embargo_til is None or pd.Timestamp(embargo_til) < latest["embargo_til"]:
        raise IngestError(
            f"Release {latest['release_id']} er under embargo til {latest['embargo_til']:%d.%m.%Y kl. %H.%M}, og en "
            "ny release kan ikke offentliggøres før den. Giv den nye release --embargo-til samme tidspunkt eller "
            "senere.")


def stack(old: pd.DataFrame, state: pd.DataFrame, release_id: str) -> pd.DataFrame:
    """The fact rows of a marts file whose newest release is `release_id`: `state` (the current rows after it, each
    with its own release) on top of `old` (every row before it). A row of `state` that an earlier release holds
    with another status (a cell the new release's disclosure control hides) belongs to the new release. An old
    current row that `state` no longer holds as it was is kept, replaced by `release_id`; rows replaced before
    stay as they were."""
    current = old["erstattet_af"].isna()
    index = KEY + ["release_id"]
    status_before = old.loc[current].set_index(index)["status"]
    earlier = state["release_id"].notna()
    before = status_before.reindex(pd.MultiIndex.from_frame(state.loc[earlier, index])).to_numpy()
    state = state.copy()
    state.loc[state.index[earlier][before != state.loc[earlier, "status"].to_numpy()], "release_id"] = release_id
    still = old.loc[current].set_index(index).index.isin(state.set_index(index).index)
    replaced = old.loc[current].loc[~still].assign(erstattet_af=release_id)
    return pd.concat([old.loc[~current], replaced, state.assign(erstattet_af=None)], ignore_index=True)


def groups_kept(tables: dict[str, pd.DataFrame], release: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The comparison-group rows (bm_sammenligning, bm_model, bm_variabel) that viewers may still read beside a new
    release's own: none when it is public at once; otherwise those of the newest release the public sees now and of
    every release staged after it."""
    names = ("bm_sammenligning", "bm_model", "bm_variabel")
    if pd.isna(release["embargo_til"].iloc[0]):
        return {name: tables[name].iloc[0:0] for name in names}
    releases = tables["release"]
    public = releases["embargo_til"].isna() | (releases["embargo_til"] <= pd.Timestamp(now()))
    with_groups = releases["release_id"].isin(tables["bm_model"]["release_id"])
    first = releases.loc[public & with_groups, "loebenummer"].max()
    keep = set(releases.loc[releases["loebenummer"] >= first, "release_id"]) if pd.notna(first) else set()
    return {name: tables[name][tables[name]["release_id"].isin(keep)] for name in names}
