"""What a release changed since the release before it, as one viewer may see it.

The state of the key figures a release touches as of that release, compared with their state as of the release
before it, by the same comparison a load makes (kdk.marts.revision.compare): new periods, revised values, values
hidden or gone. The publication page reads it for any release with full access (kdk.queries.publicering); a
municipality's "Nyt siden sidste udgivelse" (`nyt`) for the newest release the viewer sees, through the viewer's
scope, so a restricted key figure, an embargoed release or a suppressed value never shows up in it.

Reads release, fct_noegletal, dim_noegletal, dim_kommune and (for a revision's reason) validering; writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kdk.db import marts
from kdk.marts import revision
from kdk.queries import omraader
from kdk.queries.cache import cached
from kdk.queries.datastatus import revisioner
from kdk.queries.scope import CHOSEN_FACTS, CHOSEN_FIGURES, Scope, language

NYT = ["omraade_kode", "noegletal_id", "titel", "decimaler", "enhed", "periode", "tidligere", "vaerdi",
       "begrundelse"]


@dataclass(frozen=True)
class Sammenligning:
    """A release's key figures as of the release before it (`forrige`) and as of the release itself."""
    forrige: str
    old: pd.DataFrame          # the touched figures' current rows as of `forrige`: KEY, vaerdi, status, release_id
    new: pd.DataFrame          # the same as of the release
    figures: pd.DataFrame      # their catalogue rows (dim_noegletal), the ones the viewer may see
    revision: revision.Revision


def sammenlign(scope: Scope, release_id: str) -> Sammenligning | None:
    """What the release `release_id` (one the viewer sees) changed since the release before it that the viewer
    sees, for the visible key figures it wrote or replaced rows of; None for the first release."""
    found = marts().records("SELECT loebenummer FROM release WHERE release_id = $id", {"id": release_id})
    if not found:
        raise LookupError(f"unknown release {release_id}")
    seen = scope.params(til=found[0]["loebenummer"])["releases"]   # oldest first, this one last
    if seen[-1:] != [release_id]:
        raise LookupError(f"release {release_id} is not the viewer's")
    if len(seen) < 2:
        return None
    touched = list(marts().query("SELECT DISTINCT noegletal_id FROM fct_noegletal WHERE release_id = $id "
                                 "OR erstattet_af = $id", {"id": release_id})["noegletal_id"])
    figures = marts().query(CHOSEN_FIGURES, {"omraader": sorted(scope.omraader), "ids": touched, **language()})
    ids = list(figures["noegletal_id"])
    old, new = (_state(scope, ids, til) for til in (_number(seen[-2]), found[0]["loebenummer"]))
    written = new[new["release_id"].eq(release_id) & new["vaerdi"].notna()]
    kommuner = marts().query("SELECT * FROM dim_kommune")
    return Sammenligning(seen[-2], old, new, figures, revision.compare(old, new, written, figures, kommuner))


def _number(release_id: str) -> int:
    return marts().records("SELECT loebenummer FROM release WHERE release_id = $id", {"id": release_id})[0][
        "loebenummer"]


def _state(scope: Scope, ids: list[str], til: int) -> pd.DataFrame:
    """The current rows of these key figures as of release number `til`, as the viewer may see them."""
    return marts().query(f"SELECT noegletal_id, omraade_kode, periode, vaerdi, status, release_id "
                         f"FROM ({CHOSEN_FACTS})", scope.params(til=til) | {"ids": ids})


@cached
def nyt(scope: Scope) -> pd.DataFrame:
    """What the newest release the viewer sees changed since the one before it, for every municipality: one row
    per value in a new period and per revised value (`tidligere` its value before, None for a new period), with
    the figure's title, decimals and unit and the reason the publisher gave for a revision (`begrundelse`, None
    when none was given): the columns NYT, in catalogue order, latest period first. Empty for the first release.
    A value that is suppressed or missing now is not news, and is left out."""
    newest = scope.params()["releases"][-1]
    found = sammenlign(scope, newest)
    if found is None:
        return pd.DataFrame(columns=NYT)
    kommunal = found.new["omraade_kode"].isin(omraader.kommuner(scope)["kommunekode"])
    rows = []
    for f in found.revision.figures:
        fresh = found.new[kommunal & found.new["noegletal_id"].eq(f.noegletal_id)
                          & found.new["periode"].isin(f.new_periods) & found.new["vaerdi"].notna()]
        revised = f.revised[f.revised["kommunal"]]
        rows += [fresh.assign(tidligere=None), revised.rename(columns={"old": "tidligere", "new": "vaerdi"})]
    if not rows:
        return pd.DataFrame(columns=NYT)
    changed = pd.concat(rows, ignore_index=True)[["omraade_kode", "noegletal_id", "periode", "tidligere", "vaerdi"]]
    catalogue = found.figures[["noegletal_id", "titel", "decimaler", "enhed", "raekkefoelge"]]
    reasons = revisioner(scope)
    reasons = reasons[reasons["release_id"] == newest]
    reasons = reasons.assign(begrundelse=[revision.begrundelse(r.besked, r.titel, r.noegletal_id)
                                          for r in reasons.itertuples()])[["noegletal_id", "begrundelse"]]
    changed = changed.merge(catalogue, on="noegletal_id").merge(reasons, on="noegletal_id", how="left")
    changed = changed.sort_values(["raekkefoelge", "periode"], ascending=[True, False], kind="stable")
    return changed[NYT].astype(object).where(changed[NYT].notna(), None).reset_index(drop=True)


def for_kommune(scope: Scope, kode: str) -> pd.DataFrame:
    """`nyt` for one municipality."""
    changed = nyt(scope)
    return changed[changed["omraade_kode"] == kode].reset_index(drop=True)
