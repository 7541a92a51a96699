"""Who is asking, and the SQL that limits the marts to what they may see.

Reads nothing itself; the fragments are used by every query module. Anonymous viewers see public key
figures (`adgang = 'offentlig'`) of releases past their embargo; a scope may add restricted data areas
and the right to see embargoed releases (the access-control work fills these from the user).

A release staged under embargo may revise published rows: the rows it replaces stay in the marts with
`erstattet_af` naming it, and are what everyone who may not see it still sees. Tables derived from the facts
(the comparison groups, bm_*) carry the release whose facts they were computed from, and a viewer reads those of
the newest release it may see. So one rule, VISIBLE_RELEASES, decides facts and everything derived from them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

DANISH_TIME = ZoneInfo("Europe/Copenhagen")


@dataclass(frozen=True)
class Scope:
    omraader: frozenset[str] = frozenset()   # restricted data areas the viewer is granted
    se_embargo: bool = False                 # may see releases before their embargo time

    def params(self) -> dict:
        """The parameters of the fragments below; `til` (a loebenummer, or None for all) limits the releases to a
        release's state, as its export bundle needs."""
        return {"omraader": sorted(self.omraader), "se_embargo": self.se_embargo, "nu": now(), "til": None}

    def for_areas(self, dataomraader: Iterable[str]) -> Scope:
        """What decides this viewer's view of key figures in these data areas: its rights to them and to embargoed
        releases. Answers about those figures are the same for every viewer with the same rights there, so cached
        answers are shared by them (a reader granted Personale shares the public areas' answers with everyone)."""
        return Scope(omraader=self.omraader & frozenset(dataomraader), se_embargo=self.se_embargo)


ANONYMOUS = Scope()


def now() -> dt.datetime:
    """Danish local time without zone: `release.embargo_til` is written as Danish wall-clock time."""
    return dt.datetime.now(DANISH_TIME).replace(tzinfo=None, microsecond=0)


VISIBLE_RELEASES = """SELECT * FROM release WHERE (embargo_til IS NULL OR embargo_til <= $nu OR $se_embargo)
                                            AND ($til IS NULL OR loebenummer <= $til)"""

# A fact row `f` of a visible release is current for the viewer unless a release it may see replaced it.
NOT_REPLACED = f"(f.erstattet_af IS NULL OR f.erstattet_af NOT IN (SELECT release_id FROM ({VISIBLE_RELEASES})))"

# The release whose comparison groups (bm_sammenligning, bm_model, bm_variabel) the viewer reads: the newest it
# may see among those that have groups.
GROUPS_RELEASE = f"""SELECT max_by(release_id, loebenummer) FROM ({VISIBLE_RELEASES})
                     WHERE release_id IN (SELECT DISTINCT release_id FROM bm_model)"""


def groups(table: str) -> str:
    """The rows of a comparison-group table (bm_sammenligning, bm_model, bm_variabel) the viewer may see."""
    return f"(SELECT * FROM {table} WHERE release_id = ({GROUPS_RELEASE}))"


VISIBLE_FIGURES = """
    SELECT * FROM dim_noegletal
    WHERE adgang = 'offentlig' OR list_contains($omraader::VARCHAR[], dataomraade)
"""


def facts_of(figures: str) -> str:
    """The facts of the key figures the query `figures` selects from dim_noegletal, in releases past their embargo
    (or every release, with $se_embargo), less those a visible release replaced. Joined on the figure's number as
    well as its id: the facts are sorted by the number, so a filter on the id, here or outside (`noegletal_id =
    $id`), reaches the scan as a range of numbers and DuckDB reads only those figures' row groups."""
    return f"""
    SELECT f.* FROM fct_noegletal f
    JOIN ({figures}) d ON d.raekkefoelge = f.noegletal_nr AND d.noegletal_id = f.noegletal_id
    JOIN ({VISIBLE_RELEASES}) r USING (release_id)
    WHERE {NOT_REPLACED}
"""


VISIBLE_FACTS = facts_of(VISIBLE_FIGURES)

# The visible key figures among the ids in the parameter $ids, and their facts: a list of ids must filter the
# figures (not the facts) for DuckDB to skip the other figures' rows.
CHOSEN_FIGURES = f"SELECT * FROM ({VISIBLE_FIGURES}) WHERE list_contains($ids::VARCHAR[], noegletal_id)"
CHOSEN_FACTS = facts_of(CHOSEN_FIGURES)
