"""Themes as pages need them: the list, one theme, and the figures of a theme for one municipality.

Reads the `tema` table (validated theme files) and, through the viewer's scope, the profile and group
values of kdk.queries.noegletal and kdk.queries.sammenligning. Restricted figures a viewer may not see
are left out and counted, so a page can say how many need access.
"""
from __future__ import annotations

import json

import pandas as pd

from kdk.db import marts
from kdk.queries import noegletal, sammenligning
from kdk.queries.cache import cached
from kdk.queries.scope import Scope


@cached
def temaer(scope: Scope) -> pd.DataFrame:
    df = marts().query("SELECT slug, titel, raekkefoelge, definition FROM tema ORDER BY raekkefoelge, slug")
    df["introduktion"] = [json.loads(d)["introduktion"] for d in df["definition"]]
    return df


def tema(scope: Scope, slug: str) -> dict | None:
    df = temaer(scope)
    row = df[df["slug"] == slug]
    return json.loads(row["definition"].iloc[0]) if len(row) else None


def figurer(scope: Scope, theme: dict, kode: str, regionskode: str) -> tuple[pd.DataFrame, list[str]]:
    """The theme's visible key figures for one municipality (profile row plus group values, in theme order),
    and the ids of the theme's figures the viewer may not see."""
    wanted = tuple(dict.fromkeys(fid for section in theme["afsnit"] for fid in section["noegletal"]))
    profile = noegletal.profil(scope, kode, regionskode, None, wanted).set_index("noegletal_id")
    groups = sammenligning.gruppevaerdier(scope, kode, None, sammenligning.STANDARD_K, None,
                                          wanted).set_index("noegletal_id")
    visible = [fid for fid in wanted if fid in profile.index]
    rows = profile.loc[visible].join(groups, how="left").reset_index()
    return rows, [fid for fid in wanted if fid not in profile.index]
