"""Who is asking, and the SQL that limits the marts to what they may see.

Reads the marts' release table (once per marts file); the fragments are used by every query module. Anonymous
viewers see public key figures (`adgang = 'offentlig'`) of releases past their embargo; a scope may add restricted
data areas and the right to see embargoed releases (web.viewer.scope builds it from the signed-in user, kdk.auth).

A release staged under embargo may revise published rows: the rows it replaces stay in the marts with
`erstattet_af` naming it, and are what everyone who may not see it still sees. Tables derived from the facts
(the comparison groups, bm_*) carry the release whose facts they were computed from, and a viewer reads those of
the newest release it may see. So one decision, `visible_releases`, made once per query in Python and passed as
the parameters $releases and $groups_release, rules facts and everything derived from them (as constants, DuckDB
filters the scans with them directly).

The catalogue's texts (dim_noegletal, dim_dataomraade, kilde) are read through FIGURES, AREAS and SOURCES only: each
gives its texts in the language of the parameter $sprog (`params` passes the active one, kdk.sprog), the English
`<felt>_en` or, where it is missing, the Danish followed by " [da]", as kdk.sprog.katalogtekst does. The `_en`
columns themselves are left out, so a Danish answer is the table as it always was.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd

from kdk import sprog
from kdk.db import Marts, marts
from kdk.marts.katalog import ENGLISH_AREA_FIELDS, ENGLISH_FIGURE_FIELDS, ENGLISH_SOURCE_FIELDS

DANISH_TIME = ZoneInfo("Europe/Copenhagen")


@dataclass(frozen=True)
class Scope:
    omraader: frozenset[str] = frozenset()   # restricted data areas the viewer is granted
    se_embargo: bool = False                 # may see releases before their embargo time

    def params(self, til: int | None = None, source: Marts | None = None) -> dict:
        """The parameters of the fragments below, for the marts `source` (the live ones by default); `til` (a
        loebenummer) limits the releases to that release's state, as its export bundle needs."""
        releases, groups_release = visible_releases(self.se_embargo, til, source or marts())
        return {"omraader": sorted(self.omraader), "releases": releases, "groups_release": groups_release,
                **language()}

    def for_areas(self, dataomraader: Iterable[str]) -> Scope:
        """What decides this viewer's view of key figures in these data areas: its rights to them and to embargoed
        releases. Answers about those figures are the same for every viewer with the same rights there, so cached
        answers are shared by them (a reader granted ubu shares the public areas' answers with everyone)."""
        return Scope(omraader=self.omraader & frozenset(dataomraader), se_embargo=self.se_embargo)


ANONYMOUS = Scope()


def language() -> dict[str, str]:
    """The parameter $sprog of FIGURES, AREAS and SOURCES: the active language."""
    return {"sprog": sprog.aktivt()}


def in_language(table: str, fields: tuple[str, ...]) -> str:
    """The rows of `table` with each of its texts `fields` in the language $sprog: the English (`<felt>_en`), or the
    Danish followed by MANGLER where that is missing; an empty or NULL Danish text stays as it is."""
    chosen = ", ".join(f"CASE WHEN $sprog = '{sprog.ENGELSK}' AND {f} <> '' THEN coalesce({f}_en, {f} || ' "
                       f"{sprog.MANGLER}') ELSE {f} END AS {f}" for f in fields)
    return f"SELECT * EXCLUDE ({', '.join(f'{f}_en' for f in fields)}) REPLACE ({chosen}) FROM {table}"


FIGURES = in_language("dim_noegletal", (*ENGLISH_FIGURE_FIELDS, "kildeangivelse"))
AREAS = in_language("dim_dataomraade", ENGLISH_AREA_FIELDS)
SOURCES = in_language("kilde", ENGLISH_SOURCE_FIELDS)


def now() -> dt.datetime:
    """Danish local time without zone: `release.embargo_til` is written as Danish wall-clock time."""
    return dt.datetime.now(DANISH_TIME).replace(tzinfo=None, microsecond=0)


def visible_releases(se_embargo: bool, til: int | None, source: Marts) -> tuple[list[str], str | None]:
    """The releases of `source` a viewer sees now (every one with `se_embargo`, otherwise those past their embargo;
    up to number `til`), and the one whose comparison groups it reads: the newest of them that has groups."""
    current = pd.Timestamp(now())
    seen = [r for r in _releases(source, source.version)
            if (se_embargo or r["embargo_til"] is None or r["embargo_til"] <= current)
            and (til is None or r["loebenummer"] <= til)]
    with_groups = [r["release_id"] for r in seen if r["grupper"]]
    return [r["release_id"] for r in seen], (with_groups[-1] if with_groups else None)


@functools.lru_cache(maxsize=8)
def _releases(source: Marts, version: str) -> tuple[dict, ...]:
    """The releases of the marts file `version` that `source` reads, oldest first, with whether each has
    comparison groups."""
    df = source.query("""SELECT release_id, embargo_til, loebenummer,
                                 release_id IN (SELECT release_id FROM bm_model) AS grupper
                          FROM release ORDER BY loebenummer""")
    df["embargo_til"] = df["embargo_til"].astype(object).where(df["embargo_til"].notna(), None)
    return tuple(df.to_dict("records"))


VISIBLE_RELEASES = "SELECT * FROM release WHERE list_contains($releases::VARCHAR[], release_id)"

# A fact row `f` of a visible release is current for the viewer unless a release it may see replaced it.
NOT_REPLACED = "(f.erstattet_af IS NULL OR NOT list_contains($releases::VARCHAR[], f.erstattet_af))"


def groups(table: str) -> str:
    """The rows of a comparison-group table (bm_sammenligning, bm_model, bm_variabel) the viewer may see."""
    return f"(SELECT * FROM {table} WHERE release_id = $groups_release)"


VISIBLE_FIGURES = f"""
    SELECT * FROM ({FIGURES})
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


def replaced_of(figures: str) -> str:
    """The rows of the key figures the query `figures` selects that a release the viewer sees replaced (both releases
    visible, so a staged revision shows only to whom may see it): the key, the value the row had (`tidligere_vaerdi`),
    and the replacing release (`revideret_af`) with its extraction date (`revideret_dato`). Joined to a current row
    on its key and `revideret_af = release_id`, where the values differ, it marks a value as revised."""
    return f"""
    SELECT f.noegletal_id, f.omraade_kode, f.periode, f.vaerdi AS tidligere_vaerdi, f.erstattet_af AS revideret_af,
           r.udtraeksdato AS revideret_dato
    FROM fct_noegletal f
    JOIN ({figures}) d ON d.raekkefoelge = f.noegletal_nr AND d.noegletal_id = f.noegletal_id
    JOIN ({VISIBLE_RELEASES}) r ON r.release_id = f.erstattet_af
    WHERE list_contains($releases::VARCHAR[], f.release_id)
"""


CHOSEN_REPLACED = replaced_of(CHOSEN_FIGURES)
