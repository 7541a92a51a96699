"""The numbers behind a municipality's profile cards, answered for every municipality at once.

For each visible key figure among the asked-for ids, in its profile period (the chosen year, or the figure's latest
year with a value; for a five-year figure the period ending in that year, `2020:2024` for 2024): the municipality's
value and status, the year before, its region and the whole country, its rank among the municipalities (1 = highest
value), how many have a value and the share below it; the comparison group's unweighted mean (published: rounded
half away from zero at the figure's decimals, as every value in the marts is), how many members have a value and how
many lie below and above (the group is the top k of the figure's comparison area in the period's year, or the
nearest year with groups); the spread between the municipalities that a judgement's threshold is a share of
(kdk.fortolkning.spredning); and the municipality's trend over its years (a five-year figure's periods).

Reads fct_noegletal and bm_sammenligning (through the viewer's scope), dim_noegletal and dim_kommune. One query answers
all municipalities' profiles for a data area's key figures and a year, and the answer is kept per release and the
rights that area needs (kdk.queries.cache): 98 profiles cost one query, and a profile only looks its rows up. The
trends come from the figures' yearly series (kdk.queries.noegletal.aarsserier), read once for every year. The
rows are plain dicts, shared by every caller (never changed); a missing value is None.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from kdk.db import marts
from kdk.format import published
from kdk.fortolkning import spredning
from kdk.queries import noegletal, omraader, sammenligning
from kdk.queries.cache import cached
from kdk.queries.scope import CHOSEN_FACTS, CHOSEN_FIGURES, CHOSEN_REPLACED, Scope, groups

CATALOGUE_COLUMNS = ("noegletal_id", "titel", "definition", "enhed", "dataomraade", "retning", "decimaler", "kilde",
                     "demodata", "periodicitet", "niveau_sammenlignes", "uden_vaerdi", "aggregering", "forbehold",
                     "kildeangivelse")

ROWS = f"""
WITH y AS (SELECT noegletal_id, omraade_kode, periode, right(periode, 4) AS aar, vaerdi, status, release_id
           FROM ({CHOSEN_FACTS}) WHERE length(periode) = 4 OR periode LIKE '%:%'),
chosen AS (
    SELECT noegletal_id, CASE WHEN $aar IS NULL THEN max(periode) FILTER (WHERE vaerdi IS NOT NULL)
                              ELSE coalesce(max(periode) FILTER (WHERE aar = $aar), $aar) END AS periode
    FROM y GROUP BY noegletal_id),
span AS (SELECT min(aar) AS lo, max(aar) AS hi FROM {groups('bm_model')}),
fig AS (
    SELECT d.noegletal_id, d.raekkefoelge, c.periode, a.sammenligningsomraade,
           least(greatest(right(c.periode, 4)::INT, span.lo), span.hi) AS bm_aar
    FROM ({CHOSEN_FIGURES}) d LEFT JOIN chosen c USING (noegletal_id)
    JOIN (SELECT unnest($fids::VARCHAR[]) AS noegletal_id, unnest($bm_omraader::VARCHAR[]) AS sammenligningsomraade) a
         USING (noegletal_id), span),
k AS (SELECT kommunekode, regionskode FROM dim_kommune),
cur AS (SELECT y.* FROM y JOIN fig USING (noegletal_id, periode)),
ranked AS (
    SELECT cur.noegletal_id, cur.omraade_kode, cur.vaerdi,
           rank() OVER (PARTITION BY cur.noegletal_id ORDER BY cur.vaerdi DESC) AS rang,
           count(*) OVER (PARTITION BY cur.noegletal_id) AS antal,
           percent_rank() OVER (PARTITION BY cur.noegletal_id ORDER BY cur.vaerdi) AS andel_under
    FROM cur JOIN k ON k.kommunekode = cur.omraade_kode WHERE cur.vaerdi IS NOT NULL),
grp AS (
    SELECT f.noegletal_id, b.kommunekode, f.sammenligningsomraade, f.bm_aar,
           avg(v.vaerdi) AS gruppe_vaerdi, count(v.vaerdi) AS gruppe_n,
           count(*) FILTER (WHERE v.vaerdi < mine.vaerdi) AS under,
           count(*) FILTER (WHERE v.vaerdi > mine.vaerdi) AS over
    FROM fig f JOIN {groups('bm_sammenligning')} b ON b.sammenligningsomraade = f.sammenligningsomraade
                                              AND b.aar = f.bm_aar AND b.rang <= $k
    LEFT JOIN ranked v ON v.noegletal_id = f.noegletal_id AND v.omraade_kode = b.sammenligningskode
    LEFT JOIN ranked mine ON mine.noegletal_id = f.noegletal_id AND mine.omraade_kode = b.kommunekode
    GROUP BY ALL)
SELECT k.kommunekode, f.noegletal_id, f.periode, m.vaerdi, coalesce(m.status, 'mangler') AS status,
       p.vaerdi AS forrige_vaerdi, r.vaerdi AS region_vaerdi, l.vaerdi AS land_vaerdi,
       rk.rang, rk.antal, rk.andel_under,
       g.sammenligningsomraade, g.bm_aar, g.gruppe_vaerdi, g.gruppe_n, g.under, g.over,
       rv.tidligere_vaerdi, rv.revideret_dato
FROM k CROSS JOIN fig f
LEFT JOIN y m ON m.noegletal_id = f.noegletal_id AND m.omraade_kode = k.kommunekode AND m.periode = f.periode
LEFT JOIN ({CHOSEN_REPLACED}) rv ON rv.noegletal_id = m.noegletal_id AND rv.omraade_kode = m.omraade_kode
     AND rv.periode = m.periode AND rv.revideret_af = m.release_id AND rv.tidligere_vaerdi <> m.vaerdi
LEFT JOIN y p ON p.noegletal_id = f.noegletal_id AND p.omraade_kode = k.kommunekode
     AND p.aar = (right(f.periode, 4)::INT - 1)::VARCHAR
LEFT JOIN cur r ON r.noegletal_id = f.noegletal_id AND r.omraade_kode = k.regionskode
LEFT JOIN cur l ON l.noegletal_id = f.noegletal_id AND l.omraade_kode = '000'
LEFT JOIN ranked rk ON rk.noegletal_id = f.noegletal_id AND rk.omraade_kode = k.kommunekode
LEFT JOIN grp g ON g.noegletal_id = f.noegletal_id AND g.kommunekode = k.kommunekode
ORDER BY k.kommunekode, f.raekkefoelge
"""


def profil(scope: Scope, kode: str, periode: str | None, noegletal_ids: tuple[str, ...]) -> tuple[dict, ...]:
    """One municipality's profile rows for the visible figures among `noegletal_ids`, data area by data area, each
    area's in catalogue order. A row has the catalogue's CATALOGUE_COLUMNS, then periode, vaerdi, status
    ('mangler' where there is no row), forrige_vaerdi, region_vaerdi, land_vaerdi, rang, antal, andel_under, the
    group's sammenligningsomraade, bm_aar, gruppe_vaerdi, gruppe_n, under and over (all None where the figure has
    no group that year), tidligere_vaerdi and revideret_dato (the value a visible release revised, and that
    release's extraction date; None where the value is not revised), spredning (kdk.fortolkning.spredning of all
    municipalities' values) and trend (the (periode, vaerdi) pairs of its years or five-year periods, oldest
    first).

    Each data area's rows are answered for every municipality at once, under the part of the scope that decides
    that area (Scope.for_areas): one answer serves every municipality, and every viewer with the same rights there
    (a reader granted Udsatte børn og unge computes only that area's)."""
    return tuple(row for narrowed, ids in omraader.by_area(scope, noegletal_ids)
                 for row in _alle(narrowed, periode, ids).get(kode, ()))


def kommunevaerdier_fra_profil(scope: Scope, periode: str | None, noegletal_ids: tuple[str, ...],
                               noegletal_id: str) -> tuple[dict, ...]:
    """Every municipality's value of `noegletal_id`, one of the visible figures among `noegletal_ids`, in its profile
    period, as kdk.queries.noegletal.kommunevaerdier gives them (highest first, a suppressed or missing one last): read
    from the answer `profil` reads for the same arguments, so an area in depth ranks its figures without a query."""
    narrowed, ids = next(group for group in omraader.by_area(scope, noegletal_ids) if noegletal_id in group[1])
    return _fordelinger(narrowed, periode, ids)[noegletal_id]


@cached
def _fordelinger(scope: Scope, periode: str | None, noegletal_ids: tuple[str, ...]) -> Mapping[str, tuple[dict, ...]]:
    by_figure: dict[str, list[dict]] = {}
    for kode, rows in _alle(scope, periode, noegletal_ids).items():
        kommune = omraader.kommune(scope, kode)
        if kommune is None:   # the facts name only municipalities of dim_kommune (the marts contract)
            raise LookupError(f"municipality {kode} is not in dim_kommune")
        for row in rows:
            by_figure.setdefault(row["noegletal_id"], []).append(
                {"kommunekode": kode, "navn": kommune["navn"], "regionskode": kommune["regionskode"],
                 "regionsnavn": kommune["regionsnavn"], "vaerdi": row["vaerdi"], "status": row["status"]})
    return MappingProxyType({fid: tuple(sorted(rows, key=_highest_first)) for fid, rows in by_figure.items()})


def _highest_first(row: dict) -> tuple:
    return row["vaerdi"] is None, -(row["vaerdi"] or 0.0), row["kommunekode"]


def har_gruppe(row: dict) -> bool:
    """Whether a profile row has a comparison group (its area has groups in the period's year)."""
    return row["gruppe_n"] is not None


@cached
def _alle(scope: Scope, periode: str | None, noegletal_ids: tuple[str, ...],
          k: int = sammenligning.STANDARD_K) -> Mapping[str, tuple[dict, ...]]:
    """Every municipality's profile rows (see `profil`) for the visible figures among `noegletal_ids`, in
    catalogue order, by municipality code."""
    catalogue = {r["noegletal_id"]: {c: r[c] for c in CATALOGUE_COLUMNS}
                 for r in omraader.noegletal_af(scope, noegletal_ids).to_dict("records")}
    known = set(sammenligning.omraader(scope)["sammenligningsomraade"])
    fids = list(catalogue)
    params = {**scope.params(), "ids": fids, "aar": periode, "k": k, "fids": fids,
              "bm_omraader": [sammenligning.omraade_for(catalogue[f]["dataomraade"], known) for f in fids]}
    trends = _trends(scope, noegletal_ids)
    profiles: dict[str, list[dict]] = {}
    by_figure: dict[str, list[dict]] = {}
    for row in marts().records(ROWS, params):
        kode, fid = row.pop("kommunekode"), row["noegletal_id"]
        row["trend"] = trends.get((fid, kode), ())
        row["gruppe_vaerdi"] = published(row["gruppe_vaerdi"], catalogue[fid]["decimaler"])
        row = catalogue[fid] | row
        profiles.setdefault(kode, []).append(row)
        by_figure.setdefault(fid, []).append(row)
    for rows in by_figure.values():
        spread = spredning(r["vaerdi"] for r in rows)
        for row in rows:
            row["spredning"] = spread
    return MappingProxyType({kode: tuple(rows) for kode, rows in profiles.items()})


@cached
def _trends(scope: Scope, noegletal_ids: tuple[str, ...]) -> Mapping[tuple[str, str], tuple[noegletal.Punkt, ...]]:
    """Every area's series of the visible figures among `noegletal_ids` (kdk.queries.noegletal.aarsserier), by
    (noegletal_id, area code): the same for every year's profile, so read once and shared by them."""
    return MappingProxyType({(fid, kode): points for fid, series in noegletal.aarsserier(scope, noegletal_ids).items()
                             for kode, points in series.items()})
