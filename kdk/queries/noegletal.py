"""Key-figure values for the charts and the map: series over time, every municipality's value in a period.

Reads fct_noegletal (through the viewer's scope) and dim_kommune. The series are answered for every area at once
and kept per release and scope, so one query serves every municipality's charts of the same key figures (the
profile cards' numbers are kdk.queries.profil). Yearly periods (`2024`) drive the profile, and a five-year figure's
rolling periods (`2021:2025`) stand in for its years in its series; monthly series are read for their own charts.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

import pandas as pd

from kdk import periods
from kdk.db import marts
from kdk.format import published
from kdk.queries import omraader
from kdk.queries.cache import Row, cached
from kdk.queries.scope import CHOSEN_FACTS, NOT_REPLACED, VISIBLE_FACTS, VISIBLE_RELEASES, Scope
from kdk.status import vises

YEARLY = f"SELECT * FROM ({VISIBLE_FACTS}) WHERE length(periode) = 4"
Punkt = tuple[str, float | None]   # (periode, vaerdi) in a series


@cached
def aar(scope: Scope) -> tuple[str, ...]:
    """Years with values for at least one key figure the viewer may see, newest first."""
    seen = omraader.dataomraade_koder(scope)
    by_area = _aar_pr_omraade(Scope(se_embargo=scope.se_embargo))
    return tuple(sorted({year for area, years in by_area.items() if area in seen for year in years}, reverse=True))


@cached
def _aar_pr_omraade(embargo: Scope) -> Mapping[str, tuple[str, ...]]:
    """Each data area's years with values, in the releases `embargo` may see: one scan of the facts (0,4 s at
    Kolada's size) per release and embargo right, not one per combination of rights a viewer has."""
    rows = marts().records(f"""
        SELECT n.dataomraade, list(DISTINCT f.periode) AS aar
        FROM (SELECT DISTINCT noegletal_nr, periode FROM fct_noegletal f JOIN ({VISIBLE_RELEASES}) r USING (release_id)
              WHERE length(periode) = 4 AND vaerdi IS NOT NULL AND {NOT_REPLACED}) f
        JOIN dim_noegletal n ON n.raekkefoelge = f.noegletal_nr GROUP BY ALL""", embargo.params())
    return MappingProxyType({r["dataomraade"]: tuple(r["aar"]) for r in rows})


def aarsserie(scope: Scope, noegletal_id: str) -> Mapping[str, tuple[Punkt, ...]]:
    """Yearly values of one visible key figure for every area (municipalities, regions and '000'), by area (a
    five-year figure's rolling periods, which it has instead of years): (periode, vaerdi) pairs, oldest first, a
    suppressed or missing value as None. Shared, so never changed."""
    return _serier(omraader.for_figure(scope, noegletal_id), (noegletal_id,), "aar").get(noegletal_id, NO_SERIES)


def aarsserier(scope: Scope, noegletal_ids: tuple[str, ...]) -> Mapping[str, Mapping[str, tuple[Punkt, ...]]]:
    """`aarsserie` of each visible key figure among `noegletal_ids`, by its id: one query per data area among them,
    kept for those ids (a profile page reads its figures' series together, not a query per figure)."""
    return MappingProxyType({fid: series for narrowed, ids in omraader.by_area(scope, noegletal_ids)
                             for fid, series in _serier(narrowed, ids, "aar").items()})


def maanedsserie(scope: Scope, noegletal_id: str) -> Mapping[str, tuple[Punkt, ...]]:
    """Monthly values of one visible key figure for every area, as `aarsserie`."""
    return _serier(omraader.for_figure(scope, noegletal_id), (noegletal_id,), "maaned").get(noegletal_id, NO_SERIES)


NO_SERIES: Mapping[str, tuple[Punkt, ...]] = MappingProxyType({})


def estimater(scope: Scope, noegletal_ids: tuple[str, ...]) -> Mapping[str, Mapping[str, frozenset[str]]]:
    """The periods whose value is an estimate (status `estimat`) of each visible key figure among `noegletal_ids`,
    by figure and area (a figure without estimates is absent): one query per data area among them, as
    `aarsserier`. Shared, so never changed."""
    return MappingProxyType({fid: found for narrowed, ids in omraader.by_area(scope, noegletal_ids)
                             for fid, found in _estimater(narrowed, ids).items()})


@cached
def _estimater(scope: Scope, noegletal_ids: tuple[str, ...]) -> Mapping[str, Mapping[str, frozenset[str]]]:
    rows = marts().records(f"""
        SELECT noegletal_id, omraade_kode, list(periode) AS perioder FROM ({CHOSEN_FACTS})
        WHERE status = 'estimat' GROUP BY ALL""", {**scope.params(), "ids": list(noegletal_ids)})
    by_figure: dict[str, dict[str, frozenset[str]]] = {}
    for r in rows:
        by_figure.setdefault(r["noegletal_id"], {})[r["omraade_kode"]] = frozenset(r["perioder"])
    return MappingProxyType({fid: MappingProxyType(found) for fid, found in by_figure.items()})


@cached
def _serier(scope: Scope, noegletal_ids: tuple[str, ...], kind: str) -> Mapping[str, Mapping[str, tuple[Punkt, ...]]]:
    """One query for every area's series of the visible figures among `noegletal_ids`, kept per release and the
    rights their data area needs."""
    periods = "length(periode) = 4 OR periode LIKE '%:%'" if kind == "aar" else "periode LIKE '%M%'"
    rows = marts().records(f"""
        SELECT noegletal_id, omraade_kode, list(periode ORDER BY periode) AS perioder,
               list(vaerdi ORDER BY periode) AS vaerdier
        FROM ({CHOSEN_FACTS}) WHERE {periods} GROUP BY ALL""", {**scope.params(), "ids": list(noegletal_ids)})
    by_figure: dict[str, dict[str, tuple[Punkt, ...]]] = {}
    for r in rows:   # two lists zipped: a fifth faster than a list of pairs (structs) at Kolada's size
        by_figure.setdefault(r["noegletal_id"], {})[r["omraade_kode"]] = tuple(zip(r["perioder"], r["vaerdier"]))
    return MappingProxyType({fid: MappingProxyType(series) for fid, series in by_figure.items()})


def gennemsnit(serie: Mapping[str, tuple[Punkt, ...]], koder: Iterable[str]) -> tuple[Punkt, ...]:
    """The unweighted yearly mean of the areas `koder` in a key figure's `serie` (from `aarsserie`): each year any
    of them has, the mean of those with a value that year (None when none has)."""
    by_year: dict[str, list[float]] = {}
    for kode in koder:
        for periode, vaerdi in serie.get(kode, ()):
            by_year.setdefault(periode, [])
            if vaerdi is not None:
                by_year[periode].append(vaerdi)
    return tuple((p, sum(v) / len(v) if v else None) for p, v in sorted(by_year.items()))


INDEKS_DECIMALER = 1


def indekseret(serie: Sequence[Punkt], decimaler: int, basis: str) -> tuple[Punkt, ...] | None:
    """`serie` as an index with its value in the period `basis` = 100: each value published first (rounded at the
    key figure's `decimaler`, kdk.format.published), then divided by the published base value, so the index is
    computed from the numbers on screen; the index published at INDEKS_DECIMALER. A missing value stays None. None
    when the series has no value in `basis`, or 0 there: no index is made from a missing base."""
    shown = {p: published(v, decimaler) for p, v in serie}
    base = shown.get(basis)
    if not base:
        return None
    return tuple((p, None if v is None else published(100 * v / base, INDEKS_DECIMALER)) for p, v in shown.items())


def indekserede(rows: pd.DataFrame, basis: str) -> pd.DataFrame:
    """Export rows (kdk.export.rows) as the index the development chart draws: each key figure's series in each
    area made into an index by `indekseret` (only the values shown, kdk.status.vises), at INDEKS_DECIMALER, its unit
    "indeks (<basis> = 100)"; a series without a value in `basis` is left out, as the chart leaves out its line.
    The rows keep their order and status; `rows` is not changed."""
    unit = f"indeks ({periods.label(basis)} = 100)"
    parts = []
    for _, serie in rows.groupby(["noegletal_id", "omraade_kode"], sort=False):
        points = [(p, v if vises(s, v) else None) for p, v, s in zip(serie["periode"], serie["vaerdi"],
                                                                      serie["status"])]
        index = indekseret(points, int(serie["decimaler"].iloc[0]), basis)
        if index is not None:
            parts.append(serie.assign(vaerdi=[v for _, v in index], decimaler=INDEKS_DECIMALER, enhed=unit))
    return pd.concat(parts) if parts else rows.iloc[:0]


def kommunevaerdier(scope: Scope, noegletal_id: str, periode: str) -> tuple[Row, ...]:
    """All municipalities' values for one key figure and period, highest first (a suppressed or missing one last,
    with vaerdi None): kommunekode, navn, regionskode, regionsnavn, vaerdi, status. Shared, so never changed."""
    return _fordeling(omraader.for_figure(scope, noegletal_id), noegletal_id, periode)


@cached
def _fordeling(scope: Scope, noegletal_id: str, periode: str) -> tuple[Row, ...]:
    """One query per key figure and period (a period's rows only: 290 at Kolada's size, where all 20 years' would be
    5 800 made into dicts), kept per release and the rights the figure's area needs."""
    rows = marts().records(f"""
        SELECT k.kommunekode, k.navn, k.regionskode, k.regionsnavn, f.vaerdi, coalesce(f.status, 'mangler') AS status
        FROM dim_kommune k
        LEFT JOIN (SELECT omraade_kode, vaerdi, status FROM ({VISIBLE_FACTS})
                   WHERE noegletal_id = $id AND periode = $periode) f ON f.omraade_kode = k.kommunekode
        ORDER BY f.vaerdi DESC NULLS LAST, k.kommunekode""", {**scope.params(), "id": noegletal_id, "periode": periode})
    return tuple(rows)


@cached
def perioder(scope: Scope, noegletal_id: str) -> tuple[str, ...]:
    """The periods with values for one key figure that its map and pages choose between, newest first: its years,
    or its five-year periods (`2021:2025`, ordered by end year) for a figure that has only those."""
    params = {**scope.params(), "id": noegletal_id}
    df = marts().query(f"""SELECT DISTINCT periode FROM ({VISIBLE_FACTS}) WHERE noegletal_id = $id
                           AND (length(periode) = 4 OR periode LIKE '%:%')
                           AND vaerdi IS NOT NULL ORDER BY periode DESC""", params)
    return tuple(df["periode"].tolist())
