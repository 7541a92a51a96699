"""Themes as pages need them: the list, one theme, and the figures of a theme for one municipality.

Reads the `tema` table (validated theme files; their texts in the active language, kdk.temaer.paa_sprog) and,
through the viewer's scope, the profile rows of
kdk.queries.profil (values, region, land, rank and comparison group). Restricted figures a viewer may not see
are left out and counted, so a page can say how many need access.
"""
from __future__ import annotations

import json

import pandas as pd

from kdk.db import marts
from kdk.queries import profil
from kdk.queries.cache import Row, cached
from kdk.queries.scope import Scope
from kdk.temaer import paa_sprog


@cached
def temaer(scope: Scope) -> pd.DataFrame:
    """Every theme (slug, titel, raekkefoelge, introduktion, definition: the theme file as JSON, in Danish and
    English), its title and introduction in the active language."""
    df = marts().query("SELECT slug, titel, raekkefoelge, definition FROM tema ORDER BY raekkefoelge, slug")
    shown = [paa_sprog(json.loads(d)) for d in df["definition"]]
    df["titel"] = [t["titel"] for t in shown]
    df["introduktion"] = [t["introduktion"] for t in shown]
    return df


def tema(scope: Scope, slug: str) -> dict | None:
    """One theme, its texts in the active language (kdk.temaer.paa_sprog); None for an unknown slug."""
    df = temaer(scope)
    row = df[df["slug"] == slug]
    return paa_sprog(json.loads(row["definition"].iloc[0])) if len(row) else None


def noegletal_ider(theme: dict) -> tuple[str, ...]:
    """The ids of the theme's key figures, in theme order, each once: what its page asks kdk.queries for."""
    return tuple(dict.fromkeys(fid for section in theme["afsnit"] for fid in section["noegletal"]))


def figurer(scope: Scope, theme: dict, kode: str) -> tuple[list[Row], list[str]]:
    """The theme's visible key figures for one municipality (profile rows with the group's values, in theme
    order), and the ids of the theme's figures the viewer may not see."""
    wanted = noegletal_ider(theme)
    rows = {r["noegletal_id"]: r for r in profil.profil(scope, kode, None, wanted)}
    return [rows[fid] for fid in wanted if fid in rows], [fid for fid in wanted if fid not in rows]
