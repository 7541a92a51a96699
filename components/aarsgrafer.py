"""The two charts of a key figure in one year, as its page (pages/noegletal_side.py) and an embed (web/indlejr.py)
draw them: every municipality ranked, and the map, with the whole country as the level where a level compares.

Reads kdk.queries (the scope given); writes nothing.
"""
from __future__ import annotations

import pandas as pd

from components import charts, farver
from kdk.queries import noegletal as q
from kdk.queries import omraader
from kdk.queries.scope import Scope
from kdk.sprog import gettext


def aarsgrafer(scope: Scope, meta: dict, serier: pd.DataFrame, periode: str) -> tuple[dict, dict]:
    """The ranking and the map for one year; `serier` is the figure's country and region series
    (kdk.queries.katalog.serier)."""
    fordeling = q.kommunevaerdier(scope, meta["noegletal_id"], periode)
    found = serier[(serier["omraade_kode"] == "000") & (serier["periode"] == periode)]["vaerdi"]
    land = found.iloc[0] if len(found) else None
    # A national total is no level for a municipality (a count or sum): the line would only squash the bars.
    lines = [(gettext(charts.HELE_LANDET), land)] if meta["niveau_sammenlignes"] else []
    ranking = charts.ranking(meta, fordeling, "", set(), lines, periode)
    ranking["data"][0]["marker"]["color"] = farver.REGION_FARVE
    return ranking, charts.kort(meta, fordeling, omraader.geometri(scope), periode, land=land)
