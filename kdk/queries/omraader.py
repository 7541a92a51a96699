"""Municipalities, regions, data areas, sources and releases: the dimensions the pages are built around.

Reads dim_kommune, dim_region, dim_dataomraade, dim_noegletal, kilde and release.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import pandas as pd

from kdk.db import marts
from kdk.queries.cache import Row, cached
from kdk.queries.scope import AREAS, SOURCES, VISIBLE_FIGURES, VISIBLE_RELEASES, Scope, language


@cached
def kommuner(scope: Scope) -> pd.DataFrame:
    return marts().query("SELECT * FROM dim_kommune ORDER BY navn")


def kommune(scope: Scope, kode: str) -> Row | None:
    """The municipality with this code, or None: the one place that decides whether a code exists (shared, so
    never changed)."""
    return _kommuner_efter_kode(scope).get(str(kode))


@cached
def _kommuner_efter_kode(scope: Scope) -> Mapping[str, Row]:
    return MappingProxyType({r["kommunekode"]: r for r in kommuner(scope).to_dict("records")})


@cached
def regioner(scope: Scope) -> pd.DataFrame:
    return marts().query("SELECT * FROM dim_region ORDER BY regionskode")


@cached
def alle_dataomraader() -> frozenset[str]:
    """Every data area's code (public metadata: which areas exist, not what they contain)."""
    return frozenset(marts().query("SELECT kode FROM dim_dataomraade")["kode"])


def fuld_adgang() -> Scope:
    """Every area and releases under embargo: the publication team's view (redaktion, admin, the CLI)."""
    return Scope(omraader=alle_dataomraader(), se_embargo=True)


@cached
def dataomraader(scope: Scope) -> tuple[Row, ...]:
    """Data areas with at least one key figure the viewer may see, in the catalogue's order: kode, navn,
    beskrivelse, raekkefoelge (shared, so never changed)."""
    return tuple(marts().records(f"""
        SELECT a.* FROM ({AREAS}) a
        WHERE EXISTS (SELECT 1 FROM ({VISIBLE_FIGURES}) d WHERE d.dataomraade = a.kode)
        ORDER BY raekkefoelge""", scope.params()))


@cached
def dataomraade_koder(scope: Scope) -> frozenset[str]:
    """The codes of `dataomraader`: which data areas a viewer may ask for."""
    return frozenset(a["kode"] for a in dataomraader(scope))


@cached
def synlige_noegletal(scope: Scope) -> pd.DataFrame:
    """The catalogue as the viewer may see it, in data-area and catalogue order."""
    return marts().query(f"""
        SELECT d.* FROM ({VISIBLE_FIGURES}) d JOIN dim_dataomraade a ON a.kode = d.dataomraade
        ORDER BY a.raekkefoelge, d.raekkefoelge""", scope.params())


@cached
def noegletal_af(scope: Scope, noegletal_ids: tuple[str, ...]) -> pd.DataFrame:
    """The catalogue rows of the visible key figures among `noegletal_ids`, in catalogue order (a small copy, where
    the whole catalogue of Kolada's size takes tens of milliseconds to copy)."""
    catalogue = synlige_noegletal(scope)
    return catalogue[catalogue["noegletal_id"].isin(noegletal_ids)].reset_index(drop=True)


@cached
def _omraade_af() -> Mapping[str, str]:
    """Every key figure's data area by id: catalogue metadata, to narrow a scope by (never shown)."""
    rows = marts().records("SELECT noegletal_id, dataomraade FROM dim_noegletal")
    return MappingProxyType({r["noegletal_id"]: r["dataomraade"] for r in rows})


def for_figure(scope: Scope, noegletal_id: str) -> Scope:
    """The part of `scope` that decides what may be seen of this key figure (Scope.for_areas)."""
    return scope.for_areas({_omraade_af().get(noegletal_id, "")})


def by_area(scope: Scope, noegletal_ids: tuple[str, ...]) -> list[tuple[Scope, tuple[str, ...]]]:
    """`noegletal_ids` grouped by data area (in order of first appearance), each group with the part of `scope`
    that decides what may be seen of it (Scope.for_areas), so that answers per group are shared by viewers."""
    areas = _omraade_af()
    groups: dict[str, list[str]] = {}
    for fid in noegletal_ids:
        groups.setdefault(areas.get(fid, ""), []).append(fid)
    return [(scope.for_areas({area}), tuple(ids)) for area, ids in groups.items()]


@cached
def noegletal_pr_omraade(scope: Scope) -> Mapping[str, tuple[str, ...]]:
    """The ids of the visible key figures of each data area, in catalogue order (read-only)."""
    catalogue = synlige_noegletal(scope)
    return MappingProxyType({kode: tuple(group["noegletal_id"])
                             for kode, group in catalogue.groupby("dataomraade", sort=False)})


@cached
def geometri(scope: Scope) -> Mapping[str, str]:
    """Simplified municipality boundaries for the map: GeoJSON geometry text by code, in code order."""
    rows = marts().records("SELECT kommunekode, geometri FROM geo_kommune ORDER BY kommunekode")
    return MappingProxyType({r["kommunekode"]: r["geometri"] for r in rows})


@cached
def kilder(scope: Scope) -> pd.DataFrame:
    return marts().query(f"SELECT * FROM ({SOURCES}) ORDER BY id", language())


@cached
def seneste_release(scope: Scope) -> Row:
    df = marts().query(f"{VISIBLE_RELEASES} ORDER BY loebenummer DESC LIMIT 1", scope.params())
    return df.iloc[0].to_dict()
