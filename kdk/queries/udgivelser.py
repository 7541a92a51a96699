"""What a release changed since the release before it, as one viewer may see it.

The state of the key figures a release touches as of that release, compared with their state as of the release
before it, by the same comparison a load makes (kdk.marts.revision.compare): new periods, revised values, values
hidden or gone. The publication page reads it for any release with full access (kdk.queries.publicering); through
a viewer's scope, a restricted key figure or an embargoed release never shows up in it.

Reads release, fct_noegletal, dim_noegletal and dim_kommune; writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kdk.db import marts
from kdk.marts import revision
from kdk.queries.scope import CHOSEN_FACTS, CHOSEN_FIGURES, Scope


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
    figures = marts().query(CHOSEN_FIGURES, {"omraader": sorted(scope.omraader), "ids": touched})
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
